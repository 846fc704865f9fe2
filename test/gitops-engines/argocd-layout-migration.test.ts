/**
 * Real Argo CD (application-controller and repo-server) on the simulated
 * cluster, from a loopback Git repository: a cluster synced in the layout
 * before shards (every per-instance Application in the root list) moves to
 * the sharded layout by committing it, as docs/gitops.md "Moving to shards
 * from the layout before them" says for Argo CD.
 *
 * What could go wrong: the root no longer lists the instance Applications, so
 * until a shard has applied them (and so re-written their tracking annotation
 * to the shard's) they are the root's to prune, and deleting one runs its
 * resources finalizer, which deletes the instance's workloads. The root syncs
 * the shards in wave 1 and prunes last (PruneLast), after the shards are
 * Healthy, and a shard counts as Healthy only once it has synced
 * (health-waits-for-sync, src/gitops/argocd-health-check.ts). Without that
 * rule a new shard is Healthy at its first comparison, from the live instance
 * Applications the root still tracks, and real Argo CD v3.6.1 pruned 6 of the
 * 8 instance Applications here. The suite checks with real Argo CD that no
 * instance Application or workload object is ever given a deletionTimestamp,
 * disappears or is recreated (a poll watches them throughout the migration),
 * every uid is the same afterwards, and no shard ever counts as Healthy (by
 * the live argocd-cm's health check) while an instance Application it lists
 * is still the root's: the deletions are a race, which the rule's absence
 * lost in one run of two, while that last check fails every time.
 *
 * A second suite moves a cluster from the layout issue 13 started from (one
 * Application per namespace, building the whole namespace folder with prune
 * on) to the current one, as docs/gitops.md "Migrating from one
 * Application/Kustomization per namespace" says: the new argocd-cm, then the
 * commit. The namespace Applications keep their names and now sync only the
 * Namespace with prune off, and the instance Applications take the objects
 * over; nothing may be deleted or recreated.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { gitOpsNames } from '../../src/gitops/gitops-names';
import { shardOf } from '../../src/gitops/instance-shards';
import { prepareCluster, startReconciler } from '../cluster/day2';
import { runHealthScript } from '../gitops/lua';
import { GitServer } from '../support/git-server';
import { ArgoCdEngine, gitopsEnginesUnavailable } from '../support/gitops-engines';
import { KubeClient, KubeObject } from '../support/kube-client';
import { SimulatedCluster } from '../support/simulated-cluster';
import { useSimulatedCluster } from '../support/simulated-cluster-suite';
import { perNamespaceLayout, Tree, unshardedLayout } from './fleet-repository';
import {
  applicationSyncedAt, applyArgoCdConfig, bootstrapArgoCd,
  CLUSTER, DIST_PATH, eventually, getObject, IngressControllerStandIn, instanceFolderObjects,
  profileFor, renderRepository, Specs,
} from './gitops-scenarios';

// Without the binaries, test/support/global-setup.ts prints the one loud SKIPPING line.
const describeWithArgoCd = gitopsEnginesUnavailable('argocd') === undefined ? describe : describe.skip;
const APP_API = 'argoproj.io/v1alpha1';
const ARGOCD_NS = 'argocd';
const SYNC_MS = 300_000;
/** The cluster's Argo CD folder in dist/: the root kustomization and our argocd-cm. */
const ARGOCD_TOP = `${DIST_PATH}/${CLUSTER}/argocd`;
const NAMES = gitOpsNames(CLUSTER);
/** Argo CD's annotation resource tracking (argocd-cm application.resourceTrackingMethod: annotation): `<app>:<group>/<kind>:<namespace>/<name>`. */
const TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';
/** The argocd-cm key of the Application health check (argocd-health-check.ts). */
const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';
const NAMESPACES = ['mig-a', 'mig-b'];
const INSTANCES_PER_NAMESPACE = 4;

interface ArgoApplication extends KubeObject {
  metadata: KubeObject['metadata'] & { uid?: string; annotations?: Record<string, string>; deletionTimestamp?: string };
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string };
    operationState?: { phase?: string; syncResult?: { revision?: string } };
  };
}

interface LiveItem { metadata: { name: string; uid: string; deletionTimestamp?: string } }

/** A live object the migration must keep, with its uid before the migration. */
interface Kept { readonly apiVersion: string; readonly kind: string; readonly namespace?: string; readonly name: string; readonly uid: string }

/** An instance of the fleet: its Application's name and its rendered objects. */
interface FleetInstance { readonly namespace: string; readonly name: string; readonly application: string; readonly objects: KubeObject[] }

/** `INSTANCES_PER_NAMESPACE` copies of the basic AbiInstance sample in each of `NAMESPACES`. */
function migrationSpecs(): Specs {
  const sample = yaml.load(fs.readFileSync(path.join(__dirname, '..', '..', 'instances', CLUSTER, 'abi-basic.yaml'), 'utf8')) as Record<string, unknown>;
  const specs: Specs = new Map();
  for (const namespace of NAMESPACES) {
    for (let i = 0; i < INSTANCES_PER_NAMESPACE; i++) {
      const name = `abi-${namespace}-${i}`;
      specs.set(`${name}.yaml`, { ...sample, metadata: { name, namespace } });
    }
  }
  return specs;
}

/** The Application whose tracking annotation claims this live Application. */
const trackedBy = (app: ArgoApplication | undefined) => (app?.metadata.annotations?.[TRACKING_ANNOTATION] ?? '').split(':')[0];

const key = (kind: string, namespace: string | undefined, name: string) => `${kind} ${namespace ?? ''}/${name}`;

const syncedHealthyAt = (app: ArgoApplication | undefined, commit: string) =>
  applicationSyncedAt(app, commit) && app?.status?.health?.status === 'Healthy';

/**
 * Polls every object it is given (by list, per kind and namespace) until
 * stopped, and records each time one has a deletionTimestamp, is gone, or
 * has another uid than at the start. A delete with no finalizer can pass
 * between two polls; the uid comparison after the migration still sees the
 * recreation, and a deleted Application's resources finalizer keeps it
 * visible (with a deletionTimestamp) while it deletes the instance.
 */
class DeletionWatch {
  public static start(client: KubeClient, uids: ReadonlyMap<string, Kept>, periodMs = 250): DeletionWatch {
    const watch = new DeletionWatch(client, uids, periodMs);
    watch.loop = watch.run();
    return watch;
  }

  /** What was seen, first occurrence of each, in order. */
  public readonly findings: string[] = [];
  public polls = 0;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();

  private constructor(
    private readonly client: KubeClient,
    private readonly uids: ReadonlyMap<string, Kept>,
    private readonly periodMs: number,
  ) {}

  public async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private record(finding: string): void {
    if (!this.findings.includes(finding)) this.findings.push(finding);
  }

  private async run(): Promise<void> {
    const groups = new Map<string, { apiVersion: string; kind: string; namespace?: string }>();
    for (const o of this.uids.values()) groups.set(`${o.apiVersion} ${o.kind} ${o.namespace ?? ''}`, { apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace });
    while (!this.stopped) {
      for (const g of groups.values()) {
        const res = await this.client.list(g.apiVersion, g.kind, g.namespace).catch(() => undefined);
        if (!res || res.status >= 300) continue;
        const live = new Map((res.body.items as LiveItem[]).map((i) => [i.metadata.name, i]));
        for (const [k, o] of this.uids) {
          if (o.apiVersion !== g.apiVersion || o.kind !== g.kind || o.namespace !== g.namespace) continue;
          const item = live.get(o.name);
          if (!item) this.record(`${k} gone`);
          else if (item.metadata.uid !== o.uid) this.record(`${k} recreated`);
          else if (item.metadata.deletionTimestamp) this.record(`${k} deletionTimestamp ${item.metadata.deletionTimestamp}`);
        }
      }
      this.polls++;
      await new Promise((r) => setTimeout(r, this.periodMs));
    }
  }
}

/**
 * Polls the shard Applications and runs on each the Application health check
 * Argo CD runs (the live argocd-cm's Lua), recording each time a shard counts
 * as Healthy while an instance Application it lists is still tracked by
 * another Application: from that moment the root's PruneLast step may prune
 * it. Whether the root does is a race (without the health-waits-for-sync rule
 * it did in one of two runs); this observation does not depend on the race.
 */
class ShardGateWatch {
  public static start(client: KubeClient, healthLua: string, shardOfApplication: ReadonlyMap<string, string>, periodMs = 250): ShardGateWatch {
    const watch = new ShardGateWatch(client, healthLua, shardOfApplication, periodMs);
    watch.loop = watch.run();
    return watch;
  }

  public readonly findings: string[] = [];
  /** How many times a shard was judged Healthy (the check had cases). */
  public healthyVerdicts = 0;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();

  private constructor(
    private readonly client: KubeClient,
    private readonly healthLua: string,
    private readonly shardOfApplication: ReadonlyMap<string, string>,
    private readonly periodMs: number,
  ) {}

  public async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const res = await this.client.list(APP_API, 'Application', ARGOCD_NS).catch(() => undefined);
      if (res && res.status < 300) {
        const live = new Map((res.body.items as ArgoApplication[]).map((a) => [a.metadata.name, a]));
        for (const [instance, shard] of this.shardOfApplication) {
          const shardApp = live.get(shard);
          if (!shardApp || runHealthScript(this.healthLua, shardApp).status !== 'Healthy') continue;
          this.healthyVerdicts++;
          const owner = trackedBy(live.get(instance));
          const finding = `${shard} Healthy while ${instance} is tracked by ${owner || 'nothing'}`;
          if (owner !== shard && !this.findings.includes(finding)) this.findings.push(finding);
        }
      }
      await new Promise((r) => setTimeout(r, this.periodMs));
    }
  }
}

interface Stoppable { stop(): Promise<unknown> }

/**
 * What both suites run on: the simulated cluster with real Argo CD, a
 * loopback Git server and the ingress stand-in, started before the suite and
 * torn down after it, with what a suite starts later (the reconciler, the
 * watches) stopped first, last started first.
 */
class ArgoCdOnSimulatedCluster {
  public client!: KubeClient;
  public git!: GitServer;
  public argo?: ArgoCdEngine;
  private ingressController?: IngressControllerStandIn;
  private readonly startedLater: Stoppable[] = [];

  public constructor(public readonly sim: () => SimulatedCluster) {}

  public async start(): Promise<void> {
    this.client = this.sim().adminClient();
    await prepareCluster(this.sim());
    this.ingressController = IngressControllerStandIn.start(this.client);
    this.git = await GitServer.start({ branch: 'main' });
    this.argo = await ArgoCdEngine.start(this.client, this.sim().kubeconfigPath);
  }

  public async stop(): Promise<void> {
    for (const s of this.startedLater.reverse()) await s.stop();
    await this.argo?.stop();
    await this.ingressController?.stop();
    await this.git?.stop();
  }

  /** Registers something the suite started, to be stopped before the engines. */
  public stopsAfterSuite<T extends Stoppable>(started: T): T {
    this.startedLater.push(started);
    return started;
  }

  public readonly logs = () => this.argo
    ? `application-controller:\n${this.argo.log('argocd-application-controller', 40)}\nrepo-server:\n${this.argo.log('argocd-repo-server', 10)}` : '';

  public async application(name: string): Promise<ArgoApplication | undefined> {
    return (await getObject(this.client, APP_API, 'Application', ARGOCD_NS, name)) as ArgoApplication | undefined;
  }

  public waitSyncedHealthy(appNames: readonly string[], commit: string): Promise<ArgoApplication[]> {
    return eventually(`${appNames.length} Applications Synced and Healthy at ${commit.slice(0, 7)}`, async () => {
      const apps = await Promise.all(appNames.map((n) => this.application(n)));
      return apps.every((a) => syncedHealthyAt(a, commit)) ? apps as ArgoApplication[] : false;
    }, SYNC_MS, this.logs);
  }

  /** The root at the commit and done with it: its own sync operation (which prunes last) Succeeded at that revision. */
  public waitRootSyncedAt(commit: string): Promise<ArgoApplication> {
    return eventually(`root ${NAMES.root} Synced and Healthy at ${commit.slice(0, 7)} with its sync operation Succeeded`, async () => {
      const app = await this.application(NAMES.root);
      const op = app?.status?.operationState;
      return syncedHealthyAt(app, commit) && op?.phase === 'Succeeded' && op.syncResult?.revision === commit ? app! : false;
    }, SYNC_MS, this.logs);
  }

  /**
   * Commits the tree and bootstraps it as docs/gitops.md "GitOps with Argo CD
   * / Bootstrap" says (our argocd-cm, then the root folder), until the
   * platform Application is synced at the commit.
   */
  public async bootstrap(tree: Tree, message: string): Promise<string> {
    const commit = this.git.commitTree(tree, message);
    await bootstrapArgoCd(this.client, tree, ARGOCD_TOP);
    await this.waitSyncedHealthy([NAMES.platform], commit);
    return commit;
  }
}

function useArgoCdOnSimulatedCluster(): ArgoCdOnSimulatedCluster {
  const cluster = new ArgoCdOnSimulatedCluster(useSimulatedCluster());
  beforeAll(() => cluster.start(), 300_000);
  afterAll(() => cluster.stop(), 60_000);
  return cluster;
}

/** Each spec's instance: its Application's name and the objects of its folder in the tree. */
function fleetInstances(tree: Tree, specs: Specs): FleetInstance[] {
  return [...specs.values()].map((s) => {
    const { name, namespace } = (s as { metadata: { name: string; namespace: string } }).metadata;
    return { namespace, name, application: NAMES.instance(namespace, name), objects: instanceFolderObjects(tree, namespace, name) };
  });
}

describeWithArgoCd('Real Argo CD: a cluster synced in the layout before shards moves to the sharded layout without deleting or recreating anything', () => {
  const cluster = useArgoCdOnSimulatedCluster();

  test(`GIVEN ${NAMESPACES.length * INSTANCES_PER_NAMESPACE} AbiInstances over ${NAMESPACES.length} namespaces synced by Argo CD in the layout before shards WHEN the sharded layout is committed THEN every instance Application and workload object keeps its uid, none is ever being deleted, and the shards and the root are Synced at the commit`, async () => {
    const { client, git } = cluster;
    const specs = migrationSpecs();
    const sharded: Tree = renderRepository(profileFor(git.url), specs);
    const before = unshardedLayout(sharded, CLUSTER);
    const shardFiles = [...sharded.keys()].filter((f) => f.startsWith(`${ARGOCD_TOP}/`) && f.split('/').length > 4);
    expect([...before.keys()].filter((f) => f.startsWith(`${ARGOCD_TOP}/`) && f.split('/').length > 4)).toEqual([]);

    const instances = fleetInstances(sharded, specs);
    const shards = [...new Set(instances.map((i) => NAMES.shard(i.namespace, shardOf(i.name))))].sort();
    // Several shards, so the migration hands Applications to more than one new owner.
    expect(shards.length).toBeGreaterThanOrEqual(4);
    expect(shardFiles.filter((f) => f.endsWith('/applications.yaml')).map((f) => f.split('/').slice(3, 5).join('/')).sort())
      .toEqual(instances.map((i) => `${i.namespace}/shard-${shardOf(i.name)}`).sort());

    // GIVEN: bootstrapped in the layout before shards.
    const started = Date.now();
    const first = await cluster.bootstrap(before, 'layout before shards');
    cluster.stopsAfterSuite(await startReconciler(cluster.sim(), { identity: 'argocd-migration' }));
    const rootListed = [NAMES.root, NAMES.platform, ...NAMESPACES.map((ns) => NAMES.namespace(ns))];
    const appsBefore = await cluster.waitSyncedHealthy([...instances.map((i) => i.application), ...rootListed], first);
    const bootstrapMs = Date.now() - started;
    expect(instances.length).toBe(NAMESPACES.length * INSTANCES_PER_NAMESPACE);
    for (const app of appsBefore.slice(0, instances.length)) {
      expect({ name: app.metadata.name, trackedBy: trackedBy(app) }).toEqual({ name: app.metadata.name, trackedBy: NAMES.root });
    }
    for (const shard of shards) expect(await cluster.application(shard)).toBeUndefined();

    const uids = new Map<string, Kept>();
    for (const app of appsBefore.slice(0, instances.length)) {
      uids.set(key('Application', ARGOCD_NS, app.metadata.name), { apiVersion: APP_API, kind: 'Application', namespace: ARGOCD_NS, name: app.metadata.name, uid: app.metadata.uid! });
    }
    for (const obj of instances.flatMap((i) => i.objects)) {
      const { namespace, name } = obj.metadata;
      const live = await getObject(client, obj.apiVersion, obj.kind, namespace, name);
      expect({ object: key(obj.kind, namespace, name), live: live !== undefined }).toEqual({ object: key(obj.kind, namespace, name), live: true });
      uids.set(key(obj.kind, namespace, name), { apiVersion: obj.apiVersion, kind: obj.kind, namespace, name, uid: live.metadata.uid });
    }
    expect(uids.size).toBeGreaterThan(instances.length * 3);

    // WHEN: the sharded layout is committed, and nothing else is done.
    const watch = cluster.stopsAfterSuite(DeletionWatch.start(client, uids));
    const argocdCm = await getObject(client, 'v1', 'ConfigMap', ARGOCD_NS, 'argocd-cm');
    expect(typeof argocdCm?.data?.[APPLICATION_HEALTH_KEY]).toBe('string');
    const shardOfApplication = new Map(instances.map((i) => [i.application, NAMES.shard(i.namespace, shardOf(i.name))]));
    const gate = cluster.stopsAfterSuite(ShardGateWatch.start(client, argocdCm.data[APPLICATION_HEALTH_KEY], shardOfApplication));
    const migrationStarted = Date.now();
    const second = git.commitTree(sharded, 'sharded layout');
    const shardApps = await cluster.waitSyncedHealthy(shards, second);
    const root = await cluster.waitRootSyncedAt(second);
    const migrationMs = Date.now() - migrationStarted;
    // A prune or cascade that started late would show within a few resyncs (5 s each).
    await new Promise((r) => setTimeout(r, 15_000));
    await watch.stop();
    await gate.stop();

    // THEN
    // No shard counted as Healthy (what the root's sync waits for before it prunes) before it had re-tracked its instances.
    expect(gate.healthyVerdicts).toBeGreaterThan(0);
    expect(gate.findings).toEqual([]);
    expect(watch.polls).toBeGreaterThan(10);
    expect(watch.findings).toEqual([]);
    expect(shardApps.map((a) => a.metadata.name)).toEqual(shards);
    expect(root.status?.sync?.revision).toBe(second);
    const appsAfter = await cluster.waitSyncedHealthy(instances.map((i) => i.application), second);
    for (const [i, app] of appsAfter.entries()) {
      const shard = NAMES.shard(instances[i].namespace, shardOf(instances[i].name));
      expect({ name: app.metadata.name, trackedBy: trackedBy(app) }).toEqual({ name: app.metadata.name, trackedBy: shard });
    }
    const uidsAfter = new Map<string, string | undefined>();
    for (const [k, o] of uids) uidsAfter.set(k, (await getObject(client, o.apiVersion, o.kind, o.namespace, o.name))?.metadata?.uid);
    expect(uidsAfter).toEqual(new Map([...uids].map(([k, o]) => [k, o.uid])));
    if (process.env.GITOPS_ENGINES_TRACE === '1') process.stderr.write(`[argocd-layout-migration] bootstrap in the layout before shards ${bootstrapMs} ms; sharded commit to shards and root Synced ${migrationMs} ms; ${uids.size} uids kept, ${watch.polls} polls\n`);
  }, 900_000);
});

describeWithArgoCd('Real Argo CD: a cluster synced with one Application per namespace moves to the current layout without deleting or recreating anything', () => {
  const cluster = useArgoCdOnSimulatedCluster();

  test('GIVEN AbiInstances synced by one Application per namespace folder WHEN the new argocd-cm is applied and the current layout committed '
    + 'THEN every workload object keeps its uid, none is ever being deleted, and each is tracked by its instance\'s Application', async () => {
    const { client, git } = cluster;
    const specs = migrationSpecs();
    const current: Tree = renderRepository(profileFor(git.url), specs);
    const before = perNamespaceLayout(current, CLUSTER);
    const instances = fleetInstances(current, specs);
    const namespaceApps = NAMESPACES.map((ns) => NAMES.namespace(ns));

    // GIVEN: bootstrapped in the layout with one Application per namespace.
    const first = await cluster.bootstrap(before, 'one Application per namespace');
    cluster.stopsAfterSuite(await startReconciler(cluster.sim(), { identity: 'argocd-namespace-migration' }));
    await cluster.waitSyncedHealthy([NAMES.root, NAMES.platform, ...namespaceApps], first);
    for (const i of instances) expect(await cluster.application(i.application)).toBeUndefined();

    const uids = new Map<string, Kept>();
    for (const obj of instances.flatMap((i) => i.objects)) {
      const { namespace, name } = obj.metadata;
      const live = await getObject(client, obj.apiVersion, obj.kind, namespace, name);
      expect({ object: key(obj.kind, namespace, name), trackedBy: trackedBy(live) })
        .toEqual({ object: key(obj.kind, namespace, name), trackedBy: NAMES.namespace(namespace!) });
      uids.set(key(obj.kind, namespace, name), { apiVersion: obj.apiVersion, kind: obj.kind, namespace, name, uid: live.metadata.uid });
    }
    expect(uids.size).toBeGreaterThan(instances.length * 3);

    // WHEN: the new argocd-cm (docs/gitops.md "Upgrading"), then the commit.
    const watch = cluster.stopsAfterSuite(DeletionWatch.start(client, uids));
    await applyArgoCdConfig(client, current, ARGOCD_TOP);
    const second = git.commitTree(current, 'current layout');
    await cluster.waitSyncedHealthy([...instances.map((i) => i.application), ...namespaceApps], second);
    await cluster.waitRootSyncedAt(second);
    // A prune or cascade that started late would show within a few resyncs (5 s each).
    await new Promise((r) => setTimeout(r, 15_000));
    await watch.stop();

    // THEN
    expect(watch.polls).toBeGreaterThan(10);
    expect(watch.findings).toEqual([]);
    for (const i of instances) {
      for (const obj of i.objects) {
        const live = await getObject(client, obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
        const k = key(obj.kind, obj.metadata.namespace, obj.metadata.name);
        expect({ object: k, uid: live?.metadata?.uid, trackedBy: trackedBy(live) })
          .toEqual({ object: k, uid: uids.get(k)!.uid, trackedBy: i.application });
      }
    }
  }, 900_000);
});
