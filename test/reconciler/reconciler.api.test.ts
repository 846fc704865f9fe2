/**
 * The reconciler against a real kube-apiserver: the compiled program runs as
 * a child process, the test plays kubelet and controller-manager by patching
 * workload status, and every assertion reads the custom resource's status
 * back from the API server.
 */
import { kstatusVerdict } from '../../src/reconciler/kstatus';
import { VECODEX_ADAPTER } from '../../src/reconciler/products';
import { describeWithApiServer, useControlPlane } from '../support/api-server';
import { KubeClient } from '../support/kube-client';
import { ensureNamespace, installCrd, mustApply, mustPatchStatus } from './cluster';
import { abiInstance, disruptionBudget, rolledOut, service, workload } from './fixtures';
import { ensureBuilt, eventually, ReconcilerProcess } from './reconciler-process';

const NS = 'abi-test';
const MISSING_TIMEOUT = 15;
const RESYNC = 2;
const deploymentSpec = (tag: string) => ({ replicas: 2, storage: { enabled: false }, image: { tag } });

describeWithApiServer('status reconciler against a real API server', () => {
  const plane = useControlPlane();
  let client: KubeClient;
  let reconciler: ReconcilerProcess;
  const extra: ReconcilerProcess[] = [];

  const start = (identity: string) => ReconcilerProcess.start([
    `--kubeconfig=${plane().kubeconfigPath}`, '--log-level=debug', `--identity=${identity}`,
    // A lease that outlives the API server restart below: a leader that cannot renew
    // within the renew deadline exits (as it must), which is not what that test is about.
    '--lease-namespace=default', '--lease-duration=60', '--renew-deadline=45', '--retry-period=0.5',
    `--resync-period=${RESYNC}`, `--missing-children-timeout=${MISSING_TIMEOUT}`,
  ]);

  beforeAll(async () => {
    ensureBuilt();
    client = plane().adminClient();
    await installCrd(client, 'abiinstances.abi.io');
    await ensureNamespace(client, NS);
    reconciler = await start('first');
    await reconciler.waitForLog((e) => e.msg === 'became leader');
  }, 180_000);

  afterAll(async () => {
    for (const p of [reconciler, ...extra]) await p?.stop();
  }, 60_000);

  const getCr = async (name: string) => (await client.get('abi.io/v1', 'AbiInstance', NS, name)).body;
  const until = (name: string, what: string, ok: (cr: any) => boolean, timeoutMs = 30_000) =>
    eventually(async () => { const cr = await getCr(name); return ok(cr) ? cr : false; }, timeoutMs, `${name}: ${what}`);
  const cond = (cr: any, type: string) => (cr.status?.conditions ?? []).find((c: any) => c.type === type);

  async function createInstance(name: string, spec: Record<string, unknown>, finalizers?: string[]): Promise<void> {
    const cr = abiInstance(name, spec, { namespace: NS }) as any;
    if (finalizers) cr.metadata.finalizers = finalizers;
    await mustApply(client, cr);
  }

  /** Applies the Deployment the chart renders (simplified) and returns its generation. */
  async function applyDeployment(name: string, tag: string, replicas = 2): Promise<number> {
    const body = await mustApply(client, workload({ name, namespace: NS, replicas, image: `ghcr.io/abi/abi:${tag}`, configHash: `hash-${tag}` }) as any);
    return body.metadata.generation;
  }

  async function setDeploymentStatus(name: string, status: Record<string, unknown>): Promise<void> {
    await mustPatchStatus(client, 'apps/v1', 'Deployment', NS, name, status);
  }

  test('GIVEN an AbiInstance without children WHEN the reconciler runs THEN it is Pending with Ready=False/ChildrenMissing', async () => {
    await createInstance('lonely', deploymentSpec('v1'));
    const cr = await until('lonely', 'Pending', (c) => c.status?.phase === 'Pending');
    expect(cond(cr, 'Ready')).toMatchObject({ status: 'False', reason: 'ChildrenMissing' });
    expect(cond(cr, 'Reconciling')).toMatchObject({ status: 'True' });
    expect(kstatusVerdict(cr)).toBe('InProgress');
  });

  test('GIVEN children appear and become ready WHEN the reconciler runs THEN status converges to Running with counts, version, endpoints, Ready and an Event', async () => {
    await createInstance('demo', deploymentSpec('v1.2.0'));
    await until('demo', 'Pending', (c) => c.status?.phase === 'Pending');
    const generation = await applyDeployment('demo', 'v1.2.0');
    await mustApply(client, { ...service('demo', NS), metadata: { name: 'demo', namespace: NS, labels: workload({ name: 'demo' }).metadata.labels as Record<string, string> }, spec: { ports: [{ name: 'http', port: 8080 }] } } as any);
    const creating = await until('demo', 'Creating', (c) => c.status?.phase === 'Creating');
    expect(creating.status.health.status).toBe('Unknown');

    await setDeploymentStatus('demo', rolledOut(2, 2, generation));
    const cr = await until('demo', 'Running', (c) => c.status?.phase === 'Running');
    expect(cr.status).toMatchObject({
      replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2,
      version: 'v1.2.0', configHash: 'hash-v1.2.0', observedGeneration: 1,
      health: { status: 'Healthy' },
      endpoints: { http: `http://demo.${NS}.svc:8080`, grpc: `demo.${NS}.svc:50051`, metrics: `http://demo.${NS}.svc:9090/metrics` },
    });
    expect(cond(cr, 'Ready')).toMatchObject({ status: 'True', observedGeneration: 1 });
    expect(cond(cr, 'Reconciling')).toBeUndefined();
    expect(kstatusVerdict(cr)).toBe('Current');

    const events = await eventually(async () => {
      const res = await client.request('GET', `/api/v1/namespaces/${NS}/events?fieldSelector=${encodeURIComponent('involvedObject.name=demo')}`);
      const reasons = res.body.items.map((e: any) => e.reason);
      return reasons.includes('Running') ? reasons : false;
    }, 30_000, 'Running event');
    expect(events).toEqual(expect.arrayContaining(['Pending', 'Creating', 'Running']));
  });

  test('GIVEN a running instance WHEN its spec changes (new generation) THEN Reconciling until the rollout is simulated complete', async () => {
    const patched = await client.request('PATCH', `/apis/abi.io/v1/namespaces/${NS}/abiinstances/demo`, { spec: { image: { tag: 'v1.3.0' } } }, 'application/merge-patch+json');
    expect(patched.body.metadata.generation).toBe(2);
    const generation = await applyDeployment('demo', 'v1.3.0');
    const updating = await until('demo', 'Updating', (c) => c.status?.phase === 'Updating' && c.status?.observedGeneration === 2);
    // No controller-manager here: the Deployment's status is still for generation 1 (not yet observed).
    expect(cond(updating, 'Reconciling')).toMatchObject({ status: 'True', reason: 'Progressing' });
    expect(cond(updating, 'Ready')).toMatchObject({ status: 'False' });
    expect(updating.status.version).toBe('v1.2.0');
    expect(kstatusVerdict(updating)).toBe('InProgress');

    await setDeploymentStatus('demo', rolledOut(2, 2, generation));
    const done = await until('demo', 'Running on v1.3.0', (c) => c.status?.phase === 'Running' && c.status?.version === 'v1.3.0');
    expect(cond(done, 'Reconciling')).toBeUndefined();
    expect(cond(done, 'Ready')).toMatchObject({ status: 'True', observedGeneration: 2 });
    expect(kstatusVerdict(done)).toBe('Current');
  });

  test('GIVEN a rollout that exceeds its progress deadline WHEN reconciled THEN Failed and Stalled; recovery clears Stalled', async () => {
    const generation = await applyDeployment('demo', 'v1.4.0');
    await setDeploymentStatus('demo', {
      observedGeneration: generation, replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "demo-x" has timed out progressing.' }],
    });
    const failed = await until('demo', 'Failed', (c) => c.status?.phase === 'Failed');
    expect(cond(failed, 'Stalled')).toMatchObject({ status: 'True', reason: 'ProgressDeadlineExceeded' });
    expect(failed.status.health.status).toBe('Unhealthy');
    expect(kstatusVerdict(failed)).toBe('Failed');

    await setDeploymentStatus('demo', { ...rolledOut(2, 2, generation), conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] });
    const recovered = await until('demo', 'Running again', (c) => c.status?.phase === 'Running');
    expect(cond(recovered, 'Stalled')).toBeUndefined();
  });

  test('GIVEN a ready instance WHEN its PodDisruptionBudget reports no allowed disruption THEN health Degraded naming it, Ready stays True; a budget with room makes it Healthy again', async () => {
    await createInstance('guarded', deploymentSpec('v1'));
    const generation = await applyDeployment('guarded', 'v1');
    await setDeploymentStatus('guarded', rolledOut(2, 2, generation));
    await until('guarded', 'Running and Healthy', (c) => c.status?.phase === 'Running' && c.status?.health?.status === 'Healthy');

    // No kube-controller-manager runs: the test is the disruption controller and writes the PDB's status subresource.
    const pdb = await mustApply(client, disruptionBudget({ name: 'guarded', namespace: NS, instance: 'guarded' }) as any);
    const pdbStatus = (disruptionsAllowed: number, desiredHealthy: number) => mustPatchStatus(client, 'policy/v1', 'PodDisruptionBudget', NS, 'guarded', {
      observedGeneration: pdb.metadata.generation, currentHealthy: 2, desiredHealthy, disruptionsAllowed, expectedPods: 2,
    });
    await pdbStatus(0, 2);
    const blocked = await until('guarded', 'Degraded by the PDB', (c) => c.status?.health?.status === 'Degraded');
    expect(blocked.status.health.message).toBe('PodDisruptionBudget guarded allows no disruptions with all 2 pods healthy (2 required): node drains will wait');
    expect(blocked.status.phase).toBe('Running');
    expect(cond(blocked, 'Ready')).toMatchObject({ status: 'True' });
    expect(kstatusVerdict(blocked)).toBe('Current');

    await pdbStatus(1, 1);
    const healthy = await until('guarded', 'Healthy again', (c) => c.status?.health?.status === 'Healthy');
    expect(healthy.status.health.message).toBe('all 2/2 replicas ready');
  });

  test('GIVEN an instance that flaps between Running and an outage twice WHEN Events are written THEN each repeated transition is one Event whose count the reconciler patched', async () => {
    // Once it has served, no ready replica is an outage (Failed), not a first start (Creating).
    const toFailed = 'phase Running → Failed: unavailable: flappy: 0/2 ready';
    const toRunning = 'phase Failed → Running: all 2/2 replicas ready';
    const flappyEvents = async (): Promise<any[]> =>
      (await client.request('GET', `/api/v1/namespaces/${NS}/events?fieldSelector=${encodeURIComponent('involvedObject.name=flappy')}`)).body.items;
    await createInstance('flappy', deploymentSpec('v1'));
    const generation = await applyDeployment('flappy', 'v1');
    await setDeploymentStatus('flappy', rolledOut(2, 2, generation));
    await until('flappy', 'Running', (c) => c.status?.phase === 'Running');
    // The way in was Pending → Running or Pending → Creating → Running, depending on how the
    // queue coalesced; the latter already wrote the "Creating → Running" Event once.
    const initial = await eventually(async () => {
      const items = await flappyEvents();
      return items.some((e) => e.reason === 'Running') ? items : false;
    }, 30_000, 'first Running event');
    const runningBefore = initial.find((e) => e.message === toRunning)?.count ?? 0;
    const aggregatedBefore = await reconciler.metric('status_reconciler_events_total', 'result="aggregated"');

    for (let round = 0; round < 2; round++) {
      // Wait for each phase to be written so the queue cannot coalesce the flaps away.
      await setDeploymentStatus('flappy', rolledOut(2, 0, generation));
      await until('flappy', `Failed (round ${round})`, (c) => c.status?.phase === 'Failed');
      await setDeploymentStatus('flappy', rolledOut(2, 2, generation));
      await until('flappy', `Running (round ${round})`, (c) => c.status?.phase === 'Running');
    }
    const events = await eventually(async () => {
      const items = await flappyEvents();
      const failed = items.filter((e) => e.message === toFailed);
      const running = items.filter((e) => e.message === toRunning);
      const settled = failed.length === 1 && failed[0].count === 2 && running.length === 1 && running[0].count === runningBefore + 2;
      return settled ? { failed, running } : false;
    }, 30_000, 'aggregated Events');
    expect(events.failed[0]).toMatchObject({ reason: 'Failed', type: 'Warning', involvedObject: { kind: 'AbiInstance', name: 'flappy' } });
    expect(Date.parse(events.failed[0].lastTimestamp)).toBeGreaterThanOrEqual(Date.parse(events.failed[0].firstTimestamp));
    // One aggregation for the second "→ Failed", one or two for "→ Running" (two when it existed before the flaps).
    const expected = aggregatedBefore + 1 + (runningBefore === 0 ? 1 : 2);
    // The counter moves when the patch response arrives, a moment after the server applied it.
    await eventually(async () => (await reconciler.metric('status_reconciler_events_total', 'result="aggregated"')) >= expected, 10_000, 'aggregation counted');
    expect(await reconciler.metric('status_reconciler_events_total', 'result="aggregated"')).toBe(expected);
  });

  test('GIVEN a steady state WHEN several resync periods pass THEN the reconciler reconciles but writes nothing', async () => {
    await until('demo', 'Running', (c) => c.status?.phase === 'Running');
    // Let any write still in flight land (the 'lonely' one fails after its timeout; give it its own time).
    await until('lonely', 'Failed', (c) => c.status?.phase === 'Failed', (MISSING_TIMEOUT + 20) * 1000);
    const before = { demo: (await getCr('demo')).metadata.resourceVersion, lonely: (await getCr('lonely')).metadata.resourceVersion };
    const writes = await reconciler.metric('status_reconciler_status_writes_total');
    const reconciles = await reconciler.metric('status_reconciler_reconcile_total');
    await new Promise((r) => setTimeout(r, (RESYNC * 3 + 1) * 1000));
    expect(await reconciler.metric('status_reconciler_reconcile_total')).toBeGreaterThanOrEqual(reconciles + 4);
    expect(await reconciler.metric('status_reconciler_status_writes_total')).toBe(writes);
    expect((await getCr('demo')).metadata.resourceVersion).toBe(before.demo);
    expect((await getCr('lonely')).metadata.resourceVersion).toBe(before.lonely);
  });

  test('GIVEN children that stay missing WHEN the timeout passes THEN Failed with Stalled=ChildrenMissing', async () => {
    const cr = await until('lonely', 'Failed', (c) => c.status?.phase === 'Failed', (MISSING_TIMEOUT + 20) * 1000);
    expect(cond(cr, 'Stalled')).toMatchObject({ status: 'True', reason: 'ChildrenMissing' });
    expect(kstatusVerdict(cr)).toBe('Failed');
  });

  test('GIVEN a running instance WHEN its Deployment is deleted THEN unavailable at once (Failed, ChildrenMissing), not a first start', async () => {
    await client.delete('apps/v1', 'Deployment', NS, 'demo');
    const cr = await until('demo', 'Failed', (c) => c.status?.phase === 'Failed');
    expect(cond(cr, 'Ready')).toMatchObject({ status: 'False', reason: 'ChildrenMissing', message: 'unavailable, missing Deployment demo' });
    expect(cond(cr, 'Available')).toMatchObject({ status: 'False', reason: 'ChildrenMissing' });
    expect(cond(cr, 'Stalled')).toBeUndefined();
  });

  test('GIVEN children whose custom resource does not exist WHEN they change THEN reconcile_total counts them absent, not deleted; a real deletion counts once', async () => {
    const deletedBefore = await reconciler.metric('status_reconciler_reconcile_total', 'result="deleted"');
    const absentBefore = await reconciler.metric('status_reconciler_reconcile_total', 'result="absent"');
    const generation = await applyDeployment('ghost', 'v1');
    await setDeploymentStatus('ghost', rolledOut(2, 1, generation));
    await eventually(async () => (await reconciler.metric('status_reconciler_reconcile_total', 'result="absent"')) > absentBefore, 10_000, 'absent counted');
    expect(await reconciler.metric('status_reconciler_reconcile_total', 'result="deleted"')).toBe(deletedBefore);
    await createInstance('shortlived', deploymentSpec('v1'));
    await until('shortlived', 'Pending', (c) => c.status?.phase === 'Pending');
    await client.delete('abi.io/v1', 'AbiInstance', NS, 'shortlived');
    await eventually(async () => (await reconciler.metric('status_reconciler_reconcile_total', 'result="deleted"')) === deletedBefore + 1, 10_000, 'deletion counted');
    await client.delete('apps/v1', 'Deployment', NS, 'ghost');
  });

  test('GIVEN the resource is deleted while its children churn WHEN reconciling THEN no crash and no error loop', async () => {
    await createInstance('doomed', deploymentSpec('v1'), ['test.abi.io/hold']);
    const generation = await applyDeployment('doomed', 'v1');
    await setDeploymentStatus('doomed', rolledOut(2, 2, generation));
    await until('doomed', 'Running', (c) => c.status?.phase === 'Running');
    await client.delete('abi.io/v1', 'AbiInstance', NS, 'doomed');
    await until('doomed', 'Terminating', (c) => c.status?.phase === 'Terminating');
    // Churn children while the object goes away for good.
    const churn = (async () => {
      for (let i = 0; i < 20; i++) await setDeploymentStatus('doomed', rolledOut(2, i % 3, generation)).catch(() => undefined);
    })();
    await client.request('PATCH', `/apis/abi.io/v1/namespaces/${NS}/abiinstances/doomed`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    await churn;
    await eventually(async () => (await client.get('abi.io/v1', 'AbiInstance', NS, 'doomed')).status === 404, 30_000, 'doomed gone');
    const errorsBefore = await reconciler.metric('status_reconciler_reconcile_errors_total');
    for (let i = 0; i < 5; i++) await setDeploymentStatus('doomed', rolledOut(2, i % 2, generation));
    await new Promise((r) => setTimeout(r, RESYNC * 2 * 1000));
    expect(reconciler.alive).toBe(true);
    expect(await reconciler.metric('status_reconciler_reconcile_errors_total')).toBe(errorsBefore);
    expect(reconciler.logs.filter((e) => e.level === 'error' && String(e.key).includes('doomed'))).toEqual([]);
  });

  test('GIVEN the API server restarts mid-run WHEN a child changes afterwards THEN watches recover and status converges without restarting the reconciler', async () => {
    const generation = await applyDeployment('demo', 'v2.0.0');
    await setDeploymentStatus('demo', rolledOut(2, 2, generation));
    await until('demo', 'Running on v2.0.0', (c) => c.status?.phase === 'Running' && c.status?.version === 'v2.0.0');
    const pid = reconciler.child.pid;
    await plane().restartApiServer();
    client = plane().adminClient();
    await setDeploymentStatus('demo', rolledOut(2, 1, generation));
    const cr = await until('demo', 'Degraded after restart', (c) => c.status?.readyReplicas === 1, 90_000);
    expect(cr.status.health.status).toBe('Degraded');
    expect(reconciler.alive).toBe(true);
    expect(reconciler.child.pid).toBe(pid);
    await setDeploymentStatus('demo', rolledOut(2, 2, generation));
    await until('demo', 'Running after restart', (c) => c.status?.phase === 'Running' && c.status?.readyReplicas === 2);
  }, 180_000);

  test('GIVEN the VecodexSet CRD is installed after the reconciler started WHEN a VecodexSet and its children appear THEN per-component status converges', async () => {
    await installCrd(client, 'vecodexsets.apps.vecodex.link');
    const spec = {
      coordinator: { image: 'ghcr.io/ivan-digital/vecodex/app:v0.3.0', replicas: 1 },
      writer: { image: 'ghcr.io/ivan-digital/vecodex/app:v0.3.0', replicas: 1 },
      searcher: { image: 'ghcr.io/ivan-digital/vecodex/app:v0.3.0', replicas: 2 },
      ingress: { host: 'search.vecodex.link' },
    };
    await mustApply(client, { apiVersion: 'apps.vecodex.link/v1alpha1', kind: 'VecodexSet', metadata: { name: 'vs', namespace: NS }, spec } as any);
    const getVs = async () => (await client.get('apps.vecodex.link/v1alpha1', 'VecodexSet', NS, 'vs')).body;
    // The informer retries the missing CRD with backoff (at most 30 s apart).
    await eventually(async () => (await getVs()).status?.phase === 'Pending', 90_000, 'VecodexSet Pending');
    // Children as VecodexSetChart renders them, named by the same contract the reconciler reads.
    const expected = VECODEX_ADAPTER.facts({ metadata: { name: 'vs', namespace: NS }, spec }).expected;
    let total = 0;
    for (const w of expected.workloads) {
      const replicas = w.component.startsWith('searcher') ? 2 : 1;
      total += replicas;
      const body = await mustApply(client, workload({ name: w.name, namespace: NS, product: 'vecodex', instance: 'vs', component: w.component, replicas, kind: w.kind, hashAnnotation: 'apps.vecodex.link/config-hash' }) as any);
      const extraStatus = w.kind === 'StatefulSet' ? { currentRevision: 'r1', updateRevision: 'r1', currentReplicas: replicas } : {};
      await mustPatchStatus(client, 'apps/v1', w.kind, NS, w.name, { ...rolledOut(replicas, replicas, body.metadata.generation), ...extraStatus });
    }
    const vs = await eventually(async () => { const v = await getVs(); return v.status?.phase === 'Running' ? v : false; }, 30_000, 'VecodexSet Running');
    expect(vs.status).toMatchObject({ replicas: total, readyReplicas: total, health: { status: 'Healthy' } });
    expect(Object.keys(vs.status.components).sort()).toEqual(expected.workloads.map((w) => w.component).sort());
    expect(vs.status.components).toHaveProperty('searcher-0');
    expect(vs.status.components.coordinator).toEqual({
      kind: 'Deployment', name: 'vs-coordinator', state: 'Ready', message: expect.any(String),
      replicas: 1, desiredReplicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1,
      // What the workload runs (the test helper's image), not what the spec asks for.
      version: 'v1.0.0',
    });
    expect(cond(vs, 'Ready')).toMatchObject({ status: 'True' });
    expect(kstatusVerdict(vs)).toBe('Current');
  }, 150_000);

  test('GIVEN two reconciler instances WHEN children change THEN only the leader writes, and the standby takes over when the leader stops', async () => {
    const standby = await start('second');
    extra.push(standby);
    await eventually(async () => (await standby.get('/readyz')).status === 200, 30_000, 'standby ready');
    expect(await standby.metric('status_reconciler_leader')).toBe(0);
    const generation = await applyDeployment('demo', 'v2.1.0');
    await setDeploymentStatus('demo', rolledOut(2, 2, generation));
    await until('demo', 'Running on v2.1.0', (c) => c.status?.version === 'v2.1.0');
    expect(await standby.metric('status_reconciler_status_writes_total')).toBe(0);
    expect(await reconciler.metric('status_reconciler_leader')).toBe(1);

    // A graceful stop releases the lease: the standby leads and writes from then on.
    expect(await reconciler.stop()).toBe(0);
    await standby.waitForLog((e) => e.msg === 'became leader', 30_000);
    await setDeploymentStatus('demo', rolledOut(2, 1, generation));
    await until('demo', 'written by the new leader', (c) => c.status?.readyReplicas === 1);
    expect(await standby.metric('status_reconciler_status_writes_total')).toBeGreaterThan(0);
  }, 120_000);

  test('GIVEN a leader and a standby WHEN the leader loses its Lease to another holder THEN it exits non-zero without writing again, and the standby takes over and writes', async () => {
    const leader = extra[extra.length - 1];
    expect(await leader.metric('status_reconciler_leader')).toBe(1);
    const standby = await start('third');
    extra.push(standby);
    await eventually(async () => (await standby.get('/readyz')).status === 200, 30_000, 'standby ready');
    expect(await standby.metric('status_reconciler_leader')).toBe(0);

    // Overwrite the holder as a partitioned-but-alive replica would see it: someone else renewed.
    const leasePath = '/apis/coordination.k8s.io/v1/namespaces/default/leases/cdk8s-abi-vecodex-status-reconciler';
    await eventually(async () => {
      const lease = (await client.request('GET', leasePath)).body;
      const now = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
      const res = await client.request('PUT', leasePath, { ...lease, spec: { ...lease.spec, holderIdentity: 'intruder', leaseDurationSeconds: 2, renewTime: now, acquireTime: now } });
      return res.status === 200;
    }, 10_000, 'lease overwritten');

    const exitCode = await leader.waitForExit(30_000);
    expect(exitCode).toBe(1);
    const lost = leader.logs.findIndex((e) => e.msg === 'leader lease lost');
    expect(lost).toBeGreaterThanOrEqual(0);
    expect(leader.logs.slice(lost).filter((e) => e.msg === 'status written')).toEqual([]);

    await standby.waitForLog((e) => e.msg === 'became leader', 30_000);
    const generation = (await client.get('apps/v1', 'Deployment', NS, 'demo')).body.metadata.generation;
    await setDeploymentStatus('demo', rolledOut(2, 2, generation));
    await until('demo', 'written by the new leader', (c) => c.status?.readyReplicas === 2);
    expect(await standby.metric('status_reconciler_status_writes_total')).toBeGreaterThan(0);
    expect(standby.alive).toBe(true);
  }, 120_000);
});
