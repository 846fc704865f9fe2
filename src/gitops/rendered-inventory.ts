/**
 * What a cluster's rendered objects contain, read back from the objects
 * themselves, so the Argo CD project is limited to exactly the kinds and
 * namespaces we render and the Flux health checks list exactly our custom
 * resources, whatever the charts add later.
 */
import { HEALTH_CHECKED_KINDS } from './argocd-health-check';

export interface GroupKind {
  /** API group; '' for the core group. */
  readonly group: string;
  readonly kind: string;
}

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

export interface RenderedInventory {
  /** Namespaces objects are rendered into, sorted. */
  readonly namespaces: string[];
  /** Kinds of namespaced objects, sorted by group then kind. */
  readonly namespacedKinds: GroupKind[];
  /** Kinds of cluster-scoped objects, sorted by group then kind. */
  readonly clusterKinds: GroupKind[];
}

/**
 * Cluster-scoped kinds a chart could render. Anything else is namespaced; an
 * unknown cluster-scoped kind would show up as a sync error in Argo CD
 * ("not permitted in project"), not as a silent widening.
 */
const CLUSTER_SCOPED = new Set([
  '/Namespace', '/PersistentVolume', '/Node',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'scheduling.k8s.io/PriorityClass', 'storage.k8s.io/StorageClass', 'networking.k8s.io/IngressClass',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration', 'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'apiregistration.k8s.io/APIService',
]);

interface KubeObjectLike {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: Record<string, any>;
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

function isClusterScoped(obj: { apiVersion: string; kind: string }): boolean {
  return isClusterScopedKind({ group: groupOf(obj.apiVersion), kind: obj.kind });
}

export function isClusterScopedKind(gk: GroupKind): boolean {
  return CLUSTER_SCOPED.has(`${gk.group}/${gk.kind}`);
}

export function inventoryOf(objects: readonly unknown[]): RenderedInventory {
  const namespaces = new Set<string>();
  const namespaced = new Map<string, GroupKind>();
  const clusterScoped = new Map<string, GroupKind>();
  for (const obj of objects as KubeObjectLike[]) {
    const gk = { group: groupOf(obj.apiVersion), kind: obj.kind };
    const key = `${gk.group}/${gk.kind}`;
    if (isClusterScoped(obj)) {
      clusterScoped.set(key, gk);
      if (obj.kind === 'Namespace') namespaces.add(obj.metadata.name);
    } else {
      namespaced.set(key, gk);
      namespaces.add(obj.metadata.namespace ?? 'default');
    }
  }
  const byKey = (m: Map<string, GroupKind>) => [...m.keys()].sort().map((k) => m.get(k)!);
  return { namespaces: [...namespaces].sort(), namespacedKinds: byKey(namespaced), clusterKinds: byKey(clusterScoped) };
}

/** Our custom resources among the objects (the ones with a health check), in input order. */
export function customResources(objects: readonly unknown[]): ObjectRef[] {
  return (objects as KubeObjectLike[])
    .filter((o) => HEALTH_CHECKED_KINDS.some((k) => k.group === groupOf(o.apiVersion) && k.kind === o.kind))
    .map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace ?? 'default' }));
}

/** Kinds (group/kind) whose replicas an HPA among the objects rewrites. */
export function hpaScaledKinds(objects: readonly unknown[]): GroupKind[] {
  const kinds = new Map<string, GroupKind>();
  for (const obj of objects as KubeObjectLike[]) {
    if (obj.kind !== 'HorizontalPodAutoscaler') continue;
    const target = obj.spec?.scaleTargetRef as { apiVersion?: string; kind: string } | undefined;
    if (!target) continue;
    const gk = { group: groupOf(target.apiVersion ?? 'apps/v1'), kind: target.kind };
    kinds.set(`${gk.group}/${gk.kind}`, gk);
  }
  return [...kinds.keys()].sort().map((k) => kinds.get(k)!);
}
