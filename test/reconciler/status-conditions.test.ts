import { availableReason, CONDITION_AVAILABLE, hasServed, statusConditions } from '../../src/reconciler/status/status-conditions';
import { StatusFacts } from '../../src/reconciler/status/status-facts';
import { Verdict } from '../../src/reconciler/status/verdict';
import { Condition } from '../../src/shared/status';
import { autoscalingOff, facts, missing, observed, unavailable, updating, verdict } from './status-facts-fixtures';

const T0 = new Date('2026-03-01T10:00:00Z');
const T1 = new Date('2026-03-01T11:00:00Z');
const at = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
const condition = (type: string, status: Condition['status'], reason: string, since = T0): Condition => ({ type, status, reason, message: 'm', lastTransitionTime: at(since) });

function conditionsOf(v: Verdict, f: StatusFacts, previous?: Condition[]) {
  return statusConditions({ verdict: v, facts: f, previous, generation: 2, now: T1, readyClock: {} });
}

describe('status conditions', () => {
  const CASES: ReadonlyArray<{ given: string; verdict: Verdict; facts: StatusFacts; then: Array<[string, string, string]> }> = [
    { given: 'a Ready verdict on a first start', verdict: verdict(), facts: facts([observed('a')]),
      then: [['Ready', 'True', 'Ready'], [CONDITION_AVAILABLE, 'True', 'Available']] },
    { given: 'children being created', verdict: verdict({ phase: 'Pending', reason: 'ChildrenMissing' }), facts: facts([missing('a')]),
      then: [['Ready', 'False', 'ChildrenMissing'], ['Reconciling', 'True', 'ChildrenMissing']] },
    { given: 'a rollout after serving', verdict: verdict({ phase: 'Updating', reason: 'RollingOut' }), facts: facts([updating('a')], { hasServed: true }),
      then: [['Ready', 'False', 'RollingOut'], ['Reconciling', 'True', 'RollingOut'], [CONDITION_AVAILABLE, 'True', 'Available']] },
    { given: 'a terminal verdict', verdict: verdict({ phase: 'Failed', reason: 'AutoscalingDisabled', stalled: true }), facts: facts([autoscalingOff('a')], { hasServed: true }),
      then: [['Ready', 'False', 'AutoscalingDisabled'], ['Stalled', 'True', 'AutoscalingDisabled'], [CONDITION_AVAILABLE, 'False', 'ComponentUnavailable']] },
    { given: 'an outage that is not terminal', verdict: verdict({ phase: 'Failed', reason: 'ChildrenMissing' }), facts: facts([missing('a')], { hasServed: true }),
      then: [['Ready', 'False', 'ChildrenMissing'], [CONDITION_AVAILABLE, 'False', 'ChildrenMissing']] },
    { given: 'a deletion', verdict: verdict({ phase: 'Terminating', reason: 'Terminating' }), facts: facts([observed('a')], { deleting: true }),
      then: [['Ready', 'False', 'Terminating']] },
  ];
  test('GIVEN the case table WHEN read THEN it has cases', () => expect(CASES.length).toBeGreaterThan(0));
  for (const c of CASES) {
    test(`GIVEN ${c.given} WHEN conditions are built THEN ${c.then.map(([t, s]) => `${t}=${s}`).join(', ')}, in that order`, () => {
      const built = conditionsOf(c.verdict, c.facts);
      expect(built.map((x) => [x.type, x.status, x.reason])).toEqual(c.then);
      for (const x of built) expect(x.observedGeneration).toBe(2);
      expect(built[0].message).toBe(c.verdict.message);
    });
  }

  test('GIVEN an unchanged Ready reason WHEN rebuilt later THEN lastTransitionTime is kept; a changed one restarts it', () => {
    const previous = [condition('Ready', 'False', 'RollingOut'), condition('Reconciling', 'True', 'RollingOut'), condition(CONDITION_AVAILABLE, 'True', 'Available')];
    const same = conditionsOf(verdict({ phase: 'Updating', reason: 'RollingOut' }), facts([updating('a')], { hasServed: true }), previous);
    expect(same.map((x) => x.lastTransitionTime)).toEqual([at(T0), at(T0), at(T0)]);
    const changed = conditionsOf(verdict({ phase: 'Updating', reason: 'Progressing' }), facts([updating('a')], { hasServed: true }), previous);
    expect(changed.map((x) => x.lastTransitionTime)).toEqual([at(T1), at(T1), at(T0)]);
  });

  test('GIVEN the Ready clock says restart WHEN the reason is unchanged THEN Ready is dated now', () => {
    const previous = [condition('Ready', 'False', 'Creating')];
    const v = verdict({ phase: 'Creating', reason: 'Creating' });
    const built = statusConditions({ verdict: v, facts: facts([unavailable('a')]), previous, generation: 2, now: T1, readyClock: { restart: true } });
    expect(built[0].lastTransitionTime).toBe(at(T1));
  });
});

describe('hasServed', () => {
  const CASES: ReadonlyArray<{ given: string; previous: Condition[] | undefined; then: boolean }> = [
    { given: 'no conditions', previous: undefined, then: false },
    { given: 'Ready=False only', previous: [condition('Ready', 'False', 'Creating')], then: false },
    { given: 'Ready=True (a status written before Available existed)', previous: [condition('Ready', 'True', 'Ready')], then: true },
    { given: 'Available=False during an outage', previous: [condition('Ready', 'False', 'ComponentUnavailable'), condition(CONDITION_AVAILABLE, 'False', 'ComponentUnavailable')], then: true },
  ];
  test('GIVEN the case table WHEN read THEN it has cases', () => expect(CASES.length).toBeGreaterThan(0));
  for (const c of CASES) {
    test(`GIVEN ${c.given} WHEN asked THEN ${c.then}`, () => expect(hasServed(c.previous)).toBe(c.then));
  }
});

describe('availableReason', () => {
  const CASES: ReadonlyArray<{ given: string; facts: StatusFacts; then: string }> = [
    { given: 'every critical component with a ready replica', facts: facts([observed('a'), { ...unavailable('b'), critical: false }], { hasServed: true }), then: 'Available' },
    { given: 'a rollout with no ready pod after serving (maxSurge 0)', facts: facts([updating('a', { ready: 0 })], { hasServed: true }), then: 'Available' },
    { given: 'a critical child missing', facts: facts([missing('a'), unavailable('b')], { hasServed: true }), then: 'ChildrenMissing' },
    { given: 'a critical component with no ready replica', facts: facts([unavailable('a')], { hasServed: true }), then: 'ComponentUnavailable' },
    { given: 'an HPA switched off', facts: facts([autoscalingOff('a')], { hasServed: true }), then: 'ComponentUnavailable' },
  ];
  test('GIVEN the case table WHEN read THEN it has cases', () => expect(CASES.length).toBeGreaterThan(0));
  for (const c of CASES) {
    test(`GIVEN ${c.given} WHEN asked THEN ${c.then}`, () => expect(availableReason(c.facts)).toBe(c.then));
  }
});
