/**
 * The managed etcd's rendered probes against a real etcd (Debian's
 * etcd-server) that has raised its NOSPACE alarm: the liveness request keeps
 * passing, before and after a restart, so the kubelet never turns a full
 * backend into a crash loop; startup and readiness behave as
 * src/vecodex/managed-etcd.ts documents them (NOSPACE excluded, a leader
 * required). Paths, port and flags come from the rendered StatefulSet.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { etcdBinary } from '../support/binaries';
import { renderVecodex } from './support';

const SAMPLE = 'instances/dev/vecodex-search-cluster.yaml';
/** kubeadm's etcd startup probe (cmd/kubeadm/app/phases/etcd/local.go), for comparison. */
const KUBEADM_STARTUP_PATH = '/health?serializable=false';
/** Small enough to fill in about a second (the rendered quota is half the volume). */
const TEST_QUOTA = 2 * 1024 * 1024;

const binary = etcdBinary();
const describeWithEtcd = binary ? describe : describe.skip;

interface RenderedEtcd {
  readonly args: string[];
  readonly probes: Record<'startupProbe' | 'livenessProbe' | 'readinessProbe', { path: string; port: number }>;
}

/** The etcd container as rendered, its probes resolved to the container port they name. */
function renderedEtcd(): RenderedEtcd {
  const sts = renderVecodex(SAMPLE).find((o: any) => o.kind === 'StatefulSet' && o.metadata.name.endsWith('-etcd'));
  const container = sts.spec.template.spec.containers.find((c: any) => c.name === 'etcd');
  const portOf = (name: string | number): number => typeof name === 'number'
    ? name : container.ports.find((p: any) => p.name === name).containerPort;
  const probe = (key: string) => ({ path: container[key].httpGet.path, port: portOf(container[key].httpGet.port) });
  return { args: container.args, probes: { startupProbe: probe('startupProbe'), livenessProbe: probe('livenessProbe'), readinessProbe: probe('readinessProbe') } };
}

function flag(args: string[], name: string): string | undefined {
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The kubelet's httpGet rule: any status from 200 to 399 is success (pkg/probe/http). */
async function probePasses(port: number, requestPath: string): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${requestPath}`, { signal: AbortSignal.timeout(5000) });
    await res.text();
    return res.status >= 200 && res.status < 400;
  } catch {
    return false;
  }
}

async function v3(port: number, api: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`http://127.0.0.1:${port}/v3/${api}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}
const b64 = (s: string) => Buffer.from(s).toString('base64');

describeWithEtcd('managed etcd probes against a real etcd with the NOSPACE alarm raised', () => {
  const rendered = renderedEtcd();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-abi-vecodex-etcd-'));
  let clientPort = 0;
  let peerPort = 0;
  let etcd: ChildProcess | undefined;

  /** The rendered flags, with data dir, listeners and quota moved to the test's. */
  const args = () => [
    ...rendered.args.filter((a) => !/^--(data-dir|listen-client-urls|advertise-client-urls|quota-backend-bytes)=/.test(a)),
    `--data-dir=${path.join(dir, 'data')}`,
    `--listen-client-urls=http://127.0.0.1:${clientPort}`,
    `--advertise-client-urls=http://127.0.0.1:${clientPort}`,
    `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
    `--initial-cluster=default=http://127.0.0.1:${peerPort}`,
    `--quota-backend-bytes=${TEST_QUOTA}`,
  ];

  async function start(): Promise<void> {
    const log = fs.openSync(path.join(dir, 'etcd.log'), 'a');
    etcd = spawn(binary!, args(), { stdio: ['ignore', log, log] });
    const deadline = Date.now() + 30_000;
    while (!(await probePasses(clientPort, '/version'))) {
      if (etcd.exitCode !== null) throw new Error(`etcd exited ${etcd.exitCode}: ${fs.readFileSync(path.join(dir, 'etcd.log'), 'utf8').slice(-2000)}`);
      if (Date.now() > deadline) throw new Error('etcd did not start within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function stop(): Promise<void> {
    const child = etcd;
    etcd = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  /** The port etcd's rendered --listen-client-urls serves on, which the probes must name. */
  const renderedPort = Number(new URL(flag(rendered.args, 'listen-client-urls')!).port);
  /** The kubelet's request, sent to where the test's etcd listens instead of the rendered port. */
  const probe = (p: { path: string; port: number }) => {
    if (p.port !== renderedPort) throw new Error(`probe names port ${p.port}, etcd listens on ${renderedPort}`);
    return probePasses(clientPort, p.path);
  };
  const results = async () => ({
    startup: await probe(rendered.probes.startupProbe),
    liveness: await probe(rendered.probes.livenessProbe),
    readiness: await probe(rendered.probes.readinessProbe),
    plainHealth: await probePasses(clientPort, '/health'),
  });

  beforeAll(async () => {
    clientPort = await freePort();
    peerPort = await freePort();
    await start();
  }, 60_000);

  afterAll(async () => {
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('GIVEN the rendered etcd container THEN every probe is an HTTP GET on the port its --listen-client-urls serves', () => {
    for (const p of Object.values(rendered.probes)) expect(p.port).toBe(renderedPort);
    expect(rendered.probes.livenessProbe.path).toContain('exclude=NOSPACE');
  });

  test('GIVEN a healthy etcd WHEN probed THEN startup, liveness and readiness pass', async () => {
    expect(await results()).toEqual({ startup: true, liveness: true, readiness: true, plainHealth: true });
  });

  test('GIVEN writes until the backend quota is exceeded WHEN probed, and again after a restart THEN the alarm stays raised, plain /health fails, and every rendered probe passes while reads still work', async () => {
    const value = b64('x'.repeat(64 * 1024));
    let refused: any;
    for (let i = 0; i < 1000 && !refused; i++) {
      const put = await v3(clientPort, 'kv/put', { key: b64(`fill-${i}`), value });
      if (put.status !== 200) refused = put.json;
    }
    expect(String(refused?.error)).toContain('database space exceeded');
    const alarms = async () => (await v3(clientPort, 'maintenance/alarm', { action: 'GET' })).json.alarms?.map((a: any) => a.alarm);
    expect(await alarms()).toEqual(['NOSPACE']);

    // What the issue reproduced: /health is 503; the rendered probes are not.
    expect(await results()).toEqual({ startup: true, liveness: true, readiness: true, plainHealth: false });

    await stop();
    await start();
    expect(await alarms()).toEqual(['NOSPACE']);
    expect(await results()).toEqual({ startup: true, liveness: true, readiness: true, plainHealth: false });
    // Why startup does not use kubeadm's request: after a restart under the
    // alarm it would never pass, and the kubelet would restart etcd for ever.
    expect(await probePasses(clientPort, KUBEADM_STARTUP_PATH)).toBe(false);
    const read = await v3(clientPort, 'kv/range', { key: b64('fill-0') });
    expect(read.status).toBe(200);
    expect(read.json.kvs).toHaveLength(1);
  }, 60_000);

  test('GIVEN etcd stopped WHEN probed THEN every rendered probe fails (the probes can fail)', async () => {
    await stop();
    expect(await results()).toEqual({ startup: false, liveness: false, readiness: false, plainHealth: false });
    await start();
  }, 60_000);
});
