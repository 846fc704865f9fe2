/**
 * Defaults of the VecodexSet spec. Upstream's CRD (kube-operator at 0758187)
 * defaults only `resources`; everything else here belongs to our optional
 * extensions. The CRD schema declares them and the library applies them
 * itself: the API server only defaults a nested field when its parent object
 * is present.
 */
export const VECODEX_DEFAULTS = {
  /** Upstream's NodeSpec default, applied when a component gives no resources at all. */
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '100m', memory: '128Mi' } },
  /** The image's binary; used when a component gives no command (the image CMD passes a positional argument the binary rejects). */
  command: ['/app/cmake/build/vecodex-app'],
  index: { library: 'faiss', metric: 'L2', enable_merge: true },
  ingress: { className: 'nginx' },
  autoscaling: { enabled: false, minReplicas: 1, maxReplicas: 10, targetCPUUtilization: 80 },
  etcd: {
    // The project's own release image; docker-compose's bitnami/etcd moved to
    // a legacy registry in 2025 and is no longer maintained.
    image: 'quay.io/coreos/etcd:v3.5.21',
    storage: { size: '1Gi' },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  },
  minio: {
    image: 'quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z',
    storage: { size: '10Gi' },
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  },
  /**
   * ephemeral-storage when `resources` sets none. Writer and searchers keep
   * segment files in their working directory (an emptyDir bounded by the
   * limit); the coordinator, etcd and MinIO write only logs and /tmp (their
   * data is on volumes); the start-up wait writes nothing.
   */
  ephemeralStorage: {
    coordinator: { request: '256Mi', limit: '1Gi' },
    writer: { request: '1Gi', limit: '10Gi' },
    searcher: { request: '1Gi', limit: '10Gi' },
    etcd: { request: '64Mi', limit: '512Mi' },
    minio: { request: '64Mi', limit: '512Mi' },
    waitFor: { request: '16Mi', limit: '64Mi' },
  },
  /** Replica spread (highAvailability.antiAffinity). */
  antiAffinity: 'soft',
  /** Keys of the S3 credentials Secret; the Secret's name defaults to `<name>-s3-credentials`. */
  s3Credentials: { accessKeyKey: 'accessKey', secretKeyKey: 'secretKey' },
} as const;

export const VECODEX_COMPONENTS = ['coordinator', 'writer', 'searcher'] as const;
export type VecodexMode = typeof VECODEX_COMPONENTS[number];

export const INDEX_TYPES = ['faissHNSWFlat', 'faissFlat'] as const;
export const INDEX_LIBRARIES = ['faiss'] as const;
export const INDEX_METRICS = ['L1', 'L2', 'Linf'] as const;

/** Fixed by the binary: every upstream config listens on 44400; the Prometheus exposer is hard-coded to 8080. */
export const VECODEX_GRPC_PORT = 44400;
export const VECODEX_METRICS_PORT = 8080;
export const ETCD_CLIENT_PORT = 2379;
export const MINIO_API_PORT = 9000;
export const MINIO_CONSOLE_PORT = 9001;
