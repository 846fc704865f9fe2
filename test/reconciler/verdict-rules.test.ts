import { ReadyReason } from '../../src/reconciler/status/ready-reasons';
import { StatusFacts } from '../../src/reconciler/status/status-facts';
import { Verdict } from '../../src/reconciler/status/verdict';
import {
  autoscalingDisabled, childrenMissing, childrenMissingTooLong, componentsServingNothing, decideVerdict, progressDeadlineExceeded,
  ready, replicasShort, rollingOut, terminating, VERDICT_RULES, VerdictRule,
} from '../../src/reconciler/status/verdict-rules';
import { conditionsSchema } from '../../src/shared/status';
import {
  autoscalingOff, deadlineExceeded, degraded, EXPIRED, facts, missing, observed, unavailable, updating,
} from './status-facts-fixtures';

interface RuleCase {
  readonly given: string;
  readonly facts: StatusFacts;
  /** undefined: the rule passes and leaves the verdict to a later one. */
  readonly then: Partial<Verdict> | undefined;
}

const CASES = new Map<VerdictRule, readonly RuleCase[]>([
  [terminating, [
    { given: 'a resource being deleted', facts: facts([missing('a')], { deleting: true }), then: { phase: 'Terminating', reason: 'Terminating', message: 'the resource is being deleted', stalled: false } },
    { given: 'a resource not being deleted', facts: facts([observed('a')]), then: undefined },
  ]],
  [childrenMissingTooLong, [
    { given: 'a critical child missing past the timeout', facts: facts([missing('a'), observed('b')], { missingChildren: EXPIRED }),
      then: { phase: 'Failed', reason: 'ChildrenMissing', message: 'missing for more than 300s: Deployment a', stalled: true } },
    { given: 'a critical child missing within the timeout', facts: facts([missing('a')]), then: undefined },
    { given: 'only an optional child missing past the timeout', facts: facts([missing('a', { critical: false }), observed('b')], { missingChildren: EXPIRED }), then: undefined },
  ]],
  [progressDeadlineExceeded, [
    { given: 'two Deployments past their progress deadline', facts: facts([deadlineExceeded('a'), observed('b'), deadlineExceeded('c')]),
      then: { phase: 'Failed', reason: 'ProgressDeadlineExceeded', message: 'a: progress deadline exceeded; c: progress deadline exceeded', stalled: true } },
    { given: 'an optional Deployment past its deadline', facts: facts([observed('a'), { ...deadlineExceeded('b'), critical: false }]), then: undefined },
  ]],
  [autoscalingDisabled, [
    { given: 'an HPA switched off by a scale to 0', facts: facts([autoscalingOff('a')]),
      then: { phase: 'Failed', reason: 'AutoscalingDisabled', message: autoscalingOff('a').evaluation.message, stalled: true } },
    { given: 'every HPA active', facts: facts([observed('a', {}, { autoscaler: 'a' })]), then: undefined },
  ]],
  [childrenMissing, [
    { given: 'a first start where nothing exists yet', facts: facts([missing('a'), missing('b')]),
      then: { phase: 'Pending', reason: 'ChildrenMissing', message: 'waiting for Deployment a, Deployment b', stalled: false } },
    { given: 'a first start where one child exists', facts: facts([missing('a'), observed('b')]),
      then: { phase: 'Creating', reason: 'ChildrenMissing', message: 'waiting for Deployment a', stalled: false } },
    { given: 'a first start where only an optional child exists', facts: facts([missing('a'), observed('b', {}, { critical: false })]),
      then: { phase: 'Creating', reason: 'ChildrenMissing' } },
    { given: 'an instance that has served losing a child', facts: facts([missing('a'), observed('b')], { hasServed: true }),
      then: { phase: 'Failed', reason: 'ChildrenMissing', message: 'unavailable, missing Deployment a', stalled: false } },
    { given: 'nothing missing', facts: facts([observed('a')]), then: undefined },
  ]],
  [componentsServingNothing, [
    { given: 'a first start with every component down', facts: facts([unavailable('a'), unavailable('b')]),
      then: { phase: 'Creating', reason: 'Creating', message: '0/2 replicas ready', stalled: false } },
    { given: 'a first start with a dependency down', facts: facts([unavailable('etcd', { dependency: true }), observed('b')]),
      then: { phase: 'Creating', reason: 'Creating', message: 'etcd: 0/1 ready (no other component works without it)' } },
    { given: 'a first start with one of two components down', facts: facts([unavailable('a'), observed('b')]),
      then: { phase: 'Creating', reason: 'ComponentsNotReady', message: 'a: 0/1 ready' } },
    { given: 'a first start where a rollout has no ready pod', facts: facts([updating('a', { ready: 0, available: 0 })]),
      then: { phase: 'Creating', reason: 'Creating', message: '0/1 replicas ready' } },
    { given: 'an instance that has served with a component down', facts: facts([unavailable('a'), observed('b')], { hasServed: true }),
      then: { phase: 'Failed', reason: 'ComponentUnavailable', message: 'unavailable: a: 0/1 ready', stalled: false } },
    { given: 'an instance that has served, rolling a maxSurge-0 writer with no ready pod', facts: facts([updating('a', { ready: 0, available: 0 })], { hasServed: true }),
      then: undefined },
    { given: 'a component scaled to zero', facts: facts([observed('a', { desired: 0, floor: 0, live: 0, ready: 0, available: 0 }, { replicas: 0 })]), then: undefined },
  ]],
  [rollingOut, [
    { given: 'an observed template change after serving', facts: facts([updating('a'), observed('b')], { hasServed: true }),
      then: { phase: 'Updating', reason: 'RollingOut', message: 'a: rolling out, 0/1 updated, 1/1 ready', stalled: false } },
    { given: 'a spec the controller has not observed yet', facts: facts([updating('a', { observed: false, message: 'a: spec not yet observed by the controller' })], { hasServed: true }),
      then: { phase: 'Updating', reason: 'Progressing', message: 'a: spec not yet observed by the controller' } },
    { given: 'one observed and one unobserved change', facts: facts([updating('a', { observed: false }), updating('b')], { hasServed: true }),
      then: { reason: 'RollingOut' } },
    { given: 'a rollout on a first start', facts: facts([updating('a')]), then: { phase: 'Creating', reason: 'RollingOut' } },
    { given: 'no rollout', facts: facts([observed('a')]), then: undefined },
  ]],
  [replicasShort, [
    { given: 'an instance that has served, short of pods', facts: facts([degraded('a')], { hasServed: true }),
      then: { phase: 'Running', reason: 'ReplicasNotReady', message: 'a: 2/3 ready, 2/3 available', stalled: false } },
    { given: 'a first start short of pods', facts: facts([degraded('a')]), then: { phase: 'Creating', reason: 'ReplicasNotReady' } },
    { given: 'an optional workload short of pods', facts: facts([observed('a'), { ...degraded('b'), critical: false }]), then: undefined },
  ]],
]);

describe('verdict rules, each alone', () => {
  test('GIVEN the case table WHEN read THEN every rule in VERDICT_RULES has cases, and one that passes', () => {
    expect(VERDICT_RULES.length).toBeGreaterThan(0);
    for (const rule of VERDICT_RULES) {
      const cases = CASES.get(rule) ?? [];
      expect({ rule: rule.name, hasCases: cases.length > 0, hasPassingCase: cases.some((c) => c.then === undefined) })
        .toEqual({ rule: rule.name, hasCases: true, hasPassingCase: true });
    }
    expect([...CASES.keys()]).toEqual([...VERDICT_RULES]);
  });

  for (const [rule, cases] of CASES) {
    for (const c of cases) {
      test(`GIVEN ${c.given} WHEN ${rule.name} is asked THEN ${c.then ? `${c.then.reason}` : 'it passes'}`, () => {
        const result = rule(c.facts);
        if (c.then === undefined) expect(result).toBeUndefined();
        else expect(result).toMatchObject(c.then);
      });
    }
  }
});

describe('ready (what is left when no rule objects)', () => {
  const CASES_READY: ReadonlyArray<{ given: string; facts: StatusFacts; message: string }> = [
    { given: 'every critical workload ready', facts: facts([observed('a'), observed('b')]), message: 'all 2/2 replicas ready' },
    { given: 'an optional workload down', facts: facts([observed('a'), { ...unavailable('b'), critical: false }]), message: 'all 1/1 replicas ready' },
    { given: 'every critical workload rendered with 0 replicas', facts: facts([observed('a', { desired: 0, floor: 0, live: 0, ready: 0, available: 0 }, { replicas: 0 })]), message: 'scaled to zero' },
    { given: 'an HPA-owned workload at 0 desired', facts: facts([observed('a', { desired: 0, floor: 0, ready: 0, available: 0 }, { replicas: undefined, autoscaler: 'a' })]), message: 'all 0/0 replicas ready' },
  ];
  test('GIVEN the case table WHEN read THEN it has cases', () => expect(CASES_READY.length).toBeGreaterThan(0));
  for (const c of CASES_READY) {
    test(`GIVEN ${c.given} WHEN ready is asked THEN Running, reason Ready, "${c.message}"`, () => {
      expect(ready(c.facts)).toEqual({ phase: 'Running', reason: ReadyReason.Ready, message: c.message, stalled: false });
    });
  }
});

describe('decideVerdict (the order is the precedence)', () => {
  const PRECEDENCE: ReadonlyArray<{ given: string; facts: StatusFacts; reason: ReadyReason }> = [
    { given: 'deletion and missing children past the timeout', facts: facts([missing('a')], { deleting: true, missingChildren: EXPIRED }), reason: 'Terminating' },
    { given: 'children missing past the timeout and a deadline exceeded', facts: facts([missing('a'), deadlineExceeded('b')], { missingChildren: EXPIRED }), reason: 'ChildrenMissing' },
    { given: 'a deadline exceeded and an HPA switched off', facts: facts([deadlineExceeded('a'), autoscalingOff('b')]), reason: 'ProgressDeadlineExceeded' },
    { given: 'an HPA switched off and a child missing', facts: facts([autoscalingOff('a'), missing('b')]), reason: 'AutoscalingDisabled' },
    { given: 'a child missing and a component down', facts: facts([missing('a'), unavailable('b')]), reason: 'ChildrenMissing' },
    { given: 'a component down and a rollout', facts: facts([unavailable('a'), updating('b')]), reason: 'ComponentsNotReady' },
    { given: 'a rollout and a component short of pods', facts: facts([updating('a'), degraded('b')], { hasServed: true }), reason: 'RollingOut' },
    { given: 'a component short of pods', facts: facts([observed('a'), degraded('b')], { hasServed: true }), reason: 'ReplicasNotReady' },
    { given: 'nothing wrong', facts: facts([observed('a')], { hasServed: true }), reason: 'Ready' },
    { given: 'no workloads at all', facts: facts([]), reason: 'Ready' },
  ];
  test('GIVEN the case table WHEN read THEN it has cases', () => expect(PRECEDENCE.length).toBeGreaterThan(0));
  for (const c of PRECEDENCE) {
    test(`GIVEN ${c.given} WHEN decided THEN ${c.reason}`, () => {
      expect(decideVerdict(c.facts).reason).toBe(c.reason);
    });
  }

  test('GIVEN the rule list WHEN read THEN it is in the documented order', () => {
    expect(VERDICT_RULES.map((r) => r.name)).toEqual([
      'terminating', 'childrenMissingTooLong', 'progressDeadlineExceeded', 'autoscalingDisabled',
      'childrenMissing', 'componentsServingNothing', 'rollingOut', 'replicasShort',
    ]);
  });
});

describe('ReadyReason (a closed set)', () => {
  test('GIVEN every rule case, the Ready fallback and the no-ready clock WHEN their reasons are collected THEN they are exactly ReadyReason: none unused', () => {
    const produced = new Set<string>([ReadyReason.Ready, ReadyReason.NoReadyReplicas]);
    for (const cases of CASES.values()) for (const c of cases) if (c.then?.reason) produced.add(c.then.reason);
    expect([...produced].sort()).toEqual(Object.values(ReadyReason).sort());
  });

  test('GIVEN every reason WHEN checked against the CRD\'s metav1.Condition schema THEN the API server accepts it', () => {
    type ConditionListSchema = { items: { properties: { reason: { pattern: string; minLength: number } } } };
    const reasonSchema = (conditionsSchema() as ConditionListSchema).items.properties.reason;
    const reasons = Object.values(ReadyReason);
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) {
      const valid = reason.length >= reasonSchema.minLength && new RegExp(reasonSchema.pattern).test(reason);
      expect({ reason, valid }).toEqual({ reason, valid: true });
    }
  });
});
