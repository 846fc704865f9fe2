/**
 * Object names derived from a VecodexSet's name. They are public API: a rename
 * orphans the old object, and for workloads changes immutable selectors.
 * Workload, Ingress and selector names are upstream's, so a VecodexSet
 * migrated from the Go operator applies over the objects it left behind.
 */
export interface VecodexObjectNames {
  readonly coordinator: string;
  readonly writer: string;
  /** The headless Service of all searchers. */
  readonly searcherService: string;
  readonly etcd: string;
  readonly minio: string;
  /** Headless governing Services of the managed etcd and MinIO StatefulSets. */
  readonly etcdHeadless: string;
  readonly minioHeadless: string;
  readonly ingress: string;
  readonly serviceMonitor: string;
  /** Default name of the S3 credentials Secret (referenced, never rendered). */
  readonly s3CredentialsSecret: string;
  /** Workload of one searcher shard; `undefined` is the unsharded searcher. */
  searcher(shard?: string): string;
  /**
   * Headless Service of one shard's searchers, which the writer and the
   * coordinator wait on at start-up; `undefined` is the unsharded searcher,
   * whose shard is the whole `searcherService`. Equal to the shard's workload
   * name, so the Deployment name limit (52) also keeps it a valid Service name (63).
   */
  searcherShardService(shard?: string): string;
  /** ConfigMap holding a workload's config JSON. */
  configMap(workload: string): string;
}

export function vecodexObjectNames(instance: string): VecodexObjectNames {
  return {
    coordinator: `${instance}-coordinator`,
    writer: `${instance}-writer`,
    searcherService: `${instance}-searcher`,
    etcd: `${instance}-etcd`,
    minio: `${instance}-minio`,
    etcdHeadless: `${instance}-etcd-headless`,
    minioHeadless: `${instance}-minio-headless`,
    ingress: `${instance}-ingress`,
    serviceMonitor: instance,
    s3CredentialsSecret: `${instance}-s3-credentials`,
    searcher: (shard?: string) => (shard === undefined ? `${instance}-searcher` : `${instance}-searcher-${shard}`),
    searcherShardService: (shard?: string) => (shard === undefined ? `${instance}-searcher` : `${instance}-searcher-${shard}`),
    configMap: (workload: string) => `${workload}-config`,
  };
}

/** Status/component key of a searcher workload: `searcher-<shard>`, `searcher-0` for the unsharded one. */
export function searcherComponentKey(shard: string): string {
  return `searcher-${shard}`;
}

/** Shard id of the unsharded searcher, as written into its config (upstream's first shard is "0"). */
export const DEFAULT_SHARD_ID = '0';
