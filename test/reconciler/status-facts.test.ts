import { observeWorkloads, workloadMessages, workloadNames } from '../../src/reconciler/status/status-facts';
import { NO_CHILDREN } from '../../src/reconciler/status/status-types';
import { rolledOut, workload } from './fixtures';
import { facts, missing, observed, unavailable, updating } from './status-facts-fixtures';

describe('observeWorkloads', () => {
  test('GIVEN a Deployment and a StatefulSet of the same name WHEN observed THEN each expected workload is matched by kind and name, with its HPA', () => {
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { minReplicas: 2 }, status: { desiredReplicas: 4 } };
    const [web, db, gone] = observeWorkloads(
      [
        { kind: 'Deployment', name: 'web', component: 'web', autoscaler: 'web' },
        { kind: 'StatefulSet', name: 'web', component: 'db', replicas: 1, critical: false },
        { kind: 'Deployment', name: 'gone', component: 'gone', replicas: 1 },
      ],
      {
        ...NO_CHILDREN,
        deployments: [workload({ name: 'web', replicas: 4, generation: 1 }, rolledOut(4))],
        statefulSets: [workload({ name: 'web', kind: 'StatefulSet', generation: 1 }, rolledOut(1))],
        autoscalers: [hpa],
      },
      'abi.io/config-hash',
    );
    expect(web).toMatchObject({ critical: true, evaluation: { state: 'Ready', desired: 4, floor: 2 } });
    expect(web.podLabels).toEqual({ 'app.kubernetes.io/name': 'abi', 'app.kubernetes.io/instance': 'web' });
    expect(db).toMatchObject({ critical: false, evaluation: { state: 'Ready', desired: 1 } });
    expect(gone).toMatchObject({ critical: true, podLabels: {}, evaluation: { state: 'Missing' } });
  });
});

describe('statusFacts groups', () => {
  const CASES: ReadonlyArray<{ given: string; hasServed: boolean; servingNothing: string[] }> = [
    { given: 'a first start', hasServed: false, servingNothing: ['down', 'rolling-empty'] },
    { given: 'an instance that has served (a rollout excuses an empty component)', hasServed: true, servingNothing: ['down'] },
  ];
  test('GIVEN the case table WHEN read THEN it has cases', () => expect(CASES.length).toBeGreaterThan(0));
  for (const c of CASES) {
    test(`GIVEN ${c.given} WHEN grouped THEN serving nothing: ${c.servingNothing.join(', ')}; the groups count critical workloads only`, () => {
      const f = facts([
        observed('ok'), unavailable('down'), updating('rolling-empty', { ready: 0 }), missing('absent'),
        { ...unavailable('optional-down'), critical: false }, { ...missing('optional-absent'), critical: false },
      ], { hasServed: c.hasServed });
      expect(f.servingNothing.map((w) => w.expected.name)).toEqual(c.servingNothing);
      expect(f.missing.map((w) => w.expected.name)).toEqual(['absent']);
      expect(f.present.map((w) => w.expected.name)).toEqual(['ok', 'down', 'rolling-empty', 'optional-down']);
      expect(f.updating.map((w) => w.expected.name)).toEqual(['rolling-empty']);
      expect({ desired: f.desiredReplicas, ready: f.readyReplicas }).toEqual({ desired: 4, ready: 1 });
    });
  }

  test('GIVEN a dependency WHEN its message is listed THEN it says why it alone takes the instance down; names list kind and name', () => {
    expect(workloadMessages([unavailable('etcd', { dependency: true }), unavailable('b')])).toBe('etcd: 0/1 ready (no other component works without it); b: 0/1 ready');
    expect(workloadNames([missing('a'), missing('b', { kind: 'StatefulSet' })])).toBe('Deployment a, StatefulSet b');
  });
});
