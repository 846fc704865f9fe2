/**
 * Generates a GitOps instances/ tree of N instances for the synthesis
 * benchmark: a realistic mix spread over several clusters and namespaces,
 * one file per instance, the way a platform repository holds them.
 *
 * Mix (by instance index, so every N has the same proportions):
 *   40 % basic AbiInstances (upstream defaults: StatefulSet with a claim)
 *   25 % production AbiInstances (storage, HPA, PDB, hard anti-affinity, secrets)
 *   10 % GPU AbiInstances
 *   25 % VecodexSets with 1-3 searcher shards and indexes (when that kind is
 *        registered; otherwise those slots become basic AbiInstances)
 *
 * Clusters differ the way real ones do: one without the Prometheus Operator,
 * one with a GPU profile and a storage class, one with baseline pod security.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface GenerateOptions {
  /** Number of instances. */
  readonly count: number;
  /** Render VecodexSets too (only once the kind is registered in the pipeline). */
  readonly vecodex: boolean;
}

export interface GeneratedTree {
  readonly dir: string;
  readonly clusters: readonly string[];
  /** Instance files written, relative to dir. */
  readonly files: readonly string[];
  /** Instances by shape. */
  readonly shapes: Record<Shape, number>;
}

export type Shape = 'basic' | 'production' | 'gpu' | 'vecodex';

/** Every cluster is wired to Argo CD and Flux, as in a GitOps repository. */
const GITOPS = '  gitops:\n    repoURL: https://github.com/example-org/platform.git\n    revision: main\n';

export const CLUSTERS: ReadonlyArray<{ name: string; profile: string }> = [
  {
    name: 'dev',
    profile: `spec:\n  prometheusOperator: false\n  podSecurityLevel: baseline\n${GITOPS}`,
  },
  { name: 'staging', profile: `spec:\n${GITOPS}` },
  {
    name: 'prod-eu',
    profile: `spec:\n  storageClassName: fast-ssd\n${GITOPS}`,
  },
  {
    name: 'prod-us',
    profile: [
      'spec:',
      GITOPS.trimEnd(),
      '  storageClassName: premium-rwo',
      '  gpu:',
      '    resourceName: nvidia.com/gpu',
      '    nodeSelector:',
      '      cloud.google.com/gke-accelerator: nvidia-l4',
      '    tolerations:',
      '      - key: nvidia.com/gpu',
      '        operator: Exists',
      '        effect: NoSchedule',
      '',
    ].join('\n'),
  },
];

/** Teams per cluster: instances spread over this many namespaces. */
const NAMESPACES_PER_CLUSTER = 12;

export function shapeOf(index: number, vecodex: boolean): Shape {
  const slot = index % 20;
  if (slot < 8) return 'basic';
  if (slot < 13) return 'production';
  if (slot < 15) return 'gpu';
  return vecodex ? 'vecodex' : 'basic';
}

export function generateInstances(dir: string, options: GenerateOptions): GeneratedTree {
  fs.mkdirSync(dir, { recursive: true });
  for (const cluster of CLUSTERS) {
    fs.mkdirSync(path.join(dir, cluster.name), { recursive: true });
    fs.writeFileSync(
      path.join(dir, cluster.name, 'cluster.yaml'),
      `apiVersion: cdk8s-abi-vecodex/v1alpha1\nkind: ClusterProfile\nmetadata:\n  name: ${cluster.name}\n${cluster.profile}`,
    );
  }
  const files: string[] = [];
  const shapes: Record<Shape, number> = { basic: 0, production: 0, gpu: 0, vecodex: 0 };
  for (let i = 0; i < options.count; i++) {
    const cluster = CLUSTERS[i % CLUSTERS.length].name;
    const namespace = `team-${String(Math.floor(i / CLUSTERS.length) % NAMESPACES_PER_CLUSTER).padStart(2, '0')}`;
    const shape = shapeOf(i, options.vecodex);
    shapes[shape]++;
    const name = `${shape === 'vecodex' ? 'search' : 'abi'}-${shape === 'vecodex' ? '' : `${shape}-`}${String(i).padStart(5, '0')}`;
    const rel = path.join(cluster, namespace, `${name}.yaml`);
    fs.mkdirSync(path.join(dir, cluster, namespace), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), SHAPES[shape](name, namespace, i));
    files.push(rel);
  }
  return { dir, clusters: CLUSTERS.map((c) => c.name), files, shapes };
}

const SHAPES: Record<Shape, (name: string, namespace: string, i: number) => string> = {
  basic: (name, namespace, i) => `apiVersion: abi.io/v1
kind: AbiInstance
metadata:
  name: ${name}
  namespace: ${namespace}
  labels:
    team: ${namespace}
spec:
  replicas: ${1 + (i % 2)}
`,
  production: (name, namespace, i) => `apiVersion: abi.io/v1
kind: AbiInstance
metadata:
  name: ${name}
  namespace: ${namespace}
  labels:
    team: ${namespace}
    tier: production
spec:
  replicas: 3
  image:
    repository: ghcr.io/abi/abi
    tag: v1.0.${i % 7}
    pullPolicy: IfNotPresent
    pullSecrets:
      - name: ghcr-credentials
  features:
    ai: true
    database: true
    network: true
  resources:
    requests:
      cpu: "500m"
      memory: "512Mi"
    limits:
      cpu: "2000m"
      memory: "2Gi"
  storage:
    enabled: true
    size: "${10 + (i % 5) * 10}Gi"
    storageClassName: fast-ssd
  config:
    logLevel: info
    tracing: true
    jaegerEndpoint: http://jaeger-collector.observability:14268/api/traces
  llm:
    provider: ollama
    ollamaHost: http://ollama.ai-services:11434
  secrets:
    openaiApiKeySecret:
      name: abi-api-keys
      key: openai-api-key
    anthropicApiKeySecret:
      name: abi-api-keys
      key: anthropic-api-key
  highAvailability:
    enabled: true
    antiAffinity: hard
    podDisruptionBudget:
      minAvailable: 2
  autoscaling:
    enabled: true
    minReplicas: 3
    maxReplicas: ${6 + (i % 5)}
    targetCPUUtilization: 70
    targetMemoryUtilization: 80
`,
  gpu: (name, namespace, i) => `apiVersion: abi.io/v1
kind: AbiInstance
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  replicas: ${1 + (i % 3)}
  image:
    repository: ghcr.io/abi/abi
    tag: v1.0.0-cuda
  features:
    ai: true
    gpu: true
  gpu:
    backend: cuda
    count: ${1 + (i % 2)}
    memory: "8Gi"
  resources:
    requests:
      cpu: "2"
      memory: "12Gi"
    limits:
      cpu: "4"
      memory: "16Gi"
  storage:
    enabled: true
    size: "100Gi"
    storageClassName: fast-nvme
  llm:
    provider: local
    model: llama-7b
`,
  vecodex: (name, namespace, i) => {
    const shards = 1 + (i % 3);
    const shardList = Array.from({ length: shards }, (_, s) => `      - id: "${s}"${s === 1 ? '\n        indexes: ["docs"]' : ''}`).join('\n');
    return `apiVersion: apps.vecodex.link/v1alpha1
kind: VecodexSet
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  coordinator:
    image: "ghcr.io/ivan-digital/vecodex/app:latest"
    replicas: 2
    podDisruptionBudget: {minAvailable: 1}
    resources:
      requests: {cpu: "125m", memory: "128Mi"}
      limits: {cpu: "250m", memory: "256Mi"}
  writer:
    image: "ghcr.io/ivan-digital/vecodex/app:latest"
    replicas: 1
    resources:
      requests: {cpu: "500m", memory: "1Gi"}
      limits: {memory: "2Gi"${i % 2 === 0 ? ', nvidia.com/gpu: "1"' : ''}}
  searcher:
    image: "ghcr.io/ivan-digital/vecodex/app:latest"
    replicas: 2
    shards:
${shardList}
    podDisruptionBudget: {maxUnavailable: 1}
    resources:
      requests: {cpu: "250m", memory: "512Mi"}
      limits: {cpu: "1", memory: "1Gi"}
  ingress:
    host: ${name}.${namespace}.search.example.com
    tls: {secretName: ${name}-tls}
  indexes:
    - {id: docs, type: faissHNSWFlat, dim: 768, threshold: 1000, metric: L2, M: 32, enable_merge: true}
    - {id: images, library: faiss, type: faissFlat, dim: 512, threshold: 500, metric: Linf, enable_merge: false}
`;
  },
};
