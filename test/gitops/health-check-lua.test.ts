import * as yaml from 'js-yaml';
import { applicationHealthLua, customResourceHealthLua, HEALTH_WAITS_FOR_SYNC_ANNOTATION, healthCustomizations } from '../../src/gitops/argocd-health-check';
import { HEALTH_SAMPLES, resource } from './health-samples';
import { runHealthScript } from './lua';

describe('Argo CD Lua health check for AbiInstance and VecodexSet', () => {
  const script = customResourceHealthLua();

  test.each(HEALTH_SAMPLES.map((s) => [s.name, s] as const))('GIVEN %s WHEN the check runs THEN it reports the expected health', (_name, sample) => {
    expect(runHealthScript(script, sample.obj)).toEqual(sample.argocd);
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
  const waits = { annotations: { [HEALTH_WAITS_FOR_SYNC_ANNOTATION]: 'true' } };
  test.each([
    [{ metadata: {}, status: { health: { status: 'Healthy' } } }, 'Healthy'],
    [{ metadata: {}, status: { health: { status: 'Degraded', message: 'x' } } }, 'Degraded'],
    [{ metadata: {} }, 'Progressing'],
    // Without the annotation (the root, which lists itself): status.health even while its own sync runs.
    [{ metadata: {}, status: { sync: { status: 'OutOfSync' }, health: { status: 'Healthy' }, operationState: { phase: 'Running' } } }, 'Healthy'],
    // A new shard's first comparison: Healthy from what it found live, but it has applied nothing yet.
    [{ metadata: waits, status: { sync: { status: 'OutOfSync' }, health: { status: 'Healthy' } } }, 'Progressing'],
    [{ metadata: waits, status: { sync: { status: 'OutOfSync' }, health: { status: 'Healthy' }, operationState: { phase: 'Running' } } }, 'Progressing'],
    // Its sync has run: Healthy, even before the next comparison says Synced, whatever its instances report.
    [{ metadata: waits, status: { sync: { status: 'OutOfSync' }, health: { status: 'Healthy' }, operationState: { phase: 'Succeeded' } } }, 'Healthy'],
    [{ metadata: waits, status: { sync: { status: 'OutOfSync' }, health: { status: 'Progressing' }, operationState: { phase: 'Succeeded' } } }, 'Healthy'],
    // A shard being removed: its folder is gone, so it never compares Synced again; it must not hold the root's prune of itself.
    [{ metadata: waits, status: { sync: { status: 'Unknown' }, health: { status: 'Progressing' }, operationState: { phase: 'Succeeded' } } }, 'Healthy'],
    // A failed sync: Degraded even when what it found live looks Healthy (instance Applications the root still tracks), so the root prunes nothing.
    [{ metadata: waits, status: { sync: { status: 'OutOfSync' }, health: { status: 'Degraded' }, operationState: { phase: 'Failed' } } }, 'Degraded'],
    [{ metadata: waits, status: { sync: { status: 'OutOfSync' }, health: { status: 'Healthy' }, operationState: { phase: 'Failed', message: 'x' } } }, 'Degraded'],
    [{ metadata: waits, status: { sync: { status: 'OutOfSync' }, health: { status: 'Healthy' }, operationState: { phase: 'Error' } } }, 'Degraded'],
    [{ metadata: waits, status: { sync: { status: 'Synced' }, health: { status: 'Healthy' }, operationState: { phase: 'Running' } } }, 'Healthy'],
    // Synced: Healthy to its parent whatever the Applications it lists report, so the root's prunes never wait on the fleet.
    [{ metadata: waits, status: { sync: { status: 'Synced' }, health: { status: 'Progressing' }, operationState: { phase: 'Succeeded' } } }, 'Healthy'],
    [{ metadata: waits, status: { sync: { status: 'Synced' }, health: { status: 'Degraded' } } }, 'Healthy'],
    // Without the annotation an Application's own health counts, Synced or not.
    [{ metadata: {}, status: { sync: { status: 'Synced' }, health: { status: 'Progressing' } } }, 'Progressing'],
  ])('GIVEN Application %j WHEN the check runs THEN it reports %s', (obj, status) => {
    expect(runHealthScript(applicationHealthLua(), obj).status).toBe(status);
  });
});
