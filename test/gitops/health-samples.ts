/**
 * Sample statuses of our custom resources, with what Argo CD (the Lua check)
 * and Flux (the healthCheckExprs) must conclude from each. One table, so the
 * two checks are tested on the same inputs and their deliberate differences
 * are visible side by side:
 *
 * - Ready=False without Stalled is Degraded for Argo CD when the phase says
 *   the workload ran (Running, Failed), but InProgress for Flux: Flux fails
 *   the whole Kustomization on `failed`, so only Stalled (a terminal verdict
 *   of the reconciler) may trigger it, exactly as kstatus does.
 * - No status at all: the Lua check says Progressing. Flux evaluates CEL
 *   against the object's top-level fields, so with no `status` field every
 *   expression fails with "no such attribute" and the resource is Unknown:
 *   the Kustomization keeps waiting until its timeout, as for InProgress.
 */
export type FluxStatus = 'Current' | 'InProgress' | 'Failed' | 'Unknown';

export interface HealthSample {
  readonly name: string;
  readonly obj: Record<string, any>;
  readonly argocd: { readonly status: string; readonly message: string };
  readonly flux: FluxStatus;
  /**
   * What kstatus (sigs.k8s.io/cli-utils status.Compute, Flux's default
   * `healthCheck: kstatus`) concludes; see src/reconciler/kstatus.ts.
   */
  readonly kstatus: 'Current' | 'InProgress' | 'Failed' | 'Terminating';
}

const NOW = '2025-01-01T00:00:00Z';

export const cond = (type: string, status: 'True' | 'False' | 'Unknown', reason: string, message = '') =>
  ({ type, status, reason, message, lastTransitionTime: NOW, observedGeneration: 3 });

export function resource(status: Record<string, unknown> | undefined, generation = 3, kind: 'AbiInstance' | 'VecodexSet' = 'AbiInstance'): Record<string, any> {
  const apiVersion = kind === 'AbiInstance' ? 'abi.io/v1' : 'apps.vecodex.link/v1alpha1';
  return { apiVersion, kind, metadata: { name: 'a', namespace: 'n', generation }, ...(status !== undefined ? { status } : {}) };
}

export const HEALTH_SAMPLES: readonly HealthSample[] = [
  {
    name: 'healthy: Ready=True, generation observed',
    obj: resource({ observedGeneration: 3, phase: 'Running', conditions: [cond('Ready', 'True', 'Ready', 'all 2/2 ready')] }),
    argocd: { status: 'Healthy', message: 'all 2/2 ready' },
    flux: 'Current',
    kstatus: 'Current',
  },
  {
    name: 'progressing: Reconciling=True during a rollout',
    obj: resource({ observedGeneration: 3, phase: 'Updating', conditions: [cond('Ready', 'False', 'RollingOut', 'x'), cond('Reconciling', 'True', 'RollingOut', 'rolling out 1/2')] }),
    argocd: { status: 'Progressing', message: 'rolling out 1/2' },
    flux: 'InProgress',
    kstatus: 'InProgress',
  },
  {
    name: 'progressing: Ready=False while Creating',
    obj: resource({ observedGeneration: 3, phase: 'Creating', conditions: [cond('Ready', 'False', 'Creating', '0/2 ready')] }),
    argocd: { status: 'Progressing', message: '0/2 ready' },
    flux: 'InProgress',
    kstatus: 'InProgress',
  },
  {
    name: 'degraded: Stalled=True',
    obj: resource({ observedGeneration: 3, phase: 'Failed', conditions: [cond('Ready', 'False', 'ProgressDeadlineExceeded', 'x'), cond('Stalled', 'True', 'ProgressDeadlineExceeded', 'deadline exceeded')] }),
    argocd: { status: 'Degraded', message: 'deadline exceeded' },
    flux: 'Failed',
    kstatus: 'Failed',
  },
  {
    name: 'degraded: Stalled wins over Reconciling (for CEL and Lua; kstatus takes the first)',
    obj: resource({ observedGeneration: 3, conditions: [cond('Reconciling', 'True', 'RollingOut'), cond('Stalled', 'True', 'ChildrenMissing', 'gone')] }),
    argocd: { status: 'Degraded', message: 'gone' },
    flux: 'Failed',
    kstatus: 'InProgress',
  },
  {
    name: 'degraded: Running but replicas not ready',
    obj: resource({ observedGeneration: 3, phase: 'Running', conditions: [cond('Ready', 'False', 'ReplicasNotReady', '1/3 ready')] }),
    argocd: { status: 'Degraded', message: '1/3 ready' },
    flux: 'InProgress',
    kstatus: 'InProgress',
  },
  {
    name: 'degraded: Ready=False with phase Failed',
    obj: resource({ observedGeneration: 3, phase: 'Failed', conditions: [cond('Ready', 'False', 'ChildrenMissing', '')] }),
    argocd: { status: 'Degraded', message: 'ChildrenMissing' },
    flux: 'InProgress',
    kstatus: 'InProgress',
  },
  {
    name: 'progressing: stale generation even though Ready=True',
    obj: resource({ observedGeneration: 2, phase: 'Running', conditions: [cond('Ready', 'True', 'Ready')] }, 3),
    argocd: { status: 'Progressing', message: 'Status describes generation 2, spec is at generation 3' },
    flux: 'InProgress',
    kstatus: 'InProgress',
  },
  {
    name: 'progressing: stale generation hides an old Stalled',
    obj: resource({ observedGeneration: 2, conditions: [cond('Stalled', 'True', 'ProgressDeadlineExceeded')] }, 3),
    argocd: { status: 'Progressing', message: 'Status describes generation 2, spec is at generation 3' },
    flux: 'InProgress',
    kstatus: 'InProgress',
  },
  {
    name: 'progressing: no status yet',
    obj: resource(undefined),
    argocd: { status: 'Progressing', message: 'Waiting for the status reconciler to report' },
    flux: 'Unknown',
    kstatus: 'Current',
  },
  {
    name: 'progressing: status without observedGeneration',
    obj: resource({ phase: 'Pending' }),
    argocd: { status: 'Progressing', message: 'Waiting for the status reconciler to observe generation 3' },
    flux: 'InProgress',
    kstatus: 'Current',
  },
  {
    name: 'progressing: no Ready condition',
    obj: resource({ observedGeneration: 3, conditions: [] }),
    argocd: { status: 'Progressing', message: 'Waiting for the Ready condition' },
    flux: 'InProgress',
    kstatus: 'Current',
  },
  {
    name: 'degraded: Stalled before Reconciling',
    obj: resource({ observedGeneration: 3, conditions: [cond('Stalled', 'True', 'ChildrenMissing', 'gone'), cond('Reconciling', 'True', 'RollingOut')] }),
    argocd: { status: 'Degraded', message: 'gone' },
    flux: 'Failed',
    kstatus: 'Failed',
  },
  {
    name: 'progressing: Ready=Unknown',
    obj: resource({ observedGeneration: 3, phase: 'Running', conditions: [cond('Ready', 'Unknown', 'Checking', 'not known yet')] }),
    argocd: { status: 'Progressing', message: 'Waiting for the Ready condition' },
    flux: 'InProgress',
    kstatus: 'InProgress',
  },
  {
    name: 'degraded: an outage after Ready (phase Failed, Ready=False ComponentUnavailable, no Stalled yet)',
    obj: resource({ observedGeneration: 3, phase: 'Failed', conditions: [cond('Ready', 'False', 'ComponentUnavailable', 'unavailable: a: 0/3 ready'), cond('Available', 'False', 'ComponentUnavailable', 'unavailable: a: 0/3 ready')] }),
    argocd: { status: 'Degraded', message: 'unavailable: a: 0/3 ready' },
    flux: 'InProgress',
    kstatus: 'InProgress',
  },
  {
    name: 'degraded: an HPA-managed workload scaled to 0 by hand (Stalled AutoscalingDisabled)',
    obj: resource({ observedGeneration: 3, phase: 'Failed', conditions: [cond('Ready', 'False', 'AutoscalingDisabled', 'x'), cond('Stalled', 'True', 'AutoscalingDisabled', 'a: scaled to 0'), cond('Available', 'False', 'ComponentUnavailable', 'x')] }),
    argocd: { status: 'Degraded', message: 'a: scaled to 0' },
    flux: 'Failed',
    kstatus: 'Failed',
  },
];
