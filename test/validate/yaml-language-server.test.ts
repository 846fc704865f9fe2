/**
 * End to end for editors: the yaml-language-server package (what VS Code's
 * YAML extension and other LSP editors run), configured from the repository's
 * own .vscode/settings.json and schemas/, opens instance and profile files
 * and gives completion, hover documentation and problems on the right lines.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './support';

interface Request { file: string; text: string; completeAt?: { line: number; character: number }; hoverAt?: { line: number; character: number } }
interface Result {
  file: string; diagnostics: Array<{ line: number; character: number; message: string }>; completions?: string[]; hover?: string | null;
}

/** Runs the language server on the requests (a child process: the package is an ES module). */
function languageServer(requests: Request[]): Result[] {
  const result = spawnSync(process.execPath, [path.join(__dirname, 'yaml-language-server-check.mjs')], {
    input: JSON.stringify({ workspace: REPO_ROOT, requests }), encoding: 'utf8', cwd: REPO_ROOT,
  });
  if (result.status !== 0) throw new Error(`yaml-language-server check failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

const one = (request: Request) => languageServer([request])[0];
const lines = (r: Result) => r.diagnostics.map((d) => d.line);

const ABI_HEAD = 'apiVersion: abi.io/v1\nkind: AbiInstance\nmetadata:\n  name: a\n  namespace: team\nspec:\n';
const read = (rel: string) => fs.readFileSync(path.join(REPO_ROOT, rel), 'utf8');

describe('an editor with the YAML language server, configured by .vscode/settings.json', () => {
  test('GIVEN every instance and profile file of the repository WHEN opened THEN none shows a problem', () => {
    const files = ['instances/dev/abi-basic.yaml', 'instances/dev/vecodex-search-cluster.yaml', 'instances/dev/cluster.yaml', 'instances/prod/abi-production.yaml', 'instances/prod/abi-gpu.yaml', 'instances/prod/vecodex-gpu.yaml', 'instances/prod/cluster.yaml'];
    const results = languageServer(files.map((file) => ({ file, text: read(file) })));
    expect(results).toHaveLength(files.length);
    for (const r of results) expect({ file: r.file, diagnostics: r.diagnostics }).toEqual({ file: r.file, diagnostics: [] });
  });

  test('GIVEN an AbiInstance with a quoted number and an unknown field WHEN opened THEN each is a problem on its own line', () => {
    const r = one({ file: 'instances/c1/a.yaml', text: `${ABI_HEAD}  replicas: "3"\n  replica: 2\n` });
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ line: 6, message: expect.stringContaining('Incorrect type. Expected "integer"') }),
      expect.objectContaining({ line: 7, message: expect.stringContaining('replica is not allowed') }),
    ]);
  });

  test('GIVEN the spec of an AbiInstance WHEN completing a new field THEN its fields are offered, and hover shows the CRD description', () => {
    const r = one({ file: 'instances/c1/a.yaml', text: `${ABI_HEAD}  replicas: 1\n  \n`, completeAt: { line: 7, character: 2 }, hoverAt: { line: 6, character: 4 } });
    expect(r.completions).toEqual(expect.arrayContaining(['image', 'features', 'resources', 'storage', 'autoscaling', 'highAvailability']));
    expect(r.hover).toContain('Number of ABI replicas');
  });

  test('GIVEN a multi-document file with an AbiInstance and a VecodexSet WHEN opened THEN both validate, and an error in the second document is on its line', () => {
    const vecodex = read('instances/dev/vecodex-search-cluster.yaml');
    const good = one({ file: 'instances/c1/mixed.yaml', text: `${ABI_HEAD}  replicas: 1\n---\n${vecodex}` });
    expect(good.diagnostics).toEqual([]);
    const bad = vecodex.replace('coordinator:\n', 'coordinator:\n    pullPolicy: Always\n');
    expect(bad).not.toBe(vecodex);
    const r = one({ file: 'instances/c1/mixed.yaml', text: `${ABI_HEAD}  replicas: 1\n---\n${bad}` });
    const expectedLine = `${ABI_HEAD}  replicas: 1\n---\n${bad}`.split('\n').indexOf('    pullPolicy: Always');
    expect(r.diagnostics).toEqual([expect.objectContaining({ line: expectedLine, message: expect.stringContaining('pullPolicy is not allowed') })]);
  });

  test('GIVEN the spec of a VecodexSet WHEN completing THEN its components are offered', () => {
    const r = one({ file: 'instances/c1/v.yaml', text: 'apiVersion: apps.vecodex.link/v1alpha1\nkind: VecodexSet\nmetadata:\n  name: v\nspec:\n  \n', completeAt: { line: 5, character: 2 } });
    expect(r.completions).toEqual(expect.arrayContaining(['coordinator', 'writer', 'searcher', 'indexes', 'etcd', 's3', 'ingress']));
  });

  test('GIVEN a new document WHEN completing kind THEN both kinds are offered', () => {
    const r = one({ file: 'instances/c1/new.yaml', text: 'apiVersion: abi.io/v1\nkind: \n', completeAt: { line: 1, character: 6 } });
    expect(r.completions).toEqual(expect.arrayContaining(['AbiInstance', 'VecodexSet']));
  });

  test('GIVEN a cluster.yaml WHEN opened THEN only the profile schema applies: a valid profile is clean, its fields complete, a bad value is a problem', () => {
    const head = 'apiVersion: cdk8s-abi-vecodex/v1alpha1\nkind: ClusterProfile\nspec:\n';
    const clean = one({ file: 'instances/c1/cluster.yaml', text: `${head}  podSecurityLevel: baseline\n  \n`, completeAt: { line: 4, character: 2 }, hoverAt: { line: 3, character: 4 } });
    expect(clean.diagnostics).toEqual([]);
    expect(clean.hover).toContain('Pod Security Standards level enforced on the namespaces we render');
    expect(clean.completions).toEqual(expect.arrayContaining(['gpu', 'gitops', 'reconciler', 'storageClassName']));
    const bad = one({ file: 'instances/c1/cluster.yaml', text: `${head}  podSecurityLevel: strict\n` });
    expect(lines(bad)).toEqual([3]);
    expect(bad.diagnostics[0].message).toContain('"restricted", "baseline", "privileged"');
  });

  test('GIVEN a file outside instances/ with the README\'s modeline WHEN opened THEN the schema the modeline names applies', () => {
    const text = `# yaml-language-server: $schema=../../schemas/instance-file.schema.json\n${ABI_HEAD}  replicas: "3"\n`;
    expect(lines(one({ file: 'elsewhere/team/a.yaml', text }))).toEqual([7]);
    expect(lines(one({ file: 'elsewhere/team/a.yaml', text: text.split('\n').slice(1).join('\n') }))).toEqual([]);
  });

  test('GIVEN a cluster.yaml nested below a cluster folder WHEN opened THEN it is an instance file, as synth reads it', () => {
    const r = one({ file: 'instances/c1/team/cluster.yaml', text: 'apiVersion: cdk8s-abi-vecodex/v1alpha1\nkind: ClusterProfile\n' });
    expect(r.diagnostics.map((d) => d.message).join('\n')).toContain('AbiInstance');
  });
});
