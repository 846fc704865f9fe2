/**
 * Rendered fleets for tests that must hold for every shape the charts render:
 * the repository's own instances/ (the samples), and a generated mix with
 * every shape of both kinds (storage modes, HA, autoscaling, GPUs, local
 * models, sharded and external-dependency VecodexSets, several instances per
 * namespace) on two clusters, one of them with the optional profile settings.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { OutputTree, synthesizeRepository } from '../../src/pipeline/synthesize';
import { KubeObject } from './kube-client';
import { objectsOf } from './rendered';

export const REPO_ROOT = path.join(__dirname, '..', '..');

const DIGEST = `sha256:${'4f'.repeat(32)}`;
const VECODEX_IMAGE = 'ghcr.io/ivan-digital/vecodex/app:v0.1.0';

const abi = (name: string, namespace: string, spec: object) => ({ apiVersion: 'abi.io/v1', kind: 'AbiInstance', metadata: { name, namespace }, spec });
const vecodex = (name: string, namespace: string, spec: object) => ({
  apiVersion: 'apps.vecodex.link/v1alpha1', kind: 'VecodexSet', metadata: { name, namespace },
  spec: {
    coordinator: { image: VECODEX_IMAGE, replicas: 1 },
    writer: { image: VECODEX_IMAGE, replicas: 1 },
    searcher: { image: VECODEX_IMAGE, replicas: 2 },
    ingress: { host: `${name}.example.com`, tls: { secretName: `${name}-tls` } },
    indexes: [{ id: 'docs', type: 'faissHNSWFlat', dim: 8, threshold: 100, M: 16 }],
    ...spec,
  },
});

/** Every shape, by cluster: file name → documents. */
export function generatedMixDocuments(): Record<string, Record<string, object[]>> {
  return {
    alpha: {
      'abi.yaml': [
        abi('plain', 'apps', { replicas: 1 }),
        abi('open', 'apps', { replicas: 1, networkPolicy: { enabled: false } }),
        abi('pinned', 'apps', { replicas: 2, image: { tag: 'v1.2.0', digest: DIGEST }, highAvailability: { enabled: true, antiAffinity: 'hard', podDisruptionBudget: { minAvailable: 1 } } }),
        abi('shared', 'apps', { replicas: 2, storage: { accessModes: ['ReadWriteMany'] }, autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 4 }, highAvailability: { enabled: true, podDisruptionBudget: { maxUnavailable: 1 } } }),
        abi('scratch', 'team-b', { replicas: 1, storage: { enabled: false, size: '4Gi' }, resources: { requests: { 'ephemeral-storage': '512Mi' } } }),
        abi('local-gpu', 'ml', {
          replicas: 1, features: { gpu: true }, gpu: { backend: 'cuda', count: 1, memory: '16Gi' },
          llm: { provider: 'local', model: 'tiny', modelSource: { url: 'https://models.example.com/tiny.gguf' } },
          networking: { httpPort: 8000, metricsPort: 9100, grpcPort: 50052 },
        }),
      ],
      'vecodex.yaml': [
        vecodex('search', 'apps', {}),
        vecodex('sharded', 'apps', {
          coordinator: {
            image: VECODEX_IMAGE, replicas: 2,
            autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 4 }, podDisruptionBudget: { minAvailable: 1 },
          },
          writer: { image: `ghcr.io/ivan-digital/vecodex/app@${DIGEST}`, replicas: 2, highAvailability: { antiAffinity: 'hard' } },
          searcher: { image: VECODEX_IMAGE, replicas: 2, shards: [{ id: 'a' }, { id: 'b', indexes: ['docs'] }], podDisruptionBudget: { maxUnavailable: 1 }, resources: { requests: { cpu: '200m', memory: '256Mi', 'ephemeral-storage': '2Gi' }, limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '20Gi' } } },
          etcd: { managed: { storage: { size: '2Gi' } } },
        }),
        vecodex('external', 'team-b', {
          etcd: { external: { endpoint: 'http://etcd.infra:2379' } },
          s3: { external: { endpoint: 'https://s3.example.com' } },
          searcher: { image: VECODEX_IMAGE, replicas: 1, highAvailability: { enabled: false } },
        }),
      ],
    },
    beta: {
      'cluster.yaml': [{
        apiVersion: 'cdk8s-abi-vecodex/v1alpha1', kind: 'ClusterProfile', metadata: { name: 'beta' },
        spec: {
          prometheusOperator: false, imageRegistry: 'mirror.example.com/hub', imagePullSecrets: ['mirror'],
          networkPolicy: { ingressNamespace: 'edge-ingress', monitoringNamespace: 'prometheus', egress: 'restricted' },
        },
      }],
      'mixed.yaml': [
        abi('edge', 'edge', { replicas: 3, highAvailability: { enabled: true } }),
        vecodex('edge-search', 'edge', { writer: { image: VECODEX_IMAGE, replicas: 1, highAvailability: { enabled: true, antiAffinity: 'soft' } } }),
        vecodex('edge-external', 'edge', { etcd: { external: { endpoint: 'https://etcd.example.com:2379' } }, s3: { external: { endpoint: 'https://s3.example.com' } } }),
        abi('edge-tools', 'edge', { replicas: 1, llm: { provider: 'ollama', ollamaHost: 'http://ollama.ai:11434' }, config: { tracing: true, jaegerEndpoint: 'http://jaeger.observability:14268/api/traces' } }),
      ],
    },
    gamma: {
      'cluster.yaml': [{ apiVersion: 'cdk8s-abi-vecodex/v1alpha1', kind: 'ClusterProfile', metadata: { name: 'gamma' }, spec: { networkPolicy: { enabled: false } } }],
      'apps.yaml': [
        abi('opted-in', 'lab', { replicas: 1, networkPolicy: { enabled: true } }),
        vecodex('lab-search', 'lab', {}),
      ],
    },
  };
}

/** Writes documents into a fresh instances dir (caller removes it). */
export function writeInstances(docs: Record<string, Record<string, object[]>>, extra: Record<string, Record<string, object[]>> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-abi-vecodex-fleet-'));
  for (const [cluster, files] of Object.entries({ ...docs, ...extra })) {
    fs.mkdirSync(path.join(root, cluster), { recursive: true });
    for (const [file, documents] of Object.entries(files)) {
      fs.writeFileSync(path.join(root, cluster, file), documents.map((d) => yaml.dump(d)).join('---\n'));
    }
  }
  return root;
}

/** Synthesizes documents written as an instances tree. */
export function renderDocuments(docs: Record<string, Record<string, object[]>>): OutputTree {
  const root = writeInstances(docs);
  try {
    return synthesizeRepository(root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export interface Fleet {
  readonly name: string;
  readonly tree: OutputTree;
  readonly objects: KubeObject[];
}

/** The samples (instances/) and the generated mix, each rendered by the pipeline. */
export function renderedFleets(): Fleet[] {
  const samples = synthesizeRepository(path.join(REPO_ROOT, 'instances'));
  const mix = renderDocuments(generatedMixDocuments());
  return [
    { name: 'samples (instances/)', tree: samples, objects: objectsOf(samples) },
    { name: 'generated mix', tree: mix, objects: objectsOf(mix) },
  ];
}

/** Objects with a pod template, and the template's pod spec. */
export function podTemplates(objects: readonly KubeObject[]): Array<{ object: any; pod: any; labels: Record<string, string> }> {
  return objects.filter((o: any) => o.spec?.template?.spec?.containers)
    .map((o: any) => ({ object: o, pod: o.spec.template.spec, labels: o.spec.template.metadata?.labels ?? {} }));
}
