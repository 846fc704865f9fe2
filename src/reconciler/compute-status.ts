/**
 * The reconciler's brain: status = f(resource, children, now). Pure and
 * deterministic, so every step below is unit-tested without an API server;
 * the I/O loop only gathers its inputs and writes its output.
 *
 * It reads as its steps, each in its own file under status/:
 * 1. facts: each expected workload beside its live object (status-facts.ts);
 * 2. the verdict: the first of an ordered list of rules that objects (verdict-rules.ts);
 * 3. the clocks: missing children and no ready replica, both dated by the
 *    Ready condition (missing-children-clock.ts, no-ready-clock.ts);
 * 4. conditions, health, and the status object (status-conditions.ts,
 *    status-health.ts, status-assembly.ts).
 *
 * Timestamps are carried over from the previous status unless what they date
 * changed, so recomputing an unchanged world yields an identical status and
 * the loop writes nothing.
 */
import { Condition, CONDITION_READY } from '../shared/status';
import { findCondition } from './conditions';
import { DEFAULT_MISSING_CHILDREN_TIMEOUT_SECONDS, missingChildrenClock, missingChildrenRequeue } from './status/missing-children-clock';
import { applyNoReadyClock, DEFAULT_NO_READY_REPLICAS_TIMEOUT_SECONDS } from './status/no-ready-clock';
import { assembleStatus } from './status/status-assembly';
import { hasServed, statusConditions } from './status/status-conditions';
import { observeWorkloads, statusFacts } from './status/status-facts';
import { statusHealth } from './status/status-health';
import { StatusInput, StatusResult } from './status/status-types';
import { decideVerdict } from './status/verdict-rules';

export { NO_CHILDREN } from './status/status-types';
export type { ComputedStatus, ObservedChildren, StatusInput, StatusResult } from './status/status-types';

export function computeStatus(input: StatusInput): StatusResult {
  const { resource, now } = input;
  const previous = resource.status ?? {};
  const previousConditions: Condition[] | undefined = Array.isArray(previous.conditions) ? previous.conditions : undefined;
  const previousReady = findCondition(previousConditions, CONDITION_READY);
  const generation = resource.metadata.generation;

  const missingChildren = missingChildrenClock(previousReady, now, input.missingChildrenTimeoutSeconds ?? DEFAULT_MISSING_CHILDREN_TIMEOUT_SECONDS);
  const facts = statusFacts(observeWorkloads(input.expected.workloads, input.children, input.configHashAnnotation), {
    deleting: Boolean(resource.metadata.deletionTimestamp),
    hasServed: hasServed(previousConditions),
    missingChildren,
  });

  const ruled = decideVerdict(facts);
  const noReady = applyNoReadyClock(ruled, {
    previousReady,
    sameGeneration: previous.observedGeneration === generation,
    now,
    timeoutSeconds: input.noReadyReplicasTimeoutSeconds ?? DEFAULT_NO_READY_REPLICAS_TIMEOUT_SECONDS,
  });
  const verdict = noReady.verdict;

  const conditions = statusConditions({ verdict, facts, previous: previousConditions, generation, now, readyClock: noReady.readyClock });
  const health = statusHealth({ verdict, facts, disruptionBudgets: input.children.disruptionBudgets, previous: previous.health, now });
  const status = assembleStatus({ input, verdict, facts, conditions, health });

  const requeueAfterSeconds = earliest(missingChildrenRequeue(missingChildren, facts.missing.length > 0, verdict), noReady.requeueAfterSeconds);
  return { status, ...(requeueAfterSeconds !== undefined ? { requeueAfterSeconds } : {}) };
}

function earliest(...seconds: Array<number | undefined>): number | undefined {
  const pending = seconds.filter((s): s is number => s !== undefined);
  return pending.length === 0 ? undefined : Math.min(...pending);
}
