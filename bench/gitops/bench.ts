/**
 * `npm run bench:gitops`: real Flux (source-controller and kustomize-controller,
 * built by tools/flux/build.sh into KUBEBUILDER_ASSETS) syncs generated fleets
 * from a loopback Git repository onto a plain control plane (kube-apiserver and
 * etcd), in the sharded layout synth renders.
 *
 * Per fleet: bootstrap (dist/ committed, flux/ applied once) until every
 * Kustomization has been Ready at the commit; then a commit that changes one
 * instance, until every Kustomization has been Ready at that commit (each one
 * reconciles: the GitRepository's revision changed). "Synced" is "applied at
 * the commit" — no kubelet runs, so the per-instance health gates are removed
 * (test/gitops-engines/fleet-repository.ts), and no workload is ever Ready.
 *
 * The engine's own time per sync is what kustomize-controller logs for each
 * reconcile ("Reconciliation finished in …": artifact fetch, kustomize build,
 * server-side apply, prune); `kubectl kustomize` (kustomize v5, the library
 * Flux links) times the largest builds alone: the root list, the biggest shard
 * and one instance folder.
 *
 * Argo CD: bench/gitops/argocd.ts (what "synced" means there, and what its
 * logs give as its own time per sync).
 *
 * Engines: BENCH_GITOPS_ENGINES, default "flux,argocd", run one after the other.
 * Fleets: BENCH_GITOPS_FLEETS, default "100x1,1000x1,5000x10" (instances x namespaces).
 * results.json keeps one entry per engine; an engine not run this time keeps
 * its previous entry, so the engines can be measured in separate runs.
 *
 * test/support/gitops-engines.ts finds tools/ relative to its own file, so the
 * npm script links lib/tools to tools/ before running the compiled bench.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  fluxBootstrapObjects, fluxKustomizations, liveKustomizations, readyAt, renderFleet, requestSourcesReconcile, spreadFleet, Tree, withoutHealthGates,
} from '../../test/gitops-engines/fleet-repository';
import { kubectlApplyServerSide } from '../../test/gitops-engines/gitops-scenarios';
import { ControlPlane } from '../../test/support/control-plane';
import { GitServer } from '../../test/support/git-server';
import { FluxEngine, gitopsEnginesUnavailable } from '../../test/support/gitops-engines';
import { KubeClient } from '../../test/support/kube-client';
import { argoCdReport, ArgoCdFleetResult, benchArgoCdFleet } from './argocd';
import { fleetPollMs } from './poll';

const FLUX_NS = 'flux-system';
const FLEETS = (process.env.BENCH_GITOPS_FLEETS ?? '100x1,1000x1,5000x10').split(',').filter(Boolean).map((f) => {
  const [instances, namespaces] = f.split('x').map(Number);
  return { instances, namespaces };
});
const TIMEOUT_MS = Number(process.env.BENCH_GITOPS_TIMEOUT_MS ?? 3_600_000);
const ENGINE_NAMES = ['flux', 'argocd'] as const;
type EngineName = typeof ENGINE_NAMES[number];
const ENGINES = (process.env.BENCH_GITOPS_ENGINES ?? ENGINE_NAMES.join(',')).split(',').filter(Boolean).map((e) => {
  if (!(ENGINE_NAMES as readonly string[]).includes(e)) throw new Error(`BENCH_GITOPS_ENGINES: unknown engine "${e}" (known: ${ENGINE_NAMES.join(', ')})`);
  return e as EngineName;
});
const RESULTS_FILE = path.join(__dirname, '..', '..', '..', 'bench', 'gitops', 'results.json');

interface SyncFigures {
  /** From the commit (and the reconcile request) until every Kustomization is Ready at it. */
  seconds: number;
  /** kustomize-controller's own reconcile durations during that sync. */
  reconciles: number;
  reconcileSecondsSum: number;
  reconcileSecondsP50: number;
  reconcileSecondsMax: number;
  /** The largest single reconcile, by Kustomization. */
  slowest: string;
}

interface FleetResult {
  instances: number;
  namespaces: number;
  kustomizations: number;
  shards: number;
  largestShard: number;
  bootstrap: SyncFigures;
  oneInstanceChanged: SyncFigures;
  kustomizeBuildSeconds?: { root: number; largestShard: number; instanceFolder: number };
}

async function main(): Promise<void> {
  const results = previousResults();
  const reports: string[] = [];
  for (const engine of ENGINES) {
    const missing = gitopsEnginesUnavailable(engine);
    if (missing) {
      console.log(`bench:gitops: SKIPPED ${engine}, it cannot run here: ${missing}`);
      continue;
    }
    if (engine === 'flux') {
      const fleets = await benchFlux();
      results[engine] = { machine: machine(), fleets };
      reports.push(`Flux:\n\n${report(fleets)}`);
    } else {
      const fleets: ArgoCdFleetResult[] = [];
      for (const { instances, namespaces } of FLEETS) {
        console.log(`bench:gitops: Argo CD, ${instances} instances over ${namespaces} namespace(s)...`);
        fleets.push(await benchArgoCdFleet(instances, namespaces, TIMEOUT_MS, changeOneInstance));
        console.log(JSON.stringify(fleets[fleets.length - 1]));
      }
      results[engine] = { machine: machine(), fleets };
      reports.push(`Argo CD:\n\n${argoCdReport(fleets)}${ratio(fleets)}`);
    }
    fs.writeFileSync(RESULTS_FILE, JSON.stringify({ engines: results }, null, 2) + '\n');
  }
  console.log(reports.join('\n\n'));
}

/** Each engine's entry of results.json as it was (the file before engines were kept apart held Flux's fleets only). */
function previousResults(): Record<string, unknown> {
  try {
    const old = JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8'));
    if (old.engines) return old.engines;
    if (old.fleets) return { flux: old };
  } catch {
    // none yet
  }
  return {};
}

async function benchFlux(): Promise<FleetResult[]> {
  const plane = await ControlPlane.start();
  const client = plane.adminClient();
  const flux = await FluxEngine.start(client, plane.kubeconfigPath);
  const results: FleetResult[] = [];
  try {
    for (const { instances, namespaces } of FLEETS) {
      console.log(`bench:gitops: Flux, ${instances} instances over ${namespaces} namespace(s)...`);
      results.push(await benchFleet(client, flux, instances, namespaces));
      console.log(JSON.stringify(results[results.length - 1]));
    }
  } finally {
    await flux.stop();
    await plane.stop();
  }
  return results;
}

async function benchFleet(client: KubeClient, flux: FluxEngine, instances: number, namespaces: number): Promise<FleetResult> {
  const git = await GitServer.start({ branch: 'main' });
  try {
    const cluster = `b${instances}`;
    const fleet = spreadFleet(cluster, git.url, instances, namespaces, `b${instances}`);
    const tree = withoutHealthGates(renderFleet(fleet), cluster);
    const wanted = fluxKustomizations(tree, cluster).map((k) => k.metadata.name as string);
    const shardFiles = [...tree.keys()].filter((f) => /\/flux\/[^/]+\/shard-[0-9a-f]\/kustomizations\.yaml$/.test(f));
    const shardSizes = shardFiles.map((f) => (tree.get(f)!.match(/^kind: Kustomization$/gm) ?? []).length);

    const logFile = path.join(flux.dir, 'kustomize-controller.log');
    let logOffset = fs.statSync(logFile).size;
    const started = Date.now();
    const first = git.commitTree(tree, 'bootstrap');
    await kubectlApplyServerSide(client, fluxBootstrapObjects(tree, cluster));
    await waitReady(client, wanted, first);
    const bootstrap = figures(Date.now() - started, logFile, logOffset, cluster);

    const [namespace, names] = [...fleet.namespaces][0];
    const changed = changeOneInstance(tree, cluster, namespace, names[0]);
    logOffset = fs.statSync(logFile).size;
    const again = Date.now();
    const second = git.commitTree(changed, 'change one instance');
    await requestSourcesReconcile(client, FLUX_NS);
    await waitReady(client, wanted, second);
    const oneInstanceChanged = figures(Date.now() - again, logFile, logOffset, cluster);

    return {
      instances, namespaces, kustomizations: wanted.length, shards: shardFiles.length, largestShard: Math.max(...shardSizes),
      bootstrap, oneInstanceChanged, kustomizeBuildSeconds: kustomizeBuilds(tree, cluster, shardFiles, shardSizes, namespace, names[0]),
    };
  } finally {
    await git.stop();
  }
}

/**
 * Until each Kustomization has been seen Ready at the commit, not all at one
 * instant: in a large fleet on a slow machine, a namespace Kustomization's
 * interval reconcile briefly makes its dependents report "dependency not
 * ready", so all-at-once may never hold while every one has applied the commit.
 */
async function waitReady(client: KubeClient, wanted: readonly string[], commit: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  const seen = new Set<string>();
  for (;;) {
    const live = await liveKustomizations(client, FLUX_NS);
    for (const n of wanted) if (readyAt(live.get(n), commit)) seen.add(n);
    const behind = wanted.filter((n) => !seen.has(n));
    if (behind.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${behind.length} Kustomizations not Ready at ${commit.slice(0, 7)}, e.g. ${behind.slice(0, 3).join(', ')}`);
    await new Promise((r) => setTimeout(r, fleetPollMs(wanted.length)));
  }
}

/** replicas 1 → 2 in one instance's rendered workload: a commit touching one instance folder. */
function changeOneInstance(tree: Tree, cluster: string, namespace: string, name: string): Tree {
  const file = `dist/${cluster}/${namespace}/${name}/manifests.yaml`;
  const text = tree.get(file)!;
  const next = text.replace(/^(\s+)replicas: 1$/m, '$1replicas: 2');
  if (next === text) throw new Error(`no "replicas: 1" in ${file}`);
  return new Map(tree).set(file, next);
}

/** kustomize-controller's "Reconciliation finished in <d>" lines since `offset`, for this cluster's Kustomizations. */
function figures(elapsedMs: number, logFile: string, offset: number, cluster: string): SyncFigures {
  const text = fs.readFileSync(logFile, 'utf8').slice(offset);
  const durations: Array<{ name: string; seconds: number }> = [];
  for (const line of text.split('\n')) {
    if (!line.includes('Reconciliation finished in')) continue;
    let entry: any;
    try { entry = JSON.parse(line); } catch { continue; }
    const name: string = entry.Kustomization?.name ?? entry.name ?? '';
    if (!name.startsWith(`abi-vecodex-${cluster}`)) continue;
    const m = /Reconciliation finished in ([0-9.]+)(ms|s|m)/.exec(entry.msg ?? '');
    if (!m) continue;
    const value = Number(m[1]);
    durations.push({ name, seconds: m[2] === 'ms' ? value / 1000 : m[2] === 'm' ? value * 60 : value });
  }
  const sorted = [...durations].sort((a, b) => a.seconds - b.seconds);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    seconds: round(elapsedMs / 1000),
    reconciles: durations.length,
    reconcileSecondsSum: round(durations.reduce((a, d) => a + d.seconds, 0)),
    reconcileSecondsP50: round(sorted[Math.floor(sorted.length / 2)]?.seconds ?? 0),
    reconcileSecondsMax: round(sorted[sorted.length - 1]?.seconds ?? 0),
    slowest: sorted[sorted.length - 1]?.name ?? '',
  };
}

/** `kubectl kustomize` of the root list, the largest shard and one instance folder (median of 3), when kubectl is on PATH. */
function kustomizeBuilds(tree: Tree, cluster: string, shardFiles: string[], shardSizes: number[], namespace: string, name: string): FleetResult['kustomizeBuildSeconds'] {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-gitops-'));
  try {
    for (const [file, text] of tree) {
      fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    const time = (folder: string) => {
      const runs = [0, 1, 2].map(() => {
        const t = process.hrtime.bigint();
        execFileSync('kubectl', ['kustomize', path.join(dir, folder)], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
        return Number(process.hrtime.bigint() - t) / 1e9;
      }).sort((a, b) => a - b);
      return Math.round(runs[1] * 1000) / 1000;
    };
    const largest = shardFiles[shardSizes.indexOf(Math.max(...shardSizes))];
    return {
      root: time(`dist/${cluster}/flux`),
      largestShard: time(path.dirname(largest)),
      instanceFolder: time(`dist/${cluster}/${namespace}/${name}`),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function machine(): Record<string, unknown> {
  return {
    cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

function report(results: readonly FleetResult[]): string {
  const lines = [
    '| fleet | Kustomizations (shards, largest) | bootstrap: commit → all applied | one instance changed: commit → all applied | reconciles per sync, sum / p50 / max | `kubectl kustomize` root / largest shard / instance |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const k = r.kustomizeBuildSeconds;
    lines.push(`| ${r.instances} in ${r.namespaces} ns | ${r.kustomizations} (${r.shards}, ${r.largestShard}) | ${r.bootstrap.seconds} s | ${r.oneInstanceChanged.seconds} s | ${r.oneInstanceChanged.reconciles}: ${r.oneInstanceChanged.reconcileSecondsSum} / ${r.oneInstanceChanged.reconcileSecondsP50} / ${r.oneInstanceChanged.reconcileSecondsMax} s | ${k ? `${k.root} / ${k.largestShard} / ${k.instanceFolder} s` : 'no kubectl'} |`);
  }
  return lines.join('\n') + ratio(results);
}

/** The 1,000-in-one-namespace run against the 100 one, when both ran (target ≤ 12x). */
interface TimedFleet { instances: number; namespaces: number; bootstrap: { seconds: number }; oneInstanceChanged: { seconds: number } }
function ratio(results: readonly TimedFleet[]): string {
  const small = results.find((r) => r.instances === 100 && r.namespaces === 1);
  const big = results.find((r) => r.instances === 1000 && r.namespaces === 1);
  if (!small || !big) return '';
  return `\n\n1,000 / 100 ratio: bootstrap ${(big.bootstrap.seconds / small.bootstrap.seconds).toFixed(1)}x, one change ${(big.oneInstanceChanged.seconds / small.oneInstanceChanged.seconds).toFixed(1)}x (target ≤ 12x)`;
}

// Interrupted: exit through process.exit, whose handlers kill the control plane and the engines.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
