import { missingChildrenClock, missingChildrenExpired, missingChildrenRequeue } from '../../src/reconciler/status/missing-children-clock';
import { applyNoReadyClock, NO_READY_REASONS, NoReadyClockInput } from '../../src/reconciler/status/no-ready-clock';
import { ReadyReason } from '../../src/reconciler/status/ready-reasons';
import { Verdict } from '../../src/reconciler/status/verdict';
import { Condition } from '../../src/shared/status';
import { verdict } from './status-facts-fixtures';

const T0 = new Date('2026-03-01T10:00:00Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const readyFalse = (reason: string, since = T0): Condition => ({ type: 'Ready', status: 'False', reason, message: 'm', lastTransitionTime: since.toISOString().replace(/\.\d{3}Z$/, 'Z') });

describe('missing-children clock', () => {
  const CASES: ReadonlyArray<{ given: string; previousReady?: Condition; now: Date; missingFor: number; expired: boolean }> = [
    { given: 'no previous status', now: T0, missingFor: 0, expired: false },
    { given: 'Ready=False ChildrenMissing since T0, now T0+120s', previousReady: readyFalse('ChildrenMissing'), now: later(120), missingFor: 120, expired: false },
    { given: 'Ready=False ChildrenMissing since T0, now T0+300s', previousReady: readyFalse('ChildrenMissing'), now: later(300), missingFor: 300, expired: true },
    { given: 'Ready=False for another reason since T0 (the child just went missing)', previousReady: readyFalse('RollingOut'), now: later(900), missingFor: 0, expired: false },
    { given: 'Ready=True', previousReady: { ...readyFalse('Ready'), status: 'True' }, now: later(900), missingFor: 0, expired: false },
  ];
  test('GIVEN the case table WHEN read THEN it has cases', () => expect(CASES.length).toBeGreaterThan(0));
  for (const c of CASES) {
    test(`GIVEN ${c.given} WHEN the clock is read THEN missing for ${c.missingFor}s, ${c.expired ? '' : 'not '}expired (timeout 300s)`, () => {
      const clock = missingChildrenClock(c.previousReady, c.now, 300);
      expect(clock).toEqual({ timeoutSeconds: 300, missingForSeconds: c.missingFor });
      expect(missingChildrenExpired(clock)).toBe(c.expired);
    });
  }

  const REQUEUE: ReadonlyArray<{ given: string; anyMissing: boolean; phase: 'Pending' | 'Terminating' | 'Failed'; stalled: boolean; then: number | undefined }> = [
    { given: 'children missing for 120s of 300s', anyMissing: true, phase: 'Pending', stalled: false, then: 180 },
    { given: 'nothing missing', anyMissing: false, phase: 'Pending', stalled: false, then: undefined },
    { given: 'a resource being deleted', anyMissing: true, phase: 'Terminating', stalled: false, then: undefined },
    { given: 'a terminal verdict', anyMissing: true, phase: 'Failed', stalled: true, then: undefined },
  ];
  test('GIVEN the requeue table WHEN read THEN it has cases', () => expect(REQUEUE.length).toBeGreaterThan(0));
  for (const c of REQUEUE) {
    test(`GIVEN ${c.given} WHEN the requeue is asked THEN ${c.then ?? 'none'}`, () => {
      const clock = { timeoutSeconds: 300, missingForSeconds: 120 };
      expect(missingChildrenRequeue(clock, c.anyMissing, verdict({ phase: c.phase, stalled: c.stalled }))).toBe(c.then);
    });
  }

  test('GIVEN the deadline just passed by a fraction WHEN the requeue is asked THEN at least one second, never 0', () => {
    expect(missingChildrenRequeue({ timeoutSeconds: 300, missingForSeconds: 299.9 }, true, verdict({ phase: 'Pending' }))).toBe(1);
  });
});

describe('no-ready-replicas clock', () => {
  const input = (overrides: Partial<NoReadyClockInput> = {}): NoReadyClockInput => ({
    previousReady: undefined, sameGeneration: true, now: T0, timeoutSeconds: 1800, ...overrides,
  });
  const down = verdict({ phase: 'Failed', reason: 'ComponentUnavailable', message: 'unavailable: a: 0/1 ready' });

  interface ClockCase {
    readonly given: string;
    readonly verdict: Verdict;
    readonly input: NoReadyClockInput;
    readonly escalates: boolean;
    readonly requeue?: number;
    readonly restart: boolean;
  }
  const CASES: readonly ClockCase[] = [
    { given: 'a component just went down', verdict: down, input: input(), escalates: false, requeue: 1800, restart: false },
    { given: 'down since T0, now T0+600s', verdict: down, input: input({ previousReady: readyFalse('ComponentUnavailable'), now: later(600) }), escalates: false, requeue: 1200, restart: false },
    { given: 'down (first as Creating) since T0, now T0+1800s', verdict: down, input: input({ previousReady: readyFalse('Creating'), now: later(1800) }), escalates: true, restart: false },
    { given: 'already escalated, same generation', verdict: down, input: input({ previousReady: readyFalse('NoReadyReplicas', later(-5)) }), escalates: true, restart: false },
    { given: 'already escalated, but a new generation', verdict: down, input: input({ previousReady: readyFalse('NoReadyReplicas'), sameGeneration: false, now: later(5000) }), escalates: false, requeue: 1800, restart: true },
    { given: 'down since T0 and a new generation, now T0+5000s', verdict: down, input: input({ previousReady: readyFalse('Creating'), sameGeneration: false, now: later(5000) }), escalates: false, requeue: 1800, restart: true },
    { given: 'Ready=False for another reason since T0 (the component just went down)', verdict: down, input: input({ previousReady: readyFalse('RollingOut'), now: later(5000) }), escalates: false, requeue: 1800, restart: false },
    { given: 'a rollout (not measured), new generation', verdict: verdict({ phase: 'Updating', reason: 'RollingOut' }), input: input({ previousReady: readyFalse('Creating'), sameGeneration: false, now: later(5000) }), escalates: false, restart: false },
    { given: 'a Ready verdict after an escalation', verdict: verdict(), input: input({ previousReady: readyFalse('NoReadyReplicas') }), escalates: false, restart: false },
  ];
  test('GIVEN the case table WHEN read THEN it has cases', () => expect(CASES.length).toBeGreaterThan(0));
  for (const c of CASES) {
    test(`GIVEN ${c.given} WHEN the clock applies THEN ${c.escalates ? 'Failed/NoReadyReplicas, stalled' : 'the verdict stands'}${c.requeue ? `, requeue ${c.requeue}s` : ''}`, () => {
      const outcome = applyNoReadyClock(c.verdict, c.input);
      if (c.escalates) {
        expect(outcome.verdict).toEqual({ phase: 'Failed', reason: ReadyReason.NoReadyReplicas, message: `no ready replica for more than 1800s: ${c.verdict.message}`, stalled: true });
      } else {
        expect(outcome.verdict).toBe(c.verdict);
      }
      expect(outcome.requeueAfterSeconds).toBe(c.requeue);
      expect(outcome.readyClock).toEqual({ sameReasons: NO_READY_REASONS, restart: c.restart });
    });
  }

  test('GIVEN the measured reasons WHEN listed THEN exactly the "serves nothing" verdicts', () => {
    expect([...NO_READY_REASONS]).toEqual(['Creating', 'ComponentsNotReady', 'ComponentUnavailable']);
  });
});
