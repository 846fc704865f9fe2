/**
 * `npm run bench:reconciler`: the status reconciler against a real API
 * server (KUBEBUILDER_ASSETS) with 100 and 1,000 AbiInstances, each with
 * its Deployment and PodDisruptionBudget (the reconciler watches and indexes both). Measures, per size: time until every resource's status has
 * converged after start; latency from a child's status change to the
 * resource's status update as seen by a watcher (p50, p99); status writes
 * per change; status writes in steady state over two resync periods; and
 * the reconciler's RSS. Bounded: fixed sizes and sample counts, then it exits.
 * All traffic goes to 127.0.0.1.
 *
 * Then the same on the simulated cluster (test/support/simulated-cluster.ts;
 * skipped with a note when its binaries are missing): 1,000 instances whose
 * Deployments really run, through kube-controller-manager, kube-scheduler and
 * KWOK pods; a change is `kubectl scale` 1 → 0 → 1 of one Deployment, and the
 * latency runs until a watcher sees the status that follows from it
 * (unavailable, then Running again), controllers included.
 */
import * as fs from 'fs';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { renderCrdObjects } from '../../src/pipeline/crd-files';
import { abiInstance, disruptionBudget, rolledOut, workload } from '../../test/reconciler/fixtures';
import { ReconcilerProcess } from '../../test/reconciler/reconciler-process';
import { ControlPlane } from '../../test/support/control-plane';
import { KubeObject } from '../../test/support/kube-client';
import { SimulatedCluster, simulatedClusterUnavailable } from '../../test/support/simulated-cluster';

const SIZES = (process.env.BENCH_SIZES ?? '100,1000').split(',').filter((x) => x !== '').map(Number);
const SIMULATED_SIZES = (process.env.BENCH_SIMULATED_SIZES ?? '1000').split(',').filter((x) => x !== '').map(Number);
const SIMULATED_SAMPLES = Number(process.env.BENCH_SIMULATED_SAMPLES ?? 100);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const RESYNC_SECONDS = 10;
const NS = 'bench';

interface Result {
  resources: number;
  /** Only on the simulated cluster: until every Deployment's pod was Ready, before the reconciler started. */
  clusterConvergenceSeconds?: number;
  initialConvergenceSeconds: number;
  latencyMs: { p50: number; p99: number; max: number; samples: number };
  writesPerChange: number;
  steadyStateWrites: number;
  steadyStateWindowSeconds: number;
  rssMiB: { afterConvergence: number; afterChanges: number };
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function must(p: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const res = await p;
  if (res.status >= 300) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

/** A raw watch on AbiInstances that reports each status change with the time it arrived. */
function watchInstances(plane: { url: string; caFile: string; token: string }, onEvent: (obj: any, at: number) => void): () => void {
  const req = https.request(new URL(`/apis/abi.io/v1/namespaces/${NS}/abiinstances?watch=true`, plane.url), {
    ca: fs.readFileSync(plane.caFile),
    headers: { Authorization: `Bearer ${plane.token}` },
  }, (res) => {
    let buffer = '';
    res.on('data', (chunk: Buffer) => {
      const at = performance.now();
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try { onEvent(JSON.parse(line).object, at); } catch { /* partial or non-JSON */ }
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return () => req.destroy();
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function runSize(n: number): Promise<Result> {
  const plane = await ControlPlane.start();
  let reconciler: ReconcilerProcess | undefined;
  let stopWatch = () => undefined as void;
  try {
    const client = plane.adminClient();
    for (const crd of renderCrdObjects() as KubeObject[]) await must(client.apply(crd), `CRD ${crd.metadata.name}`);
    await waitFor(async () => (await client.request('GET', '/apis/abi.io/v1')).status === 200, 30_000, 'CRD served');
    client.forgetDiscovery();
    await must(client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }), 'namespace');

    const names = Array.from({ length: n }, (_, i) => `abi-${String(i).padStart(4, '0')}`);
    const generations = new Map<string, number>();
    process.stderr.write(`[${n}] creating ${n} AbiInstances, Deployments and PodDisruptionBudgets\n`);
    await pool(names, 16, async (name) => {
      await must(client.apply(abiInstance(name, { replicas: 1, storage: { enabled: false } }, { namespace: NS }) as any), name);
      const body = await must(client.apply(workload({ name, namespace: NS, replicas: 1 }) as any), `deployment ${name}`);
      generations.set(name, body.metadata.generation);
      await must(client.patchStatus('apps/v1', 'Deployment', NS, name, rolledOut(1, 1, body.metadata.generation)), `status ${name}`);
      // A budget with room (maxUnavailable 1, one healthy pod): it must not change any verdict, only be watched.
      const budget = disruptionBudget({ name, namespace: NS });
      const pdb = await must(client.apply({ ...budget, spec: { maxUnavailable: 1, selector: budget.spec.selector } } as any), `pdb ${name}`);
      await must(client.patchStatus('policy/v1', 'PodDisruptionBudget', NS, name, {
        observedGeneration: pdb.metadata.generation, currentHealthy: 1, desiredHealthy: 0, disruptionsAllowed: 1, expectedPods: 1,
      }), `pdb status ${name}`);
    });

    // Track each instance's latest status as a watcher (Argo CD, kubectl) would see it.
    const latest = new Map<string, any>();
    const waiters: Array<{ name: string; ok: (s: any) => boolean; resolve: (at: number) => void }> = [];
    stopWatch = watchInstances(plane, (obj, at) => {
      if (!obj?.metadata?.name) return;
      latest.set(obj.metadata.name, obj.status);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i].name === obj.metadata.name && waiters[i].ok(obj.status)) waiters.splice(i, 1)[0].resolve(at);
      }
    });

    process.stderr.write(`[${n}] starting the reconciler\n`);
    const started = performance.now();
    reconciler = await ReconcilerProcess.start([
      `--kubeconfig=${plane.kubeconfigPath}`, '--leader-elect=false', '--log-level=info', `--resync-period=${RESYNC_SECONDS}`, '--products=abi',
    ]);
    await waitFor(async () => names.every((name) => latest.get(name)?.phase === 'Running'), 600_000, 'initial convergence', 50);
    const initialConvergenceSeconds = (performance.now() - started) / 1000;
    const rssAfterConvergence = rssMiB(reconciler.child.pid!);

    // Steady state: two full resync periods with nothing changing.
    await sleep(2000);
    const steadyWritesBefore = await reconciler.metric('status_reconciler_status_writes_total');
    const steadyReconcilesBefore = await reconciler.metric('status_reconciler_reconcile_total');
    await sleep(RESYNC_SECONDS * 2 * 1000 + 1000);
    const steadyStateWrites = (await reconciler.metric('status_reconciler_status_writes_total')) - steadyWritesBefore;
    const resyncReconciles = (await reconciler.metric('status_reconciler_reconcile_total')) - steadyReconcilesBefore;
    if (resyncReconciles < n) throw new Error(`expected at least one resync of ${n} resources, saw ${resyncReconciles} reconciles`);

    // Latency: one child status change at a time, alternating ready 1 → 0 → 1.
    process.stderr.write(`[${n}] measuring ${SAMPLES} changes\n`);
    const writesBefore = await reconciler.metric('status_reconciler_status_writes_total');
    const latencies: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const name = names[Math.floor((i * 7919) % n)];
      const current = latest.get(name)?.readyReplicas ?? 1;
      const target = current === 1 ? 0 : 1;
      const seen = new Promise<number>((resolve) => waiters.push({ name, ok: (s) => s?.readyReplicas === target, resolve }));
      const t0 = performance.now();
      await must(client.patchStatus('apps/v1', 'Deployment', NS, name, rolledOut(1, target, generations.get(name))), 'change');
      const at = await Promise.race([seen, sleep(60_000).then(() => { throw new Error(`no status update for ${name} within 60 s`); })]);
      latencies.push(at - t0);
    }
    await sleep(1000);
    const writesPerChange = ((await reconciler.metric('status_reconciler_status_writes_total')) - writesBefore) / SAMPLES;
    const rssAfterChanges = rssMiB(reconciler.child.pid!);
    latencies.sort((a, b) => a - b);
    return {
      resources: n,
      initialConvergenceSeconds: round(initialConvergenceSeconds, 1),
      latencyMs: {
        p50: round(percentile(latencies, 50), 1), p99: round(percentile(latencies, 99), 1), max: round(latencies[latencies.length - 1], 1),
        samples: SAMPLES,
      },
      writesPerChange: round(writesPerChange, 2),
      steadyStateWrites,
      steadyStateWindowSeconds: RESYNC_SECONDS * 2 + 1,
      rssMiB: { afterConvergence: rssAfterConvergence, afterChanges: rssAfterChanges },
    };
  } finally {
    stopWatch();
    await reconciler?.stop();
    await plane.stop();
  }
}

/**
 * 1,000 AbiInstances with a Deployment and a PodDisruptionBudget each, on the
 * simulated cluster: the controllers create and run the pods (KWOK), the
 * disruption controller counts them, and a change is a real scale.
 */
async function runSimulated(n: number): Promise<Result> {
  const cluster = await SimulatedCluster.start({ hpaSyncSeconds: 15 });
  let reconciler: ReconcilerProcess | undefined;
  let stopWatch = () => undefined as void;
  try {
    const client = cluster.adminClient();
    // Room for every pod: 3 nodes of 500 pods (the kubelet default of 110 would hold 330).
    await cluster.createNodes(['a', 'b', 'c'].map((z) => ({ name: `node-${z}`, zone: `zone-${z}`, cpu: '64', memory: '256Gi', pods: 500 })));
    for (const crd of renderCrdObjects() as KubeObject[]) await must(client.apply(crd), `CRD ${crd.metadata.name}`);
    await waitFor(async () => (await client.request('GET', '/apis/abi.io/v1')).status === 200, 30_000, 'CRD served');
    client.forgetDiscovery();
    await must(client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }), 'namespace');
    // ServiceAccount admission refuses pods until the controller-manager has created "default".
    await waitFor(async () => (await client.request('GET', `/api/v1/namespaces/${NS}/serviceaccounts/default`)).status === 200, 60_000, 'default ServiceAccount');

    const names = Array.from({ length: n }, (_, i) => `abi-${String(i).padStart(4, '0')}`);
    process.stderr.write(`[simulated ${n}] creating ${n} AbiInstances, Deployments and PodDisruptionBudgets; the controllers run the pods\n`);
    const created = performance.now();
    await pool(names, 16, async (name) => {
      await must(client.apply(abiInstance(name, { replicas: 1, storage: { enabled: false } }, { namespace: NS }) as any), name);
      await must(client.apply(workload({ name, namespace: NS, replicas: 1 }) as any), `deployment ${name}`);
      const budget = disruptionBudget({ name, namespace: NS });
      await must(client.apply({ ...budget, spec: { maxUnavailable: 1, selector: budget.spec.selector } } as any), `pdb ${name}`);
    });
    const readyDeployments = async () => {
      const list = await must(client.request('GET', `/apis/apps/v1/namespaces/${NS}/deployments`), 'list deployments');
      return (list.items as any[]).filter((d) => d.status?.readyReplicas === 1 && d.status?.observedGeneration === d.metadata.generation).length;
    };
    await waitFor(async () => (await readyDeployments()) === n, 900_000, 'every pod Ready', 2000);
    const clusterConvergenceSeconds = (performance.now() - created) / 1000;

    const latest = new Map<string, any>();
    const waiters: Array<{ name: string; ok: (s: any) => boolean; resolve: (at: number) => void }> = [];
    stopWatch = watchInstances(cluster, (obj, at) => {
      if (!obj?.metadata?.name) return;
      latest.set(obj.metadata.name, obj.status);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i].name === obj.metadata.name && waiters[i].ok(obj.status)) waiters.splice(i, 1)[0].resolve(at);
      }
    });

    process.stderr.write(`[simulated ${n}] starting the reconciler\n`);
    const started = performance.now();
    reconciler = await ReconcilerProcess.start([
      `--kubeconfig=${cluster.kubeconfigPath}`, '--leader-elect=false', '--log-level=info', `--resync-period=${RESYNC_SECONDS}`, '--products=abi',
    ]);
    await waitFor(async () => names.every((name) => latest.get(name)?.phase === 'Running'), 600_000, 'initial convergence', 50);
    const initialConvergenceSeconds = (performance.now() - started) / 1000;
    const rssAfterConvergence = rssMiB(reconciler.child.pid!);

    await sleep(2000);
    const steadyWritesBefore = await reconciler.metric('status_reconciler_status_writes_total');
    const steadyReconcilesBefore = await reconciler.metric('status_reconciler_reconcile_total');
    await sleep(RESYNC_SECONDS * 2 * 1000 + 1000);
    const steadyStateWrites = (await reconciler.metric('status_reconciler_status_writes_total')) - steadyWritesBefore;
    const resyncReconciles = (await reconciler.metric('status_reconciler_reconcile_total')) - steadyReconcilesBefore;
    if (resyncReconciles < n) throw new Error(`expected at least one resync of ${n} resources, saw ${resyncReconciles} reconciles`);

    // A change is a scale of one Deployment (1 → 0, then 0 → 1 on the same one); the
    // latency ends when a watcher sees the status that follows from what the controllers did.
    process.stderr.write(`[simulated ${n}] measuring ${SIMULATED_SAMPLES} scale changes\n`);
    const writesBefore = await reconciler.metric('status_reconciler_status_writes_total');
    const latencies: number[] = [];
    for (let i = 0; i < SIMULATED_SAMPLES; i++) {
      const name = names[Math.floor((Math.floor(i / 2) * 7919) % n)];
      const target = i % 2 === 0 ? 0 : 1;
      const seen = new Promise<number>((resolve) => waiters.push({
        name, ok: (s) => s?.readyReplicas === target && s?.phase === (target === 0 ? 'Failed' : 'Running'), resolve,
      }));
      const t0 = performance.now();
      await must(client.request('PATCH', `/apis/apps/v1/namespaces/${NS}/deployments/${name}/scale`, { spec: { replicas: target } }, 'application/merge-patch+json'), 'scale');
      const at = await Promise.race([seen, sleep(60_000).then(() => { throw new Error(`no status update for ${name} within 60 s`); })]);
      latencies.push(at - t0);
    }
    await sleep(2000);
    const writesPerChange = ((await reconciler.metric('status_reconciler_status_writes_total')) - writesBefore) / SIMULATED_SAMPLES;
    const rssAfterChanges = rssMiB(reconciler.child.pid!);
    latencies.sort((a, b) => a - b);
    return {
      resources: n,
      clusterConvergenceSeconds: round(clusterConvergenceSeconds, 1),
      initialConvergenceSeconds: round(initialConvergenceSeconds, 1),
      latencyMs: {
        p50: round(percentile(latencies, 50), 1), p99: round(percentile(latencies, 99), 1), max: round(latencies[latencies.length - 1], 1),
        samples: SIMULATED_SAMPLES,
      },
      writesPerChange: round(writesPerChange, 2),
      steadyStateWrites,
      steadyStateWindowSeconds: RESYNC_SECONDS * 2 + 1,
      rssMiB: { afterConvergence: rssAfterConvergence, afterChanges: rssAfterChanges },
    };
  } finally {
    stopWatch();
    await reconciler?.stop();
    await cluster.stop();
  }
}

async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, what: string, intervalMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

async function main(): Promise<void> {
  if (!process.env.KUBEBUILDER_ASSETS) {
    process.stderr.write('KUBEBUILDER_ASSETS is not set (export KUBEBUILDER_ASSETS=$(npm run -s testenv:build))\n');
    process.exit(2);
  }
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
  };
  const results: Result[] = [];
  for (const n of SIZES) results.push(await runSize(n));
  const simulated: Result[] = [];
  const unavailable = simulatedClusterUnavailable();
  if (unavailable) process.stderr.write(`skipping the simulated-cluster run: ${unavailable}\n`);
  else for (const n of SIMULATED_SIZES) simulated.push(await runSimulated(n));
  const date = new Date().toISOString();
  const dir = path.join(__dirname, '..', '..', '..', 'bench', 'reconciler');
  // One file per kind of run, so BENCH_SIZES= or BENCH_SIMULATED_SIZES= runs one without erasing the other's figures.
  if (results.length > 0) fs.writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify({ date, machine, results }, null, 2)}\n`);
  if (simulated.length > 0) fs.writeFileSync(path.join(dir, 'results-simulated.json'), `${JSON.stringify({ date, machine, results: simulated }, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify({ date, machine, results, simulated }, null, 2)}\n`);
  process.stdout.write('\n| Resources | Initial convergence | Change → status p50 | p99 | Writes per change | Steady-state writes (21 s, 2 resyncs) | RSS after changes |\n|---|---|---|---|---|---|---|\n');
  for (const r of results) {
    process.stdout.write(`| ${r.resources} | ${r.initialConvergenceSeconds} s | ${r.latencyMs.p50} ms | ${r.latencyMs.p99} ms | ${r.writesPerChange} | ${r.steadyStateWrites} | ${r.rssMiB.afterChanges} MiB |\n`);
  }
  if (simulated.length > 0) {
    process.stdout.write('\nSimulated cluster (real controllers, KWOK pods; a change is a scale 1 → 0 → 1):\n\n| Resources | Pods running | Initial convergence | Scale → status p50 | p99 | max | Writes per change | Steady-state writes | RSS after convergence | RSS after changes |\n|---|---|---|---|---|---|---|---|---|---|\n');
    for (const r of simulated) {
      process.stdout.write(`| ${r.resources} | ${r.clusterConvergenceSeconds} s | ${r.initialConvergenceSeconds} s | ${r.latencyMs.p50} ms | ${r.latencyMs.p99} ms | ${r.latencyMs.max} ms | ${r.writesPerChange} | ${r.steadyStateWrites} | ${r.rssMiB.afterConvergence} MiB | ${r.rssMiB.afterChanges} MiB |\n`);
    }
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
