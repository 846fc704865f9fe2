import { computeStatus, NO_CHILDREN, ObservedChildren, StatusInput } from '../../src/reconciler/compute-status';
import { kstatusVerdict } from '../../src/reconciler/kstatus';
import { ABI_ADAPTER, VECODEX_ADAPTER } from '../../src/reconciler/products';
import { sameStatus } from '../../src/reconciler/status-equality';
import { imageTag } from '../../src/reconciler/workload-state';
import { vecodexSetStatusSchema } from '../../src/vecodex/vecodex-set-schema';
import { abiInstance, disruptionBudget, rolledOut, service, workload } from './fixtures';

const T0 = new Date('2026-03-01T10:00:00Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** Runs the ABI adapter + pure function the way the loop does. */
function abiStatus(resource = abiInstance('demo'), children: Partial<ObservedChildren> = {}, now = T0, extra: Partial<StatusInput> = {}) {
  const facts = ABI_ADAPTER.facts(resource);
  const result = computeStatus({
    resource,
    expected: facts.expected,
    enabledFeatures: facts.enabledFeatures,
    configHashAnnotation: ABI_ADAPTER.configHashAnnotation,
    children: { ...NO_CHILDREN, ...children },
    now,
    ...extra,
  });
  return { ...result, wire: ABI_ADAPTER.toWireStatus(result.status) };
}

/** Feeds the computed status back in as the stored one, as the API server would after a write. */
function withStatus(resource: ReturnType<typeof abiInstance>, status: unknown) {
  return { ...resource, status: JSON.parse(JSON.stringify(status)) };
}

type WithConditions = { conditions: Array<{ type: string; status: string; reason?: string; message?: string }> };
const cond = (status: WithConditions, type: string) => status.conditions.find((c) => c.type === type);

/** The resource as stored after the reconciler once reported it Ready: the status remembers it has served. */
function servedBefore(resource: ReturnType<typeof abiInstance>, replicas = 3, kind: 'Deployment' | 'StatefulSet' = 'Deployment') {
  const healthy = kind === 'Deployment'
    ? { deployments: [workload({ name: resource.metadata.name, replicas, generation: 1 }, rolledOut(replicas))] }
    : { statefulSets: [workload({ name: resource.metadata.name, kind, replicas, generation: 1 }, stsStatus(replicas))] };
  const { status, wire } = abiStatus(resource, { ...healthy, services: [service(resource.metadata.name)] }, later(-600));
  expect(cond(status, 'Ready')).toMatchObject({ status: 'True' });
  return withStatus(resource, wire);
}

/** A StatefulSet status with every pod on the current revision and `ready` of them ready. */
function stsStatus(replicas: number, ready = replicas, extra: Record<string, unknown> = {}) {
  return { observedGeneration: 1, replicas, readyReplicas: ready, availableReplicas: ready, currentReplicas: replicas, updatedReplicas: replicas, currentRevision: 'r1', updateRevision: 'r1', ...extra };
}

// With storage enabled and ReadWriteOnce (the defaults) an AbiInstance renders a StatefulSet.
const deploymentSpec = { replicas: 3, storage: { enabled: false }, image: { tag: 'v1.2.0' } };

describe('computeStatus', () => {
  test('GIVEN an instance with no children WHEN computed THEN Pending, Ready=False ChildrenMissing, Reconciling, health Unknown', () => {
    const { status, wire, requeueAfterSeconds } = abiStatus();
    expect(status.phase).toBe('Pending');
    expect(cond(status, 'Ready')).toMatchObject({ status: 'False', reason: 'ChildrenMissing', observedGeneration: 1 });
    expect(cond(status, 'Reconciling')).toMatchObject({ status: 'True', reason: 'ChildrenMissing' });
    expect(cond(status, 'Stalled')).toBeUndefined();
    expect(status.health.status).toBe('Unknown');
    expect(status.health.message).toContain('StatefulSet demo');
    expect(wire.endpoints).toBeUndefined();
    expect(requeueAfterSeconds).toBe(300);
    expect(kstatusVerdict({ ...abiInstance('demo'), status: wire })).toBe('InProgress');
  });

  test('GIVEN a fully rolled-out Deployment and its Service WHEN computed THEN Running, Ready=True, version, endpoints, config hash, features', () => {
    const resource = abiInstance('demo', deploymentSpec);
    const { status, wire } = abiStatus(resource, {
      deployments: [workload({ name: 'demo', replicas: 3, image: 'ghcr.io/abi/abi:v1.2.0', configHash: 'abc123', generation: 1 }, rolledOut(3))],
      services: [service('demo')],
    });
    expect(status.phase).toBe('Running');
    expect(wire).toMatchObject({
      replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3,
      version: 'v1.2.0', configHash: 'abc123', observedGeneration: 1,
      enabledFeatures: ['ai', 'database', 'network', 'web'],
      endpoints: { http: 'http://demo.default.svc:8080', grpc: 'demo.default.svc:50051', metrics: 'http://demo.default.svc:9090/metrics' },
      health: { status: 'Healthy' },
    });
    expect(wire).not.toHaveProperty('components');
    expect(cond(status, 'Ready')).toMatchObject({ status: 'True', reason: 'Ready' });
    expect(cond(status, 'Reconciling')).toBeUndefined();
    expect(kstatusVerdict({ ...resource, status: wire })).toBe('Current');
  });

  test('GIVEN children exist but none is ready WHEN computed THEN Creating with health Unknown', () => {
    const { status } = abiStatus(abiInstance('demo', deploymentSpec), {
      deployments: [workload({ name: 'demo', replicas: 3, generation: 1 }, { observedGeneration: 1, replicas: 3, updatedReplicas: 3 })],
    });
    expect(status.phase).toBe('Creating');
    expect(cond(status, 'Reconciling')).toMatchObject({ status: 'True', reason: 'Creating' });
    expect(status.health.status).toBe('Unknown');
  });

  test('GIVEN a Deployment whose controller has not observed the new generation WHEN computed THEN Updating/Reconciling (Progressing: a scale looks the same until observed) and version stays the rolled-out one', () => {
    const resource = abiInstance('demo', deploymentSpec);
    const before = abiStatus(resource, {
      deployments: [workload({ name: 'demo', replicas: 3, image: 'r/abi:v1', generation: 1 }, rolledOut(3))],
    });
    const after = abiStatus(withStatus(resource, before.wire), {
      deployments: [workload({ name: 'demo', replicas: 3, image: 'r/abi:v2', generation: 2 }, rolledOut(3))],
    }, later(10));
    expect(after.status.phase).toBe('Updating');
    expect(cond(after.status, 'Reconciling')).toMatchObject({ status: 'True', reason: 'Progressing', message: 'demo: spec not yet observed by the controller' });
    expect(cond(after.status, 'Ready')).toMatchObject({ status: 'False', reason: 'Progressing' });
    expect(after.status.version).toBe('v1');
    expect(after.status.health.status).toBe('Healthy');
  });

  test('GIVEN old pods still pending termination WHEN computed THEN Updating until only updated replicas remain', () => {
    const resource = servedBefore(abiInstance('demo', deploymentSpec));
    const rolling = abiStatus(resource, {
      deployments: [workload({ name: 'demo', replicas: 3, generation: 2 }, { observedGeneration: 2, replicas: 4, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 })],
    });
    expect(rolling.status.phase).toBe('Updating');
    expect(rolling.status.health.message).toContain('1 old pending termination');
  });

  test('GIVEN ProgressDeadlineExceeded WHEN computed THEN Failed, Stalled=True, Unhealthy, kstatus Failed', () => {
    const resource = abiInstance('demo', deploymentSpec);
    const { status, wire } = abiStatus(resource, {
      deployments: [workload({ name: 'demo', replicas: 3, generation: 2 }, {
        observedGeneration: 2, replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "demo-2" has timed out progressing.' }],
      })],
    });
    expect(status.phase).toBe('Failed');
    expect(cond(status, 'Stalled')).toMatchObject({ status: 'True', reason: 'ProgressDeadlineExceeded' });
    expect(cond(status, 'Reconciling')).toBeUndefined();
    expect(status.health).toMatchObject({ status: 'Unhealthy' });
    expect(status.health.message).toContain('timed out');
    expect(kstatusVerdict({ ...resource, status: wire })).toBe('Failed');
  });

  test('GIVEN children missing longer than the timeout WHEN computed THEN Failed and Stalled with reason ChildrenMissing', () => {
    const resource = abiInstance('demo');
    const first = abiStatus(resource, {}, T0, { missingChildrenTimeoutSeconds: 60 });
    const still = abiStatus(withStatus(resource, first.wire), {}, later(30), { missingChildrenTimeoutSeconds: 60 });
    expect(still.status.phase).toBe('Pending');
    expect(still.requeueAfterSeconds).toBe(30);
    const late = abiStatus(withStatus(resource, still.wire), {}, later(61), { missingChildrenTimeoutSeconds: 60 });
    expect(late.status.phase).toBe('Failed');
    expect(cond(late.status, 'Stalled')).toMatchObject({ status: 'True', reason: 'ChildrenMissing' });
    expect(late.requeueAfterSeconds).toBeUndefined();
  });

  test('GIVEN a workload with no ready replica longer than the timeout (crashing after its rollout finished) WHEN computed THEN Failed and Stalled NoReadyReplicas, until a replica is ready again', () => {
    const resource = abiInstance('demo', deploymentSpec);
    // Rolled out (all 3 updated, generation observed), no Progressing=False: only the pods are down.
    const dead = { deployments: [workload({ name: 'demo', replicas: 3, generation: 1 }, { observedGeneration: 1, replicas: 3, updatedReplicas: 3 })], services: [service('demo')] };
    const extra = { noReadyReplicasTimeoutSeconds: 600 };
    const first = abiStatus(resource, dead, T0, extra);
    expect(first.status.phase).toBe('Creating');
    expect(first.requeueAfterSeconds).toBe(600);
    const still = abiStatus(withStatus(resource, first.wire), dead, later(599), extra);
    expect(still.status.phase).toBe('Creating');
    expect(still.requeueAfterSeconds).toBe(1);
    const late = abiStatus(withStatus(resource, still.wire), dead, later(600), extra);
    expect(late.status.phase).toBe('Failed');
    expect(cond(late.status, 'Stalled')).toMatchObject({ status: 'True', reason: 'NoReadyReplicas' });
    expect(cond(late.status, 'Ready')).toMatchObject({ status: 'False', reason: 'NoReadyReplicas', message: 'no ready replica for more than 600s: 0/3 replicas ready' });
    expect(cond(late.status, 'Reconciling')).toBeUndefined();
    expect(late.status.health.status).toBe('Unhealthy');
    expect(kstatusVerdict({ ...resource, status: late.wire })).toBe('Failed');
    // Stays Failed while nothing is ready (the escalation dates itself, so it does not restart the clock).
    const later1 = abiStatus(withStatus(resource, late.wire), dead, later(1200), extra);
    expect(later1.status.phase).toBe('Failed');
    expect(later1.requeueAfterSeconds).toBeUndefined();
    const back = abiStatus(withStatus(resource, later1.wire), { ...dead, deployments: [workload({ name: 'demo', replicas: 3, generation: 1 }, rolledOut(3))] }, later(1300), extra);
    expect(back.status.phase).toBe('Running');
    expect(cond(back.status, 'Stalled')).toBeUndefined();
  });

  test('GIVEN an escalated instance WHEN a new generation of its spec arrives THEN the escalation lifts and the fixed pods get the full time again', () => {
    const extra = { noReadyReplicasTimeoutSeconds: 600 };
    const dead = { deployments: [workload({ name: 'demo', replicas: 3, generation: 1 }, { observedGeneration: 1, replicas: 3, updatedReplicas: 3 })], services: [service('demo')] };
    const resource = abiInstance('demo', deploymentSpec);
    const first = abiStatus(resource, dead, T0, extra);
    const failed = abiStatus(withStatus(resource, first.wire), dead, later(700), extra);
    expect(failed.status.phase).toBe('Failed');
    const fixed = { ...withStatus(resource, failed.wire), metadata: { ...resource.metadata, generation: 2 } };
    const retry = abiStatus(fixed, dead, later(800), extra);
    expect(retry.status.phase).toBe('Creating');
    expect(cond(retry.status, 'Stalled')).toBeUndefined();
    expect(cond(retry.status, 'Ready')).toMatchObject({ reason: 'Creating', lastTransitionTime: '2026-03-01T10:13:20Z', observedGeneration: 2 });
    expect(retry.requeueAfterSeconds).toBe(600);
    const stillNew = abiStatus(withStatus(fixed, retry.wire), dead, later(1300), extra);
    expect(stillNew.status.phase).toBe('Creating');
    expect(abiStatus(withStatus(fixed, stillNew.wire), dead, later(1400), extra).status.phase).toBe('Failed');
  });

  test('GIVEN an instance that flips between nothing ready and one component down WHEN the flips go on THEN the clock keeps running and it still escalates', () => {
    const extra = { noReadyReplicasTimeoutSeconds: 600 };
    const resource = abiInstance('demo', deploymentSpec);
    const nothing = abiStatus(resource, { deployments: [workload({ name: 'demo', replicas: 3, generation: 1 }, { observedGeneration: 1, replicas: 3, updatedReplicas: 3 })], services: [service('demo')] }, T0, extra);
    expect(cond(nothing.status, 'Ready')).toMatchObject({ reason: 'Creating' });
    // Same Ready reasons family: a status that says ComponentsNotReady keeps the time of Creating.
    const flipped = { ...(nothing.wire as any), conditions: (nothing.wire as any).conditions.map((c: any) => (c.type === 'Ready' ? { ...c, reason: 'ComponentsNotReady' } : c)) };
    const back = abiStatus(withStatus(resource, flipped), { deployments: [workload({ name: 'demo', replicas: 3, generation: 1 }, { observedGeneration: 1, replicas: 3, updatedReplicas: 3 })], services: [service('demo')] }, later(300), extra);
    expect(cond(back.status, 'Ready')).toMatchObject({ reason: 'Creating', lastTransitionTime: '2026-03-01T10:00:00Z' });
    expect(back.requeueAfterSeconds).toBe(300);
  });

  test('GIVEN the default WHEN nothing is ready THEN the timeout is 30 minutes', () => {
    const resource = abiInstance('demo', deploymentSpec);
    const dead = { deployments: [workload({ name: 'demo', replicas: 3, generation: 1 }, { observedGeneration: 1, replicas: 3, updatedReplicas: 3 })] };
    expect(abiStatus(resource, dead).requeueAfterSeconds).toBe(1800);
  });

  test('GIVEN a workload scaled on the live object (kubectl scale) WHEN computed THEN health follows the spec and a scale change is never a rollout', () => {
    const resource = abiInstance('demo', deploymentSpec);
    const scaledToZero = abiStatus(resource, { deployments: [workload({ name: 'demo', replicas: 0, generation: 2 }, { observedGeneration: 2 })], services: [service('demo')] });
    expect(scaledToZero.status.phase).toBe('Creating');
    expect(scaledToZero.status.health.message).not.toBe('scaled to zero');
    expect(cond(scaledToZero.status, 'Ready')).toMatchObject({ status: 'False' });
    // Above the spec: it serves everything the spec asks for; the drift needs attention, not a wait.
    const scaledUp = abiStatus(servedBefore(resource), { deployments: [workload({ name: 'demo', replicas: 5, generation: 2 }, rolledOut(5, 5, 2))], services: [service('demo')] });
    expect(scaledUp.status.phase).toBe('Running');
    expect(cond(scaledUp.status, 'Ready')).toMatchObject({ status: 'True' });
    expect(cond(scaledUp.status, 'Reconciling')).toBeUndefined();
    expect(scaledUp.status.health).toMatchObject({ status: 'Degraded', message: 'demo: 5 replicas set on the Deployment, the spec asks for 3' });
    // Below the spec: short of pods, not Ready, still no rollout.
    const scaledDown = abiStatus(servedBefore(resource), { deployments: [workload({ name: 'demo', replicas: 1, generation: 2 }, rolledOut(1, 1, 2))], services: [service('demo')] });
    expect(scaledDown.status.phase).toBe('Running');
    expect(cond(scaledDown.status, 'Ready')).toMatchObject({ status: 'False', reason: 'ReplicasNotReady', message: 'demo: 1 replicas set on the Deployment, the spec asks for 3' });
    expect(cond(scaledDown.status, 'Reconciling')).toBeUndefined();
    expect(scaledDown.status.health.status).toBe('Degraded');
  });

  test('GIVEN a deletionTimestamp WHEN computed THEN Terminating and kstatus Terminating', () => {
    const resource = abiInstance('demo', deploymentSpec, { deletionTimestamp: '2026-03-01T09:00:00Z' });
    const { status, wire } = abiStatus(resource, { deployments: [workload({ name: 'demo', replicas: 3 }, rolledOut(3))] });
    expect(status.phase).toBe('Terminating');
    expect(cond(status, 'Ready')).toMatchObject({ status: 'False', reason: 'Terminating' });
    expect(kstatusVerdict({ ...resource, status: wire })).toBe('Terminating');
  });

  test('GIVEN a rolled-out workload that served WHEN fewer replicas are ready than desired THEN Running but Degraded and not Ready', () => {
    const { status } = abiStatus(servedBefore(abiInstance('demo', deploymentSpec)), {
      deployments: [workload({ name: 'demo', replicas: 3 }, rolledOut(3, 2))],
    });
    expect(status.phase).toBe('Running');
    expect(status.health).toMatchObject({ status: 'Degraded' });
    expect(cond(status, 'Ready')).toMatchObject({ status: 'False', reason: 'ReplicasNotReady' });
  });

  describe('PodDisruptionBudgets', () => {
    const ready3 = () => ({ deployments: [workload({ name: 'demo', replicas: 3, generation: 1 }, rolledOut(3))], services: [service('demo')] });

    test('GIVEN a ready workload whose PDB allows no disruption WHEN computed THEN health Degraded naming the PDB, while Ready, phase and kstatus stay Running/Current', () => {
      const resource = abiInstance('demo', deploymentSpec);
      const { status, wire } = abiStatus(resource, {
        ...ready3(),
        disruptionBudgets: [disruptionBudget({ name: 'demo', generation: 1 }, { currentHealthy: 3, desiredHealthy: 3, disruptionsAllowed: 0, expectedPods: 3 })],
      });
      expect(status.phase).toBe('Running');
      expect(status.health.status).toBe('Degraded');
      expect(status.health.message).toBe('PodDisruptionBudget demo allows no disruptions with all 3 pods healthy (3 required): node drains will wait');
      expect(cond(status, 'Ready')).toMatchObject({ status: 'True', reason: 'Ready' });
      expect(kstatusVerdict({ ...resource, status: wire })).toBe('Current');
    });

    test('GIVEN a PDB with fewer healthy pods than required although the workload is ready WHEN computed THEN Degraded saying evictions are blocked', () => {
      // The budget selects more pods than the workload runs (e.g. a hand-edited selector): it counts 2 healthy of 4.
      const { status } = abiStatus(abiInstance('demo', { ...deploymentSpec, replicas: 2 }), {
        deployments: [workload({ name: 'demo', replicas: 2, generation: 1 }, rolledOut(2))],
        disruptionBudgets: [disruptionBudget({ name: 'demo' }, { currentHealthy: 2, desiredHealthy: 4, disruptionsAllowed: 0, expectedPods: 5 })],
      });
      expect(status.health).toMatchObject({ status: 'Degraded', message: 'PodDisruptionBudget demo blocks evictions: 2 healthy of 4 required (5 pods)' });
    });

    test('GIVEN a PDB that allows a disruption WHEN computed THEN Healthy', () => {
      const { status } = abiStatus(abiInstance('demo', deploymentSpec), {
        ...ready3(),
        disruptionBudgets: [disruptionBudget({ name: 'demo' }, { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3 })],
      });
      expect(status.health).toMatchObject({ status: 'Healthy', message: 'all 3/3 replicas ready' });
    });

    test.each([
      ['no status yet', disruptionBudget({ name: 'demo' })],
      ['a status for an older generation', disruptionBudget({ name: 'demo', generation: 2 }, { currentHealthy: 3, desiredHealthy: 3, disruptionsAllowed: 0, expectedPods: 3, observedGeneration: 1 })],
      ['no pods to cover', disruptionBudget({ name: 'demo' }, { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 })],
      ['fewer healthy pods than the workload reports ready (not caught up)', disruptionBudget({ name: 'demo' }, { currentHealthy: 1, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 3 })],
    ])('GIVEN a PDB with %s WHEN computed THEN it is not trusted and health stays Healthy', (_what, pdb) => {
      const { status } = abiStatus(abiInstance('demo', deploymentSpec), { ...ready3(), disruptionBudgets: [pdb] });
      expect(status.health.status).toBe('Healthy');
    });

    test('GIVEN a workload short of ready pods and a blocking PDB WHEN computed THEN the workload is the message, not the PDB', () => {
      const { status } = abiStatus(servedBefore(abiInstance('demo', deploymentSpec)), {
        deployments: [workload({ name: 'demo', replicas: 3 }, rolledOut(3, 2))],
        disruptionBudgets: [disruptionBudget({ name: 'demo' }, { currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 3 })],
      });
      expect(status.health.status).toBe('Degraded');
      expect(status.health.message).toContain('demo: 2/3 ready');
      expect(status.health.message).not.toContain('PodDisruptionBudget');
    });

    test('GIVEN a rollout in progress and a blocking PDB WHEN computed THEN Updating is reported, not the PDB', () => {
      const { status } = abiStatus(servedBefore(abiInstance('demo', deploymentSpec)), {
        deployments: [workload({ name: 'demo', replicas: 3, generation: 2 }, rolledOut(3, 3, 1))],
        disruptionBudgets: [disruptionBudget({ name: 'demo' }, { currentHealthy: 3, desiredHealthy: 3, disruptionsAllowed: 0, expectedPods: 3 })],
      });
      expect(status.phase).toBe('Updating');
      expect(status.health.message ?? '').not.toContain('PodDisruptionBudget');
    });

    test('GIVEN a blocking PDB and an unchanged world WHEN recomputed later THEN the status is identical (no churn)', () => {
      const resource = abiInstance('demo', deploymentSpec);
      const children = { ...ready3(), disruptionBudgets: [disruptionBudget({ name: 'demo' }, { currentHealthy: 3, desiredHealthy: 3, disruptionsAllowed: 0, expectedPods: 3 })] };
      const first = abiStatus(resource, children, T0);
      const second = abiStatus(withStatus(resource, first.wire), children, later(600));
      expect(sameStatus(first.wire, second.wire)).toBe(true);
    });
  });

  test('GIVEN an HPA that scales up above its minimum WHEN the new pods are not ready yet THEN desired comes from the HPA, and it is still Ready: a scale-up is no rollout', () => {
    const spec = { ...deploymentSpec, autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 10 } };
    const { status } = abiStatus(abiInstance('demo', spec), {
      deployments: [workload({ name: 'demo', replicas: 5 }, { ...rolledOut(5, 3), updatedReplicas: 5 })],
      autoscalers: [{ kind: 'HorizontalPodAutoscaler', metadata: { name: 'demo' }, status: { desiredReplicas: 5, currentReplicas: 3 } }],
    });
    expect(status.phase).toBe('Running');
    expect(cond(status, 'Ready')).toMatchObject({ status: 'True' });
    expect(cond(status, 'Reconciling')).toBeUndefined();
    expect(status.components[0]).toMatchObject({ state: 'Ready', desiredReplicas: 5, readyReplicas: 3 });
  });

  test('GIVEN the default spec WHEN computed THEN the StatefulSet is the workload and a completed revision counts as updated', () => {
    const { status } = abiStatus(abiInstance('demo', { replicas: 2 }), {
      statefulSets: [workload({ name: 'demo', kind: 'StatefulSet', replicas: 2 }, {
        observedGeneration: 1, replicas: 2, readyReplicas: 2, availableReplicas: 2, currentReplicas: 2, currentRevision: 'demo-1', updateRevision: 'demo-1',
      })],
      services: [service('demo'), service('demo-headless')],
    });
    expect(status.phase).toBe('Running');
    expect(status.updatedReplicas).toBe(2);
  });

  test('GIVEN an Ingress with TLS for its host WHEN computed THEN the ingress endpoint is https', () => {
    const { wire } = abiStatus(abiInstance('demo', deploymentSpec), {
      deployments: [workload({ name: 'demo', replicas: 3 }, rolledOut(3))],
      services: [service('demo')],
      ingresses: [{ kind: 'Ingress', metadata: { name: 'demo' }, spec: { rules: [{ host: 'abi.example.com' }], tls: [{ hosts: ['abi.example.com'] }] } }],
    });
    expect(wire.endpoints).toMatchObject({ ingress: 'https://abi.example.com' });
  });

  test('GIVEN an unchanged world WHEN recomputed later THEN the status is identical (no timestamp churn)', () => {
    const resource = abiInstance('demo', deploymentSpec);
    const children = { deployments: [workload({ name: 'demo', replicas: 3 }, rolledOut(3))], services: [service('demo')] };
    const first = abiStatus(resource, children, T0);
    const second = abiStatus(withStatus(resource, first.wire), children, later(3600));
    expect(sameStatus(first.wire, second.wire)).toBe(true);
  });

  test('GIVEN a changed health WHEN recomputed THEN lastChecked and the Ready transition time move, unchanged conditions keep theirs', () => {
    const resource = abiInstance('demo', deploymentSpec);
    const first = abiStatus(resource, { deployments: [workload({ name: 'demo', replicas: 3 }, rolledOut(3))] }, T0);
    const second = abiStatus(withStatus(resource, first.wire), { deployments: [workload({ name: 'demo', replicas: 3 }, rolledOut(3, 2))] }, later(60));
    expect(second.status.health.lastChecked).toBe('2026-03-01T10:01:00Z');
    expect(cond(second.status, 'Ready')).toMatchObject({ status: 'False', lastTransitionTime: '2026-03-01T10:01:00Z' });
    const third = abiStatus(withStatus(resource, second.wire), { deployments: [workload({ name: 'demo', replicas: 3 }, rolledOut(3, 1))] }, later(120));
    // Same status and reason, new counts: the transition time stays.
    expect(cond(third.status, 'Ready')).toMatchObject({ lastTransitionTime: '2026-03-01T10:01:00Z' });
    expect(third.status.health.message).toContain('1/3 ready');
  });

  test('GIVEN scaled to zero WHEN computed THEN Running and Ready', () => {
    const { status } = abiStatus(abiInstance('demo', { ...deploymentSpec, replicas: 0 }), {
      deployments: [workload({ name: 'demo', replicas: 0 }, { observedGeneration: 1 })],
    });
    expect(status.phase).toBe('Running');
    expect(cond(status, 'Ready')?.status).toBe('True');
  });
});

describe('imageTag', () => {
  test.each([
    ['ghcr.io/abi/abi:v1.0.0', 'v1.0.0'],
    ['localhost:5000/abi', 'latest'],
    ['localhost:5000/abi:1.2', '1.2'],
    ['abi@sha256:abcd', 'sha256:abcd'],
    ['abi:v2@sha256:abcd', 'v2'],
  ])('GIVEN image %s WHEN parsed THEN tag is %s', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });
});

describe('VecodexSet status', () => {
  const spec = {
    coordinator: { image: 'ghcr.io/ivan-digital/vecodex/app:v0.3.0', replicas: 1 },
    writer: { image: 'ghcr.io/ivan-digital/vecodex/app:v0.3.0', replicas: 1 },
    searcher: { image: 'ghcr.io/ivan-digital/vecodex/app:v0.3.0', replicas: 2 },
    ingress: { host: 'search.vecodex.link' },
  };
  const resource = { apiVersion: 'apps.vecodex.link/v1alpha1', kind: 'VecodexSet', metadata: { name: 'vs', namespace: 'search', generation: 1 }, spec };

  /** Every expected workload of `vs`, rolled out and ready; `override` replaces the status of the named components. */
  function vecodexChildren(override: Record<string, Record<string, unknown>> = {}) {
    const { facts } = vecodexStatus({});
    const make = (kind: 'Deployment' | 'StatefulSet') => facts.expected.workloads.filter((w) => w.kind === kind).map((w) =>
      workload({ name: w.name, namespace: 'search', product: 'vecodex', instance: 'vs', kind, replicas: w.replicas ?? w.minReplicas ?? 1 },
        override[w.component] ?? (kind === 'StatefulSet' ? stsStatus(w.replicas ?? 1) : rolledOut(w.replicas ?? 1))));
    return { deployments: make('Deployment'), statefulSets: make('StatefulSet'), services: facts.expected.services.map((s) => service(s, 'search')) };
  }

  /** `vs` as stored after the reconciler once reported it Ready. */
  function servedVecodex() {
    const { status, wire } = vecodexStatus(vecodexChildren(), resource, later(-600));
    expect(cond(status, 'Ready')).toMatchObject({ status: 'True' });
    return { ...resource, status: JSON.parse(JSON.stringify(wire)) };
  }

  function vecodexStatus(children: Partial<ObservedChildren>, current: any = resource, now = T0) {
    const facts = VECODEX_ADAPTER.facts(current);
    const { status } = computeStatus({
      resource: current, expected: facts.expected, enabledFeatures: facts.enabledFeatures,
      configHashAnnotation: VECODEX_ADAPTER.configHashAnnotation, children: { ...NO_CHILDREN, ...children }, now,
    });
    return { status, facts, wire: VECODEX_ADAPTER.toWireStatus(status) as any };
  }

  test('GIVEN a first start whose managed etcd has no ready replica while everything else is up WHEN computed THEN Creating (nothing works without etcd), which the timeout can escalate', () => {
    const { facts } = vecodexStatus({});
    const deployments = facts.expected.workloads.filter((w) => w.kind === 'Deployment').map((w) =>
      workload({ name: w.name, namespace: 'search', product: 'vecodex', instance: 'vs', replicas: w.replicas }, rolledOut(w.replicas!)));
    const statefulSets = facts.expected.workloads.filter((w) => w.kind === 'StatefulSet').map((w) =>
      workload({ name: w.name, namespace: 'search', product: 'vecodex', instance: 'vs', kind: 'StatefulSet' },
        w.component === 'etcd' ? { observedGeneration: 1, replicas: 1, updatedReplicas: 1, currentRevision: 'r1', updateRevision: 'r1' } : { ...rolledOut(1), currentRevision: 'r1', updateRevision: 'r1' }));
    const children = { deployments, statefulSets, services: facts.expected.services.map((s) => service(s, 'search')) };
    const { status, wire } = vecodexStatus(children);
    expect(status.phase).toBe('Creating');
    expect(cond(status, 'Reconciling')).toMatchObject({ status: 'True', reason: 'Creating', message: 'vs-etcd: 0/1 ready (no other component works without it)' });
    expect(status.health.status).toBe('Unknown');
    const late = vecodexStatus(children, { ...resource, status: wire }, later(1800));
    expect(late.status.phase).toBe('Failed');
    expect(cond(late.status, 'Stalled')).toMatchObject({ status: 'True', reason: 'NoReadyReplicas', message: 'no ready replica for more than 1800s: vs-etcd: 0/1 ready (no other component works without it)' });
  });

  test('GIVEN the writer scaled to 0 by hand while everything else serves WHEN computed THEN ComponentsNotReady with both counts, escalating like a dead component', () => {
    const { facts } = vecodexStatus({});
    const writer = facts.expected.workloads.find((w) => w.component === 'writer')!;
    const deployments = facts.expected.workloads.filter((w) => w.kind === 'Deployment').map((w) => (w === writer
      ? workload({ name: w.name, namespace: 'search', product: 'vecodex', instance: 'vs', replicas: 0 }, { observedGeneration: 1 })
      : workload({ name: w.name, namespace: 'search', product: 'vecodex', instance: 'vs', replicas: w.replicas }, rolledOut(w.replicas!))));
    const statefulSets = facts.expected.workloads.filter((w) => w.kind === 'StatefulSet').map((w) =>
      workload({ name: w.name, namespace: 'search', product: 'vecodex', instance: 'vs', kind: 'StatefulSet' }, { ...rolledOut(1), currentRevision: 'r1', updateRevision: 'r1' }));
    const children = { deployments, statefulSets, services: facts.expected.services.map((s) => service(s, 'search')) };
    const { status, wire } = vecodexStatus(children);
    expect(cond(status, 'Reconciling')).toMatchObject({ reason: 'ComponentsNotReady', message: 'vs-writer: 0 replicas set on the Deployment, the spec asks for 1' });
    expect(vecodexStatus(children, { ...resource, status: wire }, later(1800)).status.phase).toBe('Failed');
  });

  test('GIVEN the expected workloads WHEN the searcher is short THEN per-component status and an aggregate that is Running but Degraded', () => {
    const { facts } = vecodexStatus({});
    const byComponent = Object.fromEntries(facts.expected.workloads.map((w) => [w.component, w]));
    expect(Object.keys(byComponent)).toEqual(expect.arrayContaining(['coordinator', 'writer']));
    const searcher = facts.expected.workloads.find((w) => w.component.startsWith('searcher'))!;
    const deployments = facts.expected.workloads.filter((w) => w.kind === 'Deployment').map((w) =>
      workload({ name: w.name, namespace: 'search', product: 'vecodex', instance: 'vs', replicas: w === searcher ? 2 : 1 }, rolledOut(w === searcher ? 2 : 1, w === searcher ? 1 : undefined)));
    const statefulSets = facts.expected.workloads.filter((w) => w.kind === 'StatefulSet').map((w) =>
      workload({ name: w.name, namespace: 'search', product: 'vecodex', instance: 'vs', kind: 'StatefulSet' }, { ...rolledOut(1), currentRevision: 'r1', updateRevision: 'r1' }));
    const { wire } = vecodexStatus({ deployments, statefulSets, services: facts.expected.services.map((s) => service(s, 'search')) }, servedVecodex());
    expect(wire.phase).toBe('Running');
    expect(wire.health.status).toBe('Degraded');
    expect(wire.components[searcher.component]).toEqual({
      kind: 'Deployment', name: searcher.name, state: 'Degraded', message: `${searcher.name}: 1/2 ready, 1/2 available`,
      replicas: 2, desiredReplicas: 2, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 2, version: 'v1.0.0',
    });
    expect(wire.components.coordinator).toMatchObject({ replicas: 1, readyReplicas: 1 });
    expect(wire.endpoints).toMatchObject({ grpc: expect.stringContaining('.search.svc:'), writer: expect.stringContaining('.search.svc:') });
    // No Ingress object exists yet: no ingress endpoint from the spec alone.
    expect(wire.endpoints.ingress).toBeUndefined();
    // Only fields the VecodexSet CRD declares: the API server would prune anything else.
    const statusSchema = vecodexSetStatusSchema() as any;
    expect(Object.keys(statusSchema.properties)).toEqual(expect.arrayContaining(Object.keys(wire)));
    const componentSchema = statusSchema.properties.components.additionalProperties;
    for (const component of Object.values(wire.components)) {
      expect(Object.keys(componentSchema.properties)).toEqual(expect.arrayContaining(Object.keys(component as object)));
    }
    expect(wire).toMatchObject({ availableReplicas: expect.any(Number), updatedReplicas: expect.any(Number) });
  });

  test('GIVEN only the coordinator exists WHEN computed THEN Creating with ChildrenMissing naming the writer', () => {
    const { status } = vecodexStatus({ deployments: [workload({ name: 'vs-coordinator', namespace: 'search', product: 'vecodex', instance: 'vs' }, rolledOut(1))] });
    expect(status.phase).toBe('Creating');
    expect(status.health.message).toContain('vs-writer');
  });
});

describe('day-2 truth (issue 11): the defects measured on a simulated cluster', () => {
  // The default AbiInstance renders a StatefulSet; with autoscaling the HPA owns its replicas.
  const hpaSpec = { replicas: 3, autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 6 } };
  const sts = (replicas: number | undefined, status: Record<string, unknown>, generation = 1) => {
    const w = workload({ name: 'demo', kind: 'StatefulSet', replicas: replicas ?? 1, generation }) as any;
    if (replicas === undefined) delete w.spec.replicas;
    return { ...w, status: { ...status, observedGeneration: generation } };
  };
  const hpa = (status: Record<string, unknown>, conditions: Array<Record<string, string>> = []) => ({
    kind: 'HorizontalPodAutoscaler', metadata: { name: 'demo' }, spec: { minReplicas: 3, maxReplicas: 6 }, status: { ...status, conditions },
  });
  const services = [service('demo'), service('demo-headless')];
  const readyHpaWorld = () => ({ statefulSets: [sts(3, stsStatus(3))], autoscalers: [hpa({ currentReplicas: 3, desiredReplicas: 3 })], services });
  /** The AbiInstance after it was reported Ready on a healthy HPA-managed StatefulSet. */
  const servedHpa = () => {
    const resource = abiInstance('demo', hpaSpec);
    const { status, wire } = abiStatus(resource, readyHpaWorld(), later(-600));
    expect(cond(status, 'Ready')).toMatchObject({ status: 'True' });
    return withStatus(resource, wire);
  };
  const verdicts = (resource: ReturnType<typeof abiInstance>, wire: unknown) => ({ kstatus: kstatusVerdict({ ...resource, status: wire as any }) });

  test('defect 1: GIVEN an HPA-managed StatefulSet scaled to 0 by hand (HPA ScalingDisabled, desiredReplicas 0) WHEN computed THEN never Ready or Healthy: Failed and Stalled at once, naming the workload and the HPA', () => {
    const resource = servedHpa();
    const { status, wire } = abiStatus(resource, {
      statefulSets: [sts(0, { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0, currentRevision: 'r1', updateRevision: 'r1' })],
      autoscalers: [hpa({ currentReplicas: 0, desiredReplicas: 0 }, [{ type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled' }])],
      services,
    });
    expect(status.phase).toBe('Failed');
    expect(status.health.status).toBe('Unhealthy');
    expect(cond(status, 'Ready')).toMatchObject({ status: 'False', reason: 'AutoscalingDisabled' });
    expect(cond(status, 'Stalled')).toMatchObject({ status: 'True', reason: 'AutoscalingDisabled' });
    expect(cond(status, 'Stalled')!.message).toContain('HorizontalPodAutoscaler demo');
    expect(cond(status, 'Available')).toMatchObject({ status: 'False' });
    expect(status.components[0]).toMatchObject({ desiredReplicas: 3, readyReplicas: 0, state: 'Unavailable' });
    expect(verdicts(resource, wire)).toEqual({ kstatus: 'Failed' });
  });

  test('defect 2: GIVEN a first install under an HPA (replicas omitted → 1, fresh HPA desiredReplicas 0) WHEN computed THEN not Ready with 1 of 3: Creating until the HPA has raised it to its minimum, never worded as a rollout', () => {
    const resource = abiInstance('demo', hpaSpec);
    const first = abiStatus(resource, {
      statefulSets: [sts(undefined, stsStatus(1))],
      autoscalers: [hpa({ currentReplicas: 0, desiredReplicas: 0 })],
      services,
    });
    expect(first.status.phase).toBe('Creating');
    expect(cond(first.status, 'Ready')).toMatchObject({ status: 'False', reason: 'ReplicasNotReady' });
    expect(cond(first.status, 'Reconciling')).toMatchObject({ status: 'True', reason: 'ReplicasNotReady' });
    expect(first.status.components[0]).toMatchObject({ desiredReplicas: 3, readyReplicas: 1 });
    expect(verdicts(resource, first.wire)).toEqual({ kstatus: 'InProgress' });
    // The HPA raises spec.replicas to 3: a new generation, a scale-up, not a rollout.
    const scaling = abiStatus(withStatus(resource, first.wire), {
      statefulSets: [sts(3, stsStatus(3, 1), 2)],
      autoscalers: [hpa({ currentReplicas: 1, desiredReplicas: 3 })],
      services,
    }, later(15));
    expect(scaling.status.phase).toBe('Creating');
    expect(cond(scaling.status, 'Ready')).toMatchObject({ status: 'False', reason: 'ReplicasNotReady' });
    expect(cond(scaling.status, 'Ready')!.message).not.toContain('rolling out');
    const done = abiStatus(withStatus(resource, scaling.wire), { ...readyHpaWorld(), statefulSets: [sts(3, stsStatus(3), 2)] }, later(20));
    expect(done.status.phase).toBe('Running');
    expect(cond(done.status, 'Ready')).toMatchObject({ status: 'True' });
    expect(cond(done.status, 'Available')).toMatchObject({ status: 'True', reason: 'Available' });
  });

  test('defect 3: GIVEN an instance that was Ready WHEN all its pods are gone THEN unavailable at once (phase Failed, Unhealthy, reason naming the component), not a first start; Stalled only after the no-ready timeout', () => {
    const resource = abiInstance('demo', deploymentSpec);
    const served = servedBefore(resource);
    const gone = { deployments: [workload({ name: 'demo', replicas: 3, generation: 1 }, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 0, availableReplicas: 0 })], services: [service('demo')] };
    const outage = abiStatus(served, gone, T0, { noReadyReplicasTimeoutSeconds: 600 });
    expect(outage.status.phase).toBe('Failed');
    expect(outage.status.health).toMatchObject({ status: 'Unhealthy', message: 'unavailable: demo: 0/3 ready' });
    expect(cond(outage.status, 'Ready')).toMatchObject({ status: 'False', reason: 'ComponentUnavailable', message: 'unavailable: demo: 0/3 ready' });
    expect(cond(outage.status, 'Available')).toMatchObject({ status: 'False', reason: 'ComponentUnavailable' });
    expect(cond(outage.status, 'Reconciling')).toBeUndefined();
    expect(cond(outage.status, 'Stalled')).toBeUndefined();
    expect(outage.requeueAfterSeconds).toBe(600);
    expect(verdicts(resource, outage.wire)).toEqual({ kstatus: 'InProgress' });
    const late = abiStatus(withStatus(resource, outage.wire), gone, later(600), { noReadyReplicasTimeoutSeconds: 600 });
    expect(cond(late.status, 'Stalled')).toMatchObject({ status: 'True', reason: 'NoReadyReplicas' });
    // The same world on a first start is Creating: that is the difference the memory makes.
    expect(abiStatus(resource, gone).status.phase).toBe('Creating');
    // And back: Ready again, Available again.
    const back = abiStatus(withStatus(resource, late.wire), { ...gone, deployments: [workload({ name: 'demo', replicas: 3, generation: 1 }, rolledOut(3))] }, later(700));
    expect(back.status.phase).toBe('Running');
    expect(cond(back.status, 'Available')).toMatchObject({ status: 'True' });
    expect(cond(back.status, 'Stalled')).toBeUndefined();
  });

  test('defect 3: GIVEN a plain workload that was Ready WHEN kubectl scale --replicas=0 THEN unavailable at once, the message saying what was set', () => {
    const resource = abiInstance('demo', deploymentSpec);
    const { status } = abiStatus(servedBefore(resource), { deployments: [workload({ name: 'demo', replicas: 0, generation: 2 }, { observedGeneration: 2 })], services: [service('demo')] });
    expect(status.phase).toBe('Failed');
    expect(cond(status, 'Ready')).toMatchObject({ reason: 'ComponentUnavailable', message: 'unavailable: demo: 0 replicas set on the Deployment, the spec asks for 3' });
    expect(cond(status, 'Stalled')).toBeUndefined();
  });

  test('defect 4: GIVEN a StatefulSet with one pod evicted (currentRevision == updateRevision) WHEN computed THEN short of pods (Running, ReplicasNotReady, Degraded), not a rollout', () => {
    const resource = servedBefore(abiInstance('demo', { replicas: 3 }), 3, 'StatefulSet');
    const { status, wire } = abiStatus(resource, {
      statefulSets: [workload({ name: 'demo', kind: 'StatefulSet', replicas: 3, generation: 1 }, stsStatus(2, 2, { currentReplicas: 2, updatedReplicas: 2 }))],
      services,
    });
    expect(status.phase).toBe('Running');
    expect(cond(status, 'Ready')).toMatchObject({ status: 'False', reason: 'ReplicasNotReady', message: 'demo: 2/3 ready, 2/3 available' });
    expect(cond(status, 'Reconciling')).toBeUndefined();
    expect(status.health.status).toBe('Degraded');
    expect(status.components[0].state).toBe('Degraded');
    expect(verdicts(resource, wire)).toEqual({ kstatus: 'InProgress' });
  });

  test('defect 4: GIVEN a Deployment whose evicted pod is being replaced (no old ReplicaSet pods) WHEN computed THEN not a rollout; GIVEN a real template change THEN Updating', () => {
    const resource = servedBefore(abiInstance('demo', deploymentSpec));
    const evicted = abiStatus(resource, { deployments: [workload({ name: 'demo', replicas: 3, generation: 1 }, rolledOut(3, 2))], services: [service('demo')] });
    expect(evicted.status.phase).toBe('Running');
    expect(cond(evicted.status, 'Reconciling')).toBeUndefined();
    const rollout = abiStatus(resource, { deployments: [workload({ name: 'demo', replicas: 3, generation: 2 }, { observedGeneration: 2, replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3 })], services: [service('demo')] });
    expect(rollout.status.phase).toBe('Updating');
    expect(cond(rollout.status, 'Reconciling')).toMatchObject({ status: 'True', reason: 'RollingOut' });
    const stsRollout = abiStatus(servedBefore(abiInstance('demo', { replicas: 3 }), 3, 'StatefulSet'), {
      statefulSets: [workload({ name: 'demo', kind: 'StatefulSet', replicas: 3, generation: 2 }, stsStatus(3, 2, { observedGeneration: 2, updatedReplicas: 1, currentReplicas: 2, updateRevision: 'r2' }))],
      services,
    });
    expect(stsRollout.status.phase).toBe('Updating');
    expect(stsRollout.status.components[0].state).toBe('Updating');
  });

  test('defect 5: GIVEN a PDB right after an allowed eviction (disruptionsAllowed lowered by the Eviction API, disruptedPods set, not recounted) WHEN computed THEN no blocking verdict; GIVEN the settled budget THEN it is read', () => {
    const resource = abiInstance('demo', deploymentSpec);
    const ready3 = { deployments: [workload({ name: 'demo', replicas: 3, generation: 1 }, rolledOut(3))], services: [service('demo')] };
    const granted = disruptionBudget({ name: 'demo' }, { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 3 }) as any;
    granted.status.disruptedPods = { 'demo-abc': '2026-03-01T10:00:00Z' };
    expect(abiStatus(resource, { ...ready3, disruptionBudgets: [granted] }).status.health.status).toBe('Healthy');
    // Without disruptedPods (e.g. already pruned) the arithmetic still shows it has not recounted: 3 − 2 ≠ 0.
    const inconsistent = disruptionBudget({ name: 'demo' }, { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 3 });
    expect(abiStatus(resource, { ...ready3, disruptionBudgets: [inconsistent] }).status.health.status).toBe('Healthy');
    const settled = disruptionBudget({ name: 'demo' }, { currentHealthy: 3, desiredHealthy: 3, disruptionsAllowed: 0, expectedPods: 3 });
    expect(abiStatus(resource, { ...ready3, disruptionBudgets: [settled] }).status.health).toMatchObject({ status: 'Degraded', message: expect.stringContaining('PodDisruptionBudget demo') });
  });

  describe('defect 6: a VecodexSet without its etcd or MinIO', () => {
    const spec = {
      coordinator: { image: 'ghcr.io/ivan-digital/vecodex/app:v0.3.0', replicas: 1 },
      writer: { image: 'ghcr.io/ivan-digital/vecodex/app:v0.3.0', replicas: 1 },
      searcher: { image: 'ghcr.io/ivan-digital/vecodex/app:v0.3.0', replicas: 2 },
      ingress: { host: 'search.vecodex.link' },
    };
    const vs = { apiVersion: 'apps.vecodex.link/v1alpha1', kind: 'VecodexSet', metadata: { name: 'vs', namespace: 'search', generation: 1 }, spec };
    const run = (current: any, override: Record<string, Record<string, unknown>> = {}) => {
      const facts = VECODEX_ADAPTER.facts(current);
      const make = (kind: 'Deployment' | 'StatefulSet') => facts.expected.workloads.filter((w) => w.kind === kind).map((w) =>
        workload({ name: w.name, namespace: 'search', product: 'vecodex', instance: 'vs', kind, replicas: w.replicas ?? 1 },
          override[w.component] ?? (kind === 'StatefulSet' ? stsStatus(w.replicas ?? 1) : rolledOut(w.replicas ?? 1))));
      const { status } = computeStatus({
        resource: current, expected: facts.expected, enabledFeatures: [], configHashAnnotation: VECODEX_ADAPTER.configHashAnnotation, now: T0,
        children: { ...NO_CHILDREN, deployments: make('Deployment'), statefulSets: make('StatefulSet'), services: facts.expected.services.map((s) => service(s, 'search')) },
      });
      return { status, wire: VECODEX_ADAPTER.toWireStatus(status) as any };
    };

    test.each(['etcd', 'minio'])('GIVEN a VecodexSet that was Ready WHEN its only %s replica is down THEN unavailable (Failed, Unhealthy, naming it), not Updating/Degraded', (component) => {
      const healthy = run(vs);
      expect(cond(healthy.status, 'Ready')).toMatchObject({ status: 'True' });
      const stored = { ...vs, status: JSON.parse(JSON.stringify(healthy.wire)) };
      const { status, wire } = run(stored, { [component]: stsStatus(1, 0) });
      expect(status.phase).toBe('Failed');
      expect(status.health.status).toBe('Unhealthy');
      expect(cond(status, 'Ready')).toMatchObject({ status: 'False', reason: 'ComponentUnavailable', message: `unavailable: vs-${component}: 0/1 ready (no other component works without it)` });
      expect(wire.components[component]).toMatchObject({ state: 'Unavailable', readyReplicas: 0 });
      expect(kstatusVerdict({ ...stored, status: wire })).toBe('InProgress');
    });
  });
});
