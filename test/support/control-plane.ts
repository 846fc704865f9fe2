/**
 * An envtest-style Kubernetes control plane for tests: etcd and kube-apiserver
 * on 127.0.0.1 with free ports, state in a fresh temp dir, binaries from the
 * directory in KUBEBUILDER_ASSETS (controller-runtime envtest's variable and
 * layout). No kubelet, scheduler or controller-manager runs: tests patch
 * workload status themselves.
 *
 * The flags follow ../shared/kube-testenv/start.sh, which is tested against
 * kube-apiserver 1.36 and Debian's etcd 3.4.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { KubeClient } from './kube-client';

export const ASSETS_VARIABLE = 'KUBEBUILDER_ASSETS';

/** The binary directory, or undefined when the API-server tests must skip. */
export function assetsDirectory(): string | undefined {
  const dir = process.env[ASSETS_VARIABLE];
  return dir && dir.trim() !== '' ? dir : undefined;
}

export interface ControlPlaneOptions {
  /** @default 120_000 */
  readonly startTimeoutMs?: number;
}

export class ControlPlane {
  /** Starts etcd and kube-apiserver; throws (never skips) when the binaries are unusable. */
  public static async start(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
    const assets = assetsDirectory();
    if (!assets) {
      throw new Error(`${ASSETS_VARIABLE} is not set: cannot start a control plane`);
    }
    const plane = new ControlPlane(assets, options.startTimeoutMs ?? 120_000);
    try {
      await plane.startEtcd();
      await plane.startApiServer();
    } catch (err) {
      await plane.stop();
      throw err;
    }
    return plane;
  }

  public readonly dir: string;
  public readonly token: string;
  public apiPort = 0;
  private etcdPort = 0;
  private etcd?: ChildProcess;
  private apiServer?: ChildProcess;
  private readonly apiServerBinary: string;
  private readonly etcdBinary: string;

  private constructor(assets: string, private readonly startTimeoutMs: number) {
    this.apiServerBinary = path.join(assets, 'kube-apiserver');
    if (!isExecutable(this.apiServerBinary)) {
      throw new Error(`${ASSETS_VARIABLE}=${assets} has no executable kube-apiserver (run: npm run testenv:build)`);
    }
    this.etcdBinary = isExecutable(path.join(assets, 'etcd')) ? path.join(assets, 'etcd') : findOnPath('etcd');
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-abi-vecodex-testenv-'));
    this.token = randomBytes(24).toString('hex');
    this.writeCredentials();
    registerForExitCleanup(this);
  }

  public get url(): string {
    return `https://127.0.0.1:${this.apiPort}`;
  }

  public get caFile(): string {
    return path.join(this.dir, 'ca.crt');
  }

  public get kubeconfigPath(): string {
    return path.join(this.dir, 'kubeconfig');
  }

  /** A client authenticated as the static admin (group system:masters). */
  public adminClient(): KubeClient {
    return new KubeClient(this.url, fs.readFileSync(this.caFile), { token: this.token });
  }

  /** A client authenticated as an arbitrary bearer token (e.g. a ServiceAccount token). */
  public clientWithToken(token: string): KubeClient {
    return new KubeClient(this.url, fs.readFileSync(this.caFile), { token });
  }

  /** Stops kube-apiserver only; etcd and its data stay. */
  public async stopApiServer(): Promise<void> {
    await terminate(this.apiServer);
    this.apiServer = undefined;
  }

  /** Starts kube-apiserver again on the same port and etcd, as after a control-plane restart. */
  public async restartApiServer(): Promise<void> {
    await this.stopApiServer();
    await this.startApiServer(this.apiPort);
  }

  public async stop(): Promise<void> {
    await terminate(this.apiServer);
    await terminate(this.etcd);
    this.apiServer = undefined;
    this.etcd = undefined;
    unregisterForExitCleanup(this);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Kills synchronously; used from a process 'exit' handler, where nothing async runs. */
  public killNow(): void {
    for (const child of [this.apiServer, this.etcd]) {
      if (child?.pid && child.exitCode === null) {
        try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private writeCredentials(): void {
    const cnf = path.join(this.dir, 'openssl.cnf');
    fs.writeFileSync(cnf, [
      '[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', 'CN = testenv',
      '[ca_ext]', 'basicConstraints = critical,CA:TRUE', 'keyUsage = critical,keyCertSign,cRLSign,digitalSignature',
      '[server_ext]', 'basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage = serverAuth',
      'subjectAltName = IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc',
      '',
    ].join('\n'));
    const f = (name: string) => path.join(this.dir, name);
    const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    openssl('req', '-x509', '-new', '-nodes', '-newkey', 'rsa:2048', '-keyout', f('ca.key'), '-out', f('ca.crt'),
      '-days', '3650', '-subj', '/CN=testenv-ca', '-config', cnf, '-extensions', 'ca_ext');
    openssl('req', '-new', '-nodes', '-newkey', 'rsa:2048', '-keyout', f('apiserver.key'), '-out', f('apiserver.csr'),
      '-subj', '/CN=kube-apiserver', '-config', cnf);
    openssl('x509', '-req', '-in', f('apiserver.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial',
      '-out', f('apiserver.crt'), '-days', '3650', '-extfile', cnf, '-extensions', 'server_ext');
    openssl('genrsa', '-out', f('sa.key'), '2048');
    openssl('rsa', '-in', f('sa.key'), '-pubout', '-out', f('sa.pub'));
    fs.writeFileSync(f('tokens.csv'), `${this.token},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
  }

  private writeKubeconfig(): void {
    const ca = fs.readFileSync(this.caFile).toString('base64');
    fs.writeFileSync(this.kubeconfigPath, [
      'apiVersion: v1', 'kind: Config',
      'clusters:', '- name: testenv', '  cluster:', `    server: ${this.url}`, `    certificate-authority-data: ${ca}`,
      'users:', '- name: admin', '  user:', `    token: ${this.token}`,
      'contexts:', '- name: testenv', '  context:', '    cluster: testenv', '    user: admin', '    namespace: default',
      'current-context: testenv', '',
    ].join('\n'), { mode: 0o600 });
  }

  private async startEtcd(): Promise<void> {
    const clientPort = await freePort();
    const peerPort = await freePort();
    this.etcdPort = clientPort;
    const log = fs.openSync(path.join(this.dir, 'etcd.log'), 'a');
    this.etcd = spawn(this.etcdBinary, [
      '--name', 'testenv', '--data-dir', path.join(this.dir, 'etcd'),
      '--listen-client-urls', `http://127.0.0.1:${clientPort}`, '--advertise-client-urls', `http://127.0.0.1:${clientPort}`,
      '--listen-peer-urls', `http://127.0.0.1:${peerPort}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`,
      '--initial-cluster', `testenv=http://127.0.0.1:${peerPort}`, '--initial-cluster-state', 'new',
    ], { stdio: ['ignore', log, log] });
    await this.waitUntil('etcd', this.etcd, async () => {
      const text = fs.readFileSync(path.join(this.dir, 'etcd.log'), 'utf8');
      return /ready to serve client requests|serving (insecure )?client/.test(text);
    });
  }

  private async startApiServer(port?: number): Promise<void> {
    this.apiPort = port ?? await freePort();
    const f = (name: string) => path.join(this.dir, name);
    const log = fs.openSync(f('kube-apiserver.log'), 'a');
    this.apiServer = spawn(this.apiServerBinary, [
      ...apiServerBaseFlags(f, this.etcdPort, this.apiPort),
      // A /16, as the simulated cluster has: a /24 holds 254 ClusterIPs, and
      // bench:gitops applies a Service per instance for 1,000 instances.
      '--service-cluster-ip-range=10.0.0.0/16', '--allow-privileged=true',
      '--disable-admission-plugins=ServiceAccount', '--endpoint-reconciler-type=none',
    ], { stdio: ['ignore', log, log] });
    this.writeKubeconfig();
    const client = this.adminClient();
    await this.waitUntil('kube-apiserver', this.apiServer, async () => {
      try {
        const res = await client.request('GET', '/readyz');
        return res.status === 200;
      } catch {
        return false;
      }
    });
  }

  private async waitUntil(what: string, child: ChildProcess, ready: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + this.startTimeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`${what} exited with ${child.exitCode}; log:\n${this.tail(what)}`);
      }
      if (await ready()) return;
      await sleep(100);
    }
    throw new Error(`${what} not ready after ${this.startTimeoutMs} ms; log:\n${this.tail(what)}`);
  }

  private tail(what: string): string {
    try {
      return fs.readFileSync(path.join(this.dir, `${what}.log`), 'utf8').split('\n').slice(-25).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

const running = new Set<ControlPlane>();
let exitHookInstalled = false;
function registerForExitCleanup(plane: ControlPlane): void {
  running.add(plane);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A crashed or interrupted test run must not leave etcd or kube-apiserver behind.
    process.once('exit', () => running.forEach((p) => p.killNow()));
  }
}
function unregisterForExitCleanup(plane: ControlPlane): void {
  running.delete(plane);
}

async function terminate(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * The kube-apiserver flags every harness here shares (../shared/kube-testenv/start.sh):
 * loopback serving with our certificates, the admin token, RBAC, and ServiceAccount keys.
 * `file` resolves a name in the harness's state directory.
 */
export function apiServerBaseFlags(file: (name: string) => string, etcdPort: number, apiPort: number): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${etcdPort}`,
    '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
    `--tls-cert-file=${file('apiserver.crt')}`, `--tls-private-key-file=${file('apiserver.key')}`,
    `--cert-dir=${file('certs')}`, `--client-ca-file=${file('ca.crt')}`, `--token-auth-file=${file('tokens.csv')}`,
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${file('sa.pub')}`, `--service-account-signing-key-file=${file('sa.key')}`,
  ];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findOnPath(binary: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    if (dir && isExecutable(candidate)) return candidate;
  }
  throw new Error(`${binary} is neither in ${ASSETS_VARIABLE} nor on PATH (Debian: apt-get install etcd-server)`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
