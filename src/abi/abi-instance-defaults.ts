/**
 * Upstream's defaults (deploy/kubernetes/operator/config/crd/abi_v1_instance.yaml at
 * 74b8138c). The CRD schema declares them and the library applies them itself:
 * the API server only defaults a nested field when its parent object is present.
 */
export const ABI_DEFAULTS = {
  replicas: 1,
  // Upstream defaults the tag to `latest` with IfNotPresent: nodes never
  // re-pull, and a push rolls nothing out. A versioned default (upstream's
  // chart appVersion 1.0.0, tagged like its `v1.0.0-cuda` sample), and a pull
  // policy that follows the reference (src/shared/image-policy.ts).
  image: { repository: 'ghcr.io/abi/abi', tag: 'v1.0.0' },
  features: { ai: true, gpu: false, database: true, network: true, web: true, profiling: false },
  gpu: { backend: 'auto', count: 1 },
  // Upstream's YAML defaults these; its Go type does not. The YAML is what the
  // API server applies, so it is what a user of the Go operator got.
  resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1000m', memory: '1Gi' } },
  storage: { enabled: true, size: '10Gi', accessModes: ['ReadWriteOnce'] },
  // Our extension: logs and /tmp with storage on; with it off /data is an
  // emptyDir, bounded by the limit, which then defaults to storage.size.
  ephemeralStorage: { request: '256Mi', limit: '2Gi', withoutStorageRequest: '1Gi' },
  networking: { httpPort: 8080, metricsPort: 9090, grpcPort: 50051, serviceType: 'ClusterIP' },
  config: { logLevel: 'info', logFormat: 'json', tracing: false },
  llm: { provider: 'ollama', ollamaHost: 'http://ollama-service:11434', model: 'llama3' },
  // Our extension (llm.modelSource): the downloader image, named without a
  // registry so a cluster profile's imageRegistry mirror applies to it.
  modelFetcherImage: 'curlimages/curl:8.11.1',
  secretKeys: { openai: 'api-key', anthropic: 'api-key', huggingface: 'token' },
  highAvailability: { enabled: false, antiAffinity: 'soft' },
  autoscaling: { enabled: false, minReplicas: 1, maxReplicas: 10, targetCPUUtilization: 80 },
} as const;

export const GPU_BACKENDS = ['auto', 'cuda', 'vulkan', 'metal', 'webgpu', 'none'] as const;
export type GpuBackend = (typeof GPU_BACKENDS)[number];
export const LLM_PROVIDERS = ['ollama', 'openai', 'anthropic', 'huggingface', 'local'] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];
export const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany'] as const;
