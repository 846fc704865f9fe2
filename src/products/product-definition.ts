/**
 * One product (a custom resource kind and everything it renders), as every
 * part of the library needs to know it. The pipeline loads, validates and
 * renders instances with it; crds/ and the platform bundle's CRDs come from
 * it; the Argo CD and Flux health checks are registered for it; the status
 * reconciler watches it, derives its RBAC, indexes its children and writes its
 * status with it. Each product writes one (src/abi/abi-product.ts,
 * src/vecodex/vecodex-product.ts) and src/products/built-in-products.ts lists
 * them; docs/adding-a-product.md walks through adding a third.
 */
import { ApiObjectMetadata, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { ComputedStatus } from '../reconciler/compute-status';
import { ExpectedChildren } from '../shared/children';
import { ResolvedClusterProfile } from '../shared/cluster-profile';
import { DerivedName } from '../shared/naming';
import { ValidationIssue } from '../shared/validation-issue';
import { wireToProps } from '../shared/wire-to-props';

/** What a product's chart is constructed with. */
export interface ProductRenderProps<Spec> {
  /** The instance's metadata; `name` becomes the prefix of every object name. */
  readonly metadata: ApiObjectMetadata & { name: string };
  /** The instance's spec, already checked against the product's schema and rules. */
  readonly spec: Spec;
  /** The cluster the instance renders for. */
  readonly cluster: ResolvedClusterProfile;
}

/**
 * What a product writes. `Spec` is the spec in generated-props form (the
 * class `cdk8s import` generated from the CRD: camel-cased keys, int-or-string
 * wrapped), which is what the pipeline and the reconciler both hand to the
 * product's functions.
 *
 * Functions are declared as methods so a `ProductDefinition<AbiInstanceSpec>`
 * is a `ProductDefinition` (the lists hold products of different specs; each
 * receives only specs its own schema accepted).
 */
export interface ProductDefinitionProps<Spec> {
  /** The product: app.kubernetes.io/part-of on its objects, the reconciler's `--products` value and work-queue prefix. */
  readonly name: string;
  /** API group, e.g. `abi.io`. */
  readonly group: string;
  /** The one served and stored version, e.g. `v1`. */
  readonly version: string;
  /** The custom resource's kind, e.g. `AbiInstance`. */
  readonly kind: string;
  /** The CRD's plural (its resource name), e.g. `abiinstances`. */
  readonly plural: string;
  /** The pod template annotation its workloads carry the config hash in (configHashAnnotation(group)). */
  readonly configHashAnnotation: string;
  /** The CRD's spec schema (openAPIV3Schema of `.spec`). */
  readonly specSchema: Record<string, unknown>;
  /** The CRD's status schema: the shared status contract plus the product's counts and endpoints. */
  readonly statusSchema: Record<string, unknown>;
  /** The CRD, as crds/ and each cluster's platform/crds.yaml ship it. */
  crd(scope: Construct, id: string): Construct;
  /**
   * Every kind render() can make for some spec and cluster, besides the custom
   * resource itself. The Argo CD project permits all of them whether or not an
   * instance renders one now: Argo CD deletes only objects its project still
   * permits, so a whitelist that shrank with the last instance rendering a kind
   * would leave that instance's objects behind (docs/gitops.md). `group` is ''
   * for the core group.
   */
  readonly renderableKinds: ReadonlyArray<{ readonly group: string; readonly kind: string }>;

  /** Object names derived from the instance name, checked against their length limits before anything renders. */
  derivedNames(name: string): DerivedName[];
  /** Rules the schema cannot express; `spec` is already schema-valid. */
  rules(spec: Spec, cluster: ResolvedClusterProfile, name: string): ValidationIssue[];
  /** Things worth saying that do not stop synthesis (printed on stderr). @default none */
  warnings?(spec: Spec, cluster: ResolvedClusterProfile): ValidationIssue[];
  /** Renders one instance into its own chart. */
  render(scope: Construct, id: string, props: ProductRenderProps<Spec>): Chart;

  /** What an instance owns, from the same code that renders it; the reconciler compares it with the cluster. */
  expectedChildren(name: string, namespace: string, spec: Spec): ExpectedChildren;
  /**
   * The spec as stored on the API server (or written in YAML) → `Spec`.
   * @default wireToProps against specSchema
   */
  specFromWire?(wire: unknown): Spec;
  /** Feature names reported in status.enabledFeatures (if the status schema has them). @default none */
  enabledFeatures?(spec: Spec): readonly string[];
  /**
   * The computed status in exactly the CRD's status schema: the API server
   * prunes anything else, which would make every comparison differ and
   * every reconcile write.
   */
  toWireStatus(status: ComputedStatus): Record<string, unknown>;
}

/** A product as the library reads it: what it wrote plus what follows from it. */
export interface ProductDefinition<Spec = unknown> extends ProductDefinitionProps<Spec> {
  /** `<group>/<version>`. */
  readonly apiVersion: string;
  /** The whole-object schema the loader validates documents against (spec required, status allowed). */
  readonly schema: Record<string, unknown>;
  /** The spec as stored on the API server (or written in YAML) → `Spec`. */
  specFromWire(wire: unknown): Spec;
  /** Feature names reported in status.enabledFeatures. */
  enabledFeatures(spec: Spec): readonly string[];
}

/** Completes a product's definition with what follows from it (apiVersion, the document schema, defaults). */
export function defineProduct<Spec>(props: ProductDefinitionProps<Spec>): ProductDefinition<Spec> {
  return {
    ...props,
    apiVersion: `${props.group}/${props.version}`,
    schema: {
      type: 'object',
      required: ['spec'],
      properties: { spec: props.specSchema, status: props.statusSchema },
    },
    specFromWire: props.specFromWire ?? ((wire) => wireToProps(wire, props.specSchema) as Spec),
    enabledFeatures: props.enabledFeatures ?? (() => []),
  };
}

/** The file name of a product's CRD under crds/: `<group>_<plural>.yaml`, as controller-gen names them. */
export function crdFileName(product: Pick<ProductDefinition, 'group' | 'plural'>): string {
  return `${product.group}_${product.plural}.yaml`;
}
