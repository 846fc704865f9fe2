/**
 * Renders every loaded cluster into the GitOps layout, in memory:
 *
 *   <cluster>/kustomization.yaml       platform + every namespace folder
 *   <cluster>/platform/                CRDs, the status reconciler
 *   <cluster>/<namespace>/             the Namespace, one folder per instance
 *   <cluster>/<namespace>/<name>/      manifests.yaml
 *   <cluster>/argocd/                  AppProjects, Applications; argocd-cm.yaml (health checks)
 *   <cluster>/flux/                    GitRepository, Kustomizations
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
import { k8s } from 'cdk8s-plus-27';
import { ARGOCD_MANAGED_FILES, ArgoCdApplications, ArgoCdConfig, SYNC_WAVE_ANNOTATION, SYNC_WAVES } from '../gitops/argocd-wiring';
import { FluxKustomizations } from '../gitops/flux-wiring';
import { ARGOCD_FOLDER, FLUX_FOLDER, GitOpsNames, gitOpsNames, NAMESPACE_OBJECT_FOLDER, PLATFORM_FOLDER } from '../gitops/gitops-names';
import { customResources, hpaScaledKinds, inventoryOf } from '../gitops/rendered-inventory';
import { StatusReconciler } from '../reconciler/status-reconciler';
import { LABEL_MANAGED_BY, MANAGED_BY } from '../shared/labels';
import { PRUNE_PROTECTION_ANNOTATIONS } from '../shared/prune-protection';
import { renderCrdObjects } from './crd-files';
import { CLUSTER_PROFILE_FILE, CLUSTER_PROFILE_KIND } from './cluster-profile-file';
import { LoadedCluster, LoadedInstance, loadInstances } from './load-instances';
import { ClusterObjects, ObjectOwner } from './object-collisions';
import { chartJson, InventoryEntry, inventoryEntry, ownApp, RenderedInstance, renderInstance } from './render-instance';
import { RenderPool } from './render-pool';
import { clusterProfileIssues, reservedNamespaceProblems } from './reserved-namespaces';
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
  return assemble(clusters, (cluster, instance) => renderInstance(instance.kind, { cluster: cluster.name, metadata: instance.metadata, spec: instance.spec }, cluster.profile));
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

function renderCluster(cluster: LoadedCluster, crds: unknown[], files: OutputTree, render: InstanceRenderer): SpecProblem[] {
  const root = cluster.name;
  const profile = cluster.profile;
  const clusterObjects = new ClusterObjects(root);
  const platformObjects: unknown[] = [...crds];
  files.set(`${root}/${PLATFORM_FOLDER}/crds.yaml`, toYamlDocuments(crds));
  const platformFiles = ['crds.yaml'];
  if (profile.reconciler.enabled) {
    const chart = new Chart(ownApp(), `${root}.platform.reconciler`, { disableResourceNameHashes: true });
    new StatusReconciler(chart, 'StatusReconciler', {
      namespace: profile.reconciler.namespace,
      image: profile.reconciler.image,
      networkPolicy: profile.networkPolicy.enabled && profile.networkPolicy,
    });
    const reconciler = chartJson(chart);
    platformObjects.push(...reconciler);
    files.set(`${root}/${PLATFORM_FOLDER}/reconciler.yaml`, toYamlDocuments(reconciler));
    platformFiles.push('reconciler.yaml');
  }
  files.set(`${root}/${PLATFORM_FOLDER}/kustomization.yaml`, kustomization(platformFiles));
  clusterObjects.add(synthOwner(root, `${PLATFORM_FOLDER}/`), platformObjects.map(inventoryEntry));

  // Grouped in one pass: filtering every instance once per namespace is O(instances x namespaces).
  const byNamespace = new Map<string, LoadedInstance[]>();
  for (const instance of cluster.instances) {
    const group = byNamespace.get(instance.metadata.namespace);
    if (group) group.push(instance);
    else byNamespace.set(instance.metadata.namespace, [instance]);
  }
  const namespaces = [...byNamespace.keys()].sort();
  files.set(`${root}/kustomization.yaml`, kustomization([PLATFORM_FOLDER, ...namespaces]));
  // The Namespace objects, and every instance's inventory entries (render-instance.ts).
  const objectsByNamespace = new Map<string, Array<unknown | InventoryEntry>>();
  const objectsByInstance = new Map<string, Array<unknown | InventoryEntry>>();
  for (const namespace of namespaces) {
    const objects: Array<unknown | InventoryEntry> = [];
    const instances = byNamespace.get(namespace)!;
    // The Namespace in a folder of its own, which its own Application/Kustomization syncs (argocd-wiring.ts).
    const namespaceFiles: string[] = [];
    if (namespace !== 'default') {
      const ns = namespaceObject(root, namespace, profile.podSecurityLevel);
      objects.push(ns);
      clusterObjects.add(synthOwner(root, `${namespace}/${NAMESPACE_OBJECT_FOLDER}/namespace.yaml`), [inventoryEntry(ns)]);
      files.set(`${root}/${namespace}/${NAMESPACE_OBJECT_FOLDER}/namespace.yaml`, toYaml(ns));
      namespaceFiles.push('namespace.yaml');
    }
    files.set(`${root}/${namespace}/${NAMESPACE_OBJECT_FOLDER}/kustomization.yaml`, kustomization(namespaceFiles));
    files.set(`${root}/${namespace}/kustomization.yaml`, kustomization([NAMESPACE_OBJECT_FOLDER, ...instances.map((i) => i.metadata.name)]));
    for (const instance of instances) {
      const rendered = render(cluster, instance);
      objects.push(...rendered.inventory);
      clusterObjects.add({ file: instance.file, document: instance.document, resource: `${instance.kind.kind} ${namespace}/${instance.metadata.name}` }, rendered.inventory, rendered.pods);
      objectsByInstance.set(`${namespace}/${instance.metadata.name}`, [...rendered.inventory]);
      const dir = `${root}/${namespace}/${instance.metadata.name}`;
      files.set(`${dir}/manifests.yaml`, rendered.manifests);
      files.set(`${dir}/kustomization.yaml`, kustomization(['manifests.yaml']));
    }
    objectsByNamespace.set(namespace, objects);
  }

  if (profile.gitops.repoURL === undefined) return clusterObjects.problems();
  const names = gitOpsNames(root);
  const instanceObjects = (namespace: string, instance: LoadedInstance) => objectsByInstance.get(`${namespace}/${instance.metadata.name}`)!;
  checkDistinctGitOpsNames(root, names, byNamespace);
  const inventory = inventoryOf([...platformObjects, ...[...objectsByNamespace.values()].flat()]);

  const argo = new Chart(ownApp(), `${root}.argocd`, { disableResourceNameHashes: true });
  new ArgoCdApplications(argo, 'Applications', {
    cluster: root,
    names,
    gitops: profile.gitops,
    inventory,
    platformNamespace: profile.reconciler.namespace,
    namespaces: namespaces.map((namespace) => ({
      namespace,
      instances: byNamespace.get(namespace)!.map((i) => ({ name: i.metadata.name, hpaScaledKinds: hpaScaledKinds(instanceObjects(namespace, i)) })),
    })),
  });
  const argoObjects = chartJson(argo) as Array<{ kind: string }>;
  clusterObjects.add(synthOwner(root, `${ARGOCD_FOLDER}/`), argoObjects.map(inventoryEntry));
  files.set(`${root}/${ARGOCD_FOLDER}/projects.yaml`, toYamlDocuments(argoObjects.filter((o) => o.kind === 'AppProject')));
  files.set(`${root}/${ARGOCD_FOLDER}/applications.yaml`, toYamlDocuments(argoObjects.filter((o) => o.kind === 'Application')));
  files.set(`${root}/${ARGOCD_FOLDER}/kustomization.yaml`, kustomization([...ARGOCD_MANAGED_FILES]));
  const argoConfig = new Chart(ownApp(), `${root}.argocd-cm`, { disableResourceNameHashes: true });
  new ArgoCdConfig(argoConfig, 'Config', { namespace: profile.gitops.argocd.namespace });
  // Not in kustomization.yaml: the root Application must not own Argo CD's own configuration.
  const argoConfigObjects = chartJson(argoConfig);
  clusterObjects.add(synthOwner(root, `${ARGOCD_FOLDER}/argocd-cm.yaml`), argoConfigObjects.map(inventoryEntry));
  files.set(`${root}/${ARGOCD_FOLDER}/argocd-cm.yaml`, toYamlDocuments(argoConfigObjects));

  const flux = new Chart(ownApp(), `${root}.flux`, { disableResourceNameHashes: true });
  new FluxKustomizations(flux, 'Kustomizations', {
    cluster: root,
    names,
    gitops: profile.gitops,
    reconciler: profile.reconciler.enabled,
    namespaces: namespaces.map((namespace) => ({
      namespace,
      instances: byNamespace.get(namespace)!.map((i) => ({ name: i.metadata.name, customResources: customResources(instanceObjects(namespace, i)) })),
    })),
  });
  const fluxObjects = chartJson(flux) as Array<{ kind: string }>;
  clusterObjects.add(synthOwner(root, `${FLUX_FOLDER}/`), fluxObjects.map(inventoryEntry));
  files.set(`${root}/${FLUX_FOLDER}/gitrepository.yaml`, toYamlDocuments(fluxObjects.filter((o) => o.kind === 'GitRepository')));
  files.set(`${root}/${FLUX_FOLDER}/kustomizations.yaml`, toYamlDocuments(fluxObjects.filter((o) => o.kind === 'Kustomization')));
  files.set(`${root}/${FLUX_FOLDER}/kustomization.yaml`, kustomization(['gitrepository.yaml', 'kustomizations.yaml']));
  return clusterObjects.problems();
}

/**
 * `<root>-<namespace>-<name>` is ambiguous when names contain dashes
 * (namespace a-b with instance c, namespace a with instance b-c): two
 * Applications/Kustomizations of one name would overwrite each other.
 */
function checkDistinctGitOpsNames(cluster: string, names: GitOpsNames, byNamespace: ReadonlyMap<string, readonly LoadedInstance[]>): void {
  const seen = new Map<string, string>();
  const problems: SpecProblem[] = [];
  for (const namespace of byNamespace.keys()) {
    seen.set(names.namespace(namespace), `namespace ${namespace}`);
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

function namespaceObject(cluster: string, name: string, level: string): unknown {
  const chart = new Chart(ownApp(), `${cluster}.namespace.${name}`, { disableResourceNameHashes: true });
  const ns = new k8s.KubeNamespace(chart, 'Namespace', {
    metadata: {
      name,
      labels: {
        [LABEL_MANAGED_BY]: MANAGED_BY,
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/audit': level,
        'pod-security.kubernetes.io/warn': level,
      },
      annotations: {
        // Before the instances of the namespace, inside its Application.
        [SYNC_WAVE_ANNOTATION]: '-1',
        // Removing the last instance of a namespace must not delete the
        // namespace (and whatever else lives in it) through GitOps pruning,
        // nor through the cascade when its Application is deleted.
        ...PRUNE_PROTECTION_ANNOTATIONS,
      },
    },
  });
  return ns.toJson();
}

function kustomization(resources: string[]): string {
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources });
}
