/**
 * What a custom resource is expected to own, derived from its spec by the same
 * code that renders it. The reconciler compares this with what it finds in the
 * cluster; a missing child is a fact about the cluster, not a guess.
 */
export interface ExpectedWorkload {
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly name: string;
  /** Status key: `server` for ABI; `coordinator`, `writer`, `searcher-<shard>`, `etcd`, `minio` for Vecodex. */
  readonly component: string;
  /** Name of the HorizontalPodAutoscaler that owns this workload's replica count, if any. */
  readonly autoscaler?: string;
  /**
   * The replica count the spec renders; absent when an autoscaler owns it.
   * Health is judged against this, not against a count changed on the live object.
   */
  readonly replicas?: number;
  /**
   * The autoscaler's minReplicas as the spec renders it: the floor below which
   * the workload is not Ready, whatever the autoscaler reports.
   * @default the live HorizontalPodAutoscaler's spec.minReplicas, else 1
   */
  readonly minReplicas?: number;
  /** Whether the aggregate Ready condition depends on this workload. @default true */
  readonly critical?: boolean;
  /**
   * Every other component depends on this one (Vecodex's managed etcd and
   * MinIO): while it serves nothing, the whole instance is unavailable.
   * @default false
   */
  readonly dependency?: boolean;
}

export interface ExpectedEndpoints {
  readonly http?: string;
  readonly grpc?: string;
  readonly metrics?: string;
  /** The Ingress host, when the resource renders an Ingress. */
  readonly ingress?: string;
  /** Vecodex: where clients write. */
  readonly writer?: string;
}

export interface ExpectedChildren {
  readonly workloads: readonly ExpectedWorkload[];
  readonly services: readonly string[];
  readonly endpoints: ExpectedEndpoints;
}
