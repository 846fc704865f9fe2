import { ApiObjectMetadata, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ExpectedChildren } from '../shared/children';
import { ResolvedClusterProfile } from '../shared/cluster-profile';
import { DerivedName } from '../shared/naming';
import { ValidationIssue } from '../shared/validation-issue';

/**
 * What the pipeline needs to know about a custom resource kind: how to
 * validate a document, and how to render it. Each product registers one in
 * src/pipeline/instance-kinds.ts.
 */
export interface InstanceKind {
  readonly apiVersion: string;
  readonly kind: string;
  /** The CRD's openAPIV3Schema (whole object: apiVersion, kind, metadata, spec, status). */
  readonly schema: Record<string, unknown>;
  /** Object names derived from the instance name, checked against their length limits. */
  derivedNames(name: string): DerivedName[];
  /** Rules the schema cannot express. `spec` is already schema-valid, in generated-props form. */
  rules(spec: any, cluster: ResolvedClusterProfile, name: string): ValidationIssue[];
  /** Things worth saying that do not stop synthesis (printed on stderr). @default none */
  warnings?(spec: any, cluster: ResolvedClusterProfile): ValidationIssue[];
  /** Renders one instance into its own chart. */
  render(scope: Construct, id: string, props: { metadata: ApiObjectMetadata & { name: string }; spec: any; cluster: ResolvedClusterProfile }): Chart;
  /** What the instance owns; the reconciler compares it with the cluster. */
  expectedChildren(name: string, namespace: string, spec: any): ExpectedChildren;
}
