import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadInstances } from '../../src/pipeline/load-instances';
import { formatProblem, SpecValidationError } from '../../src/pipeline/spec-error';
import { synthesizeRepository } from '../../src/pipeline/synthesize';

export const REPO_ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(REPO_ROOT, 'lib/src/main.js');

/** A fresh temp dir holding an instances dir with `files` (relative path -> text); returns both. */
export function workspace(files: Record<string, string> = {}): { base: string; root: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-input-'));
  const root = path.join(base, 'instances');
  fs.mkdirSync(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return { base, root };
}

export const abi = (name: string, namespace = 'team', spec = '  replicas: 1\n') =>
  `apiVersion: abi.io/v1\nkind: AbiInstance\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n${spec}`;

export const vecodex = (name: string, namespace = 'team', searcherExtra = '') => [
  'apiVersion: apps.vecodex.link/v1alpha1',
  'kind: VecodexSet',
  `metadata: {name: ${name}, namespace: ${namespace}}`,
  'spec:',
  '  coordinator: {image: "ghcr.io/ivan-digital/vecodex/app:v1", replicas: 1}',
  '  writer: {image: "ghcr.io/ivan-digital/vecodex/app:v1", replicas: 1}',
  '  searcher:',
  '    image: "ghcr.io/ivan-digital/vecodex/app:v1"',
  '    replicas: 1',
  ...(searcherExtra ? [searcherExtra] : []),
  '  ingress: {host: search.example.com}',
  '',
].join('\n');

export interface SynthRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/**
 * Runs the real entry point (`node lib/src/main.js`) on `root`, writing to
 * `outdir`; as `uid` when given (dropped with setpriv, for permission cases
 * run as root). Bounded by a timeout, so a hang fails the test instead of stalling it.
 */
export function runSynth(root: string, outdir: string, opts: { uid?: number; env?: Record<string, string> } = {}): SynthRun {
  const command = opts.uid === undefined ? [process.execPath, MAIN] : ['setpriv', `--reuid=${opts.uid}`, `--regid=${opts.uid}`, '--clear-groups', process.execPath, MAIN];
  const result = spawnSync(command[0], command.slice(1), {
    env: { ...process.env, INSTANCES_DIR: root, CDK8S_OUTDIR: outdir, SYNTH_WORKERS: '1', ...opts.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, timedOut: (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' };
}

/** An existing output dir with one file, to check a failed run leaves it as it was. */
export function previousOutput(base: string): { outdir: string; untouched: () => void } {
  const outdir = path.join(base, 'dist');
  fs.mkdirSync(outdir);
  fs.writeFileSync(path.join(outdir, 'previous.yaml'), 'kept: true\n');
  return {
    outdir,
    untouched: () => {
      expect(fs.readdirSync(outdir)).toEqual(['previous.yaml']);
      expect(fs.readFileSync(path.join(outdir, 'previous.yaml'), 'utf8')).toBe('kept: true\n');
    },
  };
}

/** A failed run as users see it: exit 1, the problem on stderr, no stack trace, the output untouched. */
export function expectRefused(run: SynthRun, untouched: () => void): void {
  expect(run.timedOut).toBe(false);
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/^error: \d+ problem\(s\) in the instance specs:/);
  // A stack trace has lines like "    at loadFile (/path/file.js:12:3)".
  expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  // Nor a raw Node error ("Error: ELOOP: too many symbolic links encountered, stat '...'").
  expect(run.stderr).not.toMatch(/\b(TypeError|RangeError|ReferenceError|SyntaxError)\b|Error: E[A-Z]+:/);
  expect(run.stderr).toContain('was left untouched.');
  untouched();
}

/** The formatted problems loading (then rendering) `root` reports; [] when it renders. */
export function problemsOf(root: string, render = false): string[] {
  try {
    if (render) synthesizeRepository(root);
    else loadInstances(root);
  } catch (err) {
    if (err instanceof SpecValidationError) return err.problems.map(formatProblem);
    throw err;
  }
  return [];
}
