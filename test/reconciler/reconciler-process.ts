/**
 * Runs the COMPILED reconciler (lib/src/reconciler/main.js) as a child
 * process, the way it runs in a pod: jest cannot load the ESM-only
 * @kubernetes/client-node, and a separate process is also the honest test of
 * startup, signals and logs.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';

/** The repository root: also right when this file runs compiled from lib/ (the benchmark). */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'lib') dir = path.dirname(dir);
  return dir;
}
const ROOT = repositoryRoot();
export const MAIN_JS = path.join(ROOT, 'lib', 'src', 'reconciler', 'main.js');

/** Compiles the project when the reconciler's sources are newer than its output. */
export function ensureBuilt(): void {
  const srcDirs = ['reconciler', 'shared', 'products', 'abi', 'vecodex'].map((dir) => path.join(ROOT, 'src', dir));
  const newest = Math.max(...srcDirs.flatMap((d) => fs.existsSync(d) ? fs.readdirSync(d).map((f) => fs.statSync(path.join(d, f)).mtimeMs) : [0]));
  const built = fs.existsSync(MAIN_JS) ? fs.statSync(MAIN_JS).mtimeMs : 0;
  if (built >= newest) return;
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  } catch {
    // tsc still emits when files elsewhere in the tree have type errors; the check below decides.
  }
  if (!fs.existsSync(MAIN_JS) || fs.statSync(MAIN_JS).mtimeMs < newest) throw new Error(`could not build ${MAIN_JS}`);
}

export interface LogEntry { level: string; msg: string; [key: string]: unknown }

export class ReconcilerProcess {
  public static async start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ReconcilerProcess> {
    const proc = new ReconcilerProcess(spawn(process.execPath, [MAIN_JS, '--listen-address=127.0.0.1:0', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    }));
    const serving = await proc.waitForLog((e) => e.msg.startsWith('serving'), 30_000);
    proc.port = serving.port as number;
    await proc.waitForLog((e) => e.msg === 'informers started', 30_000);
    return proc;
  }

  public readonly logs: LogEntry[] = [];
  public readonly stderr: string[] = [];
  public port = 0;
  private readonly listeners = new Set<() => void>();
  private buffer = '';

  private constructor(public readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        try { this.logs.push(JSON.parse(line)); } catch { this.logs.push({ level: 'raw', msg: line }); }
      }
      this.listeners.forEach((l) => l());
    });
    child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString('utf8')));
    child.on('exit', () => this.listeners.forEach((l) => l()));
  }

  public get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  public waitForLog(predicate: (e: LogEntry) => boolean, timeoutMs = 30_000): Promise<LogEntry> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.logs.find(predicate);
        if (found) { cleanup(); resolve(found); } else if (!this.alive) { cleanup(); reject(new Error(`reconciler exited (${this.child.exitCode}); stderr: ${this.stderr.join('')}; logs: ${JSON.stringify(this.logs.slice(-10))}`)); }
      };
      const timer = setTimeout(() => { cleanup(); reject(new Error(`no matching log line in ${timeoutMs} ms; last: ${JSON.stringify(this.logs.slice(-10))}`)); }, timeoutMs);
      const cleanup = () => { clearTimeout(timer); this.listeners.delete(check); };
      this.listeners.add(check);
      check();
    });
  }

  public get(pathname: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: this.port, path: pathname }, (res) => {
        let body = '';
        res.on('data', (c) => { body += c; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });
  }

  /** Sum of a metric's samples (all label sets) from /metrics. */
  public async metric(name: string, labelFilter = ''): Promise<number> {
    const { body } = await this.get('/metrics');
    return body.split('\n')
      .filter((l) => (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) && l.includes(labelFilter))
      .reduce((acc, l) => acc + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  }

  /** Waits for the process to exit on its own; resolves with the exit code. */
  public waitForExit(timeoutMs = 30_000): Promise<number | null> {
    if (!this.alive) return Promise.resolve(this.child.exitCode);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms; last: ${JSON.stringify(this.logs.slice(-5))}`)), timeoutMs);
      this.child.once('exit', (code) => { clearTimeout(timer); resolve(code); });
    });
  }

  /** SIGTERM and wait for a clean exit; resolves with the exit code. */
  public async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (!this.alive) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }
}

/**
 * Polls until `probe` returns a truthy value; throws with the last value after
 * `timeoutMs`, or at once with what `fatal` returns (e.g. a process that exited).
 */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 30_000, what = 'condition', fatal: () => string | undefined = () => undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const failure = fatal();
    if (failure !== undefined) throw new Error(`${failure} while waiting for ${what}`);
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
