/**
 * What a custom resource is expected to own, derived from its spec by the same
 * code that renders it. The reconciler compares this with what it finds in the
 * cluster; a missing child is a fact about the cluster, not a guess.
 */
export interface ExpectedWorkload {
  /** The workload's kind. */
  readonly kind: 'Deployment' | 'StatefulSet';
  /** The workload's name in the resource's namespace. */
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

/** Where clients reach an instance, as URLs of its rendered Services and Ingress. */
export interface ExpectedEndpoints {
  /** HTTP API URL. */
  readonly http?: string;
  /** gRPC address. */
  readonly grpc?: string;
  /** Prometheus metrics URL. */
  readonly metrics?: string;
  /** The Ingress host, when the resource renders an Ingress. */
  readonly ingress?: string;
  /** Vecodex: where clients write. */
  readonly writer?: string;
}

/** Everything a custom resource is expected to own (see ExpectedWorkload). */
export interface ExpectedChildren {
  /** Its Deployments and StatefulSets. */
  readonly workloads: readonly ExpectedWorkload[];
  /** Names of its Services. */
  readonly services: readonly string[];
  /** Its endpoints, reported in status once the Services exist. */
  readonly endpoints: ExpectedEndpoints;
}
