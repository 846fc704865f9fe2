/**
 * The real GitOps engines, run out-of-cluster against a test control plane:
 * Flux's source-controller and kustomize-controller, and Argo CD's
 * application-controller and repo-server (one multi-call binary, with Debian's
 * redis-server as its cache). Built by tools/flux/build.sh and
 * tools/argocd/build.sh into KUBEBUILDER_ASSETS; their CRDs come from the same
 * module versions in the Go module cache (`go mod download -json`), so the
 * API the engines serve is exactly the one they were built with.
 *
 * Everything listens on 127.0.0.1 with free ports, keeps its state in a fresh
 * temp dir, and is killed when stopped or when the test process exits.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { assetsDirectory, ASSETS_VARIABLE, freePort, isExecutable, sleep } from './control-plane';
import { gitServerUnavailable } from './git-server';
import { KubeClient, KubeObject } from './kube-client';
import { simulatedClusterUnavailable } from './simulated-cluster-assets';

const TOOLS = path.join(__dirname, '..', '..', 'tools');

export const FLUX_BINARIES = ['source-controller', 'kustomize-controller'] as const;
export const ARGOCD_BINARIES = ['argocd', 'argocd-application-controller', 'argocd-repo-server'] as const;

/** The version a wrapper module under tools/ requires of `module`. */
export function toolVersion(tool: 'flux' | 'argocd', module: string): string {
  const gomod = fs.readFileSync(path.join(TOOLS, tool, 'go.mod'), 'utf8');
  const m = new RegExp(`^\\s*(?:require\\s+)?${module.replace(/[.]/g, '\\.')}\\s+(v\\S+)`, 'm').exec(gomod);
  if (!m) throw new Error(`tools/${tool}/go.mod does not require ${module}`);
  return m[1];
}

/** The Go toolchain tools/argocd/build.sh builds with (Argo CD's go.mod asks for a newer Go than may be installed). */
function argoCdToolchain(): string {
  const script = fs.readFileSync(path.join(TOOLS, 'argocd', 'build.sh'), 'utf8');
  const m = /ARGOCD_GOTOOLCHAIN:-([^}]+)\}/.exec(script);
  return process.env.ARGOCD_GOTOOLCHAIN ?? m?.[1] ?? 'auto';
}

/** Why the engine tier cannot run here for `engine` (or for both when omitted), or undefined. */
export function gitopsEnginesUnavailable(engine?: 'flux' | 'argocd'): string | undefined {
  const sim = simulatedClusterUnavailable();
  if (sim) return sim;
  const assets = assetsDirectory()!;
  const wanted = [...(engine !== 'argocd' ? FLUX_BINARIES : []), ...(engine !== 'flux' ? ARGOCD_BINARIES : [])];
  const missing = wanted.filter((b) => !isExecutable(path.join(assets, b)));
  if (missing.length > 0) {
    return `${ASSETS_VARIABLE}=${assets} lacks ${missing.join(', ')} (bash tools/flux/build.sh "$${ASSETS_VARIABLE}"; bash tools/argocd/build.sh "$${ASSETS_VARIABLE}")`;
  }
  const git = gitServerUnavailable();
  if (git) return git;
  if (engine === 'flux') return undefined;
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'redis-server not found (Debian: apt-get install redis-server)';
  }
  return undefined;
}

const moduleDirs = new Map<string, string>();

/** Where the Go module cache holds `module@version` (downloading it through the proxy if needed). */
export function moduleDir(module: string, version: string, toolchain = 'local'): string {
  const key = `${module}@${version}`;
  const cached = moduleDirs.get(key);
  if (cached) return cached;
  const out = execFileSync('go', ['mod', 'download', '-json', key], {
    cwd: os.tmpdir(), encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: toolchain, GOFLAGS: '' },
  });
  const info = JSON.parse(out) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${key}: ${info.Error ?? 'no Dir'}`);
  moduleDirs.set(key, info.Dir);
  return info.Dir;
}

function crdsIn(dir: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const doc of yaml.loadAll(fs.readFileSync(path.join(dir, file), 'utf8'))) {
      if (doc && (doc as KubeObject).kind === 'CustomResourceDefinition') out.push(doc as KubeObject);
    }
  }
  if (out.length === 0) throw new Error(`no CustomResourceDefinition in ${dir}`);
  return out;
}

/** Flux's CRDs (source.toolkit.fluxcd.io, kustomize.toolkit.fluxcd.io) from the built versions' config/crd/bases. */
export function fluxCrds(): KubeObject[] {
  return FLUX_BINARIES.flatMap((c) => {
    const module = `github.com/fluxcd/${c}`;
    return crdsIn(path.join(moduleDir(module, toolVersion('flux', module)), 'config', 'crd', 'bases'));
  });
}

const ARGOCD_MODULE = 'github.com/argoproj/argo-cd/v3';

function argoCdModuleDir(): string {
  return moduleDir(ARGOCD_MODULE, toolVersion('argocd', ARGOCD_MODULE), argoCdToolchain());
}

/** Argo CD's CRDs (Application, ApplicationSet, AppProject) from the built version's manifests/crds. */
export function argoCdCrds(): KubeObject[] {
  return crdsIn(path.join(argoCdModuleDir(), 'manifests', 'crds'));
}

/**
 * The argocd-cm and argocd-secret an Argo CD install creates, from the built
 * version's manifests/base/config. argocd-cm is not empty there: it ignores
 * `/status` updates of tracked objects unless their health changes, and
 * excludes Endpoints, Leases and the like, so an Application of Applications is
 * not refreshed on every status write of a child. A harness without those
 * defaults measures a refresh load no installed Argo CD has.
 */
export function argoCdInstallConfig(): KubeObject[] {
  const dir = path.join(argoCdModuleDir(), 'manifests', 'base', 'config');
  return ['argocd-cm.yaml', 'argocd-secret.yaml'].map((file) => {
    const doc = yaml.load(fs.readFileSync(path.join(dir, file), 'utf8')) as KubeObject | undefined;
    if (!doc || doc.kind === undefined) throw new Error(`no object in ${path.join(dir, file)}`);
    return doc;
  });
}

interface Managed { readonly name: string; readonly child: ChildProcess }

const live = new Set<EngineProcesses>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => { for (const e of live) e.killNow(); });
}

/** A group of engine processes with logs in one temp dir. */
abstract class EngineProcesses {
  public readonly dir: string;
  protected readonly processes: Managed[] = [];

  protected constructor(prefix: string, protected readonly kubeconfig: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    live.add(this);
    installExitHook();
  }

  public log(name: string, lines = 60): string {
    try {
      return fs.readFileSync(path.join(this.dir, `${name}.log`), 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Throws with the component's log if any engine process has exited. */
  public assertRunning(): void {
    for (const p of this.processes) {
      if (p.child.exitCode !== null || p.child.signalCode !== null) {
        throw new Error(`${p.name} exited (${p.child.exitCode ?? p.child.signalCode}); log:\n${this.log(p.name)}`);
      }
    }
  }

  public async stop(): Promise<void> {
    for (const p of [...this.processes].reverse()) await terminate(p.child);
    this.processes.length = 0;
    live.delete(this);
    if (process.env.GITOPS_ENGINES_KEEP !== '1') fs.rmSync(this.dir, { recursive: true, force: true });
  }

  public killNow(): void {
    for (const p of this.processes) {
      if (p.child.pid && p.child.exitCode === null) {
        try { process.kill(p.child.pid, 'SIGKILL'); } catch { /* gone */ }
      }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  protected spawn(name: string, binary: string, args: string[], env: Record<string, string> = {}): ChildProcess {
    const log = fs.openSync(path.join(this.dir, `${name}.log`), 'a');
    const child = spawn(binary, args, {
      stdio: ['ignore', log, log],
      env: { ...process.env, HOME: this.dir, TMPDIR: path.join(this.dir, 'tmp'), KUBECONFIG: this.kubeconfig, ...env },
    });
    fs.closeSync(log);
    this.processes.push({ name, child });
    return child;
  }

  protected async waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.assertRunning();
      if (await probe().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs} ms`);
      await sleep(250);
    }
  }

  protected binary(name: string): string {
    return path.join(assetsDirectory()!, name);
  }
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => { res.resume(); resolve((res.statusCode ?? 500) < 300); });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => { req.destroy(); resolve(false); });
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface FluxOptions {
  /** Namespace Flux runs in (its `RUNTIME_NAMESPACE`). @default flux-system */
  readonly namespace?: string;
  /**
   * kustomize-controller --requeue-dependency: how often a Kustomization
   * whose dependsOn is not Ready yet looks again. Flux's default is 30 s.
   * @default 5s
   */
  readonly requeueDependency?: string;
}

/** Flux's source-controller and kustomize-controller, watching all namespaces. */
export class FluxEngine extends EngineProcesses {
  /** Installs Flux's CRDs and its namespace (what `flux install` does for the API), then starts both controllers. */
  public static async start(client: KubeClient, kubeconfig: string, options: FluxOptions = {}): Promise<FluxEngine> {
    const engine = new FluxEngine(kubeconfig, options.namespace ?? 'flux-system');
    try {
      await client.installCrds(fluxCrds());
      await ensureNamespace(client, engine.namespace);
      await engine.startSourceController();
      await engine.startKustomizeController(options.requeueDependency ?? '5s');
    } catch (err) {
      await engine.stop();
      throw err;
    }
    return engine;
  }

  private constructor(kubeconfig: string, public readonly namespace: string) {
    super('cdk8s-abi-vecodex-flux-', kubeconfig);
    fs.mkdirSync(path.join(this.dir, 'tmp'));
  }

  private async startSourceController(): Promise<void> {
    const storage = await freePort();
    const health = await freePort();
    const metrics = await freePort();
    fs.mkdirSync(path.join(this.dir, 'storage'));
    this.spawn('source-controller', this.binary('source-controller'), [
      '--watch-all-namespaces=true', '--enable-leader-election=false', '--log-encoding=json',
      `--storage-path=${path.join(this.dir, 'storage')}`,
      // Artifacts are served here and their URLs point here: kustomize-controller downloads them.
      `--storage-addr=127.0.0.1:${storage}`, `--storage-adv-addr=127.0.0.1:${storage}`,
      `--health-addr=127.0.0.1:${health}`, `--metrics-addr=127.0.0.1:${metrics}`,
    ], { RUNTIME_NAMESPACE: this.namespace });
    await this.waitUntil('source-controller', () => httpOk(`http://127.0.0.1:${health}/readyz`));
  }

  private async startKustomizeController(requeueDependency: string): Promise<void> {
    const health = await freePort();
    const metrics = await freePort();
    this.spawn('kustomize-controller', this.binary('kustomize-controller'), [
      '--watch-all-namespaces=true', '--enable-leader-election=false', '--log-encoding=json',
      `--health-addr=127.0.0.1:${health}`, `--metrics-addr=127.0.0.1:${metrics}`,
      `--requeue-dependency=${requeueDependency}`,
    ], { RUNTIME_NAMESPACE: this.namespace });
    await this.waitUntil('kustomize-controller', () => httpOk(`http://127.0.0.1:${health}/readyz`));
  }
}

export interface ArgoCdOptions {
  /** Namespace Argo CD runs in. @default argocd */
  readonly namespace?: string;
  /**
   * application-controller --app-resync: how often Applications are compared
   * with Git (Argo CD's default 120 s plus up to 60 s jitter; the harness runs
   * without jitter; without a webhook this is how a new
   * commit is noticed).
   * @default 5
   */
  readonly appResyncSeconds?: number;
  /**
   * repo-server --revision-cache-expiration: how long the repo-server keeps
   * what a branch resolves to (its git-refs cache). Argo CD's default 3m is
   * meant for a Git webhook to cut short, and the webhook is argocd-server's,
   * which the tier does not run; without this a new commit waits up to 3
   * minutes on top of the resync.
   * @default 3s
   */
  readonly revisionCacheExpiration?: string;
}

/** Argo CD's application-controller and repo-server with a Redis cache. */
export class ArgoCdEngine extends EngineProcesses {
  /**
   * Installs Argo CD's CRDs, its namespace, and the install's argocd-cm and argocd-secret
   * (argoCdInstallConfig; the bootstrap merges our argocd-cm keys), then starts
   * Redis, the repo-server and the application-controller.
   */
  public static async start(client: KubeClient, kubeconfig: string, options: ArgoCdOptions = {}): Promise<ArgoCdEngine> {
    const engine = new ArgoCdEngine(kubeconfig, options.namespace ?? 'argocd');
    try {
      await client.installCrds(argoCdCrds());
      await ensureNamespace(client, engine.namespace);
      // As Argo CD's install manifests create them (the bootstrap merges our argocd-cm keys into theirs).
      for (const config of argoCdInstallConfig()) {
        const res = await client.apply({ ...config, metadata: { ...config.metadata, namespace: engine.namespace } }, { fieldManager: 'argocd-install' });
        if (res.status >= 300) throw new Error(`${config.metadata.name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      }
      await engine.startRedis();
      await engine.startRepoServer(options.revisionCacheExpiration ?? '3s');
      await engine.startApplicationController(options.appResyncSeconds ?? 5);
    } catch (err) {
      await engine.stop();
      throw err;
    }
    return engine;
  }

  private redisPort = 0;
  private repoServerPort = 0;

  private constructor(kubeconfig: string, public readonly namespace: string) {
    super('cdk8s-abi-vecodex-argocd-', kubeconfig);
    fs.mkdirSync(path.join(this.dir, 'tmp'));
  }

  private get common(): Record<string, string> {
    // No GnuPG keyring to initialise: commit signature verification is off unless configured.
    // ARGOCD_FAKE_IN_CLUSTER: the in-cluster destination (https://kubernetes.default.svc) uses KUBECONFIG, as in Argo CD's own local development setup.
    return { ARGOCD_GPG_ENABLED: 'false', ARGOCD_NAMESPACE: this.namespace, ARGOCD_FAKE_IN_CLUSTER: 'true' };
  }

  private async startRedis(): Promise<void> {
    this.redisPort = await freePort();
    this.spawn('redis', 'redis-server', [
      '--bind', '127.0.0.1', '--port', String(this.redisPort), '--save', '', '--appendonly', 'no',
      '--dir', this.dir,
    ]);
    await this.waitUntil('redis', async () => /Ready to accept connections/.test(this.log('redis', 200)));
  }

  private async startRepoServer(revisionCacheExpiration: string): Promise<void> {
    this.repoServerPort = await freePort();
    const metrics = await freePort();
    // Argo CD's image puts hack/git-verify-wrapper.sh on PATH; the repo-server runs it for every
    // revision it generates manifests for. The same file from the module the binary was built from.
    const bin = path.join(this.dir, 'bin');
    fs.mkdirSync(bin);
    const wrapper = path.join(bin, 'git-verify-wrapper.sh');
    fs.copyFileSync(path.join(argoCdModuleDir(), 'hack', 'git-verify-wrapper.sh'), wrapper);
    fs.chmodSync(wrapper, 0o755);
    this.spawn('argocd-repo-server', this.binary('argocd-repo-server'), [
      `--port=${this.repoServerPort}`, `--metrics-port=${metrics}`, '--address=127.0.0.1', '--metrics-address=127.0.0.1',
      // Plain gRPC on loopback; no mTLS client CA (its default path is the in-cluster Secret mount).
      `--redis=127.0.0.1:${this.redisPort}`, '--disable-tls', '--client-ca-path=', '--logformat=json', '--loglevel=info',
      `--revision-cache-expiration=${revisionCacheExpiration}`,
    ], { ...this.common, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` });
    await this.waitUntil('argocd-repo-server', () => httpOk(`http://127.0.0.1:${metrics}/healthz`));
  }

  private async startApplicationController(appResyncSeconds: number): Promise<void> {
    const metrics = await freePort();
    this.spawn('argocd-application-controller', this.binary('argocd-application-controller'), [
      `--kubeconfig=${this.kubeconfig}`, `--namespace=${this.namespace}`,
      `--repo-server=127.0.0.1:${this.repoServerPort}`, '--repo-server-plaintext',
      `--redis=127.0.0.1:${this.redisPort}`, `--metrics-port=${metrics}`,
      `--app-resync=${appResyncSeconds}`, '--app-resync-jitter=0', '--logformat=json', '--loglevel=info',
    ], this.common);
    await this.waitUntil('argocd-application-controller', () => httpOk(`http://127.0.0.1:${metrics}/metrics`));
  }
}

async function ensureNamespace(client: KubeClient, name: string): Promise<void> {
  const res = await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as KubeObject, { fieldManager: 'engine-install' });
  if (res.status >= 300) throw new Error(`namespace ${name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
}
