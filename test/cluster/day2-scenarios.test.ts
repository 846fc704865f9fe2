/**
 * Day 2 on the simulated cluster: what the cluster really does (HPAs, the
 * Eviction API and PodDisruptionBudgets, the scheduler with cordoned nodes,
 * StatefulSet rollouts) and what our status, Argo CD's Lua, Flux's CEL and
 * kstatus say about it, scenario by scenario. Every instance is rendered from
 * a spec by the real pipeline and applied server-side as a GitOps tool would;
 * "self-heal" is that apply again.
 */
import { ReconcilerProcess } from '../reconciler/reconciler-process';
import { sleep } from '../support/control-plane';
import { KubeClient, KubeObject } from '../support/kube-client';
import { describeWithSimulatedCluster, useSimulatedCluster } from '../support/simulated-cluster-suite';
import {
  condition, cordon, endpointsOf, evict, getCr, HEALTHY, installInstances, installPlatform, instanceObjects, podsOf, prepareCluster,
  render, renderGenerated, scale, startReconciler, Verdicts, verdictsOf, WatchRecorder,
} from './day2';

const NS = 'day2';
const HPA_SYNC_SECONDS = 3;
const CPU_NODES = ['cpu-a', 'cpu-b', 'cpu-c'];
const ALL_NODES = [...CPU_NODES, 'gpu-a', 'gpu-b'];
const VECODEX_IMAGE = 'ghcr.io/ivan-digital/vecodex/app:v0.3.0';

type Kind = 'AbiInstance' | 'VecodexSet';

const abi = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'abi.io/v1', kind: 'AbiInstance', metadata: { name, namespace: NS }, spec });
const vecodex = (name: string) => ({
  apiVersion: 'apps.vecodex.link/v1alpha1', kind: 'VecodexSet', metadata: { name, namespace: NS },
  spec: {
    coordinator: { image: VECODEX_IMAGE, replicas: 1 },
    writer: { image: VECODEX_IMAGE, replicas: 1 },
    searcher: { image: VECODEX_IMAGE, replicas: 1 },
    ingress: { host: `${name}.day2.example` },
  },
});

describeWithSimulatedCluster('day 2 on a simulated cluster: the cluster\'s behaviour and every reader\'s verdict', () => {
  const sim = useSimulatedCluster({ hpaSyncSeconds: HPA_SYNC_SECONDS });
  let client: KubeClient;
  let leader: ReconcilerProcess;
  const reconcilers: ReconcilerProcess[] = [];

  beforeAll(async () => {
    client = sim().adminClient();
    await prepareCluster(sim(), 10);
    await installPlatform(client, render(), 'prod');
    leader = await startReconciler(sim(), { identity: 'day2-a' });
    reconcilers.push(leader);
    await leader.waitForLog((e) => e.msg === 'became leader', 30_000);
  }, 240_000);

  afterAll(async () => {
    for (const r of reconcilers) await r.stop();
  }, 60_000);

  /** Renders the specs with the real pipeline and applies what a GitOps tool would. */
  async function install(...specs: Record<string, unknown>[]): Promise<KubeObject[]> {
    const objects = instanceObjects(renderGenerated('day2', { prometheusOperator: false }, specs), 'day2');
    await installInstances(client, objects);
    return objects;
  }

  const until = (kind: Kind, name: string, what: string, ok: (v: Verdicts, cr: any) => boolean, timeoutMs = 60_000) =>
    sim().eventually(async () => {
      const cr = await getCr(client, kind, NS, name);
      return ok(verdictsOf(cr), cr) ? cr : false;
    }, timeoutMs, `${kind} ${name}: ${what}`);
  const untilHealthy = (kind: Kind, name: string, timeoutMs = 90_000) =>
    until(kind, name, 'Healthy and Ready', (v) => v.ready === 'True' && v.health === 'Healthy', timeoutMs);
  const record = (kind: Kind, name: string) =>
    WatchRecorder.start(sim(), `/apis/${kind === 'AbiInstance' ? 'abi.io/v1' : 'apps.vecodex.link/v1alpha1'}/namespaces/${NS}/${kind === 'AbiInstance' ? 'abiinstances' : 'vecodexsets'}`, name);
  const statusesOf = (recorder: WatchRecorder) => recorder.stop().filter((o) => o.status?.conditions);
  const cordonAll = async (nodes: readonly string[], on: boolean) => { for (const n of nodes) await cordon(client, n, on); };

  test('first install under an HPA: never Ready while fewer replicas are ready than minReplicas, never worded as a rollout', async () => {
    const recorder = record('AbiInstance', 'hpa-first');
    await install(abi('hpa-first', { replicas: 3, autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 5 } }));
    const cr = await untilHealthy('AbiInstance', 'hpa-first');
    expect(verdictsOf(cr)).toMatchObject(HEALTHY);
    expect(cr.status).toMatchObject({ readyReplicas: 3, replicas: 3 });
    await sleep(300);
    const seen = statusesOf(recorder);
    // What the cluster did: the API server defaulted replicas to 1, the HPA raised it to 3.
    const sts = (await client.get('apps/v1', 'StatefulSet', NS, 'hpa-first')).body;
    expect(sts.spec.replicas).toBe(3);
    // The reconciler did see it short of its minimum (that is when a gate could have passed too early).
    expect(seen.some((o) => o.status.readyReplicas < 3)).toBe(true);
    for (const o of seen) {
      const v = verdictsOf(o);
      const passes = v.ready === 'True' || v.kstatus === 'Current' || v.flux === 'Current' || v.argocd === 'Healthy';
      expect({ readyReplicas: o.status.readyReplicas, passes: passes && o.status.readyReplicas < 3 })
        .toEqual({ readyReplicas: o.status.readyReplicas, passes: false });
      expect(v.readyReason).not.toBe('RollingOut');
      if (v.ready !== 'True') expect({ phase: v.phase, argocd: v.argocd, flux: v.flux, kstatus: v.kstatus }).toEqual({ phase: 'Creating', argocd: 'Progressing', flux: 'InProgress', kstatus: 'InProgress' });
    }
  });

  test('image change: Reconciling → Ready, version switching at completion, every pod replaced', async () => {
    await install(abi('roll', { replicas: 3, image: { tag: 'v1.0.0' } }));
    await until('AbiInstance', 'roll', 'Ready on v1.0.0', (v, cr) => v.ready === 'True' && cr.status.version === 'v1.0.0', 90_000);
    const recorder = record('AbiInstance', 'roll');
    await install(abi('roll', { replicas: 3, image: { tag: 'v1.1.0' } }));
    const done = await until('AbiInstance', 'roll', 'Ready on v1.1.0', (v, cr) => v.ready === 'True' && cr.status.version === 'v1.1.0' && cr.status.observedGeneration === 2, 90_000);
    expect(verdictsOf(done)).toMatchObject(HEALTHY);
    await sleep(300);
    const seen = statusesOf(recorder);
    const rolling = seen.filter((o) => verdictsOf(o).readyReason === 'RollingOut');
    expect(rolling.length).toBeGreaterThan(0);
    for (const o of rolling) {
      expect(verdictsOf(o)).toMatchObject({ phase: 'Updating', reconciling: 'True', argocd: 'Progressing', flux: 'InProgress', kstatus: 'InProgress' });
      expect(o.status.version).toBe('v1.0.0');
    }
    // The new version is reported only once the rollout is complete.
    for (const o of seen.filter((s) => s.status.version === 'v1.1.0')) expect(verdictsOf(o).phase).toBe('Running');
    const pods = await podsOf(client, NS, 'roll');
    expect(pods.map((p) => p.spec.containers.find((c: any) => c.name === 'abi')?.image ?? p.spec.containers[0].image)).toEqual(Array(3).fill('ghcr.io/abi/abi:v1.1.0'));
  });

  test('drain with PDBs: one eviction allowed, the next blocked; Degraded (not a rollout) until the pod is back; a budget that blocks every drain is a settled Degraded health', async () => {
    const objects = await install(
      abi('drain', { replicas: 3, highAvailability: { enabled: true, antiAffinity: 'hard', podDisruptionBudget: { minAvailable: 2 } } }),
      abi('pinned', { replicas: 2, storage: { enabled: false }, highAvailability: { enabled: true, podDisruptionBudget: { minAvailable: 1 } } }),
    );
    await untilHealthy('AbiInstance', 'drain');
    await untilHealthy('AbiInstance', 'pinned');
    // Synth refuses a budget that can never allow an eviction; a hand edit in the cluster makes one.
    const edited = await client.request('PATCH', `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/pinned`, { spec: { minAvailable: 2 } }, 'application/merge-patch+json');
    expect(edited.status).toBe(200);
    const pinned = await until('AbiInstance', 'pinned', 'Degraded by its budget', (v) => v.ready === 'True' && v.health === 'Degraded', 60_000);
    expect(pinned.status.health.message).toBe('PodDisruptionBudget pinned allows no disruptions with all 2 pods healthy (2 required): node drains will wait');
    expect(verdictsOf(pinned)).toMatchObject({ phase: 'Running', ready: 'True', argocd: 'Healthy', flux: 'Current', kstatus: 'Current' });

    const recorder = record('AbiInstance', 'drain');
    const pods = await podsOf(client, NS, 'drain');
    expect(pods).toHaveLength(3);
    const [first, second] = pods;
    await cordon(client, first.spec.nodeName);
    expect(await evict(client, NS, first.metadata.name)).toMatchObject({ status: 201 });
    // The replacement cannot be scheduled (hard anti-affinity, its zonal claim, the cordon).
    const short = await until('AbiInstance', 'drain', 'short of a pod', (v) => v.readyReason === 'ReplicasNotReady', 30_000);
    expect(verdictsOf(short)).toMatchObject({ phase: 'Running', health: 'Degraded', ready: 'False', argocd: 'Degraded', flux: 'InProgress', kstatus: 'InProgress' });
    expect(condition(short, 'Reconciling')).toBeUndefined();
    const blocked = await evict(client, NS, second.metadata.name);
    expect(blocked.status).toBe(429);
    expect(blocked.message).toContain('disruption budget');
    const pinnedPod = (await podsOf(client, NS, 'pinned'))[0];
    expect((await evict(client, NS, pinnedPod.metadata.name)).status).toBe(429);

    // Self-heal restores the rendered budget: drains may proceed again.
    await installInstances(client, objects.filter((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'pinned'));
    await untilHealthy('AbiInstance', 'pinned');

    await cordon(client, first.spec.nodeName, false);
    const back = await untilHealthy('AbiInstance', 'drain');
    expect(verdictsOf(back)).toMatchObject(HEALTHY);
    await sleep(300);
    const seen = statusesOf(recorder);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const o of seen) {
      // An eviction is not a rollout, and a budget the Eviction API just lowered is not a blocked drain.
      expect({ phase: o.status.phase, pdb: (o.status.health?.message ?? '').includes('PodDisruptionBudget') }).toEqual({ phase: expect.stringMatching(/^Running$/), pdb: false });
    }
  });

  test('kubectl scale --replicas=0 of a plain workload: unavailable at once, no endpoints, back after self-heal', async () => {
    const objects = await install(abi('plain', { replicas: 2, storage: { enabled: false } }));
    await untilHealthy('AbiInstance', 'plain');
    await scale(client, 'Deployment', NS, 'plain', 0);
    const down = await until('AbiInstance', 'plain', 'unavailable', (v) => v.readyReason === 'ComponentUnavailable', 30_000);
    expect(verdictsOf(down)).toMatchObject({ phase: 'Failed', health: 'Unhealthy', ready: 'False', argocd: 'Degraded', flux: 'InProgress', kstatus: 'InProgress' });
    expect(condition(down, 'Ready').message).toBe('unavailable: plain: 0 replicas set on the Deployment, the spec asks for 2');
    expect(condition(down, 'Stalled')).toBeUndefined();
    expect(await sim().eventually(async () => ((await endpointsOf(client, NS, 'plain')).addresses === 0 ? true : false), 30_000, 'no endpoints')).toBe(true);
    // Self-heal: the GitOps tool applies the rendered Deployment again.
    await installInstances(client, objects.filter((o) => o.kind === 'Deployment'));
    expect(verdictsOf(await untilHealthy('AbiInstance', 'plain'))).toMatchObject(HEALTHY);
  });

  test('kubectl scale --replicas=0 of an HPA-managed StatefulSet: the HPA switches itself off, and the instance is Stalled at once', async () => {
    await install(abi('hpa-zero', { replicas: 2, autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 4 } }));
    await untilHealthy('AbiInstance', 'hpa-zero');
    await scale(client, 'StatefulSet', NS, 'hpa-zero', 0);
    const stalled = await until('AbiInstance', 'hpa-zero', 'Stalled', (v) => v.stalled === 'True', 30_000);
    expect(verdictsOf(stalled)).toMatchObject({ phase: 'Failed', health: 'Unhealthy', ready: 'False', readyReason: 'AutoscalingDisabled', argocd: 'Degraded', flux: 'Failed', kstatus: 'Failed' });
    expect(condition(stalled, 'Stalled').message).toContain('HorizontalPodAutoscaler hpa-zero');
    // What the cluster does: the HPA reports ScalingDisabled and leaves the workload at 0.
    const hpa = await sim().eventually(async () => {
      const got = (await client.get('autoscaling/v2', 'HorizontalPodAutoscaler', NS, 'hpa-zero')).body;
      return (got.status?.conditions ?? []).some((c: any) => c.type === 'ScalingActive' && c.status === 'False' && c.reason === 'ScalingDisabled') ? got : false;
    }, 30_000, 'HPA ScalingDisabled');
    expect(hpa.status.desiredReplicas ?? 0).toBe(0);
    await sleep(2 * HPA_SYNC_SECONDS * 1000);
    expect((await client.get('apps/v1', 'StatefulSet', NS, 'hpa-zero')).body.spec.replicas).toBe(0);
    expect(verdictsOf(await getCr(client, 'AbiInstance', NS, 'hpa-zero'))).toMatchObject({ phase: 'Failed', stalled: 'True' });
    // A person scales it back; the HPA takes over again.
    await scale(client, 'StatefulSet', NS, 'hpa-zero', 2);
    expect(verdictsOf(await untilHealthy('AbiInstance', 'hpa-zero'))).toMatchObject(HEALTHY);
  });

  test('an outage after Ready (the only pod evicted and unschedulable) is unavailable at once, not a first start; a reconciler restart mid-outage keeps that verdict', async () => {
    await install(abi('solo', { replicas: 1 }));
    await untilHealthy('AbiInstance', 'solo');
    await cordonAll(ALL_NODES, true);
    try {
      const pod = (await podsOf(client, NS, 'solo'))[0];
      // A single replica has no budget to stop a drain (synth renders none that could never allow one).
      expect(await evict(client, NS, pod.metadata.name)).toMatchObject({ status: 201 });
      const down = await until('AbiInstance', 'solo', 'unavailable', (v) => v.readyReason === 'ComponentUnavailable', 30_000);
      expect(verdictsOf(down)).toMatchObject({ phase: 'Failed', health: 'Unhealthy', ready: 'False', argocd: 'Degraded', flux: 'InProgress', kstatus: 'InProgress' });
      expect(condition(down, 'Ready').message).toBe('unavailable: solo: 0/1 ready');
      expect(condition(down, 'Available')).toMatchObject({ status: 'False', reason: 'ComponentUnavailable' });
      // What the cluster did: the replacement pod is unschedulable.
      const pending = await sim().eventually(async () => {
        const p = (await podsOf(client, NS, 'solo'))[0];
        return p && (p.status.conditions ?? []).some((c: any) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable') ? p : false;
      }, 30_000, 'replacement unschedulable');
      expect(pending.spec.nodeName).toBeUndefined();

      // Restart the reconciler mid-scenario: its memory is the status, so the verdict survives.
      await leader.stop();
      leader = await startReconciler(sim(), { identity: 'day2-a2' });
      reconcilers.push(leader);
      await leader.waitForLog((e) => e.msg === 'became leader', 30_000);
      await sleep(3000);
      expect(verdictsOf(await getCr(client, 'AbiInstance', NS, 'solo'))).toMatchObject({ phase: 'Failed', readyReason: 'ComponentUnavailable' });
    } finally {
      await cordonAll(ALL_NODES, false);
    }
    const back = await untilHealthy('AbiInstance', 'solo');
    expect(condition(back, 'Available')).toMatchObject({ status: 'True' });
  });

  test.each(['etcd', 'minio'])('a VecodexSet whose %s is down after Ready is unavailable, naming it; it recovers when the pod is back', async (component) => {
    const name = `vs-${component}`;
    await install(vecodex(name));
    await untilHealthy('VecodexSet', name);
    await cordonAll(ALL_NODES, true);
    try {
      const res = await client.request('DELETE', `/api/v1/namespaces/${NS}/pods/${name}-${component}-0`);
      expect(res.status).toBeLessThan(300);
      const down = await until('VecodexSet', name, 'unavailable', (v) => v.readyReason === 'ComponentUnavailable', 30_000);
      expect(verdictsOf(down)).toMatchObject({ phase: 'Failed', health: 'Unhealthy', ready: 'False', argocd: 'Degraded', flux: 'InProgress', kstatus: 'InProgress' });
      expect(condition(down, 'Ready').message).toBe(`unavailable: ${name}-${component}: 0/1 ready (no other component works without it)`);
      expect(down.status.components[component]).toMatchObject({ state: 'Unavailable', readyReplicas: 0 });
    } finally {
      await cordonAll(ALL_NODES, false);
    }
    expect(verdictsOf(await untilHealthy('VecodexSet', name))).toMatchObject(HEALTHY);
  });

  test('leader hand-over: a standby with warm caches takes the Lease when the leader stops, and its writes follow the cluster', async () => {
    await install(abi('handover', { replicas: 3, storage: { enabled: false } }));
    await untilHealthy('AbiInstance', 'handover');
    const standby = await startReconciler(sim(), { identity: 'day2-b' });
    reconcilers.push(standby);
    await sleep(1000);
    expect(await standby.metric('status_reconciler_leader')).toBe(0);
    await leader.stop();
    await standby.waitForLog((e) => e.msg === 'became leader', 30_000);
    leader = standby;
    await scale(client, 'Deployment', NS, 'handover', 1);
    const short = await until('AbiInstance', 'handover', 'short after a scale-down', (v) => v.readyReason === 'ReplicasNotReady', 30_000);
    expect(condition(short, 'Ready').message).toBe('handover: 1 replicas set on the Deployment, the spec asks for 3');
    expect(verdictsOf(short)).toMatchObject({ phase: 'Running', health: 'Degraded', argocd: 'Degraded', flux: 'InProgress', kstatus: 'InProgress' });
    expect(await standby.metric('status_reconciler_status_writes_total')).toBeGreaterThan(0);
    await scale(client, 'Deployment', NS, 'handover', 3);
    expect(verdictsOf(await untilHealthy('AbiInstance', 'handover'))).toMatchObject(HEALTHY);
  });
});
