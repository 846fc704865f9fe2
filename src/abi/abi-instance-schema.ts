/**
 * The AbiInstance openAPIV3Schema: the single source for the CRD we ship, the
 * ajv validation of spec files, and (through `cdk8s import`) the typed classes
 * in imports/. Field names, types, enums and defaults follow upstream's CRD
 * YAML; where upstream's Go type and YAML disagree the comment says which
 * reading we took and why.
 */
import { statusContractProperties } from '../shared/status';
import { ANTI_AFFINITY_MODES, IMAGE_PULL_POLICIES } from '../shared/workload-options';
import { ACCESS_MODES, ABI_DEFAULTS as D, GPU_BACKENDS, LLM_PROVIDERS } from './abi-instance-defaults';

type Schema = Record<string, unknown>;

/** Largest value of a Kubernetes int32 field (HPA replicas, PDB counts). */
const INT32_MAX = 2 ** 31 - 1;

const bool = (def: boolean, description: string): Schema => ({ type: 'boolean', default: def, description });

/** A resource quantity, accepted as string or number like Kubernetes' own quantities. */
/** No schema default: the default depends on storage.enabled (resolve-abi-spec.ts). */
const ephemeralQuantity = (description: string): Schema => {
  const { default: _none, ...rest } = quantity('', description);
  return rest;
};

const quantity = (def: string, description: string): Schema => ({
  'x-kubernetes-int-or-string': true,
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
  default: def,
  description,
});

const secretKeySelector = (defaultKey: string, what: string): Schema => ({
  type: 'object',
  description: `Secret holding the ${what}; rendered only as a secretKeyRef, never as a value.`,
  // Upstream's Go type requires name; its YAML does not. A reference without a
  // name cannot resolve, so we require it.
  required: ['name'],
  properties: {
    name: { type: 'string', description: 'Secret name in the instance namespace.' },
    key: { type: 'string', default: defaultKey, description: `Key in the Secret (default "${defaultKey}").` },
  },
});

export function abiInstanceSpecSchema(): Schema {
  return {
    type: 'object',
    required: ['replicas'],
    properties: {
      replicas: { type: 'integer', format: 'int32', minimum: 0, maximum: 100, default: D.replicas, description: 'Number of ABI replicas. Ignored while autoscaling is enabled (the HPA owns the count).' },
      image: {
        type: 'object',
        description: 'Container image.',
        properties: {
          repository: { type: 'string', default: D.image.repository },
          tag: { type: 'string', default: D.image.tag },
          digest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$', description: 'Image digest (sha256:<64 hex>). Pulled as repository@digest, or repository:tag@digest when tag is set in the spec; the tag then only names the version.' },
          pullPolicy: { type: 'string', enum: [...IMAGE_PULL_POLICIES], description: 'Default: Always when the image floats (tag latest, no digest), otherwise IfNotPresent.' },
          pullSecrets: {
            type: 'array',
            items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
          },
        },
      },
      features: {
        type: 'object',
        description: 'Feature flags. ai and database choose what the container serves; gpu schedules onto GPU nodes; network, web and profiling are compile-time options of the ABI binary and are only reported.',
        properties: {
          ai: bool(D.features.ai, 'Serve the LLM API (`abi llm serve`).'),
          gpu: bool(D.features.gpu, 'Schedule onto GPU nodes and request gpu.count GPUs.'),
          database: bool(D.features.database, 'Enable the vector database (ABI_DB_PATH); serves `abi db serve` when ai is false.'),
          network: bool(D.features.network, 'Compile-time option of the image; reported in status only.'),
          web: bool(D.features.web, 'Compile-time option of the image; reported in status only.'),
          profiling: bool(D.features.profiling, 'Compile-time option of the image; reported in status only.'),
        },
      },
      gpu: {
        type: 'object',
        description: 'GPU settings; only allowed when features.gpu is true.',
        properties: {
          // Upstream lists metal and webgpu too; they are kept for schema
          // compatibility and rejected with a hint by the semantic rules.
          backend: { type: 'string', enum: [...GPU_BACKENDS], default: D.gpu.backend },
          count: { type: 'integer', minimum: 0, maximum: 8, default: D.gpu.count },
          // Upstream's YAML has this pattern and its Go type does not; the
          // pattern is the stricter reading and the only one we can schedule on.
          memory: { type: 'string', pattern: '^[0-9]+(Gi|Mi)$', description: 'Minimum GPU memory; pods only land on GPUs with at least this much.' },
        },
      },
      resources: {
        type: 'object',
        description: 'CPU and memory requests and limits. GPUs come from gpu.count, never from here.',
        // Upstream's Go type is a full ResourceRequirements, its YAML only cpu
        // and memory. We keep the YAML's shape: an nvidia.com/gpu limit here
        // would be pruned by the structural schema and could contradict gpu.count.
        properties: {
          requests: {
            type: 'object',
            properties: {
              cpu: quantity(D.resources.requests.cpu, 'CPU request.'),
              memory: quantity(D.resources.requests.memory, 'Memory request.'),
              'ephemeral-storage': ephemeralQuantity('Local ephemeral storage request (extension). Default: 256Mi, 1Gi when storage is disabled.'),
            },
          },
          limits: {
            type: 'object',
            properties: {
              cpu: quantity(D.resources.limits.cpu, 'CPU limit.'),
              memory: quantity(D.resources.limits.memory, 'Memory limit.'),
              'ephemeral-storage': ephemeralQuantity('Local ephemeral storage limit (extension): logs, /tmp and, when storage is disabled, the /data emptyDir, whose sizeLimit it is. Default: 2Gi, storage.size when storage is disabled.'),
            },
          },
        },
      },
      storage: {
        type: 'object',
        description: 'Persistent storage for /data (database, model cache).',
        properties: {
          enabled: bool(D.storage.enabled, 'Mount a persistent volume at /data; an emptyDir otherwise.'),
          size: { type: 'string', default: D.storage.size },
          storageClassName: { type: 'string' },
          accessModes: { type: 'array', items: { type: 'string', enum: [...ACCESS_MODES] }, default: [...D.storage.accessModes] },
        },
      },
      networking: {
        type: 'object',
        properties: {
          httpPort: { type: 'integer', minimum: 1, maximum: 65535, default: D.networking.httpPort },
          metricsPort: { type: 'integer', minimum: 1, maximum: 65535, default: D.networking.metricsPort },
          grpcPort: { type: 'integer', minimum: 1, maximum: 65535, default: D.networking.grpcPort },
          serviceType: { type: 'string', enum: ['ClusterIP', 'NodePort', 'LoadBalancer'], default: D.networking.serviceType },
        },
      },
      config: {
        type: 'object',
        properties: {
          logLevel: { type: 'string', enum: ['debug', 'info', 'warn', 'error'], default: D.config.logLevel },
          logFormat: { type: 'string', enum: ['json', 'text'], default: D.config.logFormat },
          tracing: bool(D.config.tracing, 'Enable tracing to jaegerEndpoint.'),
          jaegerEndpoint: { type: 'string' },
        },
      },
      llm: {
        type: 'object',
        properties: {
          provider: { type: 'string', enum: [...LLM_PROVIDERS], default: D.llm.provider },
          ollamaHost: { type: 'string', default: D.llm.ollamaHost },
          model: { type: 'string', default: D.llm.model, description: 'Model name; for provider local, a GGUF file name or absolute path (relative names resolve under /data/models).' },
          // Not upstream's: upstream has no way to put a local model on the volume.
          modelSource: {
            type: 'object',
            description: 'Extension (not in upstream\'s CRD), provider local only: where an init container downloads the GGUF file to, when it is not on the volume yet.',
            required: ['url'],
            properties: {
              url: { type: 'string', pattern: '^https?://\\S+$', description: 'HTTP(S) URL of the GGUF file (public: no credentials are sent).' },
              sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'Expected SHA-256 (lower-case hex) of the download; a mismatch fails the init container.' },
              image: { type: 'string', default: D.modelFetcherImage, description: 'Image with sh, curl and sha256sum that runs the download.' },
            },
          },
        },
      },
      secrets: {
        type: 'object',
        properties: {
          openaiApiKeySecret: secretKeySelector(D.secretKeys.openai, 'OpenAI API key'),
          anthropicApiKeySecret: secretKeySelector(D.secretKeys.anthropic, 'Anthropic API key'),
          // Upstream's YAML defaults the key to "token", its Go type to "api-key".
          // The YAML is what the API server applied, so existing Secrets use "token".
          huggingfaceTokenSecret: secretKeySelector(D.secretKeys.huggingface, 'Hugging Face token'),
        },
      },
      networkPolicy: {
        type: 'object',
        description: 'NetworkPolicy of this instance (extension). enabled defaults to the cluster profile\'s networkPolicy.enabled (true).',
        properties: { enabled: { type: 'boolean' } },
      },
      highAvailability: {
        type: 'object',
        properties: {
          enabled: bool(D.highAvailability.enabled, 'Spread replicas over nodes and zones.'),
          antiAffinity: { type: 'string', enum: [...ANTI_AFFINITY_MODES], default: D.highAvailability.antiAffinity },
          podDisruptionBudget: {
            type: 'object',
            properties: {
              // int32 in policy/v1 (IntOrString's IntVal): without the bound the API server stores what a client wrapped.
              minAvailable: { type: 'integer', format: 'int32', minimum: 0, maximum: INT32_MAX },
              maxUnavailable: { type: 'integer', format: 'int32', minimum: 0, maximum: INT32_MAX },
            },
          },
        },
      },
      autoscaling: {
        type: 'object',
        properties: {
          enabled: bool(D.autoscaling.enabled, 'Render a HorizontalPodAutoscaler that owns the replica count.'),
          // int32 in autoscaling/v2: an unbounded integer here once stored 4294967306 as 10.
          minReplicas: { type: 'integer', format: 'int32', minimum: 1, maximum: INT32_MAX, default: D.autoscaling.minReplicas },
          maxReplicas: { type: 'integer', format: 'int32', minimum: 1, maximum: INT32_MAX, default: D.autoscaling.maxReplicas },
          targetCPUUtilization: { type: 'integer', minimum: 1, maximum: 100, default: D.autoscaling.targetCPUUtilization },
          // Upstream's Go type has no bounds; its YAML does. Utilization above 100 % is meaningless.
          targetMemoryUtilization: { type: 'integer', minimum: 1, maximum: 100 },
        },
      },
    },
  };
}

export function abiInstanceStatusSchema(): Schema {
  const int = { type: 'integer', format: 'int32' };
  return {
    type: 'object',
    description: 'Written by the status reconciler; never by users.',
    properties: {
      ...statusContractProperties(),
      replicas: int,
      readyReplicas: int,
      availableReplicas: int,
      updatedReplicas: int,
      version: { type: 'string', description: 'Image tag actually rolled out.' },
      enabledFeatures: { type: 'array', items: { type: 'string' } },
      endpoints: {
        type: 'object',
        properties: { http: { type: 'string' }, grpc: { type: 'string' }, metrics: { type: 'string' }, ingress: { type: 'string' } },
      },
      configHash: { type: 'string' },
    },
  };
}
