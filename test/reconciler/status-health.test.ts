import { StatusFacts } from '../../src/reconciler/status/status-facts';
import { statusHealth, workloadHealth } from '../../src/reconciler/status/status-health';
import { Verdict } from '../../src/reconciler/status/verdict';
import { HealthStatus } from '../../src/shared/status';
import { disruptionBudget } from './fixtures';
import { degraded, facts, missing, observed, unavailable, verdict } from './status-facts-fixtures';

const T0 = new Date('2026-03-01T10:00:00Z');
const T1 = new Date('2026-03-01T11:00:00Z');
const drifted = (name: string) => observed(name, { drifted: true, message: `${name}: 5 replicas set on the Deployment, the spec asks for 1` });

describe('workload health', () => {
  const CASES: ReadonlyArray<{ given: string; verdict: Verdict; facts: StatusFacts; status: HealthStatus; message: string }> = [
    { given: 'a Ready instance', verdict: verdict(), facts: facts([observed('a')]), status: 'Healthy', message: 'all 1/1 replicas ready' },
    { given: 'a first start', verdict: verdict({ phase: 'Creating', reason: 'Creating', message: '0/1 replicas ready' }), facts: facts([unavailable('a')]),
      status: 'Unknown', message: '0/1 replicas ready' },
    { given: 'nothing created yet', verdict: verdict({ phase: 'Pending', reason: 'ChildrenMissing', message: 'waiting for Deployment a' }), facts: facts([missing('a')]),
      status: 'Unknown', message: 'waiting for Deployment a' },
    { given: 'a deletion', verdict: verdict({ phase: 'Terminating', reason: 'Terminating', message: 'the resource is being deleted' }), facts: facts([observed('a')]),
      status: 'Unknown', message: 'the resource is being deleted' },
    { given: 'a Failed verdict', verdict: verdict({ phase: 'Failed', reason: 'ComponentUnavailable', message: 'unavailable: a: 0/1 ready' }), facts: facts([unavailable('a')]),
      status: 'Unhealthy', message: 'unavailable: a: 0/1 ready' },
    { given: 'a Ready instance with an optional component down', verdict: verdict(), facts: facts([observed('a'), { ...unavailable('b'), critical: false }]),
      status: 'Degraded', message: 'b: 0/1 ready' },
    { given: 'a Ready instance with drift and an optional component down', verdict: verdict(), facts: facts([drifted('a'), { ...unavailable('b'), critical: false }]),
      status: 'Degraded', message: 'a: 5 replicas set on the Deployment, the spec asks for 1; b: 0/1 ready' },
    { given: 'an instance short of pods after serving', verdict: verdict({ reason: 'ReplicasNotReady', message: 'a: 2/3 ready, 2/3 available' }), facts: facts([degraded('a')], { hasServed: true }),
      status: 'Degraded', message: 'a: 2/3 ready, 2/3 available' },
    { given: 'a rollout with drift elsewhere (the rollout is the message)', verdict: verdict({ phase: 'Updating', reason: 'RollingOut', message: 'b: rolling out' }), facts: facts([drifted('a'), observed('b')]),
      status: 'Degraded', message: 'b: rolling out' },
  ];
  test('GIVEN the case table WHEN read THEN it has cases', () => expect(CASES.length).toBeGreaterThan(0));
  for (const c of CASES) {
    test(`GIVEN ${c.given} WHEN health is judged THEN ${c.status}`, () => {
      expect(workloadHealth(c.verdict, c.facts)).toEqual({ status: c.status, message: c.message });
    });
  }
});

describe('status health (budgets and lastChecked)', () => {
  const blocking = disruptionBudget({ name: 'a' }, { currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 1 });
  const labelled = { ...observed('a'), podLabels: blocking.spec.selector.matchLabels };

  test('GIVEN a Healthy instance and a budget that allows no disruption WHEN health is built THEN Degraded with the budget\'s message', () => {
    const health = statusHealth({ verdict: verdict(), facts: facts([labelled]), disruptionBudgets: [blocking], previous: undefined, now: T0 });
    expect(health.status).toBe('Degraded');
    expect(health.message).toContain('PodDisruptionBudget a allows no disruptions');
  });

  test('GIVEN an instance already Degraded by drift WHEN a budget blocks too THEN the drift message stays (budgets only speak when nothing else is wrong)', () => {
    const health = statusHealth({ verdict: verdict(), facts: facts([{ ...drifted('a'), podLabels: labelled.podLabels }]), disruptionBudgets: [blocking], previous: undefined, now: T0 });
    expect(health.message).toContain('5 replicas set');
  });

  test('GIVEN unchanged health WHEN built later THEN lastChecked is kept; a changed message dates it now', () => {
    const first = statusHealth({ verdict: verdict(), facts: facts([observed('a')]), disruptionBudgets: [], previous: undefined, now: T0 });
    expect(first.lastChecked).toBe('2026-03-01T10:00:00Z');
    const same = statusHealth({ verdict: verdict(), facts: facts([observed('a')]), disruptionBudgets: [], previous: first, now: T1 });
    expect(same).toEqual(first);
    const changed = statusHealth({ verdict: verdict({ message: 'all 2/2 replicas ready' }), facts: facts([observed('a')]), disruptionBudgets: [], previous: first, now: T1 });
    expect(changed.lastChecked).toBe('2026-03-01T11:00:00Z');
  });
});
