import { kstatusVerdict } from '../../src/reconciler/kstatus';
import { cond, HEALTH_SAMPLES, resource } from '../gitops/health-samples';

describe('kstatusVerdict follows sigs.k8s.io/cli-utils status.Compute for a kind without built-in rules', () => {
  test('GIVEN the shared health samples WHEN judged THEN each gets the verdict real kstatus computes', () => {
    expect(HEALTH_SAMPLES.length).toBeGreaterThanOrEqual(12);
    for (const sample of HEALTH_SAMPLES) {
      expect({ sample: sample.name, verdict: kstatusVerdict(sample.obj as any) }).toEqual({ sample: sample.name, verdict: sample.kstatus });
    }
  });

  test.each([
    ['Reconciling before Stalled', [cond('Reconciling', 'True', 'R'), cond('Stalled', 'True', 'S')], 'InProgress'],
    ['Stalled before Reconciling', [cond('Stalled', 'True', 'S'), cond('Reconciling', 'True', 'R')], 'Failed'],
    ['Stalled=False and Reconciling=False, Ready=True', [cond('Stalled', 'False', 'S'), cond('Reconciling', 'False', 'R'), cond('Ready', 'True', 'Ready')], 'Current'],
    ['Ready=Unknown', [cond('Ready', 'Unknown', 'U')], 'InProgress'],
    ['Ready=False', [cond('Ready', 'False', 'F')], 'InProgress'],
    ['conditions: []', [], 'Current'],
    ['an unrelated condition only', [cond('Available', 'False', 'ComponentUnavailable')], 'Current'],
  ] as const)('GIVEN %s WHEN judged THEN %s', (_what, conditions, verdict) => {
    expect(kstatusVerdict(resource({ observedGeneration: 3, conditions: [...conditions] }) as any)).toBe(verdict);
  });

  test('GIVEN a deletionTimestamp WHEN judged THEN Terminating before anything else', () => {
    const obj = resource({ observedGeneration: 1, conditions: [cond('Stalled', 'True', 'S')] });
    expect(kstatusVerdict({ ...obj, metadata: { ...obj.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } } as any)).toBe('Terminating');
  });

  test('GIVEN a stale observedGeneration WHEN judged THEN InProgress, even with Ready=True; without observedGeneration the check is skipped', () => {
    expect(kstatusVerdict(resource({ observedGeneration: 2, conditions: [cond('Ready', 'True', 'Ready')] }, 3) as any)).toBe('InProgress');
    expect(kstatusVerdict(resource({ conditions: [cond('Stalled', 'True', 'S')] }, 3) as any)).toBe('Failed');
  });
});
