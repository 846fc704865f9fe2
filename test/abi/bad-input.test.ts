import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { loadInstances } from '../../src/pipeline/load-instances';
import { formatProblem, SpecValidationError } from '../../src/pipeline/spec-error';
import { REPO_ROOT } from '../support/abi-samples';

/** Writes files under a fresh instances dir and returns its path. */
function instancesDir(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'abi-bad-input-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

function problemsOf(root: string): string[] {
  try {
    loadInstances(root);
  } catch (err) {
    if (err instanceof SpecValidationError) return err.problems.map(formatProblem);
    throw err;
  }
  return [];
}

const abi = (spec: string, name = 'bad') => `apiVersion: abi.io/v1\nkind: AbiInstance\nmetadata:\n  name: ${name}\n  namespace: team\nspec:\n${spec}`;

// [rule, spec file content, field path the message must name, words the message must contain]
const CASES: Array<[string, string, string, string]> = [
  ['broken YAML', 'apiVersion: abi.io/v1\nkind: AbiInstance\nmetadata: {name: bad\n', '', 'not valid YAML at line'],
  ['unknown field', abi('  replicas: 1\n  replica: 2\n'), 'spec.replica', 'not a known field: allowed fields here are autoscaling'],
  ['unknown nested field', abi('  replicas: 1\n  storage:\n    sizee: 1Gi\n'), 'spec.storage.sizee', 'allowed fields here are accessModes, enabled, size, storageClassName'],
  ['wrong type', abi('  replicas: three\n'), 'spec.replicas', 'must be of type integer'],
  ['missing required field', abi('  image:\n    tag: v1\n'), 'spec.replicas', 'is required'],
  ['enum', abi('  replicas: 1\n  features:\n    gpu: true\n  gpu:\n    backend: rocm\n'), 'spec.gpu.backend', 'must be one of "auto", "cuda"'],
  ['bounds of the schema', abi('  replicas: 101\n'), 'spec.replicas', 'must be <= 100'],
  ['autoscaling min > max', abi('  replicas: 5\n  autoscaling:\n    enabled: true\n    minReplicas: 5\n    maxReplicas: 3\n'), 'spec.autoscaling.minReplicas', 'at most maxReplicas'],
  ['replicas outside autoscaling bounds', abi('  replicas: 1\n  autoscaling:\n    enabled: true\n    minReplicas: 2\n    maxReplicas: 4\n'), 'spec.replicas', 'outside the autoscaling bounds 2..4'],
  ['PDB minAvailable leaves no room', abi('  replicas: 2\n  highAvailability:\n    podDisruptionBudget:\n      minAvailable: 2\n'), 'spec.highAvailability.podDisruptionBudget.minAvailable', 'must be less than 2'],
  ['PDB minAvailable vs minReplicas', abi('  replicas: 3\n  autoscaling:\n    enabled: true\n    minReplicas: 2\n    maxReplicas: 5\n  highAvailability:\n    podDisruptionBudget:\n      minAvailable: 2\n'), 'spec.highAvailability.podDisruptionBudget.minAvailable', 'can run with 2 replica(s)'],
  ['PDB maxUnavailable 0', abi('  replicas: 2\n  highAvailability:\n    podDisruptionBudget:\n      maxUnavailable: 0\n'), 'spec.highAvailability.podDisruptionBudget.maxUnavailable', 'at least 1'],
  ['PDB both set', abi('  replicas: 3\n  highAvailability:\n    podDisruptionBudget:\n      minAvailable: 1\n      maxUnavailable: 1\n'), 'spec.highAvailability.podDisruptionBudget', 'set exactly one'],
  ['gpu settings without features.gpu', abi('  replicas: 1\n  gpu:\n    backend: cuda\n'), 'spec.gpu', 'spec.features.gpu is false'],
  ['metal backend', abi('  replicas: 1\n  features:\n    gpu: true\n  gpu:\n    backend: metal\n'), 'spec.gpu.backend', 'cannot run on Kubernetes nodes'],
  ['webgpu backend', abi('  replicas: 1\n  features:\n    gpu: true\n  gpu:\n    backend: webgpu\n'), 'spec.gpu.backend', 'use cuda for NVIDIA GPUs'],
  ['backend none with gpu', abi('  replicas: 1\n  features:\n    gpu: true\n  gpu:\n    backend: none\n'), 'spec.gpu.backend', 'contradicts spec.features.gpu'],
  ['zero GPUs with gpu', abi('  replicas: 1\n  features:\n    gpu: true\n  gpu:\n    count: 0\n'), 'spec.gpu.count', 'request 1 to 8 GPUs'],
  ['gpu.memory format', abi('  replicas: 1\n  features:\n    gpu: true\n  gpu:\n    memory: 8GB\n'), 'spec.gpu.memory', 'must match ^[0-9]+(Gi|Mi)$'],
  ['storage size quantity', abi('  replicas: 1\n  storage:\n    size: lots\n'), 'spec.storage.size', 'not a valid quantity'],
  ['resource quantity', abi('  replicas: 1\n  resources:\n    requests:\n      memory: 12 GB\n'), 'spec.resources.requests.memory', 'not a valid quantity'],
  ['request above limit', abi('  replicas: 1\n  resources:\n    requests:\n      memory: 4Gi\n'), 'spec.resources.requests.memory', 'the default when spec.resources.limits.memory is unset'],
  ['nothing to serve', abi('  replicas: 1\n  features:\n    ai: false\n    database: false\n'), 'spec.features', 'nothing to serve'],
  ['tracing without endpoint', abi('  replicas: 1\n  config:\n    tracing: true\n'), 'spec.config.jaegerEndpoint', 'required when spec.config.tracing is true'],
  ['read-only storage', abi('  replicas: 1\n  storage:\n    accessModes: [ReadOnlyMany]\n'), 'spec.storage.accessModes', 'allows no writes'],
  ['invalid name', abi('  replicas: 1\n', 'My_Abi'), 'metadata.name', 'lower-case letters, digits and "-"'],
  ['name too long for derived objects', abi('  replicas: 1\n', 'a'.repeat(53)), 'metadata.name', 'the StatefulSet "' + 'a'.repeat(53) + '" would have 53 characters, at most 52'],
  ['two ports the same', abi('  replicas: 1\n  networking:\n    metricsPort: 8080\n'), 'spec.networking.metricsPort', 'is 8080, the port of spec.networking.httpPort (its default)'],
  ['modelSource without provider local', abi('  replicas: 1\n  llm:\n    modelSource:\n      url: https://models.example/m.gguf\n'), 'spec.llm.modelSource', 'spec.llm.provider is "ollama": a model file is loaded only with provider local'],
  ['modelSource with a model outside /data', abi('  replicas: 1\n  llm:\n    provider: local\n    model: /models/m.gguf\n    modelSource:\n      url: https://models.example/m.gguf\n'), 'spec.llm.model', 'resolves to /models/m.gguf, outside /data/'],
  ['modelSource url scheme', abi('  replicas: 1\n  llm:\n    provider: local\n    modelSource:\n      url: s3://bucket/m.gguf\n'), 'spec.llm.modelSource.url', 'must match ^https?://'],
  ['ephemeral-storage request above its limit', abi('  replicas: 1\n  resources:\n    requests:\n      ephemeral-storage: 8Gi\n    limits:\n      ephemeral-storage: 4Gi\n'), 'spec.resources.requests.ephemeral-storage', '8Gi exceeds the ephemeral-storage limit 4Gi'],
  ['image digest that is not sha256', abi('  replicas: 1\n  image:\n    digest: md5:abc\n'), 'spec.image.digest', 'must match'],
  ['unknown kind', 'apiVersion: abi.io/v2\nkind: AbiInstance\nmetadata:\n  name: x\nspec:\n  replicas: 1\n', 'kind', 'expected one of abi.io/v1 AbiInstance'],
];

describe('bad input: each rule names the file, the document and the field', () => {
  test.each(CASES)('GIVEN %s WHEN loaded THEN the error says where and why', (_rule, content, field, words) => {
    const root = instancesDir({ 'c1/team/spec.yaml': content });
    const problems = problemsOf(root);
    expect(problems.length).toBeGreaterThan(0);
    const match = problems.find((p) => p.includes(words));
    expect(match).toBeDefined();
    expect(match).toContain(path.join(root, 'c1/team/spec.yaml'));
    if (field) expect(match).toContain(`: ${field}: `);
  });

  test('GIVEN two documents with the same namespace/name in two files WHEN loaded THEN the error names both files', () => {
    const root = instancesDir({ 'c1/a.yaml': abi('  replicas: 1\n', 'same'), 'c1/b.yaml': `---\n${abi('  replicas: 1\n', 'other')}\n---\n${abi('  replicas: 1\n', 'same')}` });
    const problems = problemsOf(root);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${path.join(root, 'c1/b.yaml')}: document 2`);
    expect(problems[0]).toContain(`in ${path.join(root, 'c1/a.yaml')} (document 1)`);
  });

  test('GIVEN problems in several files WHEN loaded THEN all are reported together', () => {
    const root = instancesDir({ 'c1/a.yaml': abi('  replicas: x\n', 'a'), 'c2/b.yaml': abi('  replicas: 1\n  bogus: 1\n', 'b') });
    const problems = problemsOf(root);
    expect(problems).toHaveLength(2);
  });

  test('GIVEN a cluster profile with an unknown field WHEN loaded THEN the profile error names the field', () => {
    const root = instancesDir({ 'c1/cluster.yaml': 'apiVersion: cdk8s-abi-vecodex/v1alpha1\nkind: ClusterProfile\nspec:\n  gpuu: {}\n', 'c1/a.yaml': abi('  replicas: 1\n', 'a') });
    expect(problemsOf(root)).toEqual([expect.stringContaining('cluster.yaml: document 1: ClusterProfile: spec.gpuu: is not a known field')]);
  });

  test('GIVEN the upstream samples unchanged WHEN loaded THEN they validate', () => {
    const root = instancesDir({
      'c1/basic.yaml': 'apiVersion: abi.io/v1\nkind: AbiInstance\nmetadata:\n  name: my-abi\n  namespace: default\nspec:\n  replicas: 1\n',
      'c1/gpu.yaml': fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/upstream/abi_v1_instance_gpu.yaml'), 'utf8'),
      'c1/production.yaml': fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/upstream/abi_v1_instance_production.yaml'), 'utf8'),
    });
    expect(problemsOf(root)).toEqual([]);
  });
});

describe('the entry point on bad input', () => {
  test('GIVEN an existing output dir WHEN a spec is invalid THEN it exits non-zero, prints the problem and leaves the output untouched', () => {
    const root = instancesDir({ 'c1/a.yaml': abi('  replicas: 1\n  bogus: true\n', 'a') });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'abi-out-'));
    fs.writeFileSync(path.join(out, 'previous.yaml'), 'kept: true\n');
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'lib/src/main.js')], {
      env: { ...process.env, INSTANCES_DIR: root, CDK8S_OUTDIR: out }, encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('spec.bogus: is not a known field');
    expect(result.stderr).toContain(`${out} was left untouched.`);
    expect(fs.readdirSync(out)).toEqual(['previous.yaml']);
    expect(fs.readFileSync(path.join(out, 'previous.yaml'), 'utf8')).toBe('kept: true\n');
  });

  test('GIVEN a spec file directly in the instances dir WHEN loaded THEN it is an error, not silently skipped', () => {
    const root = instancesDir({ 'stray.yaml': abi('  replicas: 1\n', 'a'), 'c1/b.yaml': abi('  replicas: 1\n', 'b') });
    const problems = problemsOf(root);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(path.join(root, 'stray.yaml'));
    expect(problems[0]).toContain('outside any cluster folder: move it to');
  });

  test('GIVEN invalid input WHEN run by `cdk8s synth` (which deletes the output dir first) THEN the message does not claim the output was kept', () => {
    const root = instancesDir({ 'c1/a.yaml': abi('  replicas: 1\n  bogus: true\n', 'a') });
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'abi-cli-out-')), 'dist');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'previous.yaml'), 'kept: true\n');
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/cdk8s-cli/bin/cdk8s'), 'synth', '--no-check-upgrade', '-o', out], {
      cwd: REPO_ROOT, env: { ...process.env, INSTANCES_DIR: root }, encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('spec.bogus: is not a known field');
    expect(fs.existsSync(out)).toBe(false);
    expect(result.stderr).not.toContain('left untouched');
    expect(result.stderr).toContain(`the cdk8s CLI removed it before running this app (\`-o\` names the directory it deletes): restore it with \`git checkout -- ${out}\``);
  }, 60_000);

  test('GIVEN a rendered dist/ WHEN plain `npx cdk8s synth` (cdk8s.yaml\'s scratch output) fails and then succeeds THEN the failure leaves dist/ as it was, the success replaces it and the CLI lists it', () => {
    // GIVEN a project like ours: cdk8s.yaml with the repository's output setting, and a dist/ from before
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'abi-cli-project-'));
    const config = yaml.load(fs.readFileSync(path.join(REPO_ROOT, 'cdk8s.yaml'), 'utf8')) as { output: string };
    fs.writeFileSync(path.join(project, 'cdk8s.yaml'), yaml.dump({ ...config, app: `${process.execPath} ${path.join(REPO_ROOT, 'lib/src/main.js')}` }));
    fs.mkdirSync(path.join(project, 'dist'));
    fs.writeFileSync(path.join(project, 'dist', 'previous.yaml'), 'kept: true\n');
    const synth = (root: string) => spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/cdk8s-cli/bin/cdk8s'), 'synth', '--no-check-upgrade'], {
      cwd: project, env: { ...process.env, INSTANCES_DIR: root }, encoding: 'utf8',
    });

    // WHEN the spec is invalid THEN exit non-zero, the problem named, dist/ untouched
    const failed = synth(instancesDir({ 'c1/a.yaml': abi('  replicas: 1\n  bogus: true\n', 'a') }));
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain('spec.bogus: is not a known field');
    expect(failed.stderr).toContain('dist was left untouched.');
    expect(fs.readFileSync(path.join(project, 'dist', 'previous.yaml'), 'utf8')).toBe('kept: true\n');

    // WHEN it is fixed THEN dist/ holds the new output only, twice in a row (the CLI deletes the link, never dist/)
    for (let run = 0; run < 2; run++) {
      const ok = synth(instancesDir({ 'c1/a.yaml': abi('  replicas: 1\n', 'a') }));
      expect(ok.status).toBe(0);
      expect(fs.existsSync(path.join(project, 'dist', 'previous.yaml'))).toBe(false);
      expect(fs.existsSync(path.join(project, 'dist', 'c1', 'team', 'a', 'manifests.yaml'))).toBe(true);
      expect(fs.readlinkSync(path.join(project, config.output))).toBe('dist');
      expect(ok.stdout).toContain(`  - ${config.output}/c1/team/a/manifests.yaml`);
    }
  }, 120_000);

  test('GIVEN valid specs WHEN rendered twice THEN the output is byte-identical and stale files are gone', () => {
    const root = instancesDir({ 'c1/a.yaml': abi('  replicas: 1\n', 'a') });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'abi-out-'));
    fs.writeFileSync(path.join(out, 'stale.yaml'), 'stale: true\n');
    const run = () => execFileSync(process.execPath, [path.join(REPO_ROOT, 'lib/src/main.js')], { env: { ...process.env, INSTANCES_DIR: root, CDK8S_OUTDIR: out } });
    run();
    const first = fs.readFileSync(path.join(out, 'c1/team/a/manifests.yaml'), 'utf8');
    run();
    expect(fs.readFileSync(path.join(out, 'c1/team/a/manifests.yaml'), 'utf8')).toBe(first);
    expect(fs.existsSync(path.join(out, 'stale.yaml'))).toBe(false);
  });
});
