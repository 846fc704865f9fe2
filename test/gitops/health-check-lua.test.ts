import * as yaml from 'js-yaml';
import { applicationHealthLua, customResourceHealthLua, healthCustomizations } from '../../src/gitops/argocd-health-check';
import { runHealthScript } from './lua';

const NOW = '2025-01-01T00:00:00Z';
const cond = (type: string, status: 'True' | 'False' | 'Unknown', reason: string, message = '') =>
  ({ type, status, reason, message, lastTransitionTime: NOW, observedGeneration: 3 });

function resource(status: Record<string, unknown> | undefined, generation = 3): unknown {
  return { apiVersion: 'abi.io/v1', kind: 'AbiInstance', metadata: { name: 'a', namespace: 'n', generation }, status };
}

describe('Argo CD Lua health check for AbiInstance and VecodexSet', () => {
  const script = customResourceHealthLua();

  test.each([
    ['healthy: Ready=True, generation observed', resource({ observedGeneration: 3, phase: 'Running', conditions: [cond('Ready', 'True', 'Ready', 'all 2/2 ready')] }), 'Healthy', 'all 2/2 ready'],
    ['progressing: Reconciling=True during a rollout', resource({ observedGeneration: 3, phase: 'Updating', conditions: [cond('Ready', 'False', 'RollingOut', 'x'), cond('Reconciling', 'True', 'RollingOut', 'rolling out 1/2')] }), 'Progressing', 'rolling out 1/2'],
    ['progressing: Ready=False while Creating', resource({ observedGeneration: 3, phase: 'Creating', conditions: [cond('Ready', 'False', 'Creating', '0/2 ready')] }), 'Progressing', '0/2 ready'],
    ['degraded: Stalled=True', resource({ observedGeneration: 3, phase: 'Failed', conditions: [cond('Ready', 'False', 'ProgressDeadlineExceeded', 'x'), cond('Stalled', 'True', 'ProgressDeadlineExceeded', 'deadline exceeded')] }), 'Degraded', 'deadline exceeded'],
    ['degraded: Stalled wins over Reconciling', resource({ observedGeneration: 3, conditions: [cond('Reconciling', 'True', 'RollingOut'), cond('Stalled', 'True', 'ChildrenMissing', 'gone')] }), 'Degraded', 'gone'],
    ['degraded: Running but replicas not ready', resource({ observedGeneration: 3, phase: 'Running', conditions: [cond('Ready', 'False', 'ReplicasNotReady', '1/3 ready')] }), 'Degraded', '1/3 ready'],
    ['degraded: Ready=False with phase Failed', resource({ observedGeneration: 3, phase: 'Failed', conditions: [cond('Ready', 'False', 'ChildrenMissing', '')] }), 'Degraded', 'ChildrenMissing'],
    ['progressing: stale generation even though Ready=True', resource({ observedGeneration: 2, phase: 'Running', conditions: [cond('Ready', 'True', 'Ready')] }, 3), 'Progressing', 'Status describes generation 2, spec is at generation 3'],
    ['progressing: stale generation hides an old Stalled', resource({ observedGeneration: 2, conditions: [cond('Stalled', 'True', 'ProgressDeadlineExceeded')] }, 3), 'Progressing', 'Status describes generation 2, spec is at generation 3'],
    ['progressing: no status yet', resource(undefined), 'Progressing', 'Waiting for the status reconciler to report'],
    ['progressing: status without observedGeneration', resource({ phase: 'Pending' }), 'Progressing', 'Waiting for the status reconciler to observe generation 3'],
    ['progressing: no Ready condition', resource({ observedGeneration: 3, conditions: [] }), 'Progressing', 'Waiting for the Ready condition'],
  ])('GIVEN %s WHEN the check runs THEN it reports the expected health', (_name, obj, status, message) => {
    expect(runHealthScript(script, obj)).toEqual({ status, message });
  });

  test('GIVEN a script that cannot run WHEN executed THEN the harness fails loudly (the tests above can fail)', () => {
    expect(() => runHealthScript('return obj.status.missing.field', resource(undefined))).toThrow(/Lua error/);
  });

  test('GIVEN argocd-cm entries WHEN listed THEN both kinds use the check under group_kind keys and Application health is restored', () => {
    const data = healthCustomizations();
    expect(Object.keys(data).sort()).toEqual([
      'resource.customizations.health.abi.io_AbiInstance',
      'resource.customizations.health.apps.vecodex.link_VecodexSet',
      'resource.customizations.health.argoproj.io_Application',
    ]);
    expect(data['resource.customizations.health.apps.vecodex.link_VecodexSet']).toBe(script);
  });

  test('GIVEN the script WHEN it passes through YAML THEN it is unchanged (a block scalar, no folding)', () => {
    const dumped = yaml.dump({ data: healthCustomizations() }, { lineWidth: -1 });
    expect((yaml.load(dumped) as any).data['resource.customizations.health.abi.io_AbiInstance']).toBe(script);
  });
});

describe('Argo CD Application health (for the app-of-apps sync waves)', () => {
  test.each([
    [{ status: { health: { status: 'Healthy' } } }, 'Healthy'],
    [{ status: { health: { status: 'Degraded', message: 'x' } } }, 'Degraded'],
    [{}, 'Progressing'],
  ])('GIVEN Application %j WHEN the check runs THEN it reports %s', (obj, status) => {
    expect(runHealthScript(applicationHealthLua(), obj).status).toBe(status);
  });
});
