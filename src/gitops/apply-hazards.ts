/**
 * Rendered changes that the API server refuses, or that leave data behind. A
 * rendered diff shows them as ordinary field edits; the GitOps tool then fails
 * the sync (or succeeds and strands a volume), so the review must say so first.
 */
import { PRUNE_PROTECTION_ANNOTATIONS } from '../shared/prune-protection';
import { parseQuantity } from '../shared/quantity';
import { FieldChange, ObjectChanges } from './object-changes';
import { keyWithKind, kindOfKey } from './object-key';

export interface ApplyHazard {
  /** The rendered-diff key of the object. */
  readonly object: string;
  readonly message: string;
}

interface ImmutableField {
  readonly kind: string;
  /** Field paths as rendered-diff spells them (list items by name). */
  readonly path: RegExp;
  readonly remedy: string;
}

const RECREATE_STATEFULSET = 'the sync fails until the StatefulSet is deleted with `kubectl delete statefulset <name> --cascade=orphan` (its pods and claims stay) and re-applied; to grow storage, expand each claim `data-<name>-<n>` first';
// The managed etcd and MinIO moved to headless governing Services (docs/vecodex.md, "Headless governing Services").
const NEW_SERVICE_NAME = 'the sync fails until the StatefulSet is deleted with `kubectl delete statefulset <name> --cascade=orphan` and re-applied: its pod and claim stay, the new StatefulSet adopts them without a restart, and the pod takes the new DNS subdomain when it is next replaced';
const IMMUTABLE_FIELDS: readonly ImmutableField[] = [
  { kind: 'StatefulSet', path: /^spec\.(volumeClaimTemplates|selector|podManagementPolicy)\b/, remedy: RECREATE_STATEFULSET },
  { kind: 'StatefulSet', path: /^spec\.serviceName\b/, remedy: NEW_SERVICE_NAME },
  { kind: 'Deployment', path: /^spec\.selector\b/, remedy: 'the sync fails until the Deployment is deleted and re-applied' },
  { kind: 'PersistentVolumeClaim', path: /^spec\.(accessModes|storageClassName|volumeName|selector)\b/, remedy: 'the sync fails: a bound claim keeps these; a new claim (and a data copy) is needed' },
];

/** Hazards of one diff, in the order of its objects; `removedObjects` are the before-side objects by key (for what was removed). */
export function applyHazards(diff: ObjectChanges, removedObjects?: ReadonlyMap<string, unknown>): ApplyHazard[] {
  const hazards: ApplyHazard[] = [];
  for (const { object, fields } of diff.changed) {
    const kind = kindOfKey(object);
    for (const rule of IMMUTABLE_FIELDS.filter((r) => r.kind === kind)) {
      const hit = [...new Set(fields.filter((f) => rule.path.test(f.path)).map((f) => rootField(f.path, rule.path)))];
      if (hit.length > 0) hazards.push({ object, message: `changes ${hit.join(', ')}, which the API server refuses to update on a ${kind}: ${rule.remedy}` });
    }
    // Rendered without a strategy before, the whole object is the change.
    const strategy = fields.find((f) => (f.path === 'spec.strategy.type' && f.after === 'Recreate') || (f.path === 'spec.strategy' && (f.after as { type?: string } | undefined)?.type === 'Recreate'));
    if (kind === 'Deployment' && strategy) {
      hazards.push({ object, message: 'switches spec.strategy.type to Recreate: a server-side apply (Argo CD ServerSideApply, Flux) leaves the defaulted spec.strategy.rollingUpdate in place, which the API server refuses with Recreate; remove it from the live Deployment first (kubectl patch --type=json, op remove, path /spec/strategy/rollingUpdate), or keep RollingUpdate with maxSurge: 0' });
    }
    if (kind === 'PersistentVolumeClaim') {
      const size = fields.find((f) => f.path === 'spec.resources.requests.storage');
      if (size) hazards.push({ object, message: claimResize(size) });
    }
  }
  // An instance whose storage access mode flips renders the other workload kind under the same name.
  for (const removed of diff.removed) {
    const kind = kindOfKey(removed);
    const other = kind === 'StatefulSet' ? 'Deployment' : kind === 'Deployment' ? 'StatefulSet' : undefined;
    if (!other) continue;
    const successor = diff.added.find((added) => added === keyWithKind(removed, other));
    if (successor) {
      hazards.push({ object: successor, message: `replaces the ${kind} of the same name: its pods start on other volumes, and the data on the old ${kind === 'StatefulSet' ? 'per-replica claims (kept: the StatefulSet retains them)' : 'shared claim'} is not moved` });
    }
  }
  // A claim that leaves the output is pruned, data and all, unless it is protected.
  for (const removed of diff.removed.filter((key) => kindOfKey(key) === 'PersistentVolumeClaim')) {
    const annotations: Record<string, string> = (removedObjects?.get(removed) as any)?.metadata?.annotations ?? {};
    const protectedFromPrune = Object.entries(PRUNE_PROTECTION_ANNOTATIONS).every(([k, v]) => annotations[k] === v);
    hazards.push({
      object: removed,
      message: protectedFromPrune
        ? 'is no longer rendered: it stays in the cluster (pruning is disabled on it) with its data, and Argo CD lists it as OutOfSync until you delete it by hand, once the data is not needed'
        : 'is no longer rendered: Argo CD and Flux prune it, and with a Delete reclaim policy its data is lost; copy the data first, or apply the prune-protection annotations before this change',
    });
  }
  return hazards;
}

function claimResize(change: FieldChange): string {
  const before = parseQuantity(String(change.before));
  const after = parseQuantity(String(change.after));
  if (before !== undefined && after !== undefined && after < before) {
    return `shrinks from ${change.before} to ${change.after}: claims never shrink, the sync fails`;
  }
  return `grows from ${change.before} to ${change.after}: only a StorageClass with allowVolumeExpansion: true resizes a bound claim; otherwise the sync fails`;
}

/** The immutable field itself (`spec.volumeClaimTemplates`), not every leaf below it. */
function rootField(path: string, rule: RegExp): string {
  return rule.exec(path)![0];
}
