import { vecodexSetRules, vecodexSetWarnings } from '../../src/vecodex/vecodex-rules';
import { vecodexSpecFromWire } from '../../src/vecodex/vecodex-wire';
import { loadVecodex, mutate, SAMPLES, schemaErrors } from './support';

const upstream = () => loadVecodex(SAMPLES[0]).wire;
const full = () => loadVecodex(SAMPLES[2]).wire;

describe('VecodexSet rules', () => {
  test.each(SAMPLES)('GIVEN %s WHEN checked THEN it has no errors', (file) => {
    expect(vecodexSetRules(loadVecodex(file).spec, undefined, loadVecodex(file).name)).toEqual([]);
  });

  test.each<[string, () => any, (s: any) => void, string, RegExp]>([
    ['a bare mode of another component', upstream, (s) => { s.writer.command = ['/app/cmake/build/vecodex-app', 'searcher']; }, 'spec.writer.command[1]', /another component's mode/],
    ['a generated --config-path in command', upstream, (s) => { s.coordinator.command = ['/app/cmake/build/vecodex-app', '--config-path', '/x.json']; }, 'spec.coordinator.command[1]', /is generated/],
    ['a searcher --hostname in command', upstream, (s) => { s.searcher.command = ['/app/cmake/build/vecodex-app', '--hostname=a']; }, 'spec.searcher.command[1]', /is generated/],
    ['a contradicting --mode', upstream, (s) => { s.writer.command = ['/app/cmake/build/vecodex-app', '--mode', 'coordinator']; }, 'spec.writer.command[1]', /contradicts/],
    ['a request above its limit', upstream, (s) => { s.writer.resources.requests.cpu = '2'; }, 'spec.writer.resources.requests.cpu', /must not exceed/],
    ['a GPU request without an equal limit', upstream, (s) => { s.writer.resources.requests['nvidia.com/gpu'] = 1; }, 'spec.writer.resources.requests.nvidia.com/gpu', /equal to its request/],
    ['a resource claim', upstream, (s) => { s.writer.resources.claims = [{ name: 'gpu' }]; }, 'spec.writer.resources.claims', /resourceClaims/],
    ['a fractional GPU limit', upstream, (s) => { s.writer.resources.limits['nvidia.com/gpu'] = '500m'; }, 'spec.writer.resources.limits.nvidia.com/gpu', /whole devices/],
    ['minReplicas above maxReplicas', full, (s) => { s.coordinator.autoscaling.minReplicas = 6; }, 'spec.coordinator.autoscaling.minReplicas', /at most maxReplicas/],
    ['replicas outside the autoscaling bounds', full, (s) => { s.coordinator.replicas = 9; }, 'spec.coordinator.replicas', /outside the autoscaling bounds/],
    ['CPU autoscaling without a CPU request or limit', full, (s) => { s.coordinator.resources = { limits: { memory: '1Gi' } }; }, 'spec.coordinator.resources.requests.cpu', /relative to the request/],
    ['memory autoscaling without a memory request or limit', full, (s) => { s.searcher.autoscaling = { enabled: true, minReplicas: 2, targetMemoryUtilization: 80 }; s.searcher.resources = { requests: { cpu: '1' } }; }, 'spec.searcher.resources.requests.memory', /relative to the request/],
    ['a PDB that blocks eviction', upstream, (s) => { s.searcher.podDisruptionBudget = { minAvailable: 3 }; }, 'spec.searcher.podDisruptionBudget.minAvailable', /less than 3/],
    ['a PDB with both fields', upstream, (s) => { s.coordinator.podDisruptionBudget = { minAvailable: 0, maxUnavailable: 1 }; }, 'spec.coordinator.podDisruptionBudget', /exactly one/],
    ['a PDB with maxUnavailable 0', upstream, (s) => { s.searcher.podDisruptionBudget = { maxUnavailable: 0 }; }, 'spec.searcher.podDisruptionBudget.maxUnavailable', /at least 1/],
    ['duplicate index ids', full, (s) => { s.indexes[1].id = 'docs'; }, 'spec.indexes[1].id', /unique/],
    ['HNSW without M', full, (s) => { delete s.indexes[0].M; }, 'spec.indexes[0].M', /required for type faissHNSWFlat/],
    ['faissFlat with M', full, (s) => { s.indexes[1].M = 8; }, 'spec.indexes[1].M', /only applies/],
    ['duplicate shard ids', full, (s) => { s.searcher.shards[1].id = '0'; }, 'spec.searcher.shards[1].id', /unique/],
    ['a shard naming an unknown index', full, (s) => { s.searcher.shards[1].indexes = ['nope']; }, 'spec.searcher.shards[1].indexes[0]', /not an index/],
    ['a shard serving no index', full, (s) => { s.searcher.shards[1].indexes = []; }, 'spec.searcher.shards[1].indexes', /is empty/],
    ['a shard id too long for its Deployment name', full, (s) => { s.searcher.shards[1].id = 'a'.repeat(20); }, 'spec.searcher.shards[1].id', /at most 52/],
    ['etcd both external and managed', full, (s) => { s.etcd.managed = {}; }, 'spec.etcd', /not both/],
    ['s3 both external and managed', full, (s) => { s.s3.managed = {}; }, 'spec.s3', /not both/],
    ['a zero managed storage size', upstream, (s) => { s.etcd = { managed: { storage: { size: '0' } } }; }, 'spec.etcd.managed.storage.size', /positive quantity/],
    ['a managed etcd volume below 1Gi', upstream, (s) => { s.etcd = { managed: { storage: { size: '512Mi' } } }; }, 'spec.etcd.managed.storage.size', /below 1Gi: etcd's write-ahead log/],
  ])('GIVEN %s WHEN checked THEN the error names the field', (_what, base, change, path, message) => {
    const wire = mutate(base(), change);
    const issues = vecodexSetRules(vecodexSpecFromWire(wire), undefined, 'a'.repeat(30));
    expect(issues).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  test('GIVEN the upstream sample WHEN warned THEN its bare positional modes are named with the rewrite', () => {
    const warnings = vecodexSetWarnings(loadVecodex(SAMPLES[0]).spec);
    expect(warnings.map((w) => w.path)).toEqual(['spec.coordinator.command[1]', 'spec.writer.command[1]', 'spec.searcher.command[1]', 'spec.indexes', 'spec.ingress.tls']);
    expect(warnings[0].message).toMatch(/rendered as "--mode coordinator"/);
  });

  test('GIVEN searchers scaled to 0 WHEN warned THEN the replicas are named, and not while autoscaling owns the count', () => {
    const zero = mutate(full(), (s) => { s.searcher.replicas = 0; delete s.searcher.podDisruptionBudget; });
    expect(vecodexSetWarnings(vecodexSpecFromWire(zero))).toContainEqual({ path: 'spec.searcher.replicas', message: expect.stringMatching(/a ready searcher of every shard, up to 5 minutes/) });
    expect(vecodexSetWarnings(vecodexSpecFromWire(full())).map((w) => w.path)).toEqual([]);
    const autoscaled = mutate(zero, (s) => { s.searcher.autoscaling = { enabled: true }; });
    expect(vecodexSetWarnings(vecodexSpecFromWire(autoscaled)).map((w) => w.path)).not.toContain('spec.searcher.replicas');
  });

  test('GIVEN the nginx class without TLS WHEN warned THEN tls is named; with TLS it is not', () => {
    const noTls = mutate(full(), (s) => { delete s.ingress.tls; });
    expect(vecodexSetWarnings(vecodexSpecFromWire(noTls)).map((w) => w.path)).toEqual(['spec.ingress.tls']);
    expect(vecodexSetWarnings(vecodexSpecFromWire(full())).map((w) => w.path)).toEqual([]);
  });

  test('GIVEN a non-nginx ingress class without annotations WHEN warned THEN the annotations are named', () => {
    const wire = mutate(full(), (s) => { s.ingress.className = 'traefik'; delete s.ingress.annotations; });
    expect(schemaErrors(wire)).toEqual([]);
    expect(vecodexSetWarnings(vecodexSpecFromWire(wire)).map((w) => w.path)).toEqual(['spec.ingress.annotations']);
  });
});
