/**
 * Renders every loaded cluster into the GitOps layout, in memory:
 *
 *   <cluster>/kustomization.yaml       platform + every namespace folder
 *   <cluster>/platform/                CRDs, the status reconciler
 *   <cluster>/<namespace>/             the Namespace, one folder per instance
 *   <cluster>/<namespace>/<name>/      manifests.yaml
 *   <cluster>/argocd/                  AppProjects, root Applications; argocd-cm.yaml (health checks)
 *   <cluster>/argocd/<ns>/shard-<d>/   the instance Applications of one shard (instance-shards.ts)
 *   <cluster>/flux/                    GitRepositories, root Kustomizations
 *   <cluster>/flux/<ns>/shard-<d>/     the instance Kustomizations of one shard
 *
 * Every folder has a kustomization.yaml, so `kubectl kustomize` builds any of
 * them on its own. argocd/ and flux/ are not listed in <cluster>/kustomization.yaml:
 * they configure the GitOps tool and are never synced as workloads (and are
 * rendered only when the cluster profile names the repository).
 *
 * Nothing is written here: the caller swaps the whole tree into place, so a
 * failure never leaves partial output.
 */
import { Chart } from 'cdk8s';
import { ARGOCD_MANAGED_FILES, ArgoCdApplications, ArgoCdConfig, SYNC_WAVE_ANNOTATION, SYNC_WAVES } from '../gitops/argocd-wiring';
import { FluxKustomizations } from '../gitops/flux-wiring';
import { ARGOCD_FOLDER, FLUX_FOLDER, GitOpsNames, gitOpsNames, NAMESPACE_OBJECT_FOLDER, PLATFORM_FOLDER } from '../gitops/gitops-names';
import { byShard, MAX_INSTANCES_PER_SHARD } from '../gitops/instance-shards';
import { customResources, hpaScaledKinds, inventoryOf, RenderedInventory } from '../gitops/rendered-inventory';
import { WiringFile } from '../gitops/wiring-files';
import { StatusReconciler } from '../reconciler/status-reconciler';
import { PodSecurityLevel } from '../shared/cluster-profile';
import { LABEL_MANAGED_BY, MANAGED_BY } from '../shared/labels';
import { PodSecurityNamespace } from '../shared/namespace';
import { PRUNE_PROTECTION_ANNOTATIONS } from '../shared/prune-protection';
import { CLUSTER_PROFILE_FILE, CLUSTER_PROFILE_KIND } from './cluster-profile-file';
import { renderCrdObjects } from './crd-files';
import { LoadedCluster, LoadedInstance, loadInstances } from './load-instances';
import { ClusterObjects, ObjectOwner } from './object-collisions';
import { chartJson, InventoryEntry, inventoryEntry, ownApp, RenderedInstance, renderInstance } from './render-instance';
import { RenderPool } from './render-pool';
import { clusterProfileIssues, namespacesRefusedForInstances, reservedNamespaceProblems } from './reserved-namespaces';
import { SpecProblem, SpecValidationError } from './spec-error';
import { toYaml, toYamlDocuments } from './yaml';

/** Output files by path relative to the output directory. */
export type OutputTree = Map<string, string>;

/**
 * Loads, validates and renders an instances directory on this thread: the
 * files synth writes, by path. Throws SpecValidationError listing every problem.
 */
export function synthesizeRepository(instancesDir: string): OutputTree {
  return renderClusters(loadInstances(instancesDir));
}

/** Renders every instance on this thread. */
export function renderClusters(clusters: readonly LoadedCluster[]): OutputTree {
  checkProfilesAndNamespaces(clusters);
  // One small chart per instance, each in an App of its own (see ownApp).
  return assemble(clusters, (cluster, instance) =>
    renderInstance(instance.kind, { cluster: cluster.name, metadata: instance.metadata, spec: instance.spec }, cluster.profile));
}

/**
 * Renders the instances on the pool's threads (render-pool.ts) and the
 * per-cluster files on this thread: the same files as renderClusters(), byte for
 * byte, since every instance is rendered by the same renderInstance() and
 * assembled here in instance order.
 */
export async function renderClustersInParallel(clusters: readonly LoadedCluster[], pool: RenderPool): Promise<OutputTree> {
  checkProfilesAndNamespaces(clusters);
  const rendered = await pool.render(clusters);
  return assemble(clusters, (_cluster, instance) => rendered.get(instance)!);
}

type InstanceRenderer = (cluster: LoadedCluster, instance: LoadedInstance) => RenderedInstance;

/** loadInstances reports these already; clusters built in code get the same check. */
function checkProfilesAndNamespaces(clusters: readonly LoadedCluster[]): void {
  const problems = clusters.flatMap((c) => [
    ...clusterProfileIssues(c.profile).map((issue) => ({ file: `${c.name}/${CLUSTER_PROFILE_FILE}`, resource: CLUSTER_PROFILE_KIND, ...issue })),
    ...reservedNamespaceProblems(c.name, c.profile, c.instances),
  ]);
  if (problems.length > 0) throw new SpecValidationError(problems);
}

/** Renders every cluster; then refuses, with every problem of every cluster, objects two owners render (object-collisions.ts). */
function assemble(clusters: readonly LoadedCluster[], render: InstanceRenderer): OutputTree {
  const files: OutputTree = new Map();
  const crds = renderCrdObjects().map(inPlatformCrdWave);
  const problems: SpecProblem[] = [];
  for (const cluster of clusters) {
    problems.push(...renderCluster(cluster, crds, files, render));
  }
  if (problems.length > 0) throw new SpecValidationError(problems);
  return files;
}

/** Objects synth renders for the cluster itself, named as their owner in collision messages. */
function synthOwner(cluster: string, what: string): ObjectOwner {
  return { file: cluster, resource: `synth (${what})` };
}

/**
 * One cluster folder, top-down: platform/, the namespace folders, the
 * instance folders, then (with a repository) argocd/ and flux/. Every object
 * is registered with its owner, so objects two owners render are reported.
 */
function renderCluster(cluster: LoadedCluster, crds: unknown[], files: OutputTree, render: InstanceRenderer): SpecProblem[] {
  const out = new ClusterFolder(cluster.name, files);
  const byNamespace = groupByNamespace(cluster.instances);
  const gitops = cluster.profile.gitops.repoURL !== undefined;
  if (gitops) checkDistinctGitOpsNames(cluster.name, gitOpsNames(cluster.name), byNamespace);
  const platform = renderPlatform(cluster, crds, out);
  out.kustomization('', [PLATFORM_FOLDER, ...byNamespace.keys()]);
  const namespaces = renderNamespaceFolders(cluster, byNamespace, out);
  const instances = renderInstanceFolders(cluster, byNamespace, render, out);
  if (gitops) {
    renderArgoCd(cluster, byNamespace, instances, inventoryOf([...platform, ...namespaces, ...[...instances.values()].flat()]), out);
    renderFlux(cluster, byNamespace, instances, out);
  }
  return out.objects.problems();
}

/** Files of one cluster folder, and the owner of every object in them (for collision reports). */
class ClusterFolder {
  public readonly objects: ClusterObjects;

  constructor(public readonly root: string, private readonly files: OutputTree) {
    this.objects = new ClusterObjects(root);
  }

  /** Writes objects synth renders for the cluster itself; `owner` names them in collision messages. */
  public synthFile(file: string, objects: readonly unknown[], owner: string): void {
    this.files.set(`${this.root}/${file}`, toYamlDocuments(objects));
    this.objects.add(synthOwner(this.root, owner), objects.map(inventoryEntry));
  }

  /** A file whose objects are registered by the caller. */
  public file(file: string, text: string): void {
    this.files.set(`${this.root}/${file}`, text);
  }

  /** `<folder>/kustomization.yaml` listing `resources` ('' is the cluster folder). */
  public kustomization(folder: string, resources: readonly string[]): void {
    this.file(folder === '' ? 'kustomization.yaml' : `${folder}/kustomization.yaml`, kustomization([...resources]));
  }
}

/** platform/: the CRDs and, when enabled, the status reconciler. Returns its objects. */
function renderPlatform(cluster: LoadedCluster, crds: readonly unknown[], out: ClusterFolder): unknown[] {
  const owner = `${PLATFORM_FOLDER}/`;
  out.synthFile(`${PLATFORM_FOLDER}/crds.yaml`, crds, owner);
  if (!cluster.profile.reconciler.enabled) {
    out.kustomization(PLATFORM_FOLDER, ['crds.yaml']);
    return [...crds];
  }
  const profile = cluster.profile;
  const chart = new Chart(ownApp(), `${cluster.name}.platform.reconciler`, { disableResourceNameHashes: true });
  new StatusReconciler(chart, 'StatusReconciler', {
    namespace: profile.reconciler.namespace,
    image: profile.reconciler.image,
    networkPolicy: profile.networkPolicy.enabled && profile.networkPolicy,
  });
  const reconciler = chartJson(chart);
  out.synthFile(`${PLATFORM_FOLDER}/reconciler.yaml`, reconciler, owner);
  out.kustomization(PLATFORM_FOLDER, ['crds.yaml', 'reconciler.yaml']);
  return [...crds, ...reconciler];
}

/** Instances by namespace, namespaces sorted, instances in load order; one pass (filtering per namespace is O(instances x namespaces)). */
function groupByNamespace(instances: readonly LoadedInstance[]): Map<string, LoadedInstance[]> {
  const groups = new Map<string, LoadedInstance[]>();
  for (const instance of instances) {
    const group = groups.get(instance.metadata.namespace);
    if (group) group.push(instance);
    else groups.set(instance.metadata.namespace, [instance]);
  }
  return new Map([...groups.keys()].sort().map((namespace) => [namespace, groups.get(namespace)!]));
}

/**
 * <namespace>/kustomization.yaml, and <namespace>/_namespace/ holding the
 * Namespace (none for `default`), which its own Application/Kustomization
 * syncs (argocd-wiring.ts). Returns the Namespace objects.
 */
function renderNamespaceFolders(cluster: LoadedCluster, byNamespace: ReadonlyMap<string, readonly LoadedInstance[]>, out: ClusterFolder): unknown[] {
  const namespaceObjects: unknown[] = [];
  for (const [namespace, instances] of byNamespace) {
    const folder = `${namespace}/${NAMESPACE_OBJECT_FOLDER}`;
    if (namespace === 'default') {
      out.kustomization(folder, []);
    } else {
      const ns = namespaceObject(cluster.name, namespace, cluster.profile.podSecurityLevel);
      namespaceObjects.push(ns);
      out.synthFile(`${folder}/namespace.yaml`, [ns], `${folder}/namespace.yaml`);
      out.kustomization(folder, ['namespace.yaml']);
    }
    out.kustomization(namespace, [NAMESPACE_OBJECT_FOLDER, ...instances.map((i) => i.metadata.name)]);
  }
  return namespaceObjects;
}

/** <namespace>/<name>/manifests.yaml per instance. Returns each instance's inventory entries (render-instance.ts) by instance. */
function renderInstanceFolders(
  cluster: LoadedCluster, byNamespace: ReadonlyMap<string, readonly LoadedInstance[]>, render: InstanceRenderer, out: ClusterFolder,
): Map<LoadedInstance, InventoryEntry[]> {
  const inventories = new Map<LoadedInstance, InventoryEntry[]>();
  for (const [namespace, instances] of byNamespace) {
    for (const instance of instances) {
      const rendered = render(cluster, instance);
      const folder = `${namespace}/${instance.metadata.name}`;
      out.objects.add({ file: instance.file, document: instance.document, resource: `${instance.kind.kind} ${folder}` }, rendered.inventory, rendered.pods);
      out.file(`${folder}/manifests.yaml`, rendered.manifests);
      out.kustomization(folder, ['manifests.yaml']);
      inventories.set(instance, [...rendered.inventory]);
    }
  }
  return inventories;
}

/** argocd/: AppProjects, the root list, one list per shard (argocd-wiring.ts); argocd-cm.yaml outside the root's files. */
function renderArgoCd(
  cluster: LoadedCluster, byNamespace: ReadonlyMap<string, readonly LoadedInstance[]>,
  inventories: ReadonlyMap<LoadedInstance, readonly InventoryEntry[]>, inventory: RenderedInventory, out: ClusterFolder,
): void {
  const profile = cluster.profile;
  const argo = new Chart(ownApp(), `${cluster.name}.argocd`, { disableResourceNameHashes: true });
  const applications = new ArgoCdApplications(argo, 'Applications', {
    cluster: cluster.name,
    names: gitOpsNames(cluster.name),
    gitops: profile.gitops,
    inventory,
    platformNamespace: profile.reconciler.namespace,
    refusedNamespaces: namespacesRefusedForInstances(profile),
    namespaces: [...byNamespace].map(([namespace, instances]) => ({
      namespace,
      instances: instances.map((i) => ({ name: i.metadata.name, hpaScaledKinds: hpaScaledKinds(inventories.get(i)!) })),
    })),
  });
  writeWiringFiles(applications.files, `${ARGOCD_FOLDER}/`, [...ARGOCD_MANAGED_FILES], out);
  const argoConfig = new Chart(ownApp(), `${cluster.name}.argocd-cm`, { disableResourceNameHashes: true });
  new ArgoCdConfig(argoConfig, 'Config', { namespace: profile.gitops.argocd.namespace });
  // Not in kustomization.yaml: the root Application must not own Argo CD's own configuration.
  out.synthFile(`${ARGOCD_FOLDER}/argocd-cm.yaml`, chartJson(argoConfig), `${ARGOCD_FOLDER}/argocd-cm.yaml`);
}

/** flux/: the GitRepositories, the root list, one list per shard (flux-wiring.ts). */
function renderFlux(
  cluster: LoadedCluster, byNamespace: ReadonlyMap<string, readonly LoadedInstance[]>,
  inventories: ReadonlyMap<LoadedInstance, readonly InventoryEntry[]>, out: ClusterFolder,
): void {
  const flux = new Chart(ownApp(), `${cluster.name}.flux`, { disableResourceNameHashes: true });
  const kustomizations = new FluxKustomizations(flux, 'Kustomizations', {
    cluster: cluster.name,
    names: gitOpsNames(cluster.name),
    gitops: cluster.profile.gitops,
    reconciler: cluster.profile.reconciler.enabled,
    namespaces: [...byNamespace].map(([namespace, instances]) => ({
      namespace,
      instances: instances.map((i) => ({ name: i.metadata.name, customResources: customResources(inventories.get(i)!) })),
    })),
  });
  writeWiringFiles(kustomizations.files, `${FLUX_FOLDER}/`, undefined, out);
}

/**
 * Writes the wiring's files and a kustomization.yaml in every folder: the top
 * folder's lists its own files only (`rootFiles` when given), so applying it
 * applies the root list and not the shards; a folder below lists its files and
 * subfolders. One collision owner for them all.
 */
function writeWiringFiles(wiring: readonly WiringFile[], owner: string, rootFiles: string[] | undefined, out: ClusterFolder): void {
  const top = owner.replace(/\/$/, '');
  const entries = new Map<string, string[]>();
  const addEntry = (folder: string, entry: string) => {
    const list = entries.get(folder);
    if (list) {
      if (!list.includes(entry)) list.push(entry);
      return;
    }
    entries.set(folder, [entry]);
    const slash = folder.lastIndexOf('/');
    if (folder !== top && slash > 0) addEntry(folder.slice(0, slash), folder.slice(slash + 1));
  };
  for (const file of wiring) {
    out.synthFile(file.path, file.objects.map((o) => o.toJson()), owner);
    const slash = file.path.lastIndexOf('/');
    addEntry(file.path.slice(0, slash), file.path.slice(slash + 1));
  }
  for (const [folder, list] of entries) {
    const resources = folder === top ? rootFiles ?? list.filter((e) => e.endsWith('.yaml')) : list;
    out.kustomization(folder, resources);
  }
}

/**
 * `<root>-<namespace>-<name>` is ambiguous when names contain dashes
 * (namespace a-b with instance c, namespace a with instance b-c): two
 * Applications/Kustomizations of one name would overwrite each other. A
 * shard's name can meet one only in a namespace ending in `--shard`. And no
 * shard may list more than MAX_INSTANCES_PER_SHARD instances.
 */
function checkDistinctGitOpsNames(cluster: string, names: GitOpsNames, byNamespace: ReadonlyMap<string, readonly LoadedInstance[]>): void {
  const seen = new Map<string, string>();
  const problems: SpecProblem[] = [];
  // Namespace and shard objects are named from the namespace, so two namespaces can clash
  // (namespace "x--shard-f" and shard f of namespace "x"): the fix is a namespace's name.
  const claimForNamespace = (name: string, what: string, namespace: string, first: LoadedInstance) => {
    const other = seen.get(name);
    if (other === undefined) { seen.set(name, what); return; }
    problems.push({
      file: first.file, document: first.document, resource: `${first.kind.kind} ${namespace}/${first.metadata.name}`, path: 'metadata.namespace',
      message: `in cluster "${cluster}" the ${what} and the ${other} both get the Argo CD Application / Flux Kustomization name "${name}"; `
        + 'rename one of the namespaces',
    });
  };
  for (const [namespace, instances] of byNamespace) {
    claimForNamespace(names.namespace(namespace), `namespace ${namespace}`, namespace, instances[0]);
    for (const { shard, items } of byShard(instances, (i) => i.metadata.name)) {
      claimForNamespace(names.shard(namespace, shard), `shard ${shard} of namespace ${namespace}`, namespace, items[0]);
      if (items.length > MAX_INSTANCES_PER_SHARD) {
        const first = items[0];
        problems.push({
          file: first.file, document: first.document, resource: `${first.kind.kind} ${namespace}/${first.metadata.name}`, path: 'metadata.namespace',
          message: `namespace "${namespace}" of cluster "${cluster}" has ${instances.length} instances, and ${items.length} of them fall into GitOps shard ${shard}, more than the ${MAX_INSTANCES_PER_SHARD} one Argo CD Application / Flux Kustomization may list (docs/gitops.md, "Shards"); move instances to another namespace`,
        });
      }
    }
  }
  for (const [namespace, instances] of byNamespace) {
    for (const i of instances) {
      const name = names.instance(namespace, i.metadata.name);
      const other = seen.get(name);
      const what = `instance ${namespace}/${i.metadata.name}`;
      if (other === undefined) { seen.set(name, what); continue; }
      problems.push({
        file: i.file, document: i.document, resource: `${i.kind.kind} ${namespace}/${i.metadata.name}`, path: 'metadata.name',
        message: `in cluster "${cluster}" this ${what} and ${other} both get the Argo CD Application / Flux Kustomization name "${name}"; rename one of them`,
      });
    }
  }
  if (problems.length > 0) throw new SpecValidationError(problems);
}

/** CRDs go first inside the platform Application, so the reconciler starts only once they are Established. */
function inPlatformCrdWave(crd: unknown): unknown {
  const obj = crd as { metadata: { annotations?: Record<string, string> } };
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...obj.metadata.annotations, [SYNC_WAVE_ANNOTATION]: SYNC_WAVES.crds } } };
}

function namespaceObject(cluster: string, name: string, level: PodSecurityLevel): unknown {
  const chart = new Chart(ownApp(), `${cluster}.namespace.${name}`, { disableResourceNameHashes: true });
  const ns = new PodSecurityNamespace(chart, 'Namespace', {
    name,
    level,
    labels: { [LABEL_MANAGED_BY]: MANAGED_BY },
    annotations: {
      // Before the instances of the namespace, inside its Application.
      [SYNC_WAVE_ANNOTATION]: '-1',
      // Removing the last instance of a namespace must not delete the
      // namespace (and whatever else lives in it) through GitOps pruning,
      // nor through the cascade when its Application is deleted.
      ...PRUNE_PROTECTION_ANNOTATIONS,
    },
  });
  return ns.resource.toJson();
}

function kustomization(resources: string[]): string {
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources });
}
