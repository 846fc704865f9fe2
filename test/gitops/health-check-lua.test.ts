import * as yaml from 'js-yaml';
import { applicationHealthLua, customResourceHealthLua, healthCustomizations } from '../../src/gitops/argocd-health-check';
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
  test.each([
    [{ status: { health: { status: 'Healthy' } } }, 'Healthy'],
    [{ status: { health: { status: 'Degraded', message: 'x' } } }, 'Degraded'],
    [{}, 'Progressing'],
  ])('GIVEN Application %j WHEN the check runs THEN it reports %s', (obj, status) => {
    expect(runHealthScript(applicationHealthLua(), obj).status).toBe(status);
  });
});
