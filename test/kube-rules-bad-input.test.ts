/**
 * Synth refuses what Kubernetes refuses: each case is a spec the API server
 * would refuse, warn about or silently change, and the field path the
 * refusal must name (src/shared/kube-validation.ts, src/shared/quantity.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as yaml from 'js-yaml';
import { AbiInstanceChart } from '../src/abi/abi-instance-chart';
import { loadInstances } from '../src/pipeline/load-instances';
import { SpecProblem, SpecValidationError } from '../src/pipeline/spec-error';

function problemsOf(files: Record<string, unknown>): readonly SpecProblem[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-rules-'));
  for (const [rel, doc] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), yaml.dump(doc, { lineWidth: -1 }));
  }
  try {
    loadInstances(root);
    return [];
  } catch (err) {
    if (err instanceof SpecValidationError) return err.problems;
    throw err;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

type Json = Record<string, any>;
function merge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) && typeof base[k] === 'object' && !Array.isArray(base[k]) ? merge(base[k], v) : v;
  }
  return out;
}

const abi = (patch: Json): Json => merge({ apiVersion: 'abi.io/v1', kind: 'AbiInstance', metadata: { name: 'bad', namespace: 'team' }, spec: { replicas: 1 } }, patch);
const component = { image: 'ghcr.io/ivan-digital/vecodex/app:latest', replicas: 1, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } } };
const vecodex = (patch: Json): Json => merge({
  apiVersion: 'apps.vecodex.link/v1alpha1', kind: 'VecodexSet', metadata: { name: 'vbad', namespace: 'team' },
  spec: { coordinator: component, writer: component, searcher: component, ingress: { host: 'search.example.com', tls: { secretName: 'search-tls' } }, indexes: [{ id: 'docs', type: 'faissFlat', dim: 8, threshold: 100 }] },
}, patch);
const profile = (spec: Json): Json => ({ apiVersion: 'cdk8s-abi-vecodex/v1alpha1', kind: 'ClusterProfile', spec });
const gpuAbi = (gpu: Json): Json => abi({ spec: { features: { gpu: true }, gpu } });

// [rule, document, field path the problem must name, words its message must contain]
const INSTANCE_CASES: Array<[string, Json, string, string]> = [
  // Quantities (k8s.io/apimachinery resource.ParseQuantity)
  ['1E is 10^18 bytes, over the limit', abi({ spec: { resources: { requests: { memory: '1E' }, limits: { memory: '1Gi' } } } }), 'spec.resources.requests.memory', 'exceeds the memory limit'],
  ['exponent with a fraction', abi({ spec: { resources: { requests: { cpu: '1e3.5' } } } }), 'spec.resources.requests.cpu', 'not a valid quantity'],
  ['negative CPU', abi({ spec: { resources: { requests: { cpu: '-1' } } } }), 'spec.resources.requests.cpu', 'is negative'],
  ['fractional bytes', abi({ spec: { resources: { requests: { memory: '500m' } } } }), 'spec.resources.requests.memory', 'fractional number of bytes'],
  ['memory whose thousandths overflow int64 (found by the fuzzer)', vecodex({ spec: { writer: { resources: { requests: { memory: '3Ei' }, limits: { memory: '4Ei' } } } } }), 'spec.writer.resources.requests.memory', 'thousandths must fit an int64'],
  ['CPU finer than 1m', abi({ spec: { resources: { requests: { cpu: '0.5m' } } } }), 'spec.resources.requests.cpu', 'finer than 1m'],
  ['zero storage', abi({ spec: { storage: { size: '0' } } }), 'spec.storage.size', 'positive quantity'],
  ['negative storage', abi({ spec: { storage: { size: '-1Gi' } } }), 'spec.storage.size', 'positive quantity'],
  ['VecodexSet cpu: banana', vecodex({ spec: { writer: { resources: { requests: { cpu: 'banana' } } } } }), 'spec.writer.resources.requests.cpu', 'not a valid quantity'],
  ['VecodexSet zero storage', vecodex({ spec: { etcd: { managed: { storage: { size: '0Gi' } } } } }), 'spec.etcd.managed.storage.size', 'positive quantity'],
  ['GPUs beyond int64 (1E is 10^18, not 1)', vecodex({ spec: { writer: { resources: { limits: { 'nvidia.com/gpu': '10E' } } } } }), 'spec.writer.resources.limits.nvidia.com/gpu', 'larger than Kubernetes counts'],
  // Resource names (core validateContainerResourceName, ValidateResourceRequirements)
  ['unknown resource name', vecodex({ spec: { writer: { resources: { limits: { gpus: '1' } } } } }), 'spec.writer.resources.limits.gpus', 'not a standard container resource'],
  ['hugepages without a limit', vecodex({ spec: { writer: { resources: { requests: { 'hugepages-2Mi': '2Mi' } } } } }), 'spec.writer.resources.requests.hugepages-2Mi', 'cannot be overcommitted'],
  ['hugepages request != limit', vecodex({ spec: { writer: { resources: { requests: { 'hugepages-2Mi': '2Mi' }, limits: { 'hugepages-2Mi': '4Mi' } } } } }), 'spec.writer.resources.requests.hugepages-2Mi', 'must be equal'],
  ['fractional extended resource', vecodex({ spec: { writer: { resources: { limits: { 'example.com/dongle': '500m' } } } } }), 'spec.writer.resources.limits.example.com/dongle', 'whole'],
  // Integers (format int32, schema bounds)
  ['maxReplicas over int32', abi({ spec: { replicas: 2, autoscaling: { enabled: true, maxReplicas: 4294967306 } } }), 'spec.autoscaling.maxReplicas', '<= 2147483647'],
  ['PDB over int32', abi({ spec: { replicas: 2, highAvailability: { podDisruptionBudget: { maxUnavailable: 2147483648 } } } }), 'spec.highAvailability.podDisruptionBudget.maxUnavailable', '<= 2147483647'],
  ['VecodexSet int32 overflow', vecodex({ spec: { searcher: { replicas: 2147483648 } } }), 'spec.searcher.replicas', '<= 2147483647'],
  ['1e21 is not an integer we can render', vecodex({ spec: { indexes: [{ id: 'docs', type: 'faissFlat', dim: 1e21, threshold: 100 }] } }), 'spec.indexes[0].dim', '<= 2147483647'],
  // Names and keys
  ['Secret name', abi({ spec: { secrets: { openaiApiKeySecret: { name: 'My_Secret' } } } }), 'spec.secrets.openaiApiKeySecret.name', 'not a valid Secret name'],
  ['Secret key', abi({ spec: { secrets: { openaiApiKeySecret: { name: 'openai', key: 'a key' } } } }), 'spec.secrets.openaiApiKeySecret.key', 'not a valid Secret key'],
  ['empty pull Secret name', abi({ spec: { image: { pullSecrets: [{ name: '' }] } } }), 'spec.image.pullSecrets[0].name', 'is empty'],
  ['storage class name', abi({ spec: { storage: { storageClassName: 'Fast SSD' } } }), 'spec.storage.storageClassName', 'not a valid StorageClass name'],
  ['VecodexSet storage class name', vecodex({ spec: { s3: { managed: { storage: { storageClassName: 'fast_ssd' } } } } }), 'spec.s3.managed.storage.storageClassName', 'not a valid StorageClass name'],
  ['S3 credentials key', vecodex({ spec: { s3: { credentialsSecret: { accessKeyKey: '..x' } } } }), 'spec.s3.credentialsSecret.accessKeyKey', 'must not start with ".."'],
  ['image with whitespace', vecodex({ spec: { writer: { image: ' ghcr.io/x/app:1' } } }), 'spec.writer.image', 'whitespace'],
  // Ingress (networking validateIngressRules)
  ['upper-case host', vecodex({ spec: { ingress: { host: 'Search.example.com' } } }), 'spec.ingress.host', 'DNS-1123 subdomain'],
  ['host with "_"', vecodex({ spec: { ingress: { host: 'my_search.example.com' } } }), 'spec.ingress.host', 'DNS-1123 subdomain'],
  ['IP host', vecodex({ spec: { ingress: { host: '10.0.0.1' } } }), 'spec.ingress.host', 'not an IP address'],
  ['wildcard not first', vecodex({ spec: { ingress: { host: 'search.*.example.com' } } }), 'spec.ingress.host', 'whole first label'],
  ['ingress class name', vecodex({ spec: { ingress: { className: 'My Class' } } }), 'spec.ingress.className', 'not a valid IngressClass name'],
  ['TLS secret name', vecodex({ spec: { ingress: { tls: { secretName: 'TLS' } } } }), 'spec.ingress.tls.secretName', 'not a valid Secret name'],
  ['annotation key', vecodex({ spec: { ingress: { annotations: { 'bad key': 'x' } } } }), 'spec.ingress.annotations', 'not a valid annotation key'],
  // Endpoints a URL parser refuses
  ['port above 65535', vecodex({ spec: { etcd: { external: { endpoint: 'http://etcd:99999' } } } }), 'spec.etcd.external.endpoint', 'not a valid URL'],
  ['"|" in the host', vecodex({ spec: { s3: { external: { endpoint: 'http://a|b' } } } }), 'spec.s3.external.endpoint', 'not a valid URL'],
  ['"%" in the host', vecodex({ spec: { etcd: { external: { endpoint: 'http://a%b' } } } }), 'spec.etcd.external.endpoint', 'not a valid URL'],
  ['unclosed "["', vecodex({ spec: { s3: { external: { endpoint: 'http://[x' } } } }), 'spec.s3.external.endpoint', 'not a valid URL'],
  // GPU memory (node affinity Gt takes an int64)
  ['gpu.memory 0', gpuAbi({ memory: '0Gi' }), 'spec.gpu.memory', 'omit spec.gpu.memory for no memory constraint'],
  ['gpu.memory huge', gpuAbi({ memory: '100000000000000Gi' }), 'spec.gpu.memory', 'more than any GPU has'],
  // Sizes (ValidateConfigMap: core.MaxSecretSize; etcd's request limit)
  // Instance metadata (ValidateLabels, ValidateAnnotations)
  ['label key', abi({ metadata: { labels: { 'team/a/b': 'x' } } }), 'metadata.labels', 'not a valid label key'],
  ['label value', abi({ metadata: { labels: { team: 'a b' } } }), 'metadata.labels.team', 'not a valid label value'],
  ['label value too long', abi({ metadata: { labels: { team: 'a'.repeat(64) } } }), 'metadata.labels.team', 'no more than 63 characters'],
  ['annotation key', abi({ metadata: { annotations: { '-x': 'y' } } }), 'metadata.annotations', 'not a valid annotation key'],
];

const PROFILE_CASES: Array<[string, Json, string, string]> = [
  ['Exists with a value', { gpu: { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', value: 'present', effect: 'NoSchedule' }] } }, 'spec.gpu.tolerations[0].value', 'value must be empty'],
  ['tolerationSeconds with NoSchedule', { gpu: { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 30 }] } }, 'spec.gpu.tolerations[0].tolerationSeconds', 'only applies to effect NoExecute'],
  ['bad toleration key', { gpu: { tolerations: [{ key: 'nvidia com/gpu', operator: 'Exists' }] } }, 'spec.gpu.tolerations[0].key', 'not a valid taint key'],
  ['empty key with Equal', { gpu: { tolerations: [{ operator: 'Equal', value: 'x' }] } }, 'spec.gpu.tolerations[0].operator', 'needs operator Exists'],
  ['node selector key', { gpu: { nodeSelector: { 'gpu present': 'true' } } }, 'spec.gpu.nodeSelector', 'not a valid node label key'],
  ['node selector value', { gpu: { nodeSelector: { 'nvidia.com/gpu.present': 'yes please' } } }, 'spec.gpu.nodeSelector.nvidia.com/gpu.present', 'not a valid node label value'],
  ['GPU resource name', { gpu: { resourceName: 'gpu' } }, 'spec.gpu.resourceName', 'not a standard container resource'],
  ['GPU memory label', { gpu: { memoryLabel: 'nvidia.com/gpu memory' } }, 'spec.gpu.memoryLabel', 'not a valid node label key'],
  ['storage class name', { storageClassName: 'Fast' }, 'spec.storageClassName', 'not a valid StorageClass name'],
  ['ingress class name', { ingressClassName: 'nginx_internal' }, 'spec.ingressClassName', 'not a valid IngressClass name'],
  ['pull Secret name too long', { imagePullSecrets: ['a'.repeat(254)] }, 'spec.imagePullSecrets[0]', 'no more than 253 characters'],
];

describe('Kubernetes\' rules: synth refuses what the API server would refuse, naming the field', () => {
  test('GIVEN the case tables THEN they have cases', () => {
    expect(INSTANCE_CASES.length).toBeGreaterThan(40);
    expect(PROFILE_CASES.length).toBeGreaterThan(10);
  });

  test.each(INSTANCE_CASES)('GIVEN %s WHEN loaded THEN the problem names file, document and field', (_rule, doc, field, words) => {
    const problems = problemsOf({ 'dev/bad.yaml': doc });
    const match = problems.find((p) => p.path === field && p.message.includes(words));
    expect({ match: match !== undefined, problems }).toEqual(expect.objectContaining({ match: true }));
    expect(match!.file).toMatch(/dev\/bad\.yaml$/);
    expect(match!.document).toBe(1);
  });

  test.each(PROFILE_CASES)('GIVEN a cluster profile with %s WHEN loaded THEN the problem names cluster.yaml and the field', (_rule, spec, field, words) => {
    const problems = problemsOf({ 'dev/cluster.yaml': profile(spec), 'dev/ok.yaml': abi({}) });
    const match = problems.find((p) => p.path === field && p.message.includes(words));
    expect({ match: match !== undefined, problems }).toEqual(expect.objectContaining({ match: true }));
    expect(match!.file).toMatch(/dev\/cluster\.yaml$/);
  });

  test('GIVEN the valid bases of the tables WHEN loaded THEN they have no problem (every case fails for its own reason)', () => {
    expect(problemsOf({ 'dev/a.yaml': abi({}), 'dev/v.yaml': vecodex({}), 'dev/cluster.yaml': profile({ gpu: { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }] } }) })).toEqual([]);
    expect(problemsOf({ 'dev/a.yaml': gpuAbi({ memory: '24Gi' }) })).toEqual([]);
    expect(problemsOf({ 'dev/v.yaml': vecodex({ spec: { ingress: { host: '*.example.com' }, writer: { resources: { requests: { 'hugepages-2Mi': '4Mi' }, limits: { 'hugepages-2Mi': '4Mi' } } } } }) })).toEqual([]);
  });
});

/**
 * Specs this large never reach the field rules through synth: the loader
 * refuses a spec file over its size limit first (src/pipeline/input-limits.ts).
 * Charts used from code read no file, so the same Kubernetes limits hold there.
 */
const OVERSIZED_CASES: Array<[string, Json, string, string]> = [
  // ValidateConfigMap: core.MaxSecretSize
  ['20 MiB model name', abi({ spec: { llm: { model: 'm'.repeat(20 * 1024 * 1024) } } }), 'spec.llm.model', 'more than Kubernetes\' limit of 1048576 bytes'],
  // ValidateAnnotations: TotalAnnotationSizeLimitB
  ['annotations over 256 KiB', abi({ metadata: { annotations: { note: 'x'.repeat(256 * 1024) } } }), 'metadata.annotations', '256 KiB'],
];

describe('oversized specs: refused as files by synth, by field from code', () => {
  test('GIVEN the case table THEN it has cases', () => {
    expect(OVERSIZED_CASES.length).toBe(2);
  });

  test.each(OVERSIZED_CASES)('GIVEN %s in a spec file WHEN loaded THEN the file is refused as too large', (_rule, doc) => {
    const problems = problemsOf({ 'dev/bad.yaml': doc });
    expect(problems).toEqual([expect.objectContaining({ file: expect.stringMatching(/dev\/bad\.yaml$/), message: expect.stringContaining('is too large') })]);
  });

  test.each(OVERSIZED_CASES)('GIVEN %s WHEN AbiInstanceChart is built from code THEN it throws naming the field', (_rule, doc, field, words) => {
    const build = () => new AbiInstanceChart(new App(), 'bad', { metadata: doc.metadata, spec: doc.spec });
    expect(build).toThrow(field);
    expect(build).toThrow(words);
  });
});
