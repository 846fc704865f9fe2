/**
 * Real Argo CD (application-controller, repo-server, Redis) on a plain control
 * plane: no kubelet runs, so no instance ever turns Healthy — the extreme of a
 * fleet where some instance is always rolling out or broken.
 *
 * The root Application lists itself (argocd/applications.yaml is its own
 * source), and a sync waits for each wave's objects to be Healthy before the
 * next one, the root's own Application included. The root's health is its
 * children's and the shards' is their instances', so with the root in the
 * namespaces' wave its sync waited, Running, for the whole fleet's health
 * before it applied the shards' wave: while any instance was not Healthy, a new
 * namespace's shard was never created (seen on Argo CD v3.6.1 by
 * bench:gitops). The root now sits in the shards' wave, the last, and a sync's
 * last wave does not wait for health.
 *
 * Prunes: a sync with a PruneLast prune is two steps, and the prune waited for
 * the Healthy of everything else the Application lists. A shard pruning a
 * removed instance waited for its other instances, and the root pruning a
 * removed shard (its last instance gone) waited for every shard's health, the
 * fleet's. Now shards prune at once, and a shard counts as Healthy to the root
 * once it has synced.
 */
import { gitOpsNames } from '../../src/gitops/gitops-names';
import { shardOf } from '../../src/gitops/instance-shards';
import { useControlPlane } from '../support/api-server';
import { GitServer } from '../support/git-server';
import { ArgoCdEngine, gitopsEnginesUnavailable } from '../support/gitops-engines';
import { KubeClient } from '../support/kube-client';
import { DIST, FleetSpec, renderFleet, spreadFleet } from './fleet-repository';
import { applicationSyncedAt, bootstrapArgoCd, eventually, getObject } from './gitops-scenarios';

const describeWithArgoCd = gitopsEnginesUnavailable('argocd') === undefined ? describe : describe.skip;
const APPLICATION = 'argoproj.io/v1alpha1';
const SYNC_MS = 300_000;
const CLUSTER = 'sick';

describeWithArgoCd('Real Argo CD: instances that never turn Healthy do not stop the root from syncing', () => {
  const plane = useControlPlane();
  let client: KubeClient;
  let argo: ArgoCdEngine;
  let git: GitServer;
  const names = gitOpsNames(CLUSTER);
  const logs = () => argo ? `application-controller:\n${argo.log('argocd-application-controller', 30)}` : '';
  const application = (name: string) => getObject(client, APPLICATION, 'Application', 'argocd', name);
  const syncedAt = async (name: string, commit: string) => {
    const app = await application(name);
    return applicationSyncedAt(app, commit) ? app : false;
  };

  let grown: FleetSpec;

  beforeAll(async () => {
    client = plane().adminClient();
    argo = await ArgoCdEngine.start(client, plane().kubeconfigPath);
    git = await GitServer.start({ branch: 'main' });
  }, 300_000);

  afterAll(async () => {
    await argo?.stop();
    await git?.stop();
  }, 60_000);

  test('GIVEN a cluster whose instances stay Progressing WHEN a commit adds a namespace THEN the root creates its Namespace and shard Applications and the new instance syncs', async () => {
    const fleet = spreadFleet(CLUSTER, git.url, 2, 1, 'sick');
    const tree = renderFleet(fleet);
    const first = git.commitTree(tree, 'two instances');
    const top = `${DIST}/${CLUSTER}/argocd`;
    await bootstrapArgoCd(client, tree, top);
    const sick = [...fleet.namespaces].flatMap(([ns, list]) => list.map((n) => names.instance(ns, n)));
    expect(sick.length).toBe(2);
    for (const name of sick) {
      const app = await eventually(`Application ${name} Synced at ${first.slice(0, 7)}, not Healthy`, () => syncedAt(name, first), SYNC_MS, logs);
      expect({ name, health: app.status.health?.status }).not.toEqual({ name, health: 'Healthy' });
    }

    grown = { ...fleet, namespaces: new Map([...fleet.namespaces, ['later', ['abi-later']]]) };
    const second = git.commitTree(renderFleet(grown), 'a new namespace');
    const newcomers = [names.namespace('later'), names.instance('later', 'abi-later')];
    for (const name of newcomers) await eventually(`Application ${name} Synced at ${second.slice(0, 7)}`, () => syncedAt(name, second), SYNC_MS, logs);
    expect((await getObject(client, 'apps/v1', 'StatefulSet', 'later', 'abi-later'))?.metadata?.uid).toBeDefined();
    // The first instances still are not Healthy: their health did not have to change for the root to go on.
    for (const name of sick) expect({ name, health: (await application(name))?.status?.health?.status }).not.toEqual({ name, health: 'Healthy' });
  }, 900_000);

  test('GIVEN instances that stay Progressing WHEN a commit removes one beside a sibling in its shard, and the only instance of another shard THEN both are pruned without waiting for anyone\'s health', async () => {
    expect(grown).toBeDefined();
    // Two names in one shard (one stays), one alone in another.
    const candidates = Array.from({ length: 64 }, (_, i) => `doomed-${i}`);
    const [removed, sibling] = candidates.filter((n) => shardOf(n) === shardOf(candidates[0]));
    const alone = candidates.find((n) => shardOf(n) !== shardOf(removed))!;
    expect([removed, sibling, alone].every(Boolean)).toBe(true);
    const withDoomed = (list: string[]) => ({ ...grown, namespaces: new Map([...grown.namespaces, ['doomed', list]]) });
    const before = withDoomed([removed, sibling, alone]);
    const third = git.commitTree(renderFleet(before), 'three doomed instances');
    const doomed = [removed, sibling, alone].map((n) => names.instance('doomed', n));
    for (const name of doomed) {
      const app = await eventually(`Application ${name} Synced at ${third.slice(0, 7)}`, () => syncedAt(name, third), SYNC_MS, logs);
      expect({ name, health: app.status.health?.status }).not.toEqual({ name, health: 'Healthy' });
    }
    expect(await getObject(client, 'apps/v1', 'StatefulSet', 'doomed', removed)).toBeDefined();

    const fourth = git.commitTree(renderFleet(withDoomed([sibling])), 'remove two doomed instances');
    const gone = [
      names.instance('doomed', removed), names.instance('doomed', alone), names.shard('doomed', shardOf(alone)),
    ];
    // Deleted, or being deleted: Argo CD's resources finalizer deletes in the
    // foreground, and on this plain control plane no garbage collector ever
    // clears the foregroundDeletion finalizers (argocd.test.ts, on the
    // simulated cluster, sees the objects go).
    const deleting = (obj: { metadata: { deletionTimestamp?: string } } | undefined) =>
      obj === undefined || obj.metadata.deletionTimestamp !== undefined;
    for (const name of gone) await eventually(`Application ${name} pruned`, async () => deleting(await application(name)), SYNC_MS, logs);
    for (const name of [removed, alone]) {
      await eventually(`StatefulSet doomed/${name} deleted`, async () => deleting(await getObject(client, 'apps/v1', 'StatefulSet', 'doomed', name)), SYNC_MS, logs);
    }
    // The sibling is untouched, and still not Healthy.
    const kept = await eventually(`Application ${names.instance('doomed', sibling)} Synced at ${fourth.slice(0, 7)}`, () => syncedAt(names.instance('doomed', sibling), fourth), SYNC_MS, logs);
    expect(kept.status.health?.status).not.toBe('Healthy');
    expect((await getObject(client, 'apps/v1', 'StatefulSet', 'doomed', sibling))?.metadata.deletionTimestamp).toBeUndefined();
    expect((await application(names.instance('doomed', sibling)))?.metadata.deletionTimestamp).toBeUndefined();
  }, 1_200_000);
});
