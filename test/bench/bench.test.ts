/**
 * Proves the synthesis benchmark still works, on a tiny N. Not a timed test:
 * it checks the generated tree, that the pipeline accepts every generated
 * instance, and the shape of the JSON result and of the BENCHMARKS.md block.
 * Everything runs in temp dirs; the bench is compiled into one too.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLUSTERS, generateInstances, shapeOf } from '../../bench/generate';

const repo = path.resolve(__dirname, '../..');

describe('synthesis benchmark', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-test-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('the generator writes a realistic mix over several clusters', () => {
    const tree = generateInstances(path.join(tmp, 'gen'), { count: 40, vecodex: true });
    expect(tree.files).toHaveLength(40);
    expect(tree.shapes).toEqual({ basic: 16, production: 10, gpu: 4, vecodex: 10 });
    expect(new Set(tree.files.map((f) => f.split(path.sep)[0]))).toEqual(new Set(CLUSTERS.map((c) => c.name)));
    for (const f of tree.files) expect(fs.existsSync(path.join(tree.dir, f))).toBe(true);
    expect(fs.existsSync(path.join(tree.dir, 'dev', 'cluster.yaml'))).toBe(true);
    expect(shapeOf(15, false)).toBe('basic');
  });

  test('end to end on N=3: every generated instance synthesizes, the JSON result and the markdown block have their shape', () => {
    const build = path.join(tmp, 'build');
    execFileSync(path.join(repo, 'node_modules/.bin/tsc'), ['-p', path.join(repo, 'bench/tsconfig.json'), '--outDir', build], { cwd: repo, stdio: 'pipe' });
    const out = path.join(tmp, 'result.json');
    const md = path.join(tmp, 'BENCHMARKS.md');
    fs.writeFileSync(md, '# Benchmarks\n\n## Reconciler\n\nuntouched\n');
    execFileSync('node', [path.join(build, 'bench/run.js'), '--repo', repo, '--lib', build, '--sizes', '3', '--repeats', '1', '--naive-repeats', '1', '--no-cli', '--out', out, '--update-md', md], { cwd: repo, stdio: 'pipe', timeout: 120_000, env: { ...process.env, NODE_PATH: path.join(repo, 'node_modules') } });
    const result = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(result.schema).toBe('cdk8s-abi-vecodex/synthesis-bench/v1');
    expect(result.machine).toEqual(expect.objectContaining({ nproc: expect.any(Number), node: process.version }));
    expect(result.sizes).toHaveLength(1);
    const [size] = result.sizes;
    expect(size.instances).toBe(3);
    expect(size.objects).toBeGreaterThan(3);
    expect(size.identicalOutput).toBe(true);
    for (const v of ['node0', 'floor', 'direct', 'naive']) {
      expect(size.variants[v]).toEqual(expect.objectContaining({ runs: 1, medianWallMs: expect.any(Number) }));
    }
    expect(size.variants.cli).toBeUndefined();
    expect(size.ratios.directOverFloor).toEqual(expect.any(Number));
    expect(result.targets.length).toBeGreaterThan(0);
    const text = fs.readFileSync(md, 'utf8');
    expect(text).toContain('## Reconciler\n\nuntouched\n');
    expect(text).toMatch(/## Synthesis\n\n<!-- synthesis-bench:begin[^]*\| 3 \|[^]*<!-- synthesis-bench:end -->/);
  }, 180_000);
});
