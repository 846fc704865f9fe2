/**
 * Every reason the Ready condition can carry, as one closed set. Flux, Argo CD
 * and people read these strings (kubectl get, alerts), so they are part of the
 * status contract: a typo here would be a silent API change, a typo in a rule
 * is a compile error.
 *
 * Like kstatus's own result type (sigs.k8s.io/cli-utils pkg/kstatus/status,
 * `Status` and its constants), "everything is fine" is a value of the set,
 * Ready, not the absence of a reason.
 */
export const ReadyReason = {
  /** Every critical workload has the replicas it is held to. */
  Ready: 'Ready',
  /** metadata.deletionTimestamp is set. */
  Terminating: 'Terminating',
  /** A critical workload does not exist (yet, or any more). */
  ChildrenMissing: 'ChildrenMissing',
  /** A Deployment reports Progressing=False/ProgressDeadlineExceeded. */
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  /** An HPA switched itself off because its workload was scaled to 0. */
  AutoscalingDisabled: 'AutoscalingDisabled',
  /** After the instance has served, a critical component serves nothing. */
  ComponentUnavailable: 'ComponentUnavailable',
  /** First start: nothing serves yet, or a dependency every component needs does not. */
  Creating: 'Creating',
  /** First start: some components serve, others not yet. */
  ComponentsNotReady: 'ComponentsNotReady',
  /** A pod-template change the workload controller has observed is replacing pods. */
  RollingOut: 'RollingOut',
  /** The workload controller has not observed the current spec yet. */
  Progressing: 'Progressing',
  /** Serving, short of pods: evicted, crashed, scaled below the spec or the HPA's minimum. */
  ReplicasNotReady: 'ReplicasNotReady',
  /** A component served nothing for longer than the no-ready-replicas timeout. */
  NoReadyReplicas: 'NoReadyReplicas',
} as const;
export type ReadyReason = (typeof ReadyReason)[keyof typeof ReadyReason];

/** Reasons of the Available condition: whether every critical component has a ready replica. */
export const AvailableReason = {
  Available: 'Available',
  ChildrenMissing: ReadyReason.ChildrenMissing,
  ComponentUnavailable: ReadyReason.ComponentUnavailable,
} as const;
export type AvailableReason = (typeof AvailableReason)[keyof typeof AvailableReason];
