/**
 * The VecodexSet openAPIV3Schema: the single source for the CRD we ship, the
 * ajv validation of spec files, and (through `cdk8s import`) the typed classes
 * in imports/. Everything upstream's CRD has (kube-operator, controller-gen
 * v0.14.0 at 0758187) is reproduced field for field; everything else is an
 * optional extension, so every object the upstream CRD accepts is accepted here.
 */
import { statusContractProperties } from '../shared/status';
import { ANTI_AFFINITY_MODES, IMAGE_PULL_POLICIES } from '../shared/workload-options';
import { INDEX_LIBRARIES, INDEX_METRICS, INDEX_TYPES, VECODEX_DEFAULTS as D } from './vecodex-set-defaults';

type Schema = Record<string, unknown>;

const QUANTITY_PATTERN = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';
const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

const quantityMap = (description: string): Schema => ({
  type: 'object',
  description,
  additionalProperties: {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern: QUANTITY_PATTERN,
    'x-kubernetes-int-or-string': true,
  },
});

/** corev1.ResourceRequirements exactly as controller-gen renders it (claims, limits, requests). */
function resourceRequirements(def: unknown, what: string): Schema {
  return {
    type: 'object',
    description: `Compute resources of ${what} (corev1.ResourceRequirements). An nvidia.com/gpu (or the cluster profile's GPU resource) limit schedules the pods onto GPU nodes. Without ephemeral-storage a per-component default request and limit is added; the limit also bounds the working directory (sizeLimit).`,
    default: def,
    properties: {
      claims: {
        type: 'array',
        description: 'Names of resources, defined in the pod\'s resourceClaims, used by this container (DynamicResourceAllocation).',
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-list-type': 'map',
        items: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' } },
        },
      },
      limits: quantityMap('Maximum amount of compute resources allowed.'),
      requests: quantityMap('Minimum amount of compute resources required.'),
    },
  };
}

function autoscaling(): Schema {
  return {
    type: 'object',
    description: 'Render a HorizontalPodAutoscaler (autoscaling/v2) that owns the replica count; replicas is then only the initial count.',
    properties: {
      enabled: { type: 'boolean', default: D.autoscaling.enabled },
      minReplicas: { type: 'integer', format: 'int32', minimum: 1, default: D.autoscaling.minReplicas },
      maxReplicas: { type: 'integer', format: 'int32', minimum: 1, default: D.autoscaling.maxReplicas },
      targetCPUUtilization: { type: 'integer', format: 'int32', minimum: 1, maximum: 100, default: D.autoscaling.targetCPUUtilization },
      targetMemoryUtilization: { type: 'integer', format: 'int32', minimum: 1, maximum: 100 },
    },
  };
}

function podDisruptionBudget(): Schema {
  return {
    type: 'object',
    description: 'Render a PodDisruptionBudget (policy/v1). Set exactly one of minAvailable and maxUnavailable; it must leave room to evict a pod.',
    properties: {
      minAvailable: { type: 'integer', format: 'int32', minimum: 0 },
      maxUnavailable: { type: 'integer', format: 'int32', minimum: 0 },
    },
  };
}

const IMAGE_PULL_POLICY: Schema = { type: 'string', enum: [...IMAGE_PULL_POLICIES], description: 'Default: Always when the image floats (tag latest or no tag, no digest), otherwise IfNotPresent.' };

/** Upstream's NodeSpec: image and replicas required, command and resources optional. */
function nodeSpec(component: string, extensions: Record<string, Schema>): Schema {
  return {
    type: 'object',
    description: `The ${component} component.`,
    required: ['image', 'replicas'],
    properties: {
      image: { type: 'string', minLength: 1, description: 'Container image, e.g. ghcr.io/ivan-digital/vecodex/app:latest.' },
      replicas: {
        type: 'integer',
        format: 'int32',
        // Upstream has no bound; a negative count never rendered a valid Deployment.
        minimum: 0,
        description: component === 'searcher'
          ? 'Replicas of each searcher workload (of every shard when shards are set). Ignored while autoscaling is enabled.'
          : 'Number of replicas. Ignored while autoscaling is enabled.',
      },
      command: {
        type: 'array',
        items: { type: 'string' },
        description: `Container command (upstream ignored it; it is honoured here). Generated args (--config-path, and --hostname for searchers) are appended, so do not pass a bare mode such as "${component}": the binary declares no positional arguments. Defaults to ${JSON.stringify(D.command)}.`,
      },
      resources: resourceRequirements(D.resources, `the ${component}`),
      imagePullPolicy: IMAGE_PULL_POLICY,
      highAvailability: {
        type: 'object',
        description: `Spread of the ${component}'s replicas: pod anti-affinity on the node (preferred for soft, required for hard) and a zone spread (ScheduleAnyway). Default: on ${component === 'searcher' ? 'for every shard' : 'when more than one replica can run (replicas, or autoscaling.maxReplicas, above 1)'}.`,
        properties: {
          enabled: { type: 'boolean' },
          antiAffinity: { type: 'string', enum: [...ANTI_AFFINITY_MODES], default: D.antiAffinity },
        },
      },
      ...extensions,
    },
  };
}

function indexSchema(): Schema {
  return {
    type: 'object',
    description: 'A vector index, written by the writer and served by the searchers of every shard that lists it.',
    required: ['id', 'type', 'dim', 'threshold'],
    properties: {
      id: { type: 'string', minLength: 1, description: 'Index id (index_id in searcher configs; clients send it as the index-id attribute).' },
      library: { type: 'string', enum: [...INDEX_LIBRARIES], default: D.index.library },
      type: { type: 'string', enum: [...INDEX_TYPES] },
      dim: { type: 'integer', format: 'int32', minimum: 1, description: 'Vector dimension.' },
      metric: { type: 'string', enum: [...INDEX_METRICS], default: D.index.metric },
      threshold: { type: 'integer', format: 'int32', minimum: 1, description: 'Vectors per segment before it is sealed.' },
      M: { type: 'integer', format: 'int32', minimum: 2, description: 'HNSW neighbours per node; required for faissHNSWFlat, not allowed for faissFlat.' },
      enable_merge: { type: 'boolean', default: D.index.enable_merge, description: 'Merge sealed segments.' },
    },
  };
}

function storage(def: string, what: string): Schema {
  return {
    type: 'object',
    description: `Persistent volume (ReadWriteOnce) for ${what}.`,
    properties: {
      size: { type: 'string', pattern: QUANTITY_PATTERN, default: def },
      storageClassName: { type: 'string', description: 'Storage class; the cluster default when omitted.' },
    },
  };
}

function managed(what: string, image: string, size: string, resources: unknown): Schema {
  return {
    type: 'object',
    description: `A single-replica ${what} StatefulSet rendered with the set (the default when no external endpoint is given).`,
    properties: {
      image: { type: 'string', minLength: 1, default: image },
      imagePullPolicy: IMAGE_PULL_POLICY,
      storage: storage(size, `${what} data`),
      resources: resourceRequirements(resources, what),
    },
  };
}

const ENDPOINT = { type: 'string', pattern: '^https?://[^/:\\s]+(:[0-9]{1,5})?/?$', description: 'scheme://host[:port], as the binary\'s etcd_address / s3-host expect.' };

export function vecodexSetSpecSchema(): Schema {
  return {
    type: 'object',
    description: 'VecodexSetSpec: upstream\'s four required components plus optional extensions.',
    required: ['coordinator', 'writer', 'searcher', 'ingress'],
    properties: {
      coordinator: nodeSpec('coordinator', { autoscaling: autoscaling(), podDisruptionBudget: podDisruptionBudget() }),
      writer: nodeSpec('writer', {}),
      searcher: nodeSpec('searcher', {
        shards: {
          type: 'array',
          description: 'Searcher shards; one workload <name>-searcher-<id> per shard. Omitted: one workload <name>-searcher serving shard "0".',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['id'],
          items: {
            type: 'object',
            required: ['id'],
            properties: {
              id: { type: 'string', pattern: DNS_LABEL_PATTERN, maxLength: 20, description: 'Shard id (shard_id in the searcher config); also part of the workload name.' },
              indexes: { type: 'array', items: { type: 'string' }, description: 'Ids of the indexes this shard serves. Omitted: every index.' },
            },
          },
        },
        autoscaling: autoscaling(),
        podDisruptionBudget: podDisruptionBudget(),
      }),
      ingress: {
        type: 'object',
        required: ['host'],
        description: 'Ingress to the coordinator\'s gRPC port.',
        properties: {
          host: { type: 'string', minLength: 1 },
          // No schema default: the cluster profile's IngressClass applies when unset.
          className: { type: 'string', description: 'IngressClass; the cluster profile\'s (default "nginx") when unset. For "nginx" the GRPC backend-protocol annotation is added; other classes need their own annotation in annotations.' },
          annotations: { type: 'object', additionalProperties: { type: 'string' } },
          tls: {
            type: 'object',
            required: ['secretName'],
            description: 'TLS for the host (gRPC through ingress-nginx normally needs it).',
            properties: { secretName: { type: 'string', minLength: 1 } },
          },
        },
      },
      networkPolicy: {
        type: 'object',
        description: 'NetworkPolicies of this instance (extension). enabled defaults to the cluster profile\'s networkPolicy.enabled (true).',
        properties: { enabled: { type: 'boolean' } },
      },
      indexes: { type: 'array', items: indexSchema(), description: 'Vector indexes. Omitted: none; the cluster starts but stores nothing.', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['id'] },
      etcd: {
        type: 'object',
        description: 'etcd v3 (discovery). Exactly one of external and managed; neither means managed with defaults.',
        properties: {
          external: { type: 'object', required: ['endpoint'], properties: { endpoint: ENDPOINT } },
          managed: managed('etcd', D.etcd.image, D.etcd.storage.size, D.etcd.resources),
        },
      },
      s3: {
        type: 'object',
        description: 'S3 storage for segments. Exactly one of external and managed (MinIO); neither means managed with defaults.',
        properties: {
          external: { type: 'object', required: ['endpoint'], properties: { endpoint: ENDPOINT } },
          managed: managed('MinIO', D.minio.image, D.minio.storage.size, D.minio.resources),
          credentialsSecret: {
            type: 'object',
            description: 'Secret with the S3 access key and secret key, referenced and never rendered; default name <name>-s3-credentials. The upstream binary hard-codes user/password, so the values must be exactly those (see docs/vecodex.md).',
            properties: {
              name: { type: 'string', minLength: 1 },
              accessKeyKey: { type: 'string', default: D.s3Credentials.accessKeyKey },
              secretKeyKey: { type: 'string', default: D.s3Credentials.secretKeyKey },
            },
          },
        },
      },
    },
  };
}

export function vecodexSetStatusSchema(): Schema {
  const int = { type: 'integer', format: 'int32' };
  return {
    type: 'object',
    description: 'Written by the status reconciler; never by users.',
    properties: {
      ...statusContractProperties(),
      replicas: { ...int, description: 'Sum over all Vecodex workloads.' },
      readyReplicas: { ...int, description: 'Sum over all Vecodex workloads.' },
      availableReplicas: { ...int, description: 'Sum over all Vecodex workloads.' },
      updatedReplicas: { ...int, description: 'Sum over all Vecodex workloads.' },
      components: {
        type: 'object',
        description: 'Per component key: coordinator, writer, searcher-<shard>, etcd, minio.',
        additionalProperties: {
          type: 'object',
          properties: {
            kind: { type: 'string' },
            name: { type: 'string' },
            state: { type: 'string', description: 'Missing, Unavailable, Updating, Degraded, Ready or Failed.' },
            message: { type: 'string' },
            replicas: int,
            desiredReplicas: { ...int, description: 'From the HPA when one owns the workload.' },
            readyReplicas: int,
            availableReplicas: int,
            updatedReplicas: int,
            version: { type: 'string', description: 'Image tag actually rolled out.' },
          },
        },
      },
      endpoints: {
        type: 'object',
        properties: {
          grpc: { type: 'string', description: 'Coordinator gRPC (search).' },
          writer: { type: 'string', description: 'Writer gRPC (write).' },
          metrics: { type: 'string' },
          ingress: { type: 'string' },
          http: { type: 'string' },
        },
      },
    },
  };
}
