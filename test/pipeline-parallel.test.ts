/**
 * Rendering on several threads (src/pipeline/render-pool.ts) must give the
 * sequential path's output byte for byte, keep warnings exactly once, and fail
 * like it: non-zero exit, the message, the output dir untouched. Runs the
 * compiled entry point (`npm run build` first, as `npm test` does). Not timed.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateInstances } from '../bench/generate';
import { PARALLEL_THRESHOLD, renderThreadCount } from '../src/pipeline/render-pool';

const REPO_ROOT = path.resolve(__dirname, '..');
const MAIN = path.join(REPO_ROOT, 'lib/src/main.js');

function synth(instancesDir: string, outdir: string, env: Record<string, string>) {
  const clean = { ...process.env };
  delete clean.SYNTH_WORKERS;
  delete clean.SYNTH_FAIL_RENDER;
  return spawnSync(process.execPath, [MAIN], { env: { ...clean, INSTANCES_DIR: instancesDir, CDK8S_OUTDIR: outdir, ...env }, encoding: 'utf8', timeout: 120_000 });
}

/** Every file below dir, relative path -> content. */
function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else out.set(child, fs.readFileSync(path.join(dir, child)));
    }
  };
  walk('');
  return out;
}

function expectSameTree(actual: string, expected: string): void {
  const a = readTree(actual);
  const e = readTree(expected);
  expect([...a.keys()]).toEqual([...e.keys()]);
  const differing = [...e.keys()].filter((k) => !a.get(k)!.equals(e.get(k)!));
  expect(differing).toEqual([]);
}

describe('rendering on several threads', () => {
  let tmp: string;
  let generated: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-parallel-'));
    // Above the threshold, so the automatic choice renders in workers too.
    generated = generateInstances(path.join(tmp, 'instances'), { count: PARALLEL_THRESHOLD + 20, vecodex: true }).dir;
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('GIVEN a generated repository above the threshold WHEN synthesized with SYNTH_WORKERS=2, 1 and unset THEN the trees and stderr are byte-identical', () => {
    const sequential = synth(generated, path.join(tmp, 'out-1'), { SYNTH_WORKERS: '1' });
    expect(sequential.status).toBe(0);
    for (const [name, env] of [['out-2', { SYNTH_WORKERS: '2' }], ['out-3', { SYNTH_WORKERS: '3' }], ['out-auto', {}]] as const) {
      const parallel = synth(generated, path.join(tmp, name), env);
      expect({ name, status: parallel.status, stderr: parallel.stderr }).toEqual({ name, status: 0, stderr: sequential.stderr });
      expectSameTree(path.join(tmp, name), path.join(tmp, 'out-1'));
    }
    expect(readTree(path.join(tmp, 'out-1')).size).toBeGreaterThan(PARALLEL_THRESHOLD * 2);
  }, 180_000);

  test('GIVEN the repository instances/ with its warnings WHEN forced onto 2 threads THEN the same tree and every warning exactly once', () => {
    const instances = path.join(REPO_ROOT, 'instances');
    const sequential = synth(instances, path.join(tmp, 'sample-1'), { SYNTH_WORKERS: '1' });
    const parallel = synth(instances, path.join(tmp, 'sample-2'), { SYNTH_WORKERS: '2' });
    expect(sequential.status).toBe(0);
    expect(parallel.status).toBe(0);
    expect(sequential.stderr).toMatch(/^warning: /m);
    expect(parallel.stderr).toBe(sequential.stderr);
    expectSameTree(path.join(tmp, 'sample-2'), path.join(tmp, 'sample-1'));
  }, 60_000);

  test('GIVEN an existing output dir WHEN an instance fails to render in a worker or on the main thread THEN exit 1 with the message and the output dir untouched', () => {
    // The workers take the first batches (dispatched before this thread renders
    // its own), so the first instance renders in a worker; the last one may go
    // to either thread.
    const first = firstInstance(generated);
    const last = lastInstance(generated);
    for (const [target, where] of [[first, /\(in a render worker\)/], [last, /SYNTH_FAIL_RENDER/]] as const) {
      const out = fs.mkdtempSync(path.join(tmp, 'kept-'));
      fs.writeFileSync(path.join(out, 'previous.yaml'), 'kept: true\n');
      const result = synth(generated, out, { SYNTH_WORKERS: '2', SYNTH_FAIL_RENDER: target });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`SYNTH_FAIL_RENDER: the render of ${target} was made to fail`);
      expect(result.stderr).toMatch(where);
      expect(result.stderr).toContain(`${out} was left untouched.`);
      expect(fs.readdirSync(out)).toEqual(['previous.yaml']);
      expect(fs.readFileSync(path.join(out, 'previous.yaml'), 'utf8')).toBe('kept: true\n');
      // No staging dir left next to it either.
      expect(fs.readdirSync(path.dirname(out)).filter((f) => f.startsWith(`.${path.basename(out)}.`))).toEqual([]);
    }
  }, 120_000);

  test('GIVEN SYNTH_WORKERS WHEN parsed THEN 1 is the main thread, n is n threads, auto keeps small inputs sequential, anything else is refused', () => {
    expect(renderThreadCount(10_000, '1')).toBe(1);
    expect(renderThreadCount(1, '3')).toBe(3);
    expect(renderThreadCount(PARALLEL_THRESHOLD - 1, undefined)).toBe(1);
    expect(renderThreadCount(PARALLEL_THRESHOLD - 1, 'auto')).toBe(1);
    for (const bad of ['0', '-1', 'two', '1.5', '65']) expect(() => renderThreadCount(10, bad)).toThrow(/SYNTH_WORKERS/);
    const out = fs.mkdtempSync(path.join(tmp, 'bad-setting-'));
    const result = synth(path.join(REPO_ROOT, 'instances'), out, { SYNTH_WORKERS: 'lots' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SYNTH_WORKERS="lots" is not valid');
    expect(fs.readdirSync(out)).toEqual([]);
  }, 60_000);
});

/** `<cluster>/<namespace>/<name>` of the first / last instance in render order (clusters, namespaces, names sorted). */
function instancesInOrder(root: string): string[] {
  const out: string[] = [];
  for (const cluster of fs.readdirSync(root).sort()) {
    const dir = path.join(root, cluster);
    if (!fs.statSync(dir).isDirectory()) continue;
    const keys: Array<[string, string]> = [];
    const walk = (d: string) => {
      for (const f of fs.readdirSync(d).sort()) {
        const full = path.join(d, f);
        if (fs.statSync(full).isDirectory()) walk(full);
        else if (f !== 'cluster.yaml' && /\.ya?ml$/.test(f)) {
          const text = fs.readFileSync(full, 'utf8');
          const name = /^\s{2}name: (\S+)$/m.exec(text)![1];
          const namespace = /^\s{2}namespace: (\S+)$/m.exec(text)?.[1] ?? 'default';
          keys.push([namespace, name]);
        }
      }
    };
    walk(dir);
    keys.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    out.push(...keys.map(([ns, name]) => `${cluster}/${ns}/${name}`));
  }
  return out;
}
const firstInstance = (root: string) => instancesInOrder(root)[0];
const lastInstance = (root: string) => instancesInOrder(root).slice(-1)[0];
