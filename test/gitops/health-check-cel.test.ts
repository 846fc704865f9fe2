import { CEL_EXPRESSIONS, healthCheckExprs } from '../../src/gitops/flux-health-exprs';
import { fluxHealth, freeVariables, parses, toCelInput } from './cel';
import { twoClusters, wiringDocuments } from './fixtures';
import { cond, HEALTH_SAMPLES, resource } from './health-samples';

/** The expressions as rendered into beta's Kustomizations (beta sets healthCheck: cel), one entry per kind. */
function renderedExprs(): Array<{ apiVersion: string; kind: string; current: string; inProgress?: string; failed?: string }> {
  // Any instance Kustomization: each carries the expressions for both kinds.
  const instance = wiringDocuments(twoClusters(), 'beta', 'flux').find((k) => k.spec.healthCheckExprs !== undefined);
  return instance.spec.healthCheckExprs;
}

describe('Flux healthCheckExprs (CEL) executed on sample statuses', () => {
  const rendered = renderedExprs();

  test('GIVEN the rendered expressions WHEN parsed THEN every one is valid CEL reading only metadata and status', () => {
    expect(rendered.map((e) => e.kind)).toEqual(['AbiInstance', 'VecodexSet']);
    for (const entry of rendered) {
      for (const expression of [entry.current, entry.inProgress!, entry.failed!]) {
        expect(parses(expression)).toBe(true);
        expect([...freeVariables(expression)].every((v) => v === 'status' || v === 'metadata')).toBe(true);
      }
    }
  });

  describe.each(['AbiInstance', 'VecodexSet'])('%s', (kind) => {
    test.each(HEALTH_SAMPLES.map((s) => [s.name, s] as const))('GIVEN %s WHEN Flux evaluates the rendered expressions THEN the verdict follows Flux semantics', (_name, sample) => {
      const exprs = rendered.find((e) => e.kind === kind)!;
      const obj = { ...sample.obj, apiVersion: exprs.apiVersion, kind };
      const verdict = fluxHealth(exprs, obj);
      expect(verdict.status).toBe(sample.flux);
      // Only a missing status is an evaluation error (Flux reports Unknown and waits).
      if (sample.flux === 'Unknown') expect(verdict.error).toContain('no such attribute(s): status');
      else expect(verdict.error).toBeUndefined();
    });
  });

  test('GIVEN the samples WHEN each expression runs on its own THEN inProgress never claims a Stalled resource (else Flux could not report it failed)', () => {
    const stalled = HEALTH_SAMPLES.filter((s) => s.obj.status?.conditions?.some((c: any) => c.type === 'Stalled' && c.status === 'True') && s.obj.status.observedGeneration === s.obj.metadata.generation);
    expect(stalled.length).toBeGreaterThanOrEqual(2);
    // The inProgress expression evaluated in the `current` slot: Current would mean it is true.
    for (const s of stalled) expect({ sample: s.name, verdict: fluxHealth({ current: CEL_EXPRESSIONS.inProgress }, s.obj).status }).toEqual({ sample: s.name, verdict: 'InProgress' });
  });

  test('GIVEN the expressions healthCheckExprs() renders WHEN compared with the rendered file THEN they are the same (the file is what Flux runs)', () => {
    expect(rendered).toEqual(healthCheckExprs());
  });
});

describe('the Flux CEL harness can fail', () => {
  test('GIVEN an expression reading a missing field WHEN evaluated THEN the verdict is Unknown with the error, as in Flux', () => {
    const obj = resource({ observedGeneration: 3, conditions: [] });
    const verdict = fluxHealth({ current: "status.conditon.exists(c, c.type == 'Ready')" }, obj);
    expect(verdict.status).toBe('Unknown');
    expect(verdict.error).toContain('conditon');
  });

  test('GIVEN expressions that are all true, or failed and current true WHEN evaluated THEN the order inProgress, failed, current decides (fluxcd/pkg)', () => {
    const obj = resource({ observedGeneration: 3 });
    expect(fluxHealth({ inProgress: 'true', failed: 'true', current: 'true' }, obj).status).toBe('InProgress');
    expect(fluxHealth({ inProgress: 'false', failed: 'true', current: 'true' }, obj).status).toBe('Failed');
    expect(fluxHealth({ inProgress: 'false', failed: 'false', current: 'false' }, obj).status).toBe('InProgress');
    expect(fluxHealth({ current: '1' }, obj)).toEqual({ status: 'Unknown', error: expect.stringContaining('as boolean') });
  });

  test('GIVEN a stale observedGeneration WHEN evaluated THEN InProgress before any expression runs', () => {
    expect(fluxHealth({ current: 'true' }, resource({ observedGeneration: 2, conditions: [cond('Ready', 'True', 'Ready')] }, 3)).status).toBe('InProgress');
  });

  test('GIVEN Kubernetes integers WHEN passed to CEL THEN they are ints, so int comparisons behave as in cel-go', () => {
    expect(toCelInput({ a: [1, 1.5] })).toEqual({ a: [BigInt(1), 1.5] });
    expect(fluxHealth({ current: 'status.observedGeneration == 3' }, resource({ observedGeneration: 3 })).status).toBe('Current');
    expect(fluxHealth({ current: 'type(status.observedGeneration) == int' }, resource({ observedGeneration: 3 })).status).toBe('Current');
  });

  test('GIVEN an invalid expression WHEN parsed THEN it is rejected', () => {
    expect(parses('has(status.')).toBe(false);
  });
});
