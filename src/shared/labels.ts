/**
 * The one place that decides labels. Every object we render carries the
 * Kubernetes recommended labels; selectors use only the stable subset, because
 * a selector is immutable once a workload exists.
 */

/** Value of app.kubernetes.io/managed-by on everything this library renders. */
export const MANAGED_BY = 'cdk8s-abi-vecodex';

export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
const LABEL_VERSION = 'app.kubernetes.io/version';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';

/**
 * The product a custom resource belongs to: a ProductDefinition's `name`
 * (src/products/product-definition.ts), also the value of
 * app.kubernetes.io/part-of. Open, so a new product needs no edit here; the
 * list of products is src/products/built-in-products.ts.
 */
export type Product = string;

export interface RecommendedLabelsProps {
  /** The product, e.g. `abi`; becomes app.kubernetes.io/part-of. */
  readonly product: Product;
  /** The application inside the product, e.g. `abi`, `vecodex`, `etcd`, `minio`. */
  readonly name: string;
  /** The custom resource's name. */
  readonly instance: string;
  /** e.g. `server`, `coordinator`, `searcher`. */
  readonly component: string;
  /** The image tag; omitted when it is not a valid label value (e.g. a digest). */
  readonly version?: string;
}

/** The label set the reconciler uses to find a custom resource's children. */
export function instanceSelectorLabels(product: Product, instance: string): Record<string, string> {
  return { [LABEL_PART_OF]: product, [LABEL_INSTANCE]: instance };
}

/** Minimal, stable pod selector: name + instance (the seed's `-l app.kubernetes.io/instance=<name>` finds the pods). */
export function selectorLabels(props: Pick<RecommendedLabelsProps, 'name' | 'instance'>): Record<string, string> {
  return { [LABEL_NAME]: props.name, [LABEL_INSTANCE]: props.instance };
}

export function recommendedLabels(props: RecommendedLabelsProps): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL_NAME]: props.name,
    [LABEL_INSTANCE]: props.instance,
    [LABEL_COMPONENT]: props.component,
    [LABEL_PART_OF]: props.product,
    [LABEL_MANAGED_BY]: MANAGED_BY,
  };
  if (props.version !== undefined && isValidLabelValue(props.version)) {
    labels[LABEL_VERSION] = props.version;
  }
  return labels;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function isValidLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}
