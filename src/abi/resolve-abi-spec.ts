/**
 * Applies every upstream default to an AbiInstance spec. The API server only
 * defaults a nested field when its parent object is present, so with
 * `spec: {replicas: 1}` it fills in nothing: the library must.
 */
import { AbiInstanceSpec } from '../../imports/abi.io';
import { EPHEMERAL_STORAGE, withEphemeralStorage } from '../shared/ephemeral-storage';
import { imagePullPolicy, ImagePullPolicy } from '../shared/image-policy';
import { Quantity } from '../shared/quantity';
import { AntiAffinityMode } from '../shared/workload-options';
import { ABI_DEFAULTS as D, GpuBackend, LlmProvider } from './abi-instance-defaults';

interface SecretKeyRef { readonly name: string; readonly key: string }

export interface ResolvedAbiSpec {
  readonly replicas: number;
  readonly image: {
    readonly repository: string;
    readonly tag: string;
    readonly digest?: string;
    /** What the container pulls (before any registry mirror): repository:tag, repository@digest or repository:tag@digest. */
    readonly reference: string;
    readonly pullPolicy: ImagePullPolicy;
    readonly pullSecrets: string[];
  };
  readonly features: {
    readonly ai: boolean; readonly gpu: boolean; readonly database: boolean;
    readonly network: boolean; readonly web: boolean; readonly profiling: boolean;
  };
  /** Present only when features.gpu is true. */
  readonly gpu?: { readonly backend: GpuBackend; readonly count: number; readonly memory?: string };
  readonly resources: {
    readonly requests: { readonly cpu: Quantity; readonly memory: Quantity };
    readonly limits: { readonly cpu: Quantity; readonly memory: Quantity };
    /** Always set (withEphemeralStorage); with storage disabled the limit bounds the /data emptyDir. */
    readonly ephemeralStorage: { readonly request: Quantity; readonly limit: Quantity };
  };
  readonly storage: { readonly enabled: boolean; readonly size: string; readonly storageClassName?: string; readonly accessModes: string[] };
  readonly networking: { readonly httpPort: number; readonly metricsPort: number; readonly grpcPort: number; readonly serviceType: string };
  readonly config: { readonly logLevel: string; readonly logFormat: string; readonly tracing: boolean; readonly jaegerEndpoint?: string };
  readonly llm: {
    readonly provider: LlmProvider;
    readonly ollamaHost: string;
    readonly model: string;
    /** Where the init container downloads a local model from (our extension). */
    readonly modelSource?: { readonly url: string; readonly sha256?: string; readonly image: string };
  };
  readonly secrets: { readonly openai?: SecretKeyRef; readonly anthropic?: SecretKeyRef; readonly huggingface?: SecretKeyRef };
  readonly highAvailability: {
    readonly enabled: boolean;
    readonly antiAffinity: AntiAffinityMode;
    readonly podDisruptionBudget?: { readonly minAvailable?: number; readonly maxUnavailable?: number };
  };
  /** Present only when autoscaling.enabled is true. */
  readonly autoscaling?: {
    readonly minReplicas: number; readonly maxReplicas: number; readonly targetCPUUtilization: number; readonly targetMemoryUtilization?: number;
  };
}

export function resolveAbiSpec(spec: AbiInstanceSpec): ResolvedAbiSpec {
  const features = {
    ai: spec.features?.ai ?? D.features.ai,
    gpu: spec.features?.gpu ?? D.features.gpu,
    database: spec.features?.database ?? D.features.database,
    network: spec.features?.network ?? D.features.network,
    web: spec.features?.web ?? D.features.web,
    profiling: spec.features?.profiling ?? D.features.profiling,
  };
  const secretRef = (ref: { name: string; key?: string } | undefined, defaultKey: string): SecretKeyRef | undefined =>
    ref ? { name: ref.name, key: ref.key ?? defaultKey } : undefined;
  const pdb = spec.highAvailability?.podDisruptionBudget;
  const reference = abiImageReference(spec.image);
  const storageEnabled = spec.storage?.enabled ?? D.storage.enabled;
  const ephemeral = withEphemeralStorage({
    requests: optional(EPHEMERAL_STORAGE, spec.resources?.requests?.ephemeralStorage?.value),
    limits: optional(EPHEMERAL_STORAGE, spec.resources?.limits?.ephemeralStorage?.value),
  }, storageEnabled
    ? { request: D.ephemeralStorage.request, limit: D.ephemeralStorage.limit }
    : { request: D.ephemeralStorage.withoutStorageRequest, limit: spec.storage?.size ?? D.storage.size });
  return {
    replicas: spec.replicas ?? D.replicas,
    image: {
      repository: spec.image?.repository ?? D.image.repository,
      tag: spec.image?.tag ?? D.image.tag,
      digest: spec.image?.digest,
      reference,
      pullPolicy: imagePullPolicy(reference, spec.image?.pullPolicy),
      pullSecrets: (spec.image?.pullSecrets ?? []).map((s) => s.name),
    },
    features,
    gpu: features.gpu ? {
      backend: spec.gpu?.backend ?? D.gpu.backend,
      count: spec.gpu?.count ?? D.gpu.count,
      memory: spec.gpu?.memory,
    } : undefined,
    resources: {
      requests: {
        cpu: spec.resources?.requests?.cpu?.value ?? D.resources.requests.cpu,
        memory: spec.resources?.requests?.memory?.value ?? D.resources.requests.memory,
      },
      limits: {
        cpu: spec.resources?.limits?.cpu?.value ?? D.resources.limits.cpu,
        memory: spec.resources?.limits?.memory?.value ?? D.resources.limits.memory,
      },
      ephemeralStorage: { request: ephemeral.requests[EPHEMERAL_STORAGE], limit: ephemeral.limits[EPHEMERAL_STORAGE] },
    },
    storage: {
      enabled: spec.storage?.enabled ?? D.storage.enabled,
      size: spec.storage?.size ?? D.storage.size,
      storageClassName: spec.storage?.storageClassName,
      accessModes: [...(spec.storage?.accessModes ?? D.storage.accessModes)],
    },
    networking: {
      httpPort: spec.networking?.httpPort ?? D.networking.httpPort,
      metricsPort: spec.networking?.metricsPort ?? D.networking.metricsPort,
      grpcPort: spec.networking?.grpcPort ?? D.networking.grpcPort,
      serviceType: spec.networking?.serviceType ?? D.networking.serviceType,
    },
    config: {
      logLevel: spec.config?.logLevel ?? D.config.logLevel,
      logFormat: spec.config?.logFormat ?? D.config.logFormat,
      tracing: spec.config?.tracing ?? D.config.tracing,
      jaegerEndpoint: spec.config?.jaegerEndpoint,
    },
    llm: {
      provider: spec.llm?.provider ?? D.llm.provider,
      ollamaHost: spec.llm?.ollamaHost ?? D.llm.ollamaHost,
      model: spec.llm?.model ?? D.llm.model,
      modelSource: spec.llm?.modelSource && {
        url: spec.llm.modelSource.url,
        sha256: spec.llm.modelSource.sha256,
        image: spec.llm.modelSource.image ?? D.modelFetcherImage,
      },
    },
    secrets: {
      openai: secretRef(spec.secrets?.openaiApiKeySecret, D.secretKeys.openai),
      anthropic: secretRef(spec.secrets?.anthropicApiKeySecret, D.secretKeys.anthropic),
      huggingface: secretRef(spec.secrets?.huggingfaceTokenSecret, D.secretKeys.huggingface),
    },
    highAvailability: {
      enabled: spec.highAvailability?.enabled ?? D.highAvailability.enabled,
      antiAffinity: spec.highAvailability?.antiAffinity ?? D.highAvailability.antiAffinity,
      podDisruptionBudget: pdb ? { minAvailable: pdb.minAvailable, maxUnavailable: pdb.maxUnavailable } : undefined,
    },
    autoscaling: spec.autoscaling?.enabled ? {
      minReplicas: spec.autoscaling.minReplicas ?? D.autoscaling.minReplicas,
      maxReplicas: spec.autoscaling.maxReplicas ?? D.autoscaling.maxReplicas,
      targetCPUUtilization: spec.autoscaling.targetCpuUtilization ?? D.autoscaling.targetCPUUtilization,
      targetMemoryUtilization: spec.autoscaling.targetMemoryUtilization,
    } : undefined,
  };
}

function optional(key: string, value: Quantity | undefined): Record<string, Quantity> | undefined {
  return value === undefined ? undefined : { [key]: value };
}

/**
 * The pulled reference. A digest alone pins `repository@digest` (the defaulted
 * tag would only mislabel it); with a tag the spec sets, `repository:tag@digest`.
 */
function abiImageReference(image: AbiInstanceSpec['image']): string {
  const repository = image?.repository ?? D.image.repository;
  if (image?.digest === undefined) return `${repository}:${image?.tag ?? D.image.tag}`;
  return image.tag === undefined ? `${repository}@${image.digest}` : `${repository}:${image.tag}@${image.digest}`;
}

/** Storage a single volume cannot share across replicas on different nodes: each replica gets its own claim. */
export function usesPerReplicaVolumes(spec: ResolvedAbiSpec): boolean {
  return spec.storage.enabled && !spec.storage.accessModes.includes('ReadWriteMany');
}
