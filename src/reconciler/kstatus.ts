/**
 * kstatus's verdict for a custom resource that follows its conventions: what
 * Flux health checks and kstatus-based tools conclude from our status. Used
 * by tests to prove the contract.
 *
 * Rules of sigs.k8s.io/cli-utils/pkg/kstatus/status checkGenericProperties:
 * deletionTimestamp → Terminating; observedGeneration ≠ generation →
 * InProgress; Reconciling=True → InProgress; Stalled=True → Failed. Flux's
 * fork (fluxcd/cli-utils) additionally reads Ready: False → InProgress. We
 * apply both, so a status passes only if every reader agrees it is Current.
 */
import { KubeObject } from './kube-object';

export type KstatusVerdict = 'InProgress' | 'Failed' | 'Current' | 'Terminating';

export function kstatusVerdict(obj: KubeObject): KstatusVerdict {
  if (obj.metadata.deletionTimestamp) return 'Terminating';
  const status = obj.status ?? {};
  const generation = obj.metadata.generation;
  // The status must describe the current spec before anything else counts.
  if (generation !== undefined && status.observedGeneration !== undefined && status.observedGeneration !== generation) {
    return 'InProgress';
  }
  const conditions: Array<{ type: string; status: string }> = Array.isArray(status.conditions) ? status.conditions : [];
  const isTrue = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');
  if (isTrue('Reconciling')) return 'InProgress';
  if (isTrue('Stalled')) return 'Failed';
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready && ready.status === 'False') return 'InProgress';
  return 'Current';
}
