/**
 * Builders for the facts the status steps read, so each verdict rule, clock
 * and step is tested alone, without rendering a product or faking a cluster.
 */
import { MissingChildrenClock } from '../../src/reconciler/status/missing-children-clock';
import { ObservedWorkload, StatusContext, StatusFacts, statusFacts } from '../../src/reconciler/status/status-facts';
import { Verdict } from '../../src/reconciler/status/verdict';
import { WorkloadEvaluation } from '../../src/reconciler/workload-state';
import { ExpectedWorkload } from '../../src/shared/children';

/** A critical Deployment `name` that has its one replica ready; override what the case is about. */
export function observed(name: string, evaluation: Partial<WorkloadEvaluation> = {}, expected: Partial<ExpectedWorkload> = {}): ObservedWorkload {
  const workload: ExpectedWorkload = { kind: 'Deployment', name, component: name, replicas: 1, ...expected };
  return {
    expected: workload,
    critical: workload.critical !== false,
    podLabels: { app: name },
    evaluation: {
      state: 'Ready', desired: 1, floor: 1, live: 1, replicas: 1, ready: 1, available: 1, updated: 1,
      observed: true, rolling: false, rolledOut: true, autoscalingDisabled: false, drifted: false,
      message: `${name}: 1/1 ready`,
      ...evaluation,
    },
  };
}

export const missing = (name: string, expected: Partial<ExpectedWorkload> = {}) => observed(name, {
  state: 'Missing', live: 0, replicas: 0, ready: 0, available: 0, updated: 0, observed: false, rolledOut: false, message: `Deployment ${name} not found`,
}, expected);

/** Exists, wants a replica, has none ready. */
export const unavailable = (name: string, expected: Partial<ExpectedWorkload> = {}) => observed(name, {
  state: 'Unavailable', ready: 0, available: 0, rolledOut: false, message: `${name}: 0/1 ready`,
}, expected);

export const updating = (name: string, evaluation: Partial<WorkloadEvaluation> = {}) => observed(name, {
  state: 'Updating', rolling: true, rolledOut: false, message: `${name}: rolling out, 0/1 updated, 1/1 ready`, ...evaluation,
});

export const degraded = (name: string) => observed(name, {
  state: 'Degraded', desired: 3, floor: 3, live: 3, replicas: 3, ready: 2, available: 2, updated: 3, rolledOut: false,
  message: `${name}: 2/3 ready, 2/3 available`,
}, { replicas: 3 });

export const deadlineExceeded = (name: string) => observed(name, {
  state: 'Failed', rolledOut: false, message: `${name}: progress deadline exceeded`,
});

export const autoscalingOff = (name: string) => observed(name, {
  state: 'Unavailable', live: 0, replicas: 0, ready: 0, available: 0, updated: 0, autoscalingDisabled: true, rolledOut: false,
  message: `${name}: scaled to 0 on the Deployment, which switches off its HorizontalPodAutoscaler`,
}, { replicas: undefined, autoscaler: name });

export const NOT_EXPIRED: MissingChildrenClock = { timeoutSeconds: 300, missingForSeconds: 0 };
export const EXPIRED: MissingChildrenClock = { timeoutSeconds: 300, missingForSeconds: 300 };

export function facts(workloads: readonly ObservedWorkload[], context: Partial<StatusContext> = {}): StatusFacts {
  return statusFacts(workloads, { deleting: false, hasServed: false, missingChildren: NOT_EXPIRED, ...context });
}

export function verdict(overrides: Partial<Verdict> = {}): Verdict {
  return { phase: 'Running', reason: 'Ready', message: 'all 1/1 replicas ready', stalled: false, ...overrides };
}
