/**
 * Real Flux (source-controller and kustomize-controller, built from the Go
 * module proxy) bootstraps our rendered flux/ objects from a loopback Git
 * server onto an empty simulated cluster, exactly as docs/gitops.md "GitOps
 * with Flux / Bootstrap" tells a user, and keeps it in sync commit by commit.
 */
import { gitOpsNames } from '../../src/gitops/gitops-names';
import { startReconciler, prepareCluster } from '../cluster/day2';
import { ReconcilerProcess } from '../reconciler/reconciler-process';
import { GitServer } from '../support/git-server';
import { gitopsEnginesUnavailable, FluxEngine } from '../support/gitops-engines';
import { KubeClient } from '../support/kube-client';
import { useSimulatedCluster } from '../support/simulated-cluster-suite';
import { requestSourcesReconcile } from './fleet-repository';
import {
  CLUSTER, commitRendered, conditionOf, DIST_PATH, eventually, getObject, instanceFolderObjects, kubectlApplyServerSide,
  kustomizeFolder, profileFor, renderRepository, sampleSpecs, Specs,
} from './gitops-scenarios';

const describeWithEngines = gitopsEnginesUnavailable('flux') === undefined ? describe : describe.skip;
const KS = 'kustomize.toolkit.fluxcd.io/v1';
const SYNC_MS = 240_000;

describeWithEngines('Flux bootstraps and syncs the rendered output (real source-controller and kustomize-controller)', () => {
  const sim = useSimulatedCluster();
  let client: KubeClient;
  let git: GitServer;
  let flux: FluxEngine;
  let reconciler: ReconcilerProcess | undefined;
  let profile: Record<string, unknown>;
  let specs: Specs;
  const names = gitOpsNames(CLUSTER);
  const logs = () => flux ? `source-controller:\n${flux.log('source-controller', 30)}\nkustomize-controller:\n${flux.log('kustomize-controller', 40)}` : '';

  const kustomization = (name: string) => getObject(client, KS, 'Kustomization', 'flux-system', name);
  /** Flux's own "reconcile now" on every source (root and shards), instead of waiting for the interval. */
  const requestReconcile = () => requestSourcesReconcile(client, 'flux-system');
  const readyAt = async (name: string, commit: string) => {
    const k = await kustomization(name);
    const ready = conditionOf(k, 'Ready');
    return ready?.status === 'True' && k.status.lastAppliedRevision?.endsWith(commit) ? k : false;
  };
  const waitReadyAt = (name: string, commit: string) => eventually(`Kustomization ${name} Ready at ${commit.slice(0, 7)}`, () => readyAt(name, commit), SYNC_MS, logs);

  beforeAll(async () => {
    client = sim().adminClient();
    await prepareCluster(sim());
    git = await GitServer.start({ branch: 'main' });
    // CEL health checks: with kstatus, Flux counts a custom resource without status as Current
    // (kstatus's generic rule: no conditions, no observedGeneration), so an instance would be
    // Ready before our reconciler has judged it; see docs/gitops.md "Where kstatus and the CEL expressions differ".
    profile = profileFor(git.url, { flux: { healthCheck: 'cel' } });
    specs = sampleSpecs();
    // Step 2 of the docs: install Flux (its CRDs and namespace, then the controllers).
    flux = await FluxEngine.start(client, sim().kubeconfigPath);
  }, 300_000);

  afterAll(async () => {
    await reconciler?.stop();
    await flux?.stop();
    await git?.stop();
  }, 60_000);

  let first = '';
  test('GIVEN an empty cluster WHEN dist/ is committed and flux/ applied once THEN the platform syncs first, instances wait for it, and are Ready only after our reconciler reports Ready', async () => {
    first = commitRendered(git, profile, specs, 'first render');
    const tree = renderRepository(profile, specs);
    // Step 4: kubectl apply -k dist/<cluster>/flux
    await kubectlApplyServerSide(client, kustomizeFolder(tree, `${DIST_PATH}/${CLUSTER}/flux`));

    const platform = await waitReadyAt(names.platform, first);
    const platformReady = Date.parse(conditionOf(platform, 'Ready')!.lastTransitionTime!);
    const instanceNames = [...specs.values()]
      .map((s: any) => ({ ns: s.metadata.namespace, name: s.metadata.name, kind: s.kind, apiVersion: s.apiVersion }));
    expect(instanceNames.length).toBeGreaterThan(0);

    // The custom resources exist (so their Kustomizations applied) but nothing reports them Ready: no reconciler yet.
    for (const i of instanceNames) {
      const cr = await eventually(`${i.kind} ${i.name} applied`, () => getObject(client, i.apiVersion, i.kind, i.ns, i.name), SYNC_MS, logs);
      // Instances were applied only after the platform was Ready (creationTimestamp has 1 s resolution).
      expect(Date.parse(cr.metadata.creationTimestamp)).toBeGreaterThanOrEqual(Math.floor(platformReady / 1000) * 1000);
    }
    await new Promise((r) => setTimeout(r, 5_000));
    for (const i of instanceNames) {
      const k = await kustomization(names.instance(i.ns, i.name));
      expect({ name: k.metadata.name, ready: conditionOf(k, 'Ready')?.status }).not.toEqual({ name: k.metadata.name, ready: 'True' });
    }

    // Our reconciler, with the ServiceAccount Flux just applied from platform/.
    reconciler = await startReconciler(sim(), { identity: 'flux-tier' });
    for (const i of instanceNames) {
      const k = await waitReadyAt(names.instance(i.ns, i.name), first);
      const cr = await getObject(client, i.apiVersion, i.kind, i.ns, i.name);
      const crReady = conditionOf(cr, 'Ready');
      expect(crReady?.status).toBe('True');
      expect(Date.parse(conditionOf(k, 'Ready')!.lastTransitionTime!)).toBeGreaterThanOrEqual(Math.floor(Date.parse(crReady!.lastTransitionTime!) / 1000) * 1000);
    }
    // The namespace Kustomizations and the root are Ready at the same commit.
    await waitReadyAt(names.root, first);
    for (const ns of new Set(instanceNames.map((i) => i.ns))) await waitReadyAt(names.namespace(ns), first);
  }, 600_000);

  const added = { file: 'added.yaml', namespace: 'team-a', name: 'added-abi' };
  let addedCommit = '';
  test('GIVEN a synced cluster WHEN a commit adds an instance in a new namespace THEN its Namespace and instance sync and turn Ready', async () => {
    const base = [...specs.values()].find((s: any) => s.kind === 'AbiInstance') as any;
    specs.set(added.file, { ...base, metadata: { name: added.name, namespace: added.namespace } });
    addedCommit = commitRendered(git, profile, specs, 'add an instance');
    await requestReconcile();
    await waitReadyAt(names.instance(added.namespace, added.name), addedCommit);
    expect(await getObject(client, 'v1', 'Namespace', undefined, added.namespace)).toBeDefined();
    const cr = await getObject(client, 'abi.io/v1', 'AbiInstance', added.namespace, added.name);
    expect(conditionOf(cr, 'Ready')?.status).toBe('True');
  }, 600_000);

  test('GIVEN the added instance WHEN a commit changes its spec THEN the change rolls out and its Kustomization is Ready at that commit', async () => {
    const spec = specs.get(added.file) as any;
    specs.set(added.file, { ...spec, spec: { ...spec.spec, replicas: 2 } });
    const commit = commitRendered(git, profile, specs, 'scale the added instance');
    await requestReconcile();
    await waitReadyAt(names.instance(added.namespace, added.name), commit);
    const workload = instanceFolderObjects(renderRepository(profile, specs), added.namespace, added.name).find((o) => o.kind === 'StatefulSet' || o.kind === 'Deployment')!;
    const live = await getObject(client, 'apps/v1', workload.kind, added.namespace, workload.metadata.name);
    expect(live.spec.replicas).toBe(2);
    expect(live.status.readyReplicas).toBe(2);
  }, 600_000);

  test('GIVEN the added instance WHEN a commit removes it THEN Flux prunes its objects while its Namespace and data claims stay', async () => {
    const claimsBefore = (await client.list('v1', 'PersistentVolumeClaim', added.namespace)).body.items as any[];
    expect(claimsBefore.length).toBeGreaterThan(0);
    const rendered = instanceFolderObjects(renderRepository(profile, specs), added.namespace, added.name);
    specs.delete(added.file);
    const commit = commitRendered(git, profile, specs, 'remove the added instance');
    await requestReconcile();
    await waitReadyAt(names.root, commit);
    await eventually(`Kustomization ${names.instance(added.namespace, added.name)} deleted`, async () => (await kustomization(names.instance(added.namespace, added.name))) === undefined, SYNC_MS, logs);
    const apiVersionOf = (o: any) => o.apiVersion;
    for (const obj of rendered) {
      await eventually(`${obj.kind} ${obj.metadata.name} pruned`, async () => (await getObject(client, apiVersionOf(obj), obj.kind, obj.metadata.namespace, obj.metadata.name)) === undefined, SYNC_MS, logs);
    }
    expect(await getObject(client, 'v1', 'Namespace', undefined, added.namespace)).toBeDefined();
    const claimsAfter = (await client.list('v1', 'PersistentVolumeClaim', added.namespace)).body.items as any[];
    expect(claimsAfter.map((c) => c.metadata.uid).sort()).toEqual(claimsBefore.map((c) => c.metadata.uid).sort());
  }, 600_000);

  test('GIVEN a commit in which one instance holds an object the API server refuses THEN Flux reports it on that instance\'s Kustomization and the others sync the commit', async () => {
    const tree = renderRepository(profile, specs);
    const victim = [...specs.values()][0] as any;
    const file = `${DIST_PATH}/${CLUSTER}/${victim.metadata.namespace}/${victim.metadata.name}/manifests.yaml`;
    // A hand edit no synth would make: a Service port out of range.
    tree.set(file, tree.get(file)! + '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: refused\n  namespace: ' + victim.metadata.namespace + '\nspec:\n  ports:\n    - port: 99999\n');
    const commit = git.commitTree(tree, 'an object the API server refuses');
    await requestReconcile();
    const victimName = names.instance(victim.metadata.namespace, victim.metadata.name);
    const failed = await eventually(`Kustomization ${victimName} reports the refusal`, async () => {
      const k = await kustomization(victimName);
      const ready = conditionOf(k, 'Ready');
      return ready?.status === 'False' && k.status.lastAttemptedRevision?.endsWith(commit) ? ready : false;
    }, SYNC_MS, logs);
    expect(failed.message).toMatch(/refused|99999|port/i);
    for (const s of [...specs.values()].slice(1) as any[]) await waitReadyAt(names.instance(s.metadata.namespace, s.metadata.name), commit);
  }, 600_000);
});
