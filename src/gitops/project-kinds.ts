/**
 * The kinds the Argo CD project permits: every kind the platform and the
 * products can render, not only what renders now. Argo CD's resources
 * finalizer deletes only the live objects the project still permits
 * (application-controller getPermittedAppLiveObjects), and the root sync
 * updates the project (wave -2) before it prunes an instance's Application; a
 * whitelist narrowed to what renders now would drop a kind together with the
 * last instance rendering it and leave that instance's objects behind.
 */
import { BUILT_IN_PRODUCTS } from '../products/built-in-products';
import { ProductDefinition } from '../products/product-definition';
import { GroupKind, isClusterScopedKind } from './rendered-inventory';

/**
 * What platform/ (CRDs, the status reconciler with its RBAC, Service,
 * NetworkPolicy and PodDisruptionBudget) and the <namespace>/_namespace/
 * folders render.
 */
const PLATFORM_KINDS: readonly GroupKind[] = [
  { group: '', kind: 'Namespace' }, { group: '', kind: 'Service' }, { group: '', kind: 'ServiceAccount' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { group: 'policy', kind: 'PodDisruptionBudget' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' }, { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
];

/** Every kind the platform and `products` can render: each product's custom resource and its renderableKinds. */
export function renderableKinds(products: readonly ProductDefinition[] = BUILT_IN_PRODUCTS): GroupKind[] {
  return [
    ...PLATFORM_KINDS,
    ...products.flatMap((p) => [{ group: p.group, kind: p.kind }, ...p.renderableKinds]),
  ];
}

/**
 * The project's whitelists: the renderable kinds plus whatever renders now
 * (so an undeclared kind still syncs; test/gitops/project-kinds.test.ts keeps
 * the declarations complete), deduplicated and sorted by group then kind.
 */
export function projectKinds(
  rendered: readonly GroupKind[], products?: readonly ProductDefinition[],
): { namespacedKinds: GroupKind[]; clusterKinds: GroupKind[] } {
  const byKey = new Map<string, GroupKind>();
  for (const gk of [...renderableKinds(products), ...rendered]) byKey.set(`${gk.group}/${gk.kind}`, { group: gk.group, kind: gk.kind });
  const sorted = [...byKey.keys()].sort().map((k) => byKey.get(k)!);
  return { namespacedKinds: sorted.filter((gk) => !isClusterScopedKind(gk)), clusterKinds: sorted.filter(isClusterScopedKind) };
}
