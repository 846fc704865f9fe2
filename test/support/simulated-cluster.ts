/**
 * A simulated cluster on one machine, for day-2 tests: etcd, kube-apiserver
 * (RBAC, ServiceAccount and Pod Security admission on), kube-controller-manager
 * (every default controller), kube-scheduler, and KWOK playing the kubelets of
 * fake nodes. Workloads really get ReplicaSets, pods, scheduling, volume
 * binding, endpoints, HPA scaling and PDB accounting; pods are Ready as soon
 * as they are bound (KWOK's default "fast" stages).
 *
 * Binaries come from KUBEBUILDER_ASSETS (envtest layout): kube-apiserver,
 * kube-controller-manager, kube-scheduler (tools/kube-apiserver/build.sh all),
 * kwok and kwok-stages.yaml (tools/kwok/build.sh "$KUBEBUILDER_ASSETS"), etcd.
 * Everything listens on 127.0.0.1 with free ports, keeps its state in a fresh
 * temp dir, and is killed when the suite ends or the test process exits.
 *
 * Facts behind the flags: /work/shared/kube-testenv/simulated-cluster.md
 * (a working setup with these versions). The one that matters most: Debian's
 * etcd 3.4 lacks RequestWatchProgress, so kube-apiserver needs
 * --feature-gates=WatchList=false, or KWOK's watches from resourceVersion 0
 * fail, re-list with back-off, and pods become Ready ~16 s late.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { eventually } from '../reconciler/reconciler-process';
import { apiServerBaseFlags, ASSETS_VARIABLE, assetsDirectory, findOnPath, freePort, isExecutable, sleep } from './control-plane';
import { KubeClient, KubeObject } from './kube-client';
import { simulatedClusterUnavailable } from './simulated-cluster-assets';

export { SIMULATED_CLUSTER_ASSETS, simulatedClusterUnavailable } from './simulated-cluster-assets';

/** The annotation KWOK is told to manage nodes by (--manage-nodes-with-annotation-selector). */
export const FAKE_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

export const ZONES = ['zone-a', 'zone-b', 'zone-c'] as const;

export interface FakeNode {
  readonly name: string;
  readonly zone: string;
  readonly cpu: string;
  readonly memory: string;
  /** NVIDIA GPUs: labelled and tainted as the GPU Operator does. */
  readonly gpus?: number;
  /** nvidia.com/gpu.memory label, MiB. @default 24576 */
  readonly gpuMemoryMiB?: number;
  /** Pod capacity. @default 110 (the kubelet's default) */
  readonly pods?: number;
  /**
   * Node-local scratch space. Every rendered container requests ephemeral
   * storage, and a node that reports none fits no pod. @default 200Gi
   */
  readonly ephemeralStorage?: string;
}

/** The day-2 fleet: 3 CPU nodes in 3 zones, 2 GPU nodes. */
export const DEFAULT_NODES: readonly FakeNode[] = [
  { name: 'cpu-a', zone: 'zone-a', cpu: '16', memory: '64Gi' },
  { name: 'cpu-b', zone: 'zone-b', cpu: '16', memory: '64Gi' },
  { name: 'cpu-c', zone: 'zone-c', cpu: '16', memory: '64Gi' },
  { name: 'gpu-a', zone: 'zone-a', cpu: '32', memory: '128Gi', gpus: 2 },
  { name: 'gpu-b', zone: 'zone-b', cpu: '32', memory: '128Gi', gpus: 2 },
];

export interface SimulatedClusterOptions {
  /** @default 180_000 */
  readonly startTimeoutMs?: number;
  /**
   * kube-controller-manager --horizontal-pod-autoscaler-sync-period. The
   * default 15 s would make every HPA scenario wait that long.
   * @default 3
   */
  readonly hpaSyncSeconds?: number;
}

interface Managed {
  readonly name: string;
  readonly child: ChildProcess;
}

export class SimulatedCluster {
  /** Starts every component and waits until it serves; stops what started if anything fails. */
  public static async start(options: SimulatedClusterOptions = {}): Promise<SimulatedCluster> {
    const reason = simulatedClusterUnavailable();
    if (reason) throw new Error(`cannot start a simulated cluster: ${reason}`);
    const cluster = new SimulatedCluster(assetsDirectory()!, options);
    const started = Date.now();
    try {
      await cluster.startEtcd();
      await cluster.startApiServer();
      await cluster.startControllerManager();
      await cluster.startScheduler();
      await cluster.startKwok();
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    cluster.startupMs = Date.now() - started;
    return cluster;
  }

  public readonly dir: string;
  public readonly token: string;
  public apiPort = 0;
  public startupMs = 0;
  private etcdPort = 0;
  private readonly processes: Managed[] = [];
  private readonly timeoutMs: number;

  private constructor(private readonly assets: string, private readonly options: SimulatedClusterOptions) {
    this.timeoutMs = options.startTimeoutMs ?? 180_000;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-abi-vecodex-simcluster-'));
    this.token = randomBytes(24).toString('hex');
    this.writeCredentials();
    live.add(this);
    installExitHook();
  }

  public get url(): string {
    return `https://127.0.0.1:${this.apiPort}`;
  }

  public get caFile(): string {
    return this.file('ca.crt');
  }

  /** Admin (system:masters) kubeconfig. */
  public get kubeconfigPath(): string {
    return this.file('admin.kubeconfig');
  }

  public adminClient(): KubeClient {
    return new KubeClient(this.url, fs.readFileSync(this.caFile), { token: this.token });
  }

  public clientWithToken(token: string): KubeClient {
    return new KubeClient(this.url, fs.readFileSync(this.caFile), { token });
  }

  /** The tail of a component's log, for failure messages. */
  public log(component: string, lines = 40): string {
    try {
      return fs.readFileSync(this.file(`${component}.log`), 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Creates fake nodes and waits until KWOK reports each Ready. */
  public async createNodes(nodes: readonly FakeNode[] = DEFAULT_NODES): Promise<void> {
    const client = this.adminClient();
    for (const n of nodes) {
      const gpu = n.gpus ?? 0;
      const resources: Record<string, string> = { cpu: n.cpu, memory: n.memory, pods: String(n.pods ?? 110), 'ephemeral-storage': n.ephemeralStorage ?? '200Gi', ...(gpu > 0 ? { 'nvidia.com/gpu': String(gpu) } : {}) };
      const node = {
        apiVersion: 'v1', kind: 'Node',
        metadata: {
          name: n.name,
          annotations: { [FAKE_NODE_ANNOTATION]: 'fake' },
          labels: {
            'kubernetes.io/hostname': n.name,
            'kubernetes.io/os': 'linux',
            'kubernetes.io/arch': 'amd64',
            'topology.kubernetes.io/zone': n.zone,
            'topology.kubernetes.io/region': 'sim',
            ...(gpu > 0 ? {
              'nvidia.com/gpu.present': 'true',
              'nvidia.com/gpu.count': String(gpu),
              'nvidia.com/gpu.product': 'NVIDIA-A10G',
              'nvidia.com/gpu.memory': String(n.gpuMemoryMiB ?? 24576),
            } : {}),
          },
        },
        // KWOK's own kwok.x-k8s.io/node=fake:NoSchedule taint is left off: no pod needs a toleration for it.
        spec: gpu > 0 ? { taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] } : {},
        status: { capacity: resources, allocatable: resources },
      };
      const res = await client.request('POST', '/api/v1/nodes', node);
      if (res.status >= 300) throw new Error(`node ${n.name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    }
    await this.eventually(async () => {
      const res = await client.request('GET', '/api/v1/nodes');
      const ready = (res.body.items ?? []).filter((n: any) => (n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'));
      return nodes.every((n) => ready.some((r: any) => r.metadata.name === n.name));
    }, 60_000, `nodes ${nodes.map((n) => n.name).join(', ')} Ready (kwok log:\n${this.log('kwok')})`);
  }

  /**
   * Zonal storage without a provisioner: StorageClasses with
   * kubernetes.io/no-provisioner and WaitForFirstConsumer, and pre-created
   * PersistentVolumes pinned to a zone, which the scheduler and the PV
   * controller bind as they would cloud disks. The first class is the default.
   */
  public async createZonalStorage(classes: readonly string[], volumesPerZone: number, size = '200Gi'): Promise<void> {
    const client = this.adminClient();
    for (const [i, name] of classes.entries()) {
      await mustCreate(client, '/apis/storage.k8s.io/v1/storageclasses', {
        apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
        metadata: { name, ...(i === 0 ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
        provisioner: 'kubernetes.io/no-provisioner',
        volumeBindingMode: 'WaitForFirstConsumer',
        reclaimPolicy: 'Retain',
      });
    }
    await this.addVolumes(classes, volumesPerZone, size);
  }

  private volumeSerial = 0;

  /** More zonal PersistentVolumes for existing classes. */
  public async addVolumes(classes: readonly string[], volumesPerZone: number, size = '200Gi'): Promise<void> {
    const client = this.adminClient();
    for (const storageClass of classes) {
      for (const zone of ZONES) {
        for (let i = 0; i < volumesPerZone; i++) {
          const name = `pv-${storageClass}-${zone}-${this.volumeSerial++}`;
          await mustCreate(client, '/api/v1/persistentvolumes', {
            apiVersion: 'v1', kind: 'PersistentVolume',
            metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } },
            spec: {
              capacity: { storage: size },
              accessModes: ['ReadWriteOnce', 'ReadWriteMany'],
              persistentVolumeReclaimPolicy: 'Retain',
              storageClassName: storageClass,
              // Nothing mounts it (KWOK runs no containers); the path only makes the object valid.
              hostPath: { path: `/sim/${name}` },
              nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }] }] } },
            },
          });
        }
      }
    }
  }

  /** A token for a ServiceAccount through the TokenRequest API, and a kubeconfig that uses it. */
  public async serviceAccountKubeconfig(namespace: string, serviceAccount: string): Promise<string> {
    const res = await this.adminClient().request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`, {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 86400 },
    });
    if (res.status !== 201) throw new Error(`token for ${namespace}/${serviceAccount}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    const file = this.file(`sa-${namespace}-${serviceAccount}.kubeconfig`);
    writeKubeconfig(file, this.url, this.caFile, { token: res.body.status.token }, namespace);
    return file;
  }

  public async stop(): Promise<void> {
    // Reverse order: the node agent and controllers first, the store last.
    for (const p of [...this.processes].reverse()) await terminate(p.child);
    this.processes.length = 0;
    live.delete(this);
    if (process.env.SIMULATED_CLUSTER_KEEP !== '1') fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Synchronous kill from a process 'exit' handler. */
  public killNow(): void {
    for (const p of this.processes) {
      if (p.child.pid && p.child.exitCode === null) {
        try { process.kill(p.child.pid, 'SIGKILL'); } catch { /* gone */ }
      }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  public async eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
    return eventually(probe, timeoutMs, what, () => {
      const exited = this.processes.find((p) => p.child.exitCode !== null);
      return exited && `${exited.name} exited with ${exited.child.exitCode}; log:\n${this.log(exited.name)}`;
    });
  }

  private file(name: string): string {
    return path.join(this.dir, name);
  }

  private binary(name: string): string {
    const file = path.join(this.assets, name);
    if (!isExecutable(file)) throw new Error(`${ASSETS_VARIABLE}=${this.assets} has no executable ${name}`);
    return file;
  }

  private writeCredentials(): void {
    const f = (name: string) => this.file(name);
    const cnf = f('openssl.cnf');
    fs.writeFileSync(cnf, [
      '[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', 'CN = simcluster',
      '[ca_ext]', 'basicConstraints = critical,CA:TRUE', 'keyUsage = critical,keyCertSign,cRLSign,digitalSignature',
      '[server_ext]', 'basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage = serverAuth',
      // 10.96.0.1: the kubernetes Service's ClusterIP in --service-cluster-ip-range.
      'subjectAltName = IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
      '[client_ext]', 'basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage = clientAuth',
      '',
    ].join('\n'));
    const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    openssl('req', '-x509', '-new', '-nodes', '-newkey', 'rsa:2048', '-keyout', f('ca.key'), '-out', f('ca.crt'),
      '-days', '3650', '-subj', '/CN=simcluster-ca', '-config', cnf, '-extensions', 'ca_ext');
    const sign = (name: string, subject: string, ext: string) => {
      openssl('req', '-new', '-nodes', '-newkey', 'rsa:2048', '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', subject, '-config', cnf);
      openssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial',
        '-out', f(`${name}.crt`), '-days', '3650', '-extfile', cnf, '-extensions', ext);
    };
    sign('apiserver', '/CN=kube-apiserver', 'server_ext');
    // The built-in RBAC roles bind these user names.
    sign('kube-controller-manager', '/CN=system:kube-controller-manager', 'client_ext');
    sign('kube-scheduler', '/CN=system:kube-scheduler', 'client_ext');
    openssl('genrsa', '-out', f('sa.key'), '2048');
    openssl('rsa', '-in', f('sa.key'), '-pubout', '-out', f('sa.pub'));
    fs.writeFileSync(f('tokens.csv'), `${this.token},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
  }

  private spawn(name: string, binary: string, args: string[]): ChildProcess {
    const log = fs.openSync(this.file(`${name}.log`), 'a');
    const child = spawn(binary, args, { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    this.processes.push({ name, child });
    return child;
  }

  private async waitFor(name: string, ready: () => Promise<boolean>): Promise<void> {
    await this.eventually(async () => ready().catch(() => false), this.timeoutMs, `${name} ready (log:\n${this.log(name)})`);
  }

  private async startEtcd(): Promise<void> {
    const clientPort = await freePort();
    const peerPort = await freePort();
    this.etcdPort = clientPort;
    const etcd = isExecutable(path.join(this.assets, 'etcd')) ? path.join(this.assets, 'etcd') : findOnPath('etcd');
    this.spawn('etcd', etcd, [
      '--name', 'sim', '--data-dir', this.file('etcd'),
      '--listen-client-urls', `http://127.0.0.1:${clientPort}`, '--advertise-client-urls', `http://127.0.0.1:${clientPort}`,
      '--listen-peer-urls', `http://127.0.0.1:${peerPort}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`,
      '--initial-cluster', `sim=http://127.0.0.1:${peerPort}`, '--initial-cluster-state', 'new',
      // Many small writes from a whole control plane: do not let fsync latency dominate the tests.
      '--unsafe-no-fsync',
    ]);
    await this.waitFor('etcd', async () => /ready to serve client requests|serving (insecure )?client/.test(this.log('etcd', 200)));
  }

  private async startApiServer(): Promise<void> {
    this.apiPort = await freePort();
    const f = (name: string) => this.file(name);
    this.spawn('kube-apiserver', this.binary('kube-apiserver'), [
      ...apiServerBaseFlags(f, this.etcdPort, this.apiPort),
      '--service-cluster-ip-range=10.96.0.0/16', '--endpoint-reconciler-type=none',
      // Default admission plugins: ServiceAccount and PodSecurity stay on.
      '--feature-gates=WatchList=false',
    ]);
    writeKubeconfig(this.kubeconfigPath, this.url, this.caFile, { token: this.token });
    const client = this.adminClient();
    await this.waitFor('kube-apiserver', async () => (await client.request('GET', '/readyz')).status === 200);
  }

  private componentKubeconfig(name: string): string {
    const file = this.file(`${name}.kubeconfig`);
    writeKubeconfig(file, this.url, this.caFile, { cert: this.file(`${name}.crt`), key: this.file(`${name}.key`) });
    return file;
  }

  private async startControllerManager(): Promise<void> {
    const kubeconfig = this.componentKubeconfig('kube-controller-manager');
    const port = await freePort();
    this.spawn('kube-controller-manager', this.binary('kube-controller-manager'), [
      `--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
      "--controllers=*", '--use-service-account-credentials=true',
      `--service-account-private-key-file=${this.file('sa.key')}`, `--root-ca-file=${this.caFile}`,
      `--cluster-signing-cert-file=${this.caFile}`, `--cluster-signing-key-file=${this.file('ca.key')}`,
      '--service-cluster-ip-range=10.96.0.0/16', '--leader-elect=false',
      '--bind-address=127.0.0.1', `--secure-port=${port}`,
      `--horizontal-pod-autoscaler-sync-period=${this.options.hpaSyncSeconds ?? 3}s`,
    ]);
    await this.waitForHealthz('kube-controller-manager', port);
  }

  private async startScheduler(): Promise<void> {
    const kubeconfig = this.componentKubeconfig('kube-scheduler');
    const port = await freePort();
    this.spawn('kube-scheduler', this.binary('kube-scheduler'), [
      `--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
      '--bind-address=127.0.0.1', `--secure-port=${port}`, '--leader-elect=false',
    ]);
    await this.waitForHealthz('kube-scheduler', port);
  }

  private async startKwok(): Promise<void> {
    this.spawn('kwok', this.binary('kwok'), [
      `--kubeconfig=${this.kubeconfigPath}`,
      '--manage-all-nodes=false', `--manage-nodes-with-annotation-selector=${FAKE_NODE_ANNOTATION}=fake`,
      // Its default fast stages, as the kwok module ships them (tools/kwok/build.sh).
      `--config=${path.join(this.assets, 'kwok-stages.yaml')}`,
      '--cidr=10.244.0.1/16', '--node-lease-duration-seconds=40',
    ]);
    // KWOK has no health endpoint unless it serves; it is ready when its watches run, which the first node proves.
    await sleep(500);
  }

  /** /healthz over HTTPS with a self-signed serving certificate (the component's own), as `curl -k` would. */
  private async waitForHealthz(name: string, port: number): Promise<void> {
    await this.waitFor(name, () => new Promise<boolean>((resolve) => {
      const req = https.get({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.setTimeout(2000, () => { req.destroy(); resolve(false); });
    }));
  }
}

function writeKubeconfig(file: string, server: string, caFile: string, user: { token: string } | { cert: string; key: string }, namespace = 'default'): void {
  const ca = fs.readFileSync(caFile).toString('base64');
  const credentials = 'token' in user
    ? [`    token: ${user.token}`]
    : [`    client-certificate-data: ${fs.readFileSync(user.cert).toString('base64')}`, `    client-key-data: ${fs.readFileSync(user.key).toString('base64')}`];
  fs.writeFileSync(file, [
    'apiVersion: v1', 'kind: Config',
    'clusters:', '- name: sim', '  cluster:', `    server: ${server}`, `    certificate-authority-data: ${ca}`,
    'users:', '- name: user', '  user:', ...credentials,
    'contexts:', '- name: sim', '  context:', '    cluster: sim', '    user: user', `    namespace: ${namespace}`,
    'current-context: sim', '',
  ].join('\n'), { mode: 0o600 });
}

async function mustCreate(client: KubeClient, collection: string, obj: KubeObject): Promise<void> {
  const res = await client.request('POST', collection, obj);
  if (res.status >= 300) throw new Error(`create ${obj.kind} ${obj.metadata.name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
}

async function terminate(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

const live = new Set<SimulatedCluster>();
let exitHook = false;
function installExitHook(): void {
  if (exitHook) return;
  exitHook = true;
  // An interrupted or crashed run must not leave a control plane behind.
  process.once('exit', () => live.forEach((c) => c.killNow()));
}
