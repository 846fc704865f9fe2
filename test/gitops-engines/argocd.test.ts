/**
 * Real Argo CD (application-controller and repo-server, one binary built from
 * the Go module proxy, with Debian's Redis) bootstraps our rendered argocd/
 * objects from a loopback Git server onto an empty simulated cluster, exactly
 * as docs/gitops.md "GitOps with Argo CD / Bootstrap" tells a user, and keeps
 * it in sync commit by commit.
 *
 * Why the VecodexSet's Application once stayed Progressing "caused by
 * apps/Deployment vecodexset-sample-writer" (and the other workloads) while
 * every workload was complete: the cause was its Ingress. Argo CD counts an
 * Ingress Progressing until an ingress controller publishes an address in
 * status.loadBalancer.ingress (gitops-engine pkg/health/health_ingress.go),
 * and the simulated cluster runs no ingress controller. The message misled
 * because Argo CD keeps the message of the last health *transition* while
 * the status stays the same (application-controller persistAppStatus, when
 * resource health lives in the app tree, Argo CD 3's default): it named the
 * workloads that were still rolling out when the Application first turned
 * Progressing. So this is an artefact of a cluster without an ingress
 * controller, not of our output: the suite runs IngressControllerStandIn,
 * which publishes an address as ingress-nginx does. docs/gitops.md tells
 * users what the same symptom means on a real cluster.
 */
import * as yaml from 'js-yaml';
import { gitOpsNames } from '../../src/gitops/gitops-names';
import { prepareCluster, RECONCILER_NAMESPACE, startReconciler } from '../cluster/day2';
import { ReconcilerProcess } from '../reconciler/reconciler-process';
import { GitServer } from '../support/git-server';
import { ArgoCdEngine, gitopsEnginesUnavailable } from '../support/gitops-engines';
import { KubeClient, KubeObject } from '../support/kube-client';
import { useSimulatedCluster } from '../support/simulated-cluster-suite';
import {
  ADDED_INSTANCE, ADDED_SIBLING, addInstance, applicationSyncedAt, claimUids, CLUSTER, commitRendered, conditionOf, DIST_PATH, eventually, getObject,
  IngressControllerStandIn, instanceFolderObjects, instanceRefs, instanceWorkload, kubectlApplyServerSide, kustomizeFolder,
  profileFor, renderRepository, sampleSpecs, scaleAddedInstance, Specs, withRefusedObject,
} from './gitops-scenarios';

// Without the binaries, test/support/global-setup.ts prints the one loud SKIPPING line.
const describeWithEngines = gitopsEnginesUnavailable('argocd') === undefined ? describe : describe.skip;
const APP = 'argoproj.io/v1alpha1';
const SYNC_MS = 300_000;

describeWithEngines('Argo CD bootstraps and syncs the rendered output (real application-controller and repo-server)', () => {
  const sim = useSimulatedCluster();
  let client: KubeClient;
  let git: GitServer;
  let argo: ArgoCdEngine;
  let ingressController: IngressControllerStandIn;
  let reconciler: ReconcilerProcess | undefined;
  let profile: Record<string, unknown>;
  let specs: Specs;
  const names = gitOpsNames(CLUSTER);
  const logs = () => argo ? `application-controller:\n${argo.log('argocd-application-controller', 30)}\nrepo-server:\n${argo.log('argocd-repo-server', 15)}` : '';

  const application = (name: string) => getObject(client, APP, 'Application', 'argocd', name);
  const syncedAt = applicationSyncedAt;
  const healthyAt = async (name: string, commit: string) => {
    const app = await application(name);
    return syncedAt(app, commit) && app.status.health?.status === 'Healthy' ? app : false;
  };
  const waitHealthyAt = (name: string, commit: string) => eventually(`Application ${name} Synced and Healthy at ${commit.slice(0, 7)}`, () => healthyAt(name, commit), SYNC_MS, logs);
  const startOurReconciler = async () => { reconciler = await startReconciler(sim(), { identity: 'argocd-tier' }); };
  const stopOurReconciler = async () => { await reconciler?.stop(); reconciler = undefined; };

  beforeAll(async () => {
    client = sim().adminClient();
    await prepareCluster(sim());
    ingressController = IngressControllerStandIn.start(client);
    git = await GitServer.start({ branch: 'main' });
    profile = profileFor(git.url);
    specs = sampleSpecs();
    // Argo CD installed: its CRDs, namespace, argocd-secret, and the components.
    argo = await ArgoCdEngine.start(client, sim().kubeconfigPath);
  }, 300_000);

  afterAll(async () => {
    await stopOurReconciler();
    await argo?.stop();
    await ingressController?.stop();
    await git?.stop();
  }, 60_000);

  let first = '';
  test('GIVEN an empty cluster WHEN dist/ is committed, argocd-cm merged and the root applied once THEN the platform syncs first, instances wait for it, and are Healthy only after our reconciler reports Ready', async () => {
    first = commitRendered(git, profile, specs, 'first render');
    const tree = renderRepository(profile, specs);
    // Step 3: kubectl apply --server-side --field-manager=cdk8s-abi-vecodex -f dist/<cluster>/argocd/argocd-cm.yaml
    await kubectlApplyServerSide(client, yaml.loadAll(tree.get(`${DIST_PATH}/${CLUSTER}/argocd/argocd-cm.yaml`)!) as KubeObject[], 'cdk8s-abi-vecodex');
    // Step 4: kubectl apply -k dist/<cluster>/argocd
    await kubectlApplyServerSide(client, kustomizeFolder(tree, `${DIST_PATH}/${CLUSTER}/argocd`));

    await waitHealthyAt(names.platform, first);
    const deployment = (await client.list('apps/v1', 'Deployment', RECONCILER_NAMESPACE)).body.items[0];
    const platformAvailable = Date.parse(conditionOf(deployment, 'Available')!.lastTransitionTime!);
    const instances = instanceRefs(specs);
    expect(instances.length).toBeGreaterThan(0);
    for (const i of instances) {
      const cr = await eventually(`${i.kind} ${i.name} applied`, () => getObject(client, i.apiVersion, i.kind, i.namespace, i.name), SYNC_MS, logs);
      // Instances (wave 1) were applied only after the platform (wave -1) was Healthy (creationTimestamp has 1 s resolution).
      expect(Date.parse(cr.metadata.creationTimestamp)).toBeGreaterThanOrEqual(Math.floor(platformAvailable / 1000) * 1000);
    }
    // Synced, but nothing judges the custom resources yet: no reconciler, so no instance is Healthy.
    for (const i of instances) {
      await eventually(`Application ${names.instance(i.namespace, i.name)} Synced at ${first.slice(0, 7)}`, async () => syncedAt(await application(names.instance(i.namespace, i.name)), first), SYNC_MS, logs);
    }
    await new Promise((r) => setTimeout(r, 5_000));
    for (const i of instances) {
      const app = await application(names.instance(i.namespace, i.name));
      expect({ name: app.metadata.name, health: app.status?.health?.status }).toEqual({ name: app.metadata.name, health: 'Progressing' });
    }

    await startOurReconciler();
    for (const i of instances) {
      const app = await waitHealthyAt(names.instance(i.namespace, i.name), first);
      const cr = await getObject(client, i.apiVersion, i.kind, i.namespace, i.name);
      const crReady = conditionOf(cr, 'Ready');
      expect(crReady?.status).toBe('True');
      const crReadySecond = Math.floor(Date.parse(crReady!.lastTransitionTime!) / 1000) * 1000;
      expect(Date.parse(app.status.health.lastTransitionTime)).toBeGreaterThanOrEqual(crReadySecond);
    }
    await waitHealthyAt(names.root, first);
    for (const ns of new Set(instances.map((i) => i.namespace))) await waitHealthyAt(names.namespace(ns), first);
    // The VecodexSet sample's Ingress is Healthy only because the stand-in published its address.
    expect([...ingressController.published].length).toBeGreaterThan(0);
  }, 900_000);

  const added = ADDED_INSTANCE;
  const sibling = ADDED_SIBLING;
  test('GIVEN a synced cluster WHEN a commit adds two instances in a new namespace THEN its Namespace and both instances sync and turn Healthy', async () => {
    addInstance(specs);
    addInstance(specs, sibling);
    const commit = commitRendered(git, profile, specs, 'add two instances in a new namespace');
    for (const i of [added, sibling]) {
      await waitHealthyAt(names.instance(i.namespace, i.name), commit);
      const cr = await getObject(client, 'abi.io/v1', 'AbiInstance', i.namespace, i.name);
      expect(conditionOf(cr, 'Ready')?.status).toBe('True');
    }
    expect(await getObject(client, 'v1', 'Namespace', undefined, added.namespace)).toBeDefined();
  }, 600_000);

  test('GIVEN the added instance WHEN a commit changes its spec THEN Argo CD applies it and reports Progressing until our reconciler has judged the new generation, then Healthy with the rollout complete', async () => {
    const appName = names.instance(added.namespace, added.name);
    // Our reconciler is held back so the Progressing step is observed, not raced: on KWOK a rollout is done in about a second.
    await stopOurReconciler();
    scaleAddedInstance(specs, 2);
    const commit = commitRendered(git, profile, specs, 'scale the added instance');
    const progressing = await eventually(`Application ${appName} Synced and Progressing at ${commit.slice(0, 7)}`, async () => {
      const app = await application(appName);
      return syncedAt(app, commit) && app.status.health?.status === 'Progressing' ? app : false;
    }, SYNC_MS, logs);
    expect(progressing.status.health.status).toBe('Progressing');
    const workload = instanceWorkload(renderRepository(profile, specs), added.namespace, added.name);
    expect((await getObject(client, 'apps/v1', workload.kind, added.namespace, workload.metadata.name)).spec.replicas).toBe(2);

    await startOurReconciler();
    await waitHealthyAt(appName, commit);
    const live = await getObject(client, 'apps/v1', workload.kind, added.namespace, workload.metadata.name);
    expect(live.status.readyReplicas).toBe(2);
    const cr = await getObject(client, 'abi.io/v1', 'AbiInstance', added.namespace, added.name);
    expect(cr.status.observedGeneration).toBe(cr.metadata.generation);
    expect(conditionOf(cr, 'Ready')?.status).toBe('True');
  }, 600_000);

  /** Commits `removed` away; asserts its Application goes while its Namespace and data claims stay; returns its rendered objects. */
  const removeInstance = async (removed: { file: string; namespace: string; name: string }, message: string): Promise<KubeObject[]> => {
    const claimsBefore = await claimUids(client, removed.namespace);
    expect(claimsBefore.length).toBeGreaterThan(0);
    const rendered = instanceFolderObjects(renderRepository(profile, specs), removed.namespace, removed.name);
    specs.delete(removed.file);
    const commit = commitRendered(git, profile, specs, message);
    await waitHealthyAt(names.root, commit);
    await eventually(`Application ${names.instance(removed.namespace, removed.name)} deleted`, async () => (await application(names.instance(removed.namespace, removed.name))) === undefined, SYNC_MS, logs);
    expect(await getObject(client, 'v1', 'Namespace', undefined, removed.namespace)).toBeDefined();
    expect(await claimUids(client, removed.namespace)).toEqual(claimsBefore);
    return rendered;
  };
  const expectDeleted = async (objects: KubeObject[], withinMs: number) => {
    expect(objects.length).toBeGreaterThan(0);
    for (const obj of objects) {
      await eventually(`${obj.kind} ${obj.metadata.name} deleted`, async () => (await getObject(client, obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name)) === undefined, withinMs, logs);
    }
  };

  test('GIVEN the added instance and a sibling in its namespace WHEN a commit removes the instance THEN Argo CD deletes its Application and objects while the Namespace and data claims stay', async () => {
    const rendered = await removeInstance(added, 'remove the added instance');
    await expectDeleted(rendered, SYNC_MS);
  }, 600_000);

  let lastInstanceObjects: KubeObject[] = [];
  let lastInstanceClaims: string[] = [];
  test('GIVEN the last instance of a namespace WHEN a commit removes it THEN Argo CD deletes its Application while the Namespace and data claims stay', async () => {
    lastInstanceClaims = await claimUids(client, sibling.namespace);
    lastInstanceObjects = await removeInstance(sibling, 'remove the last instance of the namespace');
  }, 600_000);

  /**
   * The root sync updates the AppProject (wave -2) before it prunes the
   * instance's Application, and Argo CD's resources finalizer deletes only
   * objects the project still permits (application-controller
   * getPermittedAppLiveObjects). The project permits every namespace but the
   * reserved ones and every kind our platform and products can render
   * (argocd-wiring.ts, project-kinds.ts), so it does not shrink with the last
   * instance of a namespace.
   */
  test('GIVEN the last instance of a namespace removed THEN Argo CD deletes its objects while the Namespace and data claims stay', async () => {
    // A rendered claim carries prune protection (src/shared/prune-protection.ts): it is data, and stays.
    await expectDeleted(lastInstanceObjects.filter((o) => o.kind !== 'PersistentVolumeClaim'), SYNC_MS);
    expect(await getObject(client, 'v1', 'Namespace', undefined, sibling.namespace)).toBeDefined();
    expect(lastInstanceClaims.length).toBeGreaterThan(0);
    expect(await claimUids(client, sibling.namespace)).toEqual(lastInstanceClaims);
  }, 600_000);

  test('GIVEN a commit in which one instance holds an object the API server refuses THEN Argo CD reports it on that instance\'s Application and the others sync the commit', async () => {
    const [victim, ...others] = instanceRefs(specs);
    expect(others.length).toBeGreaterThan(0);
    const commit = git.commitTree(withRefusedObject(renderRepository(profile, specs), victim), 'an object the API server refuses');
    const victimName = names.instance(victim.namespace, victim.name);
    const failed = await eventually(`Application ${victimName} reports the refusal`, async () => {
      const app = await application(victimName);
      const op = app?.status?.operationState;
      return (op?.syncResult?.revision ?? op?.operation?.sync?.revision) === commit && /99999/.test(op.message ?? '') ? op : false;
    }, SYNC_MS, logs);
    expect(failed.message).toMatch(/Service.*refused.*99999|99999/);
    for (const o of others) await waitHealthyAt(names.instance(o.namespace, o.name), commit);
    // The victim's other objects are still there and it is not reported Synced at the refused commit.
    const app = await application(victimName);
    expect(syncedAt(app, commit)).toBe(false);
  }, 600_000);
});
