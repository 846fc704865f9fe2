/**
 * kstatus's verdict for a custom resource: what Flux's default health checks
 * and other kstatus-based tools conclude from our status. Used by tests as
 * "what kstatus says", so it follows sigs.k8s.io/cli-utils
 * pkg/kstatus/status (v0.37, status.go Compute, generic.go
 * checkGenericProperties and checkGeneration, status.go checkReadyCondition)
 * rule for rule, for a kind with no built-in rules (ours):
 *
 * 1. metadata.deletionTimestamp set → Terminating.
 * 2. metadata.generation and status.observedGeneration both present and
 *    different → InProgress. A missing observedGeneration skips the check.
 * 3. The conditions in list order: the first that is Reconciling=True
 *    (→ InProgress) or Stalled=True (→ Failed) decides. With both True,
 *    whichever comes first wins.
 * 4. The first condition of type Ready: True → Current; False or Unknown →
 *    InProgress (any other status value is skipped).
 * 5. Otherwise Current: no status, `conditions: []`, or no Ready condition.
 *
 * Flux (fluxcd/cli-utils, a fork) applies the same generic rules.
 */
import { KubeObject } from './kube-object';

export type KstatusVerdict = 'InProgress' | 'Failed' | 'Current' | 'Terminating';

export function kstatusVerdict(obj: KubeObject): KstatusVerdict {
  if (obj.metadata.deletionTimestamp) return 'Terminating';
  const status = obj.status ?? {};
  const generation = obj.metadata.generation;
  if (isInteger(generation) && isInteger(status.observedGeneration) && status.observedGeneration !== generation) {
    return 'InProgress';
  }
  const conditions: Array<{ type?: unknown; status?: unknown }> = Array.isArray(status.conditions) ? status.conditions : [];
  for (const c of conditions) {
    if (c.type === 'Reconciling' && c.status === 'True') return 'InProgress';
    if (c.type === 'Stalled' && c.status === 'True') return 'Failed';
  }
  for (const c of conditions) {
    if (c.type !== 'Ready') continue;
    if (c.status === 'True') return 'Current';
    if (c.status === 'False' || c.status === 'Unknown') return 'InProgress';
  }
  return 'Current';
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}
