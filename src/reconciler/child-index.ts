/**
 * Maps children to the custom resource they were rendered for, by the
 * instance labels every rendered object carries, so an event on a child
 * re-queues exactly its owner and a reconcile reads its children in O(1).
 */
import { BUILT_IN_PRODUCTS } from '../products/built-in-products';
import { LABEL_INSTANCE, LABEL_PART_OF, Product } from '../shared/labels';
import { NO_CHILDREN, ObservedChildren } from './compute-status';
import { KubeObject } from './kube-object';
import { CHILD_KINDS, ChildKind } from './watched-kinds';

export type { ChildKind } from './watched-kinds';

const BUILT_IN_NAMES: readonly string[] = BUILT_IN_PRODUCTS.map((p) => p.name);

/** `<product>/<namespace>/<name>`: the work-queue key of a custom resource. */
export function resourceKey(product: Product, namespace: string, name: string): string {
  return `${product}/${namespace}/${name}`;
}

export function parseResourceKey(key: string): { product: string; namespace: string; name: string } {
  const [product, namespace, ...rest] = key.split('/');
  return { product, namespace, name: rest.join('/') };
}

/**
 * The key of the custom resource a child belongs to, or undefined if it
 * carries no (valid) instance labels of one of `products`.
 * @param products product names @default every built-in product
 */
export function ownerKeyOf(obj: KubeObject, products: readonly string[] = BUILT_IN_NAMES): string | undefined {
  const labels = obj.metadata.labels ?? {};
  const product = labels[LABEL_PART_OF];
  const instance = labels[LABEL_INSTANCE];
  if (!product || !instance || !products.includes(product)) return undefined;
  return resourceKey(product, obj.metadata.namespace ?? 'default', instance);
}

const FIELD = Object.fromEntries(CHILD_KINDS.map((c) => [c.kind, c.field])) as Record<ChildKind, keyof ObservedChildren>;

export class ChildIndex {
  private readonly byOwner = new Map<string, Map<string, { kind: ChildKind; obj: KubeObject }>>();
  private readonly ownerOf = new Map<string, string>();

  /** @param products the product names whose children it indexes @default every built-in product */
  constructor(private readonly products: readonly string[] = BUILT_IN_NAMES) {}

  /** Records a child; returns the owners whose children changed (old and new owner if its labels moved). */
  public upsert(kind: ChildKind, obj: KubeObject): string[] {
    const id = childId(kind, obj);
    const previous = this.ownerOf.get(id);
    const owner = ownerKeyOf(obj, this.products);
    const affected = new Set<string>();
    if (previous !== undefined && previous !== owner) {
      this.byOwner.get(previous)?.delete(id);
      this.ownerOf.delete(id);
      affected.add(previous);
    }
    if (owner !== undefined) {
      let children = this.byOwner.get(owner);
      if (!children) this.byOwner.set(owner, (children = new Map()));
      children.set(id, { kind, obj });
      this.ownerOf.set(id, owner);
      affected.add(owner);
    }
    return [...affected];
  }

  public remove(kind: ChildKind, obj: KubeObject): string[] {
    const id = childId(kind, obj);
    const owner = this.ownerOf.get(id);
    if (owner === undefined) return [];
    this.ownerOf.delete(id);
    const children = this.byOwner.get(owner);
    children?.delete(id);
    if (children?.size === 0) this.byOwner.delete(owner);
    return [owner];
  }

  public children(ownerKey: string): ObservedChildren {
    const entries = this.byOwner.get(ownerKey);
    if (!entries) return NO_CHILDREN;
    const out: Record<keyof ObservedChildren, KubeObject[]> = {
      deployments: [], statefulSets: [], autoscalers: [], services: [], ingresses: [], disruptionBudgets: [],
    };
    for (const { kind, obj } of entries.values()) out[FIELD[kind]].push(obj);
    return out;
  }

  public get size(): number {
    return this.ownerOf.size;
  }
}

function childId(kind: ChildKind, obj: KubeObject): string {
  return `${kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}
