import { ApiObjectMetadata } from 'cdk8s';
import { ClusterProfile } from './cluster-profile';

/** What every instance chart takes: one custom resource, and the cluster it renders for. */
export interface InstanceChartProps<Spec> {
  /** The custom resource's metadata; name is required. */
  readonly metadata: ApiObjectMetadata & { readonly name: string };
  /** The spec, exactly as in the custom resource (the generated classes' props form). */
  readonly spec: Spec;
  /**
   * Settings of the target cluster (GPU node conventions, storage class, Prometheus Operator, image registry).
   * @default NVIDIA GPU Operator conventions, the default StorageClass, ServiceMonitor rendered, images as written
   */
  readonly cluster?: ClusterProfile;
  /**
   * Render the custom resource itself, so the status reconciler, Argo CD and
   * Flux can report on it. Requires its CRD in the cluster.
   * @default true
   */
  readonly includeCustomResource?: boolean;
}
