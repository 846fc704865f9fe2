/**
 * Real Flux (source-controller and kustomize-controller) on a plain control
 * plane, from a loopback Git repository:
 *
 * - a generated fleet bootstraps in the sharded layout, as docs/gitops.md
 *   "GitOps with Flux / Bootstrap" says;
 * - a cluster synced in the layout before shards (every per-instance
 *   Kustomization in the root list) moves to the sharded layout by the hand-over
 *   of docs/gitops.md "Moving to shards": no live object that the new layout
 *   still renders is deleted or recreated (same uid), and afterwards a removed
 *   instance is pruned by its shard;
 * - a sharded cluster whose Kustomizations all read the cluster's one
 *   GitRepository moves to a source per shard by the commit alone: nothing is
 *   deleted or recreated;
 * - a cluster synced in the layout issue 13 started from (one Kustomization
 *   per namespace building the whole namespace folder) moves to the current
 *   layout by the commit alone: nothing is deleted or recreated, and each
 *   instance's own Kustomization takes its objects over.
 *
 * No kubelet runs, so the per-instance health gates are removed from the
 * rendered Kustomizations (fleet-repository.ts): "synced" is "applied at the commit".
 */
import { gitOpsNames } from '../../src/gitops/gitops-names';
import { shardOf } from '../../src/gitops/instance-shards';
import { useControlPlane } from '../support/api-server';
import { GitServer } from '../support/git-server';
import { FluxEngine, gitopsEnginesUnavailable } from '../support/gitops-engines';
import { KubeClient } from '../support/kube-client';
import {
  commit, fluxBootstrapObjects, fluxKustomizations, instanceObjects, liveKustomizations, perNamespaceLayout, readyAt, renderFleet,
  requestSourcesReconcile, singleSourceLayout, spreadFleet, Tree, unshardedLayout, withoutHealthGates,
} from './fleet-repository';
import { eventually, kubectlApplyServerSide } from './gitops-scenarios';

const describeWithFlux = gitopsEnginesUnavailable('flux') === undefined ? describe : describe.skip;
const FLUX_NS = 'flux-system';
const SYNC_MS = 300_000;
const OWNER_LABEL = 'kustomize.toolkit.fluxcd.io/name';
const PRUNE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/prune';

describeWithFlux('Real Flux: a generated fleet bootstraps in the sharded layout, and the layout before shards migrates to it without deleting anything', () => {
  const plane = useControlPlane();
  let client: KubeClient;
  let flux: FluxEngine;
  const gits: GitServer[] = [];
  const logs = () => flux ? `kustomize-controller:\n${flux.log('kustomize-controller', 40)}` : '';

  beforeAll(async () => {
    client = plane().adminClient();
    flux = await FluxEngine.start(client, plane().kubeconfigPath);
  }, 300_000);

  afterAll(async () => {
    await flux?.stop();
    for (const git of gits) await git.stop();
  }, 60_000);

  const newGit = async () => {
    const git = await GitServer.start({ branch: 'main' });
    gits.push(git);
    return git;
  };

  /** Waits until every Kustomization the tree renders is Ready at `sha`; returns them live. */
  const waitAllReady = async (tree: Tree, cluster: string, sha: string) => {
    const wanted = fluxKustomizations(tree, cluster).map((k) => k.metadata.name as string);
    return eventually(`${wanted.length} Kustomizations of ${cluster} Ready at ${sha.slice(0, 7)}`, async () => {
      const live = await liveKustomizations(client, FLUX_NS);
      const behind = wanted.filter((n) => !readyAt(live.get(n), sha));
      return behind.length === 0 ? live : false;
    }, SYNC_MS, logs);
  };

  /** uid of every live object of every instance the tree renders, by "<kind> <ns>/<name>". */
  const liveUids = async (tree: Tree, cluster: string, fleet: ReturnType<typeof spreadFleet>) => {
    const uids = new Map<string, string>();
    for (const [namespace, names] of fleet.namespaces) {
      for (const name of names) {
        for (const obj of instanceObjects(tree, cluster, namespace, name)) {
          const res = await client.get(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
          if (res.status === 200) uids.set(`${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}`, res.body.metadata.uid);
        }
      }
    }
    return uids;
  };

  test('GIVEN 60 generated instances over 3 namespaces WHEN dist/ is committed and flux/ applied once THEN every shard and instance Kustomization is Ready at the commit and every instance exists', async () => {
    const git = await newGit();
    const cluster = 'fleet';
    const fleet = spreadFleet(cluster, git.url, 60, 3, 'fleet');
    const tree = withoutHealthGates(renderFleet(fleet), cluster);
    const shards = fluxKustomizations(tree, cluster).filter((k) => /--shard-[0-9a-f]$/.test(k.metadata.name));
    // 3 namespaces x up to 16 digits: the root lists shards, not the 60 instances.
    expect(shards.length).toBeGreaterThan(3);
    expect(shards.length).toBeLessThanOrEqual(48);
    const sha = commit(git, tree, 'a generated fleet');
    await kubectlApplyServerSide(client, fluxBootstrapObjects(tree, cluster));
    const live = await waitAllReady(tree, cluster, sha);
    const names = gitOpsNames(cluster);
    for (const [namespace, instances] of fleet.namespaces) {
      for (const name of instances) {
        const k = live.get(names.instance(namespace, name));
        // Applied by its shard, the one the name's hash picks.
        expect({ name, owner: k.metadata.labels[OWNER_LABEL] }).toEqual({ name, owner: names.shard(namespace, shardOf(name)) });
        const res = await client.get('abi.io/v1', 'AbiInstance', namespace, name);
        expect({ name, status: res.status }).toEqual({ name, status: 200 });
      }
    }
    expect(live.get(names.shard('fleet-0', shardOf('abi-0')))!.metadata.labels[OWNER_LABEL]).toBe(names.root);
  }, 900_000);

  test('GIVEN a cluster synced in the layout before shards WHEN the hand-over annotation is set and the sharded layout committed THEN no object is deleted or recreated, and a later removal is pruned by its shard', async () => {
    const git = await newGit();
    const cluster = 'legacy';
    const names = gitOpsNames(cluster);
    const fleet = spreadFleet(cluster, git.url, 20, 2, 'legacy');
    const sharded = withoutHealthGates(renderFleet(fleet), cluster);
    const before = unshardedLayout(sharded, cluster);

    // The layout before shards, synced.
    const first = commit(git, before, 'layout before shards');
    await kubectlApplyServerSide(client, fluxBootstrapObjects(before, cluster));
    const liveBefore = await waitAllReady(before, cluster, first);
    const instanceKs = [...fleet.namespaces].flatMap(([ns, list]) => list.map((n) => names.instance(ns, n)));
    for (const name of instanceKs) expect({ name, owner: liveBefore.get(name).metadata.labels[OWNER_LABEL] }).toEqual({ name, owner: names.root });
    const uidsBefore = await liveUids(before, cluster, fleet);
    expect(uidsBefore.size).toBeGreaterThanOrEqual(20 * 3);
    const kustomizationUids = new Map(instanceKs.map((n) => [n, liveBefore.get(n).metadata.uid as string]));

    // Hand-over: what `kubectl annotate kustomizations -l kustomize.toolkit.fluxcd.io/name=<root> kustomize.toolkit.fluxcd.io/prune=disabled` does.
    for (const name of instanceKs) {
      const res = await client.request('PATCH', `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${FLUX_NS}/kustomizations/${name}?fieldManager=kubectl-annotate`,
        { metadata: { annotations: { [PRUNE_ANNOTATION]: 'disabled' } } }, 'application/merge-patch+json');
      expect(res.status).toBe(200);
    }
    const second = commit(git, sharded, 'sharded layout');
    await requestSourcesReconcile(client, FLUX_NS);
    const liveAfter = await waitAllReady(sharded, cluster, second);
    for (const name of instanceKs) {
      const k = liveAfter.get(name);
      expect({ name, uid: k.metadata.uid, owner: k.metadata.labels[OWNER_LABEL] })
        .toEqual({ name, uid: kustomizationUids.get(name), owner: expect.stringMatching(/--shard-[0-9a-f]$/) });
    }
    // Give a wrongly started cascade time to show, then compare every uid.
    await new Promise((r) => setTimeout(r, 10_000));
    expect(await liveUids(sharded, cluster, fleet)).toEqual(uidsBefore);

    // Hand-over done: `kubectl annotate ... kustomize.toolkit.fluxcd.io/prune-`; then removing an instance prunes it.
    for (const name of instanceKs) {
      const res = await client.request('PATCH', `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${FLUX_NS}/kustomizations/${name}?fieldManager=kubectl-annotate`,
        { metadata: { annotations: { [PRUNE_ANNOTATION]: null } } }, 'application/merge-patch+json');
      expect(res.status).toBe(200);
    }
    const [namespace, list] = [...fleet.namespaces][0];
    const removed = list[0];
    const smaller = { ...fleet, namespaces: new Map([...fleet.namespaces].map(([ns, l]) => [ns, ns === namespace ? l.slice(1) : l])) };
    const third = commit(git, withoutHealthGates(renderFleet(smaller), cluster), 'remove one instance');
    await requestSourcesReconcile(client, FLUX_NS);
    await eventually(`Kustomization ${names.instance(namespace, removed)} pruned`, async () => !(await liveKustomizations(client, FLUX_NS)).has(names.instance(namespace, removed)), SYNC_MS, logs);
    for (const obj of instanceObjects(sharded, cluster, namespace, removed).filter((o) => o.kind !== 'PersistentVolumeClaim')) {
      await eventually(`${obj.kind} ${obj.metadata.name} pruned`, async () => (await client.get(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name)).status === 404, SYNC_MS, logs);
    }
    const uidsKept = await liveUids(sharded, cluster, smaller);
    for (const [key, uid] of uidsKept) expect({ key, uid }).toEqual({ key, uid: uidsBefore.get(key) });
    expect(third).toBe(git.head());
  }, 900_000);

  test('GIVEN one Kustomization per namespace folder, synced WHEN the current layout is committed THEN nothing is deleted or recreated, '
    + 'and each instance\'s Kustomization owns its objects', async () => {
    const git = await newGit();
    const cluster = 'pns';
    const names = gitOpsNames(cluster);
    const fleet = spreadFleet(cluster, git.url, 20, 2, 'pns');
    const current = withoutHealthGates(renderFleet(fleet), cluster);
    const before = perNamespaceLayout(current, cluster);

    const first = commit(git, before, 'one Kustomization per namespace');
    await kubectlApplyServerSide(client, fluxBootstrapObjects(before, cluster));
    const liveBefore = await waitAllReady(before, cluster, first);
    expect(fluxKustomizations(before, cluster).map((k) => k.metadata.name).sort())
      .toEqual([names.root, names.platform, ...[...fleet.namespaces.keys()].map((ns) => names.namespace(ns))].sort());
    const ownerOf = async (obj: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }) => {
      const res = await client.get(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
      return res.body.metadata.labels?.[OWNER_LABEL];
    };
    const [firstNamespace, firstNames] = [...fleet.namespaces][0];
    expect(await ownerOf(instanceObjects(current, cluster, firstNamespace, firstNames[0])[0])).toBe(names.namespace(firstNamespace));
    const uidsBefore = await liveUids(current, cluster, fleet);
    expect(uidsBefore.size).toBeGreaterThanOrEqual(20 * 3);
    const namespaceKUids = [...fleet.namespaces.keys()].map((ns) => [ns, liveBefore.get(names.namespace(ns)).metadata.uid]);

    const second = commit(git, current, 'current layout');
    await requestSourcesReconcile(client, FLUX_NS);
    const liveAfter = await waitAllReady(current, cluster, second);
    expect([...fleet.namespaces.keys()].map((ns) => [ns, liveAfter.get(names.namespace(ns)).metadata.uid])).toEqual(namespaceKUids);
    // Give a wrongly started cascade time to show, then compare every uid.
    await new Promise((r) => setTimeout(r, 10_000));
    expect(await liveUids(current, cluster, fleet)).toEqual(uidsBefore);
    let checked = 0;
    for (const [namespace, list] of fleet.namespaces) {
      for (const name of list) {
        for (const obj of instanceObjects(current, cluster, namespace, name)) {
          expect({ object: `${obj.kind} ${namespace}/${obj.metadata.name}`, owner: await ownerOf(obj) })
            .toEqual({ object: `${obj.kind} ${namespace}/${obj.metadata.name}`, owner: names.instance(namespace, name) });
          checked++;
        }
      }
    }
    expect(checked).toBe(uidsBefore.size);
  }, 900_000);

  test('GIVEN a sharded cluster whose Kustomizations all read the cluster\'s one GitRepository WHEN the layout with a source per shard is committed THEN each instance reads its shard\'s source and no object is deleted or recreated', async () => {
    const git = await newGit();
    const cluster = 'onesource';
    const names = gitOpsNames(cluster);
    const fleet = spreadFleet(cluster, git.url, 20, 2, 'onesource');
    const perShard = withoutHealthGates(renderFleet(fleet), cluster);
    const before = singleSourceLayout(perShard, cluster);
    const instances = [...fleet.namespaces]
      .flatMap(([namespace, list]) => list.map((name) => ({ namespace, name, k: names.instance(namespace, name) })));
    expect(instances.length).toBe(20);

    const first = commit(git, before, 'one source for the cluster');
    await kubectlApplyServerSide(client, fluxBootstrapObjects(before, cluster));
    const liveBefore = await waitAllReady(before, cluster, first);
    for (const { k } of instances) expect({ k, source: liveBefore.get(k).spec.sourceRef.name }).toEqual({ k, source: names.source });
    const uidsBefore = await liveUids(before, cluster, fleet);
    expect(uidsBefore.size).toBeGreaterThanOrEqual(20 * 3);

    const second = commit(git, perShard, 'a source per shard');
    await requestSourcesReconcile(client, FLUX_NS);
    const liveAfter = await waitAllReady(perShard, cluster, second);
    for (const { namespace, name, k } of instances) {
      expect({ k, uid: liveAfter.get(k).metadata.uid, source: liveAfter.get(k).spec.sourceRef.name })
        .toEqual({ k, uid: liveBefore.get(k).metadata.uid, source: names.shard(namespace, shardOf(name)) });
    }
    // Give a wrongly started prune time to show, then compare every uid.
    await new Promise((r) => setTimeout(r, 10_000));
    expect(await liveUids(perShard, cluster, fleet)).toEqual(uidsBefore);
  }, 900_000);
});
