/**
 * Rules an AbiInstance must satisfy that its schema cannot express. Each
 * returns issues naming the field, what is wrong and what is allowed.
 */
import { AbiInstanceSpec } from '../../imports/abi.io';
import { checkAutoscaling } from '../shared/autoscaler';
import { checkDisruptionBudget } from '../shared/disruption-budget';
import { checkConfigMapSize, checkObjectName, checkSecretKeySelector, checkSpecSize, checkStorageSize, imageErrors, issuesAt, resourceQuantityErrors } from '../shared/kube-validation';
import { compareQuantities, MAX_QUANTITY_UNITS, parseKubeQuantity, QUANTITY_HINT } from '../shared/quantity';
import { ValidationIssue } from '../shared/validation-issue';
import { ABI_DATA_DIR, abiServerEnvironment, localModelPath } from './abi-server-config';
import { resolveAbiSpec } from './resolve-abi-spec';

export function abiInstanceRules(spec: AbiInstanceSpec): ValidationIssue[] {
  const resolved = resolveAbiSpec(spec);
  const issues: ValidationIssue[] = [];

  // What the container serves.
  if (!resolved.features.ai && !resolved.features.database) {
    issues.push({ path: 'spec.features', message: 'disables both ai and database: the server would have nothing to serve; enable at least one' });
  }

  // Ports: the container and the Service name each one once; the API server rejects a Service with a port twice.
  const ports = (['httpPort', 'grpcPort', 'metricsPort'] as const).map((field) => ({ field, port: resolved.networking[field], isDefault: spec.networking?.[field] === undefined }));
  ports.forEach(({ field, port }, i) => {
    const clash = ports.slice(0, i).find((other) => other.port === port);
    if (clash) {
      issues.push({ path: `spec.networking.${field}`, message: `is ${port}, the port of spec.networking.${clash.field}${clash.isDefault ? ' (its default)' : ''}: httpPort, grpcPort and metricsPort must be three different ports` });
    }
  });

  // GPU.
  if (spec.gpu !== undefined && !resolved.features.gpu) {
    issues.push({ path: 'spec.gpu', message: 'is set but spec.features.gpu is false: set spec.features.gpu: true, or remove spec.gpu' });
  }
  if (resolved.gpu) {
    const backend = resolved.gpu.backend;
    if (backend === 'metal' || backend === 'webgpu') {
      issues.push({ path: 'spec.gpu.backend', message: `"${backend}" cannot run on Kubernetes nodes (${backend === 'metal' ? 'Metal is Apple-only' : 'WebGPU is a browser API'}): use cuda for NVIDIA GPUs, vulkan, or auto` });
    } else if (backend === 'none') {
      issues.push({ path: 'spec.gpu.backend', message: '"none" contradicts spec.features.gpu: true: use cuda, vulkan or auto, or set spec.features.gpu: false' });
    }
    if (resolved.gpu.count < 1) {
      issues.push({ path: 'spec.gpu.count', message: 'is 0 but spec.features.gpu is true: request 1 to 8 GPUs, or set spec.features.gpu: false' });
    }
  }

  // Quantities: Kubernetes' grammar and what its validation refuses or warns about.
  const quantities: Array<[string, string, string | number | undefined]> = [
    ['spec.resources.requests.cpu', 'cpu', spec.resources?.requests?.cpu?.value],
    ['spec.resources.requests.memory', 'memory', spec.resources?.requests?.memory?.value],
    ['spec.resources.limits.cpu', 'cpu', spec.resources?.limits?.cpu?.value],
    ['spec.resources.limits.memory', 'memory', spec.resources?.limits?.memory?.value],
  ];
  for (const [path, resource, value] of quantities) {
    if (value === undefined) continue;
    const q = parseKubeQuantity(value);
    if (q === undefined) issues.push({ path, message: `"${value}" is not a valid quantity: use ${QUANTITY_HINT}` });
    else issues.push(...issuesAt(path, value, resourceQuantityErrors(resource, q)));
  }
  issues.push(...checkStorageSize(spec.storage?.size, 'spec.storage.size'));
  for (const resource of ['cpu', 'memory'] as const) {
    const request = parseKubeQuantity(resolved.resources.requests[resource]);
    const limit = parseKubeQuantity(resolved.resources.limits[resource]);
    if (request !== undefined && limit !== undefined && compareQuantities(request, limit) > 0) {
      const limitIsDefault = spec.resources?.limits?.[resource] === undefined;
      issues.push({
        path: `spec.resources.requests.${resource}`,
        message: `${resolved.resources.requests[resource]} exceeds the ${resource} limit ${resolved.resources.limits[resource]}${limitIsDefault ? ' (the default when spec.resources.limits.' + resource + ' is unset)' : ''}: a request must not exceed its limit`,
      });
    }
  }

  // Strings that land in objects, under Kubernetes' rules for the fields they fill.
  issues.push(...issuesAt('spec.image', `${resolved.image.repository}:${resolved.image.tag}`, imageErrors(`${resolved.image.repository}:${resolved.image.tag}`)));
  if (resolved.image.repository === '' || resolved.image.tag === '') {
    issues.push({ path: resolved.image.repository === '' ? 'spec.image.repository' : 'spec.image.tag', message: 'is empty: the image reference is <repository>:<tag>' });
  }
  (spec.image?.pullSecrets ?? []).forEach((s, i) => issues.push(...checkObjectName(s.name, `spec.image.pullSecrets[${i}].name`, 'Secret')));
  if (spec.storage?.storageClassName !== undefined && spec.storage.storageClassName !== '') {
    // "" is Kubernetes' "no class" (static provisioning) and is allowed.
    issues.push(...checkObjectName(spec.storage.storageClassName, 'spec.storage.storageClassName', 'StorageClass'));
  }
  for (const field of ['openaiApiKeySecret', 'anthropicApiKeySecret', 'huggingfaceTokenSecret'] as const) {
    const ref = spec.secrets?.[field];
    if (ref) issues.push(...checkSecretKeySelector(ref.name, ref.key, `spec.secrets.${field}`));
  }
  if (spec.llm?.modelSource?.image !== undefined) issues.push(...issuesAt('spec.llm.modelSource.image', spec.llm.modelSource.image, imageErrors(spec.llm.modelSource.image)));
  if (resolved.gpu?.memory !== undefined) issues.push(...gpuMemoryRules(resolved.gpu.memory));
  issues.push(...checkConfigMapSize(abiServerEnvironment(resolved), 'spec.llm.model', 'server environment'));
  issues.push(...checkSpecSize(spec));

  // Storage.
  if (resolved.storage.enabled && !resolved.storage.accessModes.some((m) => m === 'ReadWriteOnce' || m === 'ReadWriteMany')) {
    issues.push({ path: 'spec.storage.accessModes', message: 'allows no writes: the server writes its database and model cache to /data; use ReadWriteOnce (a volume per replica) or ReadWriteMany (one shared volume)' });
  }
  if (resolved.config.tracing && resolved.config.jaegerEndpoint === undefined) {
    issues.push({ path: 'spec.config.jaegerEndpoint', message: 'is required when spec.config.tracing is true' });
  }

  // Local model download (our extension).
  if (resolved.llm.modelSource) {
    const modelPath = localModelPath(resolved.llm.model);
    if (resolved.llm.provider !== 'local' || !resolved.features.ai) {
      issues.push({ path: 'spec.llm.modelSource', message: `is set, but ${!resolved.features.ai ? 'spec.features.ai is false' : `spec.llm.provider is "${resolved.llm.provider}"`}: a model file is loaded only with provider local and features.ai; remove it, or use provider local` });
    } else if (!modelPath.startsWith(`${ABI_DATA_DIR}/`)) {
      issues.push({ path: 'spec.llm.model', message: `resolves to ${modelPath}, outside ${ABI_DATA_DIR}/ (the only writable volume the download and the server share): use a file name, or a path under ${ABI_DATA_DIR}/` });
    }
  }

  // Replicas and their guards.
  if (resolved.autoscaling) {
    const bounds = checkAutoscaling(resolved.autoscaling, 'spec.autoscaling');
    issues.push(...bounds);
    const { minReplicas, maxReplicas } = resolved.autoscaling;
    if (bounds.length === 0 && spec.replicas !== undefined && (spec.replicas < minReplicas || spec.replicas > maxReplicas)) {
      issues.push({ path: 'spec.replicas', message: `is ${spec.replicas}, outside the autoscaling bounds ${minReplicas}..${maxReplicas}: set it within them (the HPA owns the count)` });
    }
  }
  const pdb = resolved.highAvailability.podDisruptionBudget;
  if (pdb) {
    const fewest = resolved.autoscaling ? resolved.autoscaling.minReplicas : resolved.replicas;
    issues.push(...checkDisruptionBudget(pdb, fewest, 'spec.highAvailability.podDisruptionBudget'));
  }
  return issues;
}

/**
 * gpu.memory becomes a node affinity `<memoryLabel> Gt <MiB - 1>`, whose value
 * Kubernetes parses as an int64 (ValidateNodeSelectorRequirement). 0 would
 * render `Gt -1`, which still requires the label: it is refused rather than
 * read as "no constraint", for which gpu.memory is simply left out.
 */
function gpuMemoryRules(memory: string): ValidationIssue[] {
  const q = parseKubeQuantity(memory);
  const mib = q === undefined ? undefined : q.nanos / (10n ** 9n * 2n ** 20n);
  if (mib === undefined || mib < 1n) {
    return [{ path: 'spec.gpu.memory', message: `is ${memory}: a minimum GPU memory must be at least 1Mi; omit spec.gpu.memory for no memory constraint` }];
  }
  // At 2^63-1 bytes Kubernetes caps a binary quantity: the text asked for more.
  if (mib > BigInt(Number.MAX_SAFE_INTEGER) || q!.nanos >= MAX_QUANTITY_UNITS * 10n ** 9n) {
    return [{ path: 'spec.gpu.memory', message: `is ${memory}, more than any GPU has (at most ${Number.MAX_SAFE_INTEGER}Mi): use the GPU memory in Mi or Gi, e.g. 24Gi` }];
  }
  return [];
}

const EXTERNAL_PROVIDER_KEY: Record<string, string> = {
  openai: 'ABI_OPENAI_API_KEY',
  anthropic: 'ABI_ANTHROPIC_API_KEY',
  huggingface: 'ABI_HF_API_TOKEN',
};

/** Specs that render, but that the upstream binary (commit 74b8138c) does not honour. */
export function abiInstanceWarnings(spec: AbiInstanceSpec): ValidationIssue[] {
  const resolved = resolveAbiSpec(spec);
  const warnings: ValidationIssue[] = [];
  const key = EXTERNAL_PROVIDER_KEY[resolved.llm.provider];
  if (resolved.features.ai && key !== undefined) {
    warnings.push({
      path: 'spec.llm.provider',
      message: `is "${resolved.llm.provider}", but upstream's \`llm serve\` never passes ${key} to it (src/ai/streaming/backends/external.zig sets api_key = null), so its requests go out without credentials; the Secret is wired for when upstream fixes that; ollama and local work today`,
    });
  }
  if (resolved.features.ai && resolved.llm.provider === 'local' && !resolved.llm.modelSource) {
    warnings.push({ path: 'spec.llm.modelSource', message: `is not set: nothing puts ${localModelPath(resolved.llm.model)} on the volume, and the server fails to preload it (the pod restarts) until it is there; set spec.llm.modelSource.url, or pre-populate the volume` });
  }
  if (resolved.config.tracing) {
    warnings.push({ path: 'spec.config.tracing', message: 'is true, but the binary reads neither ABBEY_ENABLE_TRACING nor ABBEY_JAEGER_ENDPOINT: no traces are sent (kept for parity with upstream\'s chart)' });
  }
  return warnings;
}
