/**
 * The Argo CD half of `npm run bench:gitops`: real Argo CD v3 (application-
 * controller and repo-server, built by tools/argocd/build.sh into
 * KUBEBUILDER_ASSETS, with Debian's redis-server) syncs a generated fleet from
 * a loopback Git repository onto a plain control plane (kube-apiserver and
 * etcd), bootstrapped exactly as docs/gitops.md tells a user: argocd-cm.yaml
 * applied server-side, then `kubectl apply -k dist/<cluster>/argocd` (the
 * AppProjects and the root list: the root, platform, Namespace and shard
 * Applications).
 *
 * Each fleet gets a fresh control plane and a fresh Argo CD, so no earlier
 * fleet's Applications are still being refreshed while it is measured.
 *
 * "Synced" for Argo CD: every Application the fleet renders (root, platform,
 * one per Namespace, the shards, one per instance) reports
 * `status.sync.status: Synced` with `status.sync.revision` at the commit, and
 * no sync operation of its is still running. Each Application is counted once
 * it has been seen so (as the Flux half does). At bootstrap every Application
 * must also have a sync operation that Succeeded at the commit (everything was
 * applied); after the one-instance change, the changed instance's Application
 * must (the others have nothing to apply: with manifest-generate-paths Argo CD
 * only moves their revision on). Not Healthy: no kubelet runs, so no workload
 * (hence no instance Application) is ever Healthy.
 *
 * Instance health would block the root, so the bench removes it from the
 * shards' health, as the Flux half removes the per-instance health gates. The
 * root Application lists itself (applications.yaml is its own source) with no
 * sync wave, i.e. wave 0, and a sync waits for each wave's objects to be
 * Healthy before the next wave — the root included: its operation stays
 * Running "waiting for healthy state of argoproj.io/Application/<root>". The
 * root's health is its children's (Argo CD leaves only itself out), the
 * shards' is their instance Applications', and on a plain control plane every
 * instance stays Progressing, so the root would never finish its first sync:
 * it never applies wave 1 (the shards, which the bootstrap's `kubectl apply`
 * created, so the instances still sync) and stays OutOfSync. Seen with Argo CD
 * v3.6.1 on this bench before the rewrite. The bench therefore commits the
 * render with `argocd.argoproj.io/ignore-healthcheck: "true"` on every
 * instance Application (Argo CD's own switch that leaves a child out of its
 * parent's health): the shards are Healthy once their Applications exist, and
 * the root's waves run as on a cluster whose instances are Healthy. Nothing
 * else depends on instance health: platform (no reconciler in the fleet, see
 * renderFleet) holds only CRDs, which are Healthy once applied, a Namespace is
 * Healthy once Active, instance folders carry no sync waves, and basic
 * AbiInstances render no Ingress (so no IngressControllerStandIn). The last
 * wave's objects end a sync without waiting for their health ("successfully
 * synced (all tasks run)", gitops-engine pkg/sync/sync_context.go).
 *
 * "Reconcile now" after a commit: the bench waits out the repo-server's
 * revision cache (the harness's --revision-cache-expiration, 3 s; Argo CD's
 * default 3 m is meant to be cut short by argocd-server's Git webhook, which
 * is not run), then sets `argocd.argoproj.io/refresh: normal` on every
 * Application, as `argocd app get --refresh` or the webhook would. The clock
 * starts at the commit, so that wait is in the figures. The controller's
 * periodic resync is the slow end of Argo CD's default (120 s plus up to 60 s
 * of jitter; here --app-resync 180 s without jitter, overridable with
 * BENCH_ARGOCD_APP_RESYNC_SECONDS), so the figures are not inflated by the
 * test harness's 5 s resync of every Application.
 *
 * The engine's own work per sync, read from the engines' logs:
 * - repo-server: each GenerateManifest gRPC call's `grpc.time_ms` (the
 *   "finished call" line of its gRPC logging interceptor), as the controller
 *   waits for it: fetching and checking out the revision (calls may queue on
 *   the repository's lock), reading the plain directory, parsing YAML. Calls
 *   served from its manifest cache are included (a few ms); the ones that
 *   generated manifests are counted by its "setting manifests cache" lines.
 *   Other methods' counts and sums (UpdateRevisionForPaths, the
 *   manifest-generate-paths check, ...) are kept in results.json.
 * - application-controller: each "Reconciliation completed" line's `time_ms`
 *   (one refresh of one Application: compare with Git, including waiting for
 *   the repo-server, and health).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { gitOpsNames } from '../../src/gitops/gitops-names';
import { documentsOf, DIST, renderFleet, spreadFleet, Tree } from '../../test/gitops-engines/fleet-repository';
import { kubectlApplyServerSide, kustomizeFolder } from '../../test/gitops-engines/gitops-scenarios';
import { ControlPlane } from '../../test/support/control-plane';
import { GitServer } from '../../test/support/git-server';
import { ArgoCdEngine } from '../../test/support/gitops-engines';
import { KubeClient, KubeObject } from '../../test/support/kube-client';
import { fleetPollMs } from './poll';

const ARGOCD_NS = 'argocd';
const APPLICATION_API = 'argoproj.io/v1alpha1';
const REFRESH_ANNOTATION = 'argocd.argoproj.io/refresh';
/** The repo-server's revision cache in the bench (ArgoCdEngine's --revision-cache-expiration default). */
const REVISION_CACHE_SECONDS = 3;
const APP_RESYNC_SECONDS = Number(process.env.BENCH_ARGOCD_APP_RESYNC_SECONDS ?? 180);
/** argocd-cm.yaml is applied as docs/gitops.md says: `kubectl apply --server-side --field-manager=cdk8s-abi-vecodex`. */
const ARGOCD_CM_FIELD_MANAGER = 'cdk8s-abi-vecodex';
/** A shard's list of instance Applications: dist/<cluster>/argocd/<namespace>/shard-<digit>/applications.yaml. */
const SHARD_LIST = /\/shard-[0-9a-f]\/applications\.yaml$/;

export interface DurationStats {
  count: number;
  sumSeconds: number;
  p50Seconds: number;
  maxSeconds: number;
}

export interface ArgoCdSyncFigures {
  /** From the commit until every Application has been seen synced at it. */
  seconds: number;
  /** repo-server GenerateManifest calls during that sync. */
  generateManifest: DurationStats;
  /** Of those, how many generated manifests (repo-server "setting manifests cache"); the others were served from its manifest cache. */
  manifestsGenerated: number;
  /** Every repo-server gRPC method called during that sync: count and summed seconds. */
  repoServerCalls: Record<string, { count: number; sumSeconds: number }>;
  /** application-controller "Reconciliation completed" (one refresh of one Application) during that sync. */
  reconciliations: DurationStats & { slowest: string };
}

export interface ArgoCdFleetResult {
  instances: number;
  namespaces: number;
  applications: number;
  shards: number;
  largestShard: number;
  /** The application-controller's --app-resync in this run. */
  appResyncSeconds: number;
  bootstrap: ArgoCdSyncFigures;
  oneInstanceChanged: ArgoCdSyncFigures;
}

/** One fleet on a fresh control plane and a fresh Argo CD. */
export async function benchArgoCdFleet(
  instances: number, namespaces: number, timeoutMs: number,
  changeOneInstance: (tree: Tree, cluster: string, namespace: string, name: string) => Tree,
): Promise<ArgoCdFleetResult> {
  const plane = await ControlPlane.start();
  let argo: ArgoCdEngine | undefined;
  let git: GitServer | undefined;
  try {
    const client = plane.adminClient();
    argo = await ArgoCdEngine.start(client, plane.kubeconfigPath, { appResyncSeconds: APP_RESYNC_SECONDS, revisionCacheExpiration: `${REVISION_CACHE_SECONDS}s` });
    git = await GitServer.start({ branch: 'main' });
    const cluster = `b${instances}`;
    const fleet = spreadFleet(cluster, git.url, instances, namespaces, `b${instances}`);
    const tree = withoutInstanceHealth(renderFleet(fleet), cluster);
    const top = `${DIST}/${cluster}/argocd`;
    const applicationFiles = [...tree.keys()].filter((f) => f.startsWith(`${top}/`) && f.endsWith('/applications.yaml')).sort();
    const wanted = documentsOf(tree, applicationFiles).filter((d) => d.kind === 'Application').map((d) => d.metadata.name as string);
    const shardFiles = applicationFiles.filter((f) => SHARD_LIST.test(f));
    const shardSizes = shardFiles.map((f) => (tree.get(f)!.match(/^kind: Application$/gm) ?? []).length);
    const logs = { repoServer: path.join(argo.dir, 'argocd-repo-server.log'), controller: path.join(argo.dir, 'argocd-application-controller.log') };
    const engine = argo;
    const wait = (commit: string, mustHaveApplied: ReadonlySet<string>) => waitSynced(client, engine, wanted, commit, mustHaveApplied, timeoutMs);

    let offsets = logOffsets(logs);
    const started = Date.now();
    const first = git.commitTree(tree, 'bootstrap');
    // docs/gitops.md "GitOps with Argo CD / Bootstrap", steps 3 and 4.
    await kubectlApplyServerSide(client, yaml.loadAll(tree.get(`${top}/argocd-cm.yaml`)!) as KubeObject[], ARGOCD_CM_FIELD_MANAGER);
    await kubectlApplyServerSide(client, kustomizeFolder(tree, top));
    await wait(first, new Set(wanted));
    const bootstrap = argoFigures(Date.now() - started, logs, offsets);

    const [namespace, names] = [...fleet.namespaces][0];
    const changedApp = gitOpsNames(cluster).instance(namespace, names[0]);
    const changed = changeOneInstance(tree, cluster, namespace, names[0]);
    offsets = logOffsets(logs);
    const again = Date.now();
    const second = git.commitTree(changed, 'change one instance');
    await new Promise((r) => setTimeout(r, REVISION_CACHE_SECONDS * 1000 + 500));
    await requestRefresh(client, wanted);
    await wait(second, new Set([changedApp]));
    const oneInstanceChanged = argoFigures(Date.now() - again, logs, offsets);
    await expectApplied(client, tree, changed, `${DIST}/${cluster}/${namespace}/${names[0]}/manifests.yaml`);

    return {
      instances, namespaces, applications: wanted.length, shards: shardFiles.length, largestShard: Math.max(...shardSizes),
      appResyncSeconds: APP_RESYNC_SECONDS, bootstrap, oneInstanceChanged,
    };
  } finally {
    await argo?.stop();
    await git?.stop();
    await plane.stop();
  }
}

/** The object the commit changed in `file` has the committed replicas live: the synced Application really applied it. */
async function expectApplied(client: KubeClient, before: Tree, after: Tree, file: string): Promise<void> {
  const old = documentsOf(before, [file]);
  const changed = documentsOf(after, [file]).find((doc, i) => JSON.stringify(doc) !== JSON.stringify(old[i]));
  if (!changed) throw new Error(`the change left ${file} as it was`);
  const { apiVersion, kind, metadata } = changed;
  const live = await client.get(apiVersion, kind, metadata.namespace, metadata.name);
  if (live.body?.spec?.replicas !== changed.spec?.replicas) {
    throw new Error(`${kind} ${metadata.namespace}/${metadata.name}: its Application reports the commit synced, but live replicas are ${live.body?.spec?.replicas}, committed ${changed.spec?.replicas}`);
  }
}

const IGNORE_HEALTH_ANNOTATION = 'argocd.argoproj.io/ignore-healthcheck';

/** The render with every instance Application left out of its shard's health (see the file comment). */
function withoutInstanceHealth(tree: Tree, cluster: string): Tree {
  const out = new Map(tree);
  for (const file of tree.keys()) {
    if (!SHARD_LIST.test(file) || !file.startsWith(`${DIST}/${cluster}/argocd/`)) continue;
    const docs = documentsOf(tree, [file]).map((doc) => doc.kind !== 'Application' ? doc : {
      ...doc, metadata: { ...doc.metadata, annotations: { ...doc.metadata.annotations, [IGNORE_HEALTH_ANNOTATION]: 'true' } },
    });
    out.set(file, docs.map((d) => yaml.dump(d, { lineWidth: -1 })).join('---\n'));
  }
  return out;
}

/** The parts of a live Application the bench reads. */
interface LiveApplication {
  metadata: { name: string };
  status?: {
    sync?: { status?: string; revision?: string };
    operationState?: { phase?: string; message?: string; syncResult?: { revision?: string } };
  };
}

/** What one Application reports about `commit`. */
function syncedAt(app: LiveApplication | undefined, commit: string, mustHaveApplied: boolean): boolean {
  const sync = app?.status?.sync;
  if (sync?.status !== 'Synced' || sync.revision !== commit) return false;
  const op = app?.status?.operationState;
  if (op?.phase === 'Running' || op?.phase === 'Terminating') return false;
  if (!mustHaveApplied) return true;
  return op?.phase === 'Succeeded' && op.syncResult?.revision === commit;
}

/** Until each Application has been seen synced at `commit` (see the file comment). */
async function waitSynced(
  client: KubeClient, argo: ArgoCdEngine, wanted: readonly string[], commit: string, mustHaveApplied: ReadonlySet<string>, timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Set<string>();
  for (;;) {
    argo.assertRunning();
    const live = new Map((await client.listAll<LiveApplication>(APPLICATION_API, 'Application', ARGOCD_NS)).map((a) => [a.metadata.name, a]));
    for (const n of wanted) if (syncedAt(live.get(n), commit, mustHaveApplied.has(n))) seen.add(n);
    const behind = wanted.filter((n) => !seen.has(n));
    if (behind.length === 0) return;
    if (Date.now() > deadline) {
      const sample = behind.slice(0, 3).map((n) => {
        const s = live.get(n)?.status;
        return `${n} (${s ? `sync ${s.sync?.status} at ${String(s.sync?.revision).slice(0, 7)}, operation ${s.operationState?.phase ?? 'none'}: ${s.operationState?.message ?? ''}` : 'absent'})`;
      });
      throw new Error(`${behind.length} Applications not synced at ${commit.slice(0, 7)}, e.g. ${sample.join('; ')}\n${argo.log('argocd-application-controller', 20)}`);
    }
    await new Promise((r) => setTimeout(r, fleetPollMs(wanted.length)));
  }
}

/** `argocd.argoproj.io/refresh: normal` on every Application, a few requests at a time. */
async function requestRefresh(client: KubeClient, names: readonly string[]): Promise<void> {
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const res = await client.request('PATCH', `/apis/argoproj.io/v1alpha1/namespaces/${ARGOCD_NS}/applications/${name}`,
        { metadata: { annotations: { [REFRESH_ANNOTATION]: 'normal' } } }, 'application/merge-patch+json');
      if (res.status >= 300) throw new Error(`refresh ${name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

interface LogFiles { readonly repoServer: string; readonly controller: string }
type Offsets = Record<keyof LogFiles, number>;

function logOffsets(logs: LogFiles): Offsets {
  return { repoServer: fs.statSync(logs.repoServer).size, controller: fs.statSync(logs.controller).size };
}

type LogEntry = Record<string, unknown>;

/** JSON log entries written since `offset`. */
function entriesSince(file: string, offset: number): LogEntry[] {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const buffer = Buffer.alloc(size - offset);
    fs.readSync(fd, buffer, 0, buffer.length, offset);
    return buffer.toString('utf8').split('\n').flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try { return [JSON.parse(line) as LogEntry]; } catch { return []; }
    });
  } finally {
    fs.closeSync(fd);
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function stats(seconds: number[]): DurationStats {
  const sorted = [...seconds].sort((a, b) => a - b);
  return {
    count: sorted.length,
    sumSeconds: round(sorted.reduce((a, s) => a + s, 0)),
    p50Seconds: round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    maxSeconds: round(sorted[sorted.length - 1] ?? 0),
  };
}

function argoFigures(elapsedMs: number, logs: LogFiles, offsets: Offsets): ArgoCdSyncFigures {
  // go-grpc-middleware's logging interceptor: one "finished call" per call, grpc.time_ms as a decimal string.
  const repoServer = entriesSince(logs.repoServer, offsets.repoServer);
  const calls = repoServer
    .filter((e) => e.msg === 'finished call' && typeof e['grpc.method'] === 'string')
    .map((e) => ({ method: e['grpc.method'] as string, seconds: Number(e['grpc.time_ms']) / 1000 }))
    .filter((c) => Number.isFinite(c.seconds));
  const repoServerCalls: ArgoCdSyncFigures['repoServerCalls'] = {};
  for (const c of calls) {
    const m = (repoServerCalls[c.method] ??= { count: 0, sumSeconds: 0 });
    m.count += 1;
    m.sumSeconds = round(m.sumSeconds + c.seconds);
  }
  const reconciles = entriesSince(logs.controller, offsets.controller)
    .filter((e) => e.msg === 'Reconciliation completed' && Number.isFinite(Number(e.time_ms)))
    .map((e) => ({ name: String(e.application ?? ''), seconds: Number(e.time_ms) / 1000 }));
  const slowest = [...reconciles].sort((a, b) => b.seconds - a.seconds)[0];
  return {
    seconds: round(elapsedMs / 1000),
    generateManifest: stats(calls.filter((c) => c.method === 'GenerateManifest').map((c) => c.seconds)),
    manifestsGenerated: repoServer.filter((e) => e.msg === 'setting manifests cache').length,
    repoServerCalls,
    reconciliations: { ...stats(reconciles.map((r) => r.seconds)), slowest: slowest?.name ?? '' },
  };
}

/** The Markdown table of the Argo CD fleets, and the 1,000 / 100 ratio when both ran. */
export function argoCdReport(results: readonly ArgoCdFleetResult[]): string {
  const s = (d: DurationStats) => `${d.count}: ${d.sumSeconds} / ${d.p50Seconds} / ${d.maxSeconds} s`;
  const g = (f: ArgoCdSyncFigures) => `${f.generateManifest.count} (${f.manifestsGenerated} generated): ${f.generateManifest.sumSeconds} / ${f.generateManifest.p50Seconds} / ${f.generateManifest.maxSeconds} s`;
  const lines = [
    '| fleet | Applications (shards, largest) | bootstrap: commit → all synced | one instance changed: commit → all synced | repo-server GenerateManifest, bootstrap / one change: n (not from its cache): sum / p50 / max | controller reconciliations, bootstrap / one change: n: sum / p50 / max |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    lines.push(`| ${r.instances} in ${r.namespaces} ns, --app-resync ${r.appResyncSeconds} s | ${r.applications} (${r.shards}, ${r.largestShard}) | ${r.bootstrap.seconds} s | ${r.oneInstanceChanged.seconds} s | ${g(r.bootstrap)} / ${g(r.oneInstanceChanged)} | ${s(r.bootstrap.reconciliations)} / ${s(r.oneInstanceChanged.reconciliations)} |`);
  }
  return lines.join('\n');
}
