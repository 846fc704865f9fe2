/**
 * Everything the status reconciler reads and writes on the API server, in one
 * table: the controller's informers (controller.ts) and the ClusterRole
 * (status-reconciler.ts) are both made from it, so the RBAC cannot drift from
 * what the code watches. kubebuilder keeps RBAC beside the code that needs it
 * for the same reason (its `+kubebuilder:rbac` markers sit on the reconciler).
 */
import { ProductDefinition } from '../products/product-definition';
import { LABEL_INSTANCE, LABEL_PART_OF } from '../shared/labels';
import type { ObservedChildren } from './compute-status';
import { EVENT_RBAC_RULE } from './events';

/** An RBAC PolicyRule, as the ClusterRole renders it. */
export interface PolicyRule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
}

/** An informer's collection: what the controller lists and watches. */
export interface WatchedResource {
  /** Informer name in logs and metrics: the kind. */
  readonly name: string;
  readonly path: string;
  /** @default every object */
  readonly labelSelector?: string;
}

/** An informer needs list and watch; get lets `kubectl auth can-i` and debugging read single objects. */
const READ_VERBS = ['get', 'list', 'watch'];
/** The reconciler PUTs the status subresource; patch is granted for kubectl-style tooling of the same identity. */
const STATUS_VERBS = ['update', 'patch'];

/** The children the reconciler watches (read only), in the order the ClusterRole lists them. */
export const CHILD_KINDS = [
  { kind: 'Deployment', group: 'apps', version: 'v1', resource: 'deployments', field: 'deployments' },
  { kind: 'StatefulSet', group: 'apps', version: 'v1', resource: 'statefulsets', field: 'statefulSets' },
  { kind: 'HorizontalPodAutoscaler', group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', field: 'autoscalers' },
  { kind: 'Service', group: '', version: 'v1', resource: 'services', field: 'services' },
  { kind: 'Ingress', group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', field: 'ingresses' },
  { kind: 'PodDisruptionBudget', group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', field: 'disruptionBudgets' },
] as const satisfies ReadonlyArray<{ kind: string; group: string; version: string; resource: string; field: keyof ObservedChildren }>;

export type ChildKind = (typeof CHILD_KINDS)[number]['kind'];

/** The collection path of a resource: the core group lives under /api, every other under /apis/<group>. */
function collectionPath(group: string, version: string, resource: string): string {
  return group === '' ? `/api/${version}/${resource}` : `/apis/${group}/${version}/${resource}`;
}

/**
 * Only rendered objects carry both labels, part-of naming a watched product:
 * the selector keeps the caches small.
 */
function childLabelSelector(products: ReadonlyArray<Pick<ProductDefinition, 'name'>>): string {
  return `${LABEL_PART_OF} in (${products.map((p) => p.name).join(',')}),${LABEL_INSTANCE}`;
}

/**
 * The informers of a reconciler watching `products`: each product's custom
 * resources, then the children of all (none without a product: nothing could
 * own them, and `in ()` is no valid selector).
 */
export function watchedResources(products: readonly ProductDefinition[]): {
  resources: Array<WatchedResource & { product: string }>; children: Array<WatchedResource & { kind: ChildKind }>;
} {
  const labelSelector = childLabelSelector(products);
  return {
    resources: products.map((p) => ({ product: p.name, name: p.kind, path: collectionPath(p.group, p.version, p.plural) })),
    children: products.length === 0 ? [] : CHILD_KINDS.map((c) => ({
      kind: c.kind, name: c.kind, path: collectionPath(c.group, c.version, c.resource), labelSelector,
    })),
  };
}

/**
 * The ClusterRole rules of a reconciler watching `products`: read its custom
 * resources and write only their status; read the children (one rule per API
 * group, in table order); record Events. No Secrets, no create/update/delete
 * of any workload.
 */
export function clusterRoleRules(products: readonly ProductDefinition[]): PolicyRule[] {
  const childRules = new Map<string, string[]>();
  for (const c of CHILD_KINDS) childRules.set(c.group, [...(childRules.get(c.group) ?? []), c.resource]);
  return [
    ...products.flatMap((p) => [
      { apiGroups: [p.group], resources: [p.plural], verbs: READ_VERBS },
      { apiGroups: [p.group], resources: [`${p.plural}/status`], verbs: STATUS_VERBS },
    ]),
    ...[...childRules].map(([group, resources]) => ({ apiGroups: [group], resources, verbs: READ_VERBS })),
    EVENT_RBAC_RULE,
  ];
}
