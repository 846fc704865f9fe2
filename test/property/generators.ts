/**
 * fast-check generators of valid specs: AbiInstance, VecodexSet and
 * ClusterProfile documents. Enums and integer bounds are read from the CRD
 * schemas (so a schema change changes what is generated); strings that land in
 * Kubernetes objects follow Kubernetes' rules (src/shared/kube-validation.ts);
 * cross-field values (request <= limit, distinct ports, PDB room) follow our
 * rules. Everything is seeded by the caller, so a run is reproducible, and
 * built from fast-check combinators, so a failure shrinks.
 */
import fc from 'fast-check';
import { abiInstanceSpecSchema } from '../../src/abi/abi-instance-schema';
import { CLUSTER_PROFILE_API_VERSION, CLUSTER_PROFILE_KIND } from '../../src/pipeline/cluster-profile-file';
import { vecodexSetSpecSchema } from '../../src/vecodex/vecodex-set-schema';

type Json = Record<string, any>;

/** The schema node at a dotted path of properties (arrays step into items with "[]"). */
export function schemaAt(schema: Json, path: string): Json {
  let node: Json = schema;
  for (const part of path.split('.')) {
    node = part === '[]' ? node.items : node.properties[part];
    if (node === undefined) throw new Error(`no schema at ${path}`);
  }
  return node;
}

const ABI = abiInstanceSpecSchema() as Json;
const VECODEX = vecodexSetSpecSchema() as Json;

const enumOf = (schema: Json, path: string, except: readonly string[] = []): fc.Arbitrary<string> =>
  fc.constantFrom(...(schemaAt(schema, path).enum as string[]).filter((v) => !except.includes(v)));
/** An integer within the schema's bounds, and within `cap` so that specs stay small. */
const intOf = (schema: Json, path: string, cap = 1000): fc.Arbitrary<number> => {
  const node = schemaAt(schema, path);
  const min = node.minimum ?? 0;
  return fc.integer({ min, max: Math.min(node.maximum ?? cap, min + cap) });
};

/** Optional fields: a record whose keys are each present or absent. */
const partial = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) => fc.record(fields, { requiredKeys: [] });

// Strings under Kubernetes' rules.
const dnsLabel = fc.stringMatching(/^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$/);
const dnsSubdomain = fc.array(dnsLabel, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.'));
const configMapKey = fc.stringMatching(/^[A-Za-z0-9][-._A-Za-z0-9]{0,15}$/);
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?)?$/);
const qualifiedName = fc.tuple(fc.option(dnsSubdomain, { nil: undefined }), fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?$/))
  .map(([prefix, name]) => (prefix ? `${prefix}/${name}` : name));
const image = fc.constantFrom('ghcr.io/ivan-digital/vecodex/app:latest', 'registry.example.com/team/app:1.2.3', 'nginx:1.27', 'ghcr.io/x/y@sha256:' + 'a'.repeat(64));
const host = fc.oneof(dnsSubdomain.map((d) => `${d}.example.com`), dnsSubdomain.map((d) => `*.${d}.example.com`));

// Quantities in every notation Kubernetes takes.
const millicores = fc.integer({ min: 1, max: 8000 });
const cpuText = (m: number): fc.Arbitrary<string | number> =>
  fc.constantFrom<string | number>(`${m}m`, ...(m % 1000 === 0 ? [m / 1000, `${m / 1000}`] : []), ...(m % 100 === 0 ? [`${m / 1000}`] : []));
const mebibytes = fc.integer({ min: 16, max: 65536 });
const memoryText = (mi: number): fc.Arbitrary<string | number> =>
  fc.constantFrom<string | number>(`${mi}Mi`, `${mi * 1024}Ki`, `${mi * 1024 * 1024}`, mi * 1024 * 1024, `${mi * 1048576 / 1e6}M`, ...(mi % 1024 === 0 ? [`${mi / 1024}Gi`] : []), `${mi * 1048576}e0`);
const sizeGi = fc.integer({ min: 1, max: 500 }).chain((gi) => fc.constantFrom(`${gi}Gi`, `${gi * 1024}Mi`, `${gi}G`, `${gi}e9`));

/** requests <= limits for cpu and memory; either side may be left out. */
const resourcePair = (omissions: string[]) => fc
  .record({ cpu: fc.tuple(millicores, millicores), memory: fc.tuple(mebibytes, mebibytes), omit: fc.constantFrom(...omissions) })
  .chain(({ cpu, memory, omit }) => {
    const [cr, cl] = [Math.min(...cpu), Math.max(...cpu)];
    const [mr, ml] = [Math.min(...memory), Math.max(...memory)];
    return fc
      .record({ requests: fc.record({ cpu: cpuText(cr), memory: memoryText(mr) }), limits: fc.record({ cpu: cpuText(cl), memory: memoryText(ml) }) })
      .map((r) => (omit === 'requests' ? { limits: r.limits } : omit === 'limits' ? { requests: r.requests } : r));
  });
const cpuMemory = resourcePair(['none', 'requests', 'limits']);
/** An AbiInstance defaults the side left out (1000m/1Gi limits), so it sets both. */
const abiCpuMemory = resourcePair(['none']);

// ---------------------------------------------------------------- AbiInstance

const abiFeatures = fc
  .record({ ai: fc.boolean(), database: fc.boolean(), gpu: fc.boolean(), network: fc.boolean(), web: fc.boolean(), profiling: fc.boolean() })
  .map((f) => (f.ai || f.database ? f : { ...f, database: true }));

export const abiSpec: fc.Arbitrary<Json> = fc.record({
  features: abiFeatures,
  replicas: intOf(ABI, 'replicas', 5),
  image: partial({
    repository: fc.constantFrom('ghcr.io/abi/abi', 'registry.example.com/abi', 'abi'),
    tag: fc.constantFrom('latest', 'v1.0.0', '0.4.2-rc.1'),
    pullPolicy: enumOf(ABI, 'image.pullPolicy'),
    pullSecrets: fc.array(dnsLabel.map((name) => ({ name })), { maxLength: 2 }),
  }),
  gpu: partial({
    backend: enumOf(ABI, 'gpu.backend', ['metal', 'webgpu', 'none']),
    count: fc.integer({ min: 1, max: schemaAt(ABI, 'gpu.count').maximum }),
    memory: fc.integer({ min: 1, max: 192 }).chain((n) => fc.constantFrom(`${n}Gi`, `${n * 1024}Mi`)),
  }),
  resources: abiCpuMemory,
  storage: partial({
    enabled: fc.boolean(),
    size: sizeGi,
    storageClassName: fc.oneof(dnsSubdomain, fc.constant('')),
    accessModes: fc.subarray([...schemaAt(ABI, 'storage.accessModes.[]').enum as string[]], { minLength: 1 })
      .map((modes) => (modes.includes('ReadWriteOnce') || modes.includes('ReadWriteMany') ? modes : [...modes, 'ReadWriteOnce'])),
  }),
  networking: fc.record({ ports: fc.uniqueArray(fc.integer({ min: 1024, max: 65535 }), { minLength: 3, maxLength: 3 }), serviceType: enumOf(ABI, 'networking.serviceType'), set: fc.subarray(['httpPort', 'grpcPort', 'metricsPort', 'serviceType']) })
    .map(({ ports, serviceType, set }) => {
      // Unset ports take their defaults, which a set port must not repeat.
      const defaults: Json = { httpPort: 8080, grpcPort: 50051, metricsPort: 9090 };
      const out: Json = {};
      (['httpPort', 'grpcPort', 'metricsPort'] as const).forEach((p, i) => { if (set.includes(p)) out[p] = ports[i]; });
      const used = new Set((['httpPort', 'grpcPort', 'metricsPort'] as const).map((p) => out[p] ?? defaults[p]));
      if (used.size < 3) return { serviceType };
      return set.includes('serviceType') ? { ...out, serviceType } : out;
    }),
  config: partial({ logLevel: enumOf(ABI, 'config.logLevel'), logFormat: enumOf(ABI, 'config.logFormat'), tracing: fc.boolean() }),
  llm: partial({
    provider: enumOf(ABI, 'llm.provider'),
    ollamaHost: fc.constantFrom('http://ollama:11434', 'http://ollama.ai.svc.cluster.local:11434'),
    model: fc.stringMatching(/^[a-z0-9][a-z0-9.:_-]{0,30}$/),
    modelSource: partial({ sha256: fc.stringMatching(/^[0-9a-f]{64}$/), image: fc.constantFrom('curlimages/curl:8.11.1', 'registry.example.com/curl:8') })
      .map((m) => ({ url: 'https://models.example.com/model.gguf', ...m })),
  }),
  secrets: partial({
    openaiApiKeySecret: fc.record({ name: dnsSubdomain, key: configMapKey }, { requiredKeys: ['name'] }),
    anthropicApiKeySecret: fc.record({ name: dnsSubdomain, key: configMapKey }, { requiredKeys: ['name'] }),
    huggingfaceTokenSecret: fc.record({ name: dnsSubdomain, key: configMapKey }, { requiredKeys: ['name'] }),
  }),
  highAvailability: partial({ enabled: fc.boolean(), antiAffinity: enumOf(ABI, 'highAvailability.antiAffinity'), pdb: fc.constantFrom('minAvailable', 'maxUnavailable') }),
  autoscaling: partial({ enabled: fc.boolean(), bounds: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 6 })), targetCPUUtilization: intOf(ABI, 'autoscaling.targetCPUUtilization'), targetMemoryUtilization: intOf(ABI, 'autoscaling.targetMemoryUtilization') }),
  include: fc.subarray(['image', 'gpu', 'resources', 'storage', 'networking', 'config', 'llm', 'secrets', 'highAvailability', 'autoscaling']),
}).map((g) => {
  const spec: Json = { replicas: g.replicas, features: g.features };
  for (const field of g.include) if (!['gpu', 'highAvailability', 'autoscaling', 'llm', 'config'].includes(field)) spec[field] = (g as Json)[field];
  if (g.features.gpu) spec.gpu = g.gpu;
  if (g.include.includes('config')) {
    spec.config = g.config.tracing ? { ...g.config, jaegerEndpoint: 'http://jaeger-collector:14268/api/traces' } : g.config;
  }
  if (g.include.includes('llm')) {
    const llm: Json = { ...g.llm };
    // modelSource only with provider local and features.ai; a local model stays under /data.
    if (!(llm.provider === 'local' && g.features.ai)) delete llm.modelSource;
    spec.llm = llm;
  }
  let fewest = g.replicas;
  if (g.include.includes('autoscaling')) {
    const [min, extra] = (g.autoscaling.bounds as [number, number] | undefined) ?? [1, 9];
    const { bounds: _b, ...rest } = g.autoscaling;
    spec.autoscaling = { ...rest, ...(g.autoscaling.bounds ? { minReplicas: min, maxReplicas: min + extra } : {}) };
    if (spec.autoscaling.enabled) {
      const lo = spec.autoscaling.minReplicas ?? 1;
      const hi = spec.autoscaling.maxReplicas ?? 10;
      spec.replicas = Math.min(Math.max(spec.replicas, lo), hi);
      fewest = lo;
    }
  }
  if (g.include.includes('highAvailability')) {
    const { pdb, ...ha } = g.highAvailability;
    spec.highAvailability = ha;
    if (pdb === 'maxUnavailable') spec.highAvailability.podDisruptionBudget = { maxUnavailable: 1 };
    else if (pdb === 'minAvailable' && fewest > 1) spec.highAvailability.podDisruptionBudget = { minAvailable: fewest - 1 };
  }
  return spec;
});

// ---------------------------------------------------------------- VecodexSet

const vecodexResources = fc.record({ base: cpuMemory, gpu: fc.constantFrom(0, 0, 0, 1, 2), hugepages: fc.boolean() })
  .map(({ base, gpu, hugepages }) => {
    const out: Json = { requests: { ...base.requests }, limits: { ...base.limits } };
    if (gpu > 0) out.limits['nvidia.com/gpu'] = gpu;
    if (hugepages && out.requests.memory !== undefined) {
      out.requests['hugepages-2Mi'] = '4Mi';
      out.limits['hugepages-2Mi'] = '4Mi';
    }
    for (const side of ['requests', 'limits']) if (Object.keys(out[side]).length === 0) delete out[side];
    return out;
  });

const vecodexAutoscaling = fc.record({ min: fc.integer({ min: 1, max: 3 }), extra: fc.integer({ min: 0, max: 5 }), cpu: intOf(VECODEX, 'coordinator.autoscaling.targetCPUUtilization'), memory: fc.option(intOf(VECODEX, 'coordinator.autoscaling.targetMemoryUtilization'), { nil: undefined }) })
  .map(({ min, extra, cpu, memory }) => ({
    enabled: true, minReplicas: min, maxReplicas: min + extra, targetCPUUtilization: cpu,
    ...(memory === undefined ? {} : { targetMemoryUtilization: memory }),
  }));

/** A component; scaled ones get autoscaling and a PDB that leave room to evict. */
const vecodexComponent = (mode: 'coordinator' | 'writer' | 'searcher'): fc.Arbitrary<Json> =>
  fc.record({
    image,
    replicas: fc.integer({ min: mode === 'searcher' ? 1 : 0, max: 4 }),
    command: fc.constantFrom(undefined, ['/app/cmake/build/vecodex-app'], ['/app/cmake/build/vecodex-app', '--mode', mode]),
    resources: fc.option(vecodexResources, { nil: undefined }),
    autoscaling: mode === 'writer' ? fc.constant(undefined) : fc.option(vecodexAutoscaling, { nil: undefined }),
    pdb: mode === 'writer' ? fc.constant(undefined) : fc.constantFrom(undefined, 'minAvailable', 'maxUnavailable'),
  }).map((c) => {
    const out: Json = { image: c.image, replicas: c.replicas };
    if (c.command) out.command = c.command;
    let resources = c.resources;
    let fewest = c.replicas;
    if (c.autoscaling) {
      out.autoscaling = c.autoscaling;
      out.replicas = Math.min(Math.max(c.replicas, c.autoscaling.minReplicas), c.autoscaling.maxReplicas);
      fewest = c.autoscaling.minReplicas;
      // Utilization is relative to a request (or a limit): the rules require one.
      resources ??= {};
      const memoryMetric = c.autoscaling.targetMemoryUtilization !== undefined;
      // Defaults only for what is unset, at most the limit that is set.
      const requests: Json = { ...resources.requests };
      requests.cpu ??= resources.limits?.cpu ?? '100m';
      if (memoryMetric) requests.memory ??= resources.limits?.memory ?? '128Mi';
      resources = { ...resources, requests };
    }
    if (resources) out.resources = resources;
    if (c.pdb === 'maxUnavailable') out.podDisruptionBudget = { maxUnavailable: 1 };
    else if (c.pdb === 'minAvailable' && fewest > 1) out.podDisruptionBudget = { minAvailable: fewest - 1 };
    return out;
  });

const vecodexIndex = fc.record({
  id: fc.stringMatching(/^[a-z][a-z0-9_-]{0,12}$/),
  library: enumOf(VECODEX, 'indexes.[].library'),
  type: enumOf(VECODEX, 'indexes.[].type'),
  dim: fc.integer({ min: 1, max: 4096 }),
  metric: enumOf(VECODEX, 'indexes.[].metric'),
  threshold: fc.integer({ min: 1, max: 100000 }),
  M: fc.integer({ min: 2, max: 64 }),
  enable_merge: fc.boolean(),
}, { requiredKeys: ['id', 'type', 'dim', 'threshold', 'M'] }).map((i) => {
  const { M, ...rest } = i;
  return i.type === 'faissHNSWFlat' ? { ...rest, M } : rest;
});

const dependency = (what: 'etcd' | 's3') => fc.oneof(
  fc.constant(undefined),
  fc.record({ managed: partial({ image: fc.constant(what === 'etcd' ? 'quay.io/coreos/etcd:v3.5.17' : 'quay.io/minio/minio:RELEASE.2024-11-07T00-52-20Z'), storage: partial({ size: fc.integer({ min: 1, max: 100 }).map((n) => `${n}Gi`), storageClassName: dnsSubdomain }), resources: cpuMemory }) }),
  // "xn--" labels are punycode, which the URL parser decodes (and refuses when invalid): the rules refuse those endpoints.
  fc.record({ external: fc.record({ endpoint: fc.tuple(fc.constantFrom('http', 'https'), dnsSubdomain.filter((h) => !h.split('.').some((l) => l.startsWith('xn--'))), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined })).map(([s, h, p]) => `${s}://${h}${p === undefined ? '' : `:${p}`}`) }) }),
);

export const vecodexSpec: fc.Arbitrary<Json> = fc.record({
  coordinator: vecodexComponent('coordinator'),
  writer: vecodexComponent('writer'),
  searcher: vecodexComponent('searcher'),
  indexes: fc.uniqueArray(vecodexIndex, { selector: (i) => i.id, minLength: 1, maxLength: 4 }),
  shards: fc.option(fc.uniqueArray(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,6}[a-z0-9])?$/), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  ingress: fc.record({ host, className: fc.option(fc.constantFrom('nginx', 'traefik', 'internal.example.com'), { nil: undefined }), annotations: fc.option(fc.dictionary(qualifiedName, labelValue, { maxKeys: 3 }), { nil: undefined }), tls: fc.option(dnsSubdomain.map((secretName) => ({ secretName })), { nil: undefined }) }),
  etcd: dependency('etcd'),
  s3: dependency('s3'),
  credentials: fc.option(partial({ name: dnsSubdomain, accessKeyKey: configMapKey, secretKeyKey: configMapKey }), { nil: undefined }),
}).map((g) => {
  const spec: Json = { coordinator: g.coordinator, writer: g.writer, searcher: { ...g.searcher }, indexes: g.indexes, ingress: {} };
  for (const [k, v] of Object.entries(g.ingress)) if (v !== undefined) spec.ingress[k] = v;
  if (g.shards) spec.searcher.shards = g.shards.map((id, i) => (i % 2 === 0 ? { id } : { id, indexes: [g.indexes[0].id] }));
  if (g.etcd) spec.etcd = g.etcd;
  if (g.s3 || g.credentials) spec.s3 = { ...(g.s3 ?? {}), ...(g.credentials ? { credentialsSecret: g.credentials } : {}) };
  return spec;
});

// ---------------------------------------------------------------- ClusterProfile

const toleration = fc.oneof(
  fc.record({ key: qualifiedName, operator: fc.constant('Exists'), effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule', undefined) }),
  fc.record({ key: qualifiedName, operator: fc.constant('Equal'), value: labelValue, effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule') }),
  fc.record({ key: qualifiedName, operator: fc.constantFrom('Exists'), effect: fc.constant('NoExecute'), tolerationSeconds: fc.integer({ min: 0, max: 3600 }) }),
  fc.constant({ operator: 'Exists' }),
).map((t: Json) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)));

export const profileSpec: fc.Arbitrary<Json> = partial({
  gpu: partial({
    resourceName: fc.constantFrom('nvidia.com/gpu', 'amd.com/gpu', 'gpu.intel.com/i915', 'example.com/accelerator'),
    tolerations: fc.array(toleration, { maxLength: 3 }),
    nodeSelector: fc.dictionary(qualifiedName, labelValue, { maxKeys: 3 }),
    memoryLabel: qualifiedName,
  }),
  ingressClassName: dnsSubdomain,
  storageClassName: dnsSubdomain,
  prometheusOperator: fc.boolean(),
  podSecurityLevel: fc.constantFrom('restricted', 'baseline'),
  imageRegistry: fc.constantFrom('registry.example.com', 'registry.example.com:5000/mirror'),
  imagePullSecrets: fc.array(dnsSubdomain, { maxLength: 2 }),
  reconciler: partial({ enabled: fc.boolean(), namespace: fc.constantFrom('abi-vecodex-system', 'platform-reconciler') }),
  gitops: fc.constant({ repoURL: 'https://git.example.com/platform/gitops.git' }),
});

// ---------------------------------------------------------------- documents

export interface GeneratedInstance {
  readonly kind: 'AbiInstance' | 'VecodexSet';
  readonly document: Json;
}

type ShapedSpec = { abi: boolean; namespace: string; spec: Json };

/** A cluster: its profile and instances with unique names (collision refusal is tested elsewhere). */
export const clusterDocs = fc.record({
  profile: profileSpec,
  instances: fc.array(fc.record({ abi: fc.boolean(), spec: fc.boolean(), namespace: fc.constantFrom('team-a', 'team-b', 'search') }), { minLength: 1, maxLength: 4 })
    .chain((shapes) => fc.tuple(...shapes.map((s) => (s.abi ? abiSpec : vecodexSpec).map((spec) => ({ ...s, spec })))) as fc.Arbitrary<ShapedSpec[]>),
  labels: fc.option(fc.dictionary(qualifiedName, labelValue, { maxKeys: 2 }), { nil: undefined }),
}).map(({ profile, instances, labels }) => ({
  profile: { apiVersion: CLUSTER_PROFILE_API_VERSION, kind: CLUSTER_PROFILE_KIND, metadata: { name: 'fuzz' }, spec: profile },
  // Names are unique and share no derived child name (x and x-headless, v and v-writer...).
  instances: instances.map((i, n): GeneratedInstance => ({
    kind: i.abi ? 'AbiInstance' : 'VecodexSet',
    document: {
      apiVersion: i.abi ? 'abi.io/v1' : 'apps.vecodex.link/v1alpha1',
      kind: i.abi ? 'AbiInstance' : 'VecodexSet',
      metadata: { name: `${i.abi ? 'abi' : 'vec'}${n}x`, namespace: i.namespace, ...(labels ? { labels } : {}) },
      spec: i.spec,
    },
  })),
}));
