/**
 * Generated fleets for the engine tier and bench/gitops: N basic AbiInstances
 * over some namespaces of one cluster folder, rendered by synth into a tree
 * keyed as in the repository (dist/...), plus the readers and rewrites the
 * fleet tests share.
 *
 * They run on a plain control plane (kube-apiserver and etcd, no kubelet, no
 * controllers), so no workload ever turns ready. `withoutHealthGates` drops
 * the per-instance health gates (`wait`, `healthChecks`, `healthCheckExprs`)
 * from the rendered Kustomizations: "synced" then means "applied at the
 * commit" (Ready with `lastAppliedRevision` at it), not "workload Ready".
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { FLUX_KUSTOMIZE_API_VERSION, GIT_REPOSITORY_FILE, onlyFolders, SHARD_SOURCES_FILE } from '../../src/gitops/flux-wiring';
import { gitOpsNames, NAMESPACE_OBJECT_FOLDER, PLATFORM_FOLDER } from '../../src/gitops/gitops-names';
import { synthesizeRepository } from '../../src/pipeline/synthesize';
import { GitServer } from '../support/git-server';
import { KubeClient } from '../support/kube-client';

export const DIST = 'dist';
export type Tree = Map<string, string>;

export interface FleetSpec {
  readonly cluster: string;
  readonly repoURL: string;
  /** Instance names by namespace. */
  readonly namespaces: ReadonlyMap<string, readonly string[]>;
}

/** `count` instance names spread round-robin over `namespaces` namespaces `<prefix>-<i>`. */
export function spreadFleet(cluster: string, repoURL: string, count: number, namespaces: number, prefix = 'team'): FleetSpec {
  const byNamespace = new Map<string, string[]>();
  for (let i = 0; i < count; i++) {
    const namespace = `${prefix}-${i % namespaces}`;
    byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), `abi-${i}`]);
  }
  return { cluster, repoURL, namespaces: byNamespace };
}

/** The fleet rendered as `npx cdk8s synth` would, keyed as in the repository. */
export function renderFleet(fleet: FleetSpec): Tree {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-fleet-'));
  try {
    const folder = path.join(dir, fleet.cluster);
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'cluster.yaml'), yaml.dump({
      apiVersion: 'cdk8s-abi-vecodex/v1alpha1', kind: 'ClusterProfile', metadata: { name: fleet.cluster },
      // No reconciler: nothing on a plain control plane would make its Deployment available.
      // No ServiceMonitors: the plain control plane has no Prometheus Operator CRDs.
      spec: { reconciler: { enabled: false }, prometheusOperator: false, gitops: { repoURL: fleet.repoURL } },
    }));
    for (const [namespace, names] of fleet.namespaces) {
      const docs = names.map((name) => yaml.dump({ apiVersion: 'abi.io/v1', kind: 'AbiInstance', metadata: { name, namespace }, spec: { replicas: 1 } }));
      fs.writeFileSync(path.join(folder, `${namespace}.yaml`), docs.join('---\n'));
    }
    return new Map([...synthesizeRepository(dir)].map(([file, text]) => [`${DIST}/${file}`, text]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const isInstanceKustomization = (doc: any, cluster: string) => doc?.kind === 'Kustomization' && typeof doc.spec?.path === 'string'
  && !doc.spec.path.endsWith('/_namespace') && !doc.spec.path.endsWith('/platform') && !doc.spec.path.startsWith(`./${DIST}/${cluster}/flux`);

/** The tree with the per-instance health gates removed (see the file comment). */
export function withoutHealthGates(tree: Tree, cluster: string): Tree {
  const out = new Map(tree);
  for (const [file, text] of tree) {
    if (!file.startsWith(`${DIST}/${cluster}/flux/`) || file.endsWith('/kustomization.yaml')) continue;
    const docs = (yaml.loadAll(text) as any[]).filter(Boolean).map((doc) => {
      if (!isInstanceKustomization(doc, cluster)) return doc;
      const { wait: _wait, healthChecks: _checks, healthCheckExprs: _exprs, ...spec } = doc.spec;
      return { ...doc, spec };
    });
    out.set(file, docs.map((d) => yaml.dump(d, { lineWidth: -1 })).join('---\n'));
  }
  return out;
}

/**
 * The sharded layout before each shard had a source of its own (commit
 * 291b7d3 and earlier): every Kustomization reads the cluster's one
 * GitRepository, which fetched the whole cluster folder.
 */
export function singleSourceLayout(tree: Tree, cluster: string): Tree {
  const out = new Map(tree);
  const top = `${DIST}/${cluster}/flux`;
  const rootSource = { kind: 'GitRepository', name: gitOpsNames(cluster).source };
  for (const file of [...tree.keys()].filter((f) => f.startsWith(`${top}/`) && f.endsWith('/kustomizations.yaml'))) {
    const docs = (yaml.loadAll(tree.get(file)!) as Array<{ kind: string; spec: Record<string, unknown> } | null>).filter((d) => d !== null);
    out.set(file, docs.map((d) => yaml.dump(d.kind === 'Kustomization' ? { ...d, spec: { ...d.spec, sourceRef: rootSource } } : d, { lineWidth: -1 })).join('---\n'));
  }
  if (!out.delete(`${top}/${SHARD_SOURCES_FILE}`)) throw new Error(`no ${top}/${SHARD_SOURCES_FILE} to undo`);
  const sourceFile = `${top}/${GIT_REPOSITORY_FILE}`;
  const source = yaml.load(out.get(sourceFile)!) as { spec: Record<string, unknown> };
  out.set(sourceFile, yaml.dump({ ...source, spec: { ...source.spec, ignore: onlyFolders([`${DIST}/${cluster}`]) } }, { lineWidth: -1 }));
  const k = yaml.load(out.get(`${top}/kustomization.yaml`)!) as { resources: string[] };
  out.set(`${top}/kustomization.yaml`, yaml.dump({ ...k, resources: k.resources.filter((r) => r !== SHARD_SOURCES_FILE) }));
  return out;
}

/**
 * The layout before shards (commit fb1cafa and earlier): every per-instance
 * Kustomization / Application in the root list, no shard objects, no shard
 * folders, and (Flux) one source for the cluster. Built from the sharded
 * render, which holds the same objects.
 */
export function unshardedLayout(tree: Tree, cluster: string): Tree {
  const out = singleSourceLayout(tree, cluster);
  for (const tool of ['flux', 'argocd'] as const) {
    const top = `${DIST}/${cluster}/${tool}`;
    const rootFile = `${top}/${tool === 'flux' ? 'kustomizations.yaml' : 'applications.yaml'}`;
    const shardFiles = [...out.keys()].filter((f) => f.startsWith(`${top}/`) && f.split('/').length > 4).sort();
    const children = shardFiles.filter((f) => !f.endsWith('/kustomization.yaml')).flatMap((f) => (yaml.loadAll(out.get(f)!) as any[]).filter(Boolean));
    const shardNames = new Set(shardFiles.map((f) => f.split('/')).filter((parts) => parts[4].startsWith('shard-'))
      .map(([, , , namespace, shard]) => gitOpsNames(cluster).shard(namespace, shard.slice('shard-'.length))));
    const rootDocs = (yaml.loadAll(out.get(rootFile)!) as any[]).filter((d) => d && !shardNames.has(d.metadata.name));
    for (const f of shardFiles) out.delete(f);
    out.set(rootFile, [...rootDocs, ...children].map((d) => yaml.dump(d, { lineWidth: -1 })).join('---\n'));
  }
  return out;
}

/**
 * The layout the per-instance objects replaced (commit ad28faa^, the one issue
 * 13 was filed against): the root lists the platform and one Application /
 * Kustomization per namespace, which builds the whole namespace folder
 * (`dist/<cluster>/<namespace>`, its kustomization.yaml listing the Namespace
 * and every instance) with prune on, and Flux
 * reads the cluster's one GitRepository holding the whole cluster folder. No
 * shard or instance Applications / Kustomizations. Built from the sharded
 * render, whose namespace folders hold the same objects; the namespace
 * Kustomizations without `wait`, as withoutHealthGates leaves the instances.
 */
export function perNamespaceLayout(tree: Tree, cluster: string): Tree {
  const out = unshardedLayout(tree, cluster);
  // ./dist/<cluster>/<namespace>/<folder> (Flux) or dist/<cluster>/<namespace>/<folder> (Argo CD).
  const folderPath = new RegExp(`^(?:\\./)?${DIST}/${cluster}/([^/]+)/([^/]+)$`);
  for (const tool of ['flux', 'argocd'] as const) {
    const rootFile = `${DIST}/${cluster}/${tool}/${tool === 'flux' ? 'kustomizations.yaml' : 'applications.yaml'}`;
    let namespaces = 0;
    type Doc = {
      kind: string;
      spec: { path?: string; wait?: boolean; source?: { path?: string }; syncPolicy?: { automated?: Record<string, unknown> } };
    };
    const pathOf = (d: Doc): string => (tool === 'flux' ? d.spec.path : d.spec.source?.path) ?? '';
    const docs = (yaml.loadAll(out.get(rootFile)!) as Array<Doc | null>).filter((d): d is Doc => d !== null).flatMap((d) => {
      const [, namespace, folder] = folderPath.exec(pathOf(d)) ?? [];
      if (namespace === undefined || namespace === tool || folder === PLATFORM_FOLDER) return [d];
      if (folder !== NAMESPACE_OBJECT_FOLDER) return [];
      namespaces++;
      const whole = `${DIST}/${cluster}/${namespace}`;
      if (tool === 'flux') {
        const { wait: _wait, ...spec } = d.spec;
        return [{ ...d, spec: { ...spec, path: `./${whole}`, prune: true } }];
      }
      // The old layout had the repo-server run kustomize on the folder; the engine tier's repo-server has no
      // kustomize binary, so the same objects are read as a recursive plain directory.
      const directory = { recurse: true, exclude: '{kustomization.yaml,*/kustomization.yaml}' };
      const syncPolicy = { ...d.spec.syncPolicy, automated: { ...d.spec.syncPolicy?.automated, prune: true } };
      return [{ ...d, spec: { ...d.spec, source: { ...d.spec.source, path: whole, directory }, syncPolicy } }];
    });
    if (namespaces === 0) throw new Error(`${rootFile}: no namespace ${tool === 'flux' ? 'Kustomization' : 'Application'} to turn back into a whole-namespace one`);
    out.set(rootFile, docs.map((d) => yaml.dump(d, { lineWidth: -1 })).join('---\n'));
  }
  return out;
}

/** Every document of the given files. */
export function documentsOf(tree: ReadonlyMap<string, string>, files: readonly string[]): any[] {
  return files.flatMap((f) => (yaml.loadAll(tree.get(f) ?? '') as any[]).filter(Boolean));
}

/** The Kustomizations of a flux/ folder, shards included. */
export function fluxKustomizations(tree: ReadonlyMap<string, string>, cluster: string): any[] {
  const files = [...tree.keys()].filter((f) => f.startsWith(`${DIST}/${cluster}/flux/`) && !f.endsWith('/kustomization.yaml')).sort();
  return documentsOf(tree, files).filter((d) => d.kind === 'Kustomization');
}

/** Objects of one instance folder. */
export function instanceObjects(tree: ReadonlyMap<string, string>, cluster: string, namespace: string, name: string): any[] {
  return documentsOf(tree, [`${DIST}/${cluster}/${namespace}/${name}/manifests.yaml`]);
}

/** What `kubectl apply -k dist/<cluster>/flux` applies (the top folder's kustomization.yaml lists plain files). */
export function fluxBootstrapObjects(tree: ReadonlyMap<string, string>, cluster: string): any[] {
  const top = `${DIST}/${cluster}/flux`;
  const k = yaml.load(tree.get(`${top}/kustomization.yaml`)!) as { resources: string[] };
  return documentsOf(tree, k.resources.map((r) => `${top}/${r}`));
}

/**
 * Flux's "reconcile now" on every GitRepository of the namespace — the root
 * source and the shards' (what a webhook Receiver for all of them, or
 * `flux reconcile source git` on each, does).
 */
export async function requestSourcesReconcile(client: KubeClient, namespace: string): Promise<void> {
  const list = await client.list('source.toolkit.fluxcd.io/v1', 'GitRepository', namespace);
  if (list.status >= 300) throw new Error(`list GitRepositories: HTTP ${list.status}`);
  const names = (list.body.items as Array<{ metadata: { name: string } }>).map((r) => r.metadata.name);
  if (names.length === 0) throw new Error(`no GitRepository in ${namespace} to reconcile`);
  const requestedAt = new Date().toISOString();
  for (const name of names) {
    const res = await client.request('PATCH', `/apis/source.toolkit.fluxcd.io/v1/namespaces/${namespace}/gitrepositories/${name}`,
      { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': requestedAt } } }, 'application/merge-patch+json');
    if (res.status >= 300) throw new Error(`requestedAt on ${name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** Live Kustomizations of a namespace, by name. */
export async function liveKustomizations(client: KubeClient, namespace: string): Promise<Map<string, any>> {
  return new Map((await client.listAll<any>(FLUX_KUSTOMIZE_API_VERSION, 'Kustomization', namespace)).map((k) => [k.metadata.name, k]));
}

/** Ready at `revision`: applied that revision (and, with the health gates removed, nothing more). */
export function readyAt(k: any, revision: string): boolean {
  const ready = (k?.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  return ready?.status === 'True' && typeof k.status.lastAppliedRevision === 'string' && k.status.lastAppliedRevision.endsWith(revision);
}

/** Commits a tree; returns the commit. */
export function commit(git: GitServer, tree: ReadonlyMap<string, string>, message: string): string {
  return git.commitTree(tree, message);
}
