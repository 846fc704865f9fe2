/**
 * The raw JSON shape of a Kubernetes object as the API server sends it. The
 * reconciler reads children as plain JSON (not client-node's typed classes,
 * which turn timestamps into Date objects) so that what it compares and writes
 * is byte-for-byte what the API server stores.
 */
interface KubeObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly generation?: number;
  readonly resourceVersion?: string;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: KubeObjectMeta;
  readonly spec?: any;
  readonly status?: any;
}
