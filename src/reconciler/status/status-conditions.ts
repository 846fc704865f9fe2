/**
 * The conditions written from a verdict. Ready comes first, then at most one
 * of Reconciling and Stalled: kstatus reads whichever comes first
 * (cli-utils pkg/kstatus/status, checkGenericProperties), so the order is part
 * of the verdict GitOps engines see.
 */
import { Condition, CONDITION_READY, CONDITION_RECONCILING, CONDITION_STALLED } from '../../shared/status';
import { ConditionClock, findCondition, nextCondition } from '../conditions';
import { AvailableReason, ReadyReason } from './ready-reasons';
import { StatusFacts } from './status-facts';
import { Verdict } from './verdict';

/**
 * The status's memory that the instance has served: present from the first
 * time it was Ready, True while every critical component has a ready replica,
 * False (reason ComponentUnavailable or ChildrenMissing) during an outage.
 * Without it "nothing ready" cannot be told apart from a first start. No
 * GitOps engine reads it; Ready/Reconciling/Stalled carry the verdict.
 */
export const CONDITION_AVAILABLE = 'Available';

/** Served before: an Available condition, or (statuses written before it existed) Ready=True. */
export function hasServed(previous: readonly Condition[] | undefined): boolean {
  return findCondition(previous, CONDITION_AVAILABLE) !== undefined || findCondition(previous, CONDITION_READY)?.status === 'True';
}

export interface ConditionsInput {
  readonly verdict: Verdict;
  readonly facts: StatusFacts;
  readonly previous: readonly Condition[] | undefined;
  readonly generation: number | undefined;
  readonly now: Date;
  /** How Ready's lastTransitionTime moves: it dates the no-ready clock (see no-ready-clock.ts). */
  readonly readyClock: ConditionClock;
}

export function statusConditions(input: ConditionsInput): Condition[] {
  const { verdict, facts } = input;
  const isReady = verdict.reason === ReadyReason.Ready;
  const conditions = [readyCondition(input)];
  if (reconciling(verdict)) conditions.push(verdictCondition(input, CONDITION_RECONCILING));
  if (verdict.stalled) conditions.push(verdictCondition(input, CONDITION_STALLED));
  if (facts.hasServed || isReady) conditions.push(availableCondition(input));
  return conditions;
}

/** Still getting somewhere on its own; a Failed phase that is not terminal (an outage) is not progress. */
function reconciling(verdict: Verdict): boolean {
  return !verdict.stalled && (verdict.phase === 'Pending' || verdict.phase === 'Creating' || verdict.phase === 'Updating');
}

function readyCondition({ verdict, previous, generation, now, readyClock }: ConditionsInput): Condition {
  const isReady = verdict.reason === ReadyReason.Ready;
  return nextCondition(previous, {
    type: CONDITION_READY,
    status: isReady ? 'True' : 'False',
    reason: verdict.reason,
    message: verdict.message,
    observedGeneration: generation,
  }, now, readyClock);
}

function verdictCondition({ verdict, previous, generation, now }: ConditionsInput, type: string): Condition {
  return nextCondition(previous, { type, status: 'True', reason: verdict.reason, message: verdict.message, observedGeneration: generation }, now);
}

function availableCondition({ verdict, facts, previous, generation, now }: ConditionsInput): Condition {
  const reason = availableReason(facts);
  const serving = reason === AvailableReason.Available;
  return nextCondition(previous, {
    type: CONDITION_AVAILABLE,
    status: serving ? 'True' : 'False',
    reason,
    message: serving ? 'every component has a ready replica' : verdict.message,
    observedGeneration: generation,
  }, now);
}

/** A rollout that leaves a component briefly without a ready pod is not an outage (see StatusFacts.servingNothing). */
export function availableReason(facts: StatusFacts): AvailableReason {
  if (facts.missing.length > 0) return AvailableReason.ChildrenMissing;
  if (facts.servingNothing.length > 0 || facts.autoscalingDisabled.length > 0) return AvailableReason.ComponentUnavailable;
  return AvailableReason.Available;
}
