/**
 * What the verdict rules read: each expected workload beside what the cluster
 * has for it, and the groups the rules ask about ("which critical workloads
 * are missing?"). Computed once, so every rule sees the same world and no
 * rule re-derives a group slightly differently from another.
 */
import { ExpectedWorkload } from '../../shared/children';
import { evaluateWorkload, WorkloadEvaluation, WorkloadState } from '../workload-state';
import { MissingChildrenClock } from './missing-children-clock';
import { ObservedChildren } from './status-types';

/** One expected workload and what its live object (if any) says. */
export interface ObservedWorkload {
  readonly expected: ExpectedWorkload;
  /** Whether the aggregate verdict depends on it (ExpectedWorkload.critical, default true). */
  readonly critical: boolean;
  /** Pod template labels of the live object: what a PodDisruptionBudget selects. */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly evaluation: WorkloadEvaluation;
}

export interface StatusFacts {
  /** metadata.deletionTimestamp is set. */
  readonly deleting: boolean;
  /**
   * The status remembers that the instance has served (see CONDITION_AVAILABLE):
   * the same "nothing ready" is an outage afterwards and a first start before.
   */
  readonly hasServed: boolean;
  readonly missingChildren: MissingChildrenClock;
  /** Every expected workload, in the order the product lists them. */
  readonly workloads: readonly ObservedWorkload[];
  readonly critical: readonly ObservedWorkload[];
  /** Critical workloads that do not exist. */
  readonly missing: readonly ObservedWorkload[];
  /** Workloads that exist, critical or not. */
  readonly present: readonly ObservedWorkload[];
  /** Critical workloads whose Deployment exceeded its progress deadline. */
  readonly failed: readonly ObservedWorkload[];
  /** Critical workloads whose HPA switched itself off. */
  readonly autoscalingDisabled: readonly ObservedWorkload[];
  /**
   * Critical workloads that exist, want replicas and have none ready. After the
   * instance has served only a rollout excuses that (a maxSurge-0 writer between
   * its old and new pod); on a first start nothing is excused, everything is
   * still starting.
   */
  readonly servingNothing: readonly ObservedWorkload[];
  /** Critical workloads whose pod template is changing (or whose spec is not observed yet). */
  readonly updating: readonly ObservedWorkload[];
  /** Critical workloads serving with fewer replicas than their floor. */
  readonly shortOfReplicas: readonly ObservedWorkload[];
  /** Replicas the critical workloads want, and how many of them are ready. */
  readonly desiredReplicas: number;
  readonly readyReplicas: number;
}

/** Pairs each expected workload with its live object and HPA, matched by name. */
export function observeWorkloads(
  expected: readonly ExpectedWorkload[],
  children: ObservedChildren,
  configHashAnnotation: string,
): ObservedWorkload[] {
  return expected.map((workload) => {
    const candidates = workload.kind === 'Deployment' ? children.deployments : children.statefulSets;
    const live = candidates.find((o) => o.metadata.name === workload.name);
    const autoscaler = workload.autoscaler ? children.autoscalers.find((a) => a.metadata.name === workload.autoscaler) : undefined;
    return {
      expected: workload,
      critical: workload.critical !== false,
      podLabels: live?.spec?.template?.metadata?.labels ?? {},
      evaluation: evaluateWorkload(workload, live, autoscaler, configHashAnnotation),
    };
  });
}

export interface StatusContext {
  readonly deleting: boolean;
  readonly hasServed: boolean;
  readonly missingChildren: MissingChildrenClock;
}

export function statusFacts(workloads: readonly ObservedWorkload[], context: StatusContext): StatusFacts {
  const critical = workloads.filter((w) => w.critical);
  const inState = (state: WorkloadState) => critical.filter((w) => w.evaluation.state === state);
  return {
    ...context,
    workloads,
    critical,
    missing: inState('Missing'),
    present: workloads.filter((w) => w.evaluation.state !== 'Missing'),
    failed: inState('Failed'),
    autoscalingDisabled: critical.filter((w) => w.evaluation.autoscalingDisabled),
    servingNothing: critical.filter((w) => servesNothing(w.evaluation, context.hasServed)),
    updating: inState('Updating'),
    shortOfReplicas: inState('Degraded'),
    desiredReplicas: sumOf(critical, (evaluation) => evaluation.desired),
    readyReplicas: sumOf(critical, (evaluation) => evaluation.ready),
  };
}

function servesNothing(evaluation: WorkloadEvaluation, hasServed: boolean): boolean {
  const excusedByRollout = evaluation.state === 'Updating' && hasServed;
  return evaluation.state !== 'Missing' && evaluation.desired > 0 && evaluation.ready === 0 && !excusedByRollout;
}

export function sumOf(workloads: readonly ObservedWorkload[], count: (evaluation: WorkloadEvaluation) => number): number {
  return workloads.reduce((total, w) => total + count(w.evaluation), 0);
}

/** `Kind name, Kind name`: how messages list workloads that do not exist. */
export function workloadNames(workloads: readonly ObservedWorkload[]): string {
  return workloads.map((w) => `${w.expected.kind} ${w.expected.name}`).join(', ');
}

/** The workloads' own messages; a dependency says why it alone can take the instance down. */
export function workloadMessages(workloads: readonly ObservedWorkload[]): string {
  return workloads.map((w) => w.evaluation.message + (w.expected.dependency ? ' (no other component works without it)' : '')).join('; ');
}
