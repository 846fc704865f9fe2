/**
 * Flux objects for one cluster (dist/<cluster>/flux/):
 *
 *   GitRepository <root>                 keeps only flux/, platform/ and the _namespace/ folders
 *   GitRepository <root>-<namespace>--shard-<d>   checks out its namespace's folder, keeps only that shard's instance folders
 *   Kustomization <root>                 → dist/<cluster>/flux/ (these objects themselves)
 *   Kustomization <root>-platform        → dist/<cluster>/platform/, wait: true
 *   Kustomization <root>-<namespace>     → dist/<cluster>/<namespace>/_namespace/ (the Namespace only),
 *                                          dependsOn platform, prune: false
 *   Kustomization <root>-<namespace>--shard-<d> → dist/<cluster>/flux/<namespace>/shard-<d>/
 *     Kustomization <root>-<namespace>-<name> → dist/<cluster>/<namespace>/<name>/ (one instance),
 *                                          from its shard's GitRepository,
 *                                          dependsOn platform and its namespace,
 *                                          healthChecks on its custom resource (kstatus),
 *                                          or the same with healthCheckExprs (CEL)
 *
 * One Kustomization per instance: kustomize-controller runs a kustomize build
 * on every reconcile, and a build's time grows much faster than linearly with
 * its objects (kubernetes-sigs/kustomize#5084); per-instance builds keep each
 * one small, so a sync of the fleet costs what its objects cost. The lists of
 * them are sharded per namespace (instance-shards.ts), so the root's build does
 * not grow with the fleet either.
 *
 * Each shard's instances read a GitRepository of their own that keeps only
 * their folders, and the cluster's source keeps no instance folder at all:
 * kustomize-controller downloads and extracts a source's whole artifact on
 * every reconcile, so with one source for the cluster every reconcile
 * unpacked the whole fleet, and one sync cost fleet² (real Flux,
 * BENCHMARKS.md "GitOps engines"). A shard's artifact holds about 1/16 of a
 * namespace, bounded by MAX_INSTANCES_PER_SHARD. The shard sources are in the
 * root list, not the shard's, so they are fetching while the platform comes
 * up, before any instance Kustomization looks for them.
 *
 * Every source clones the repository, and writing out a fleet's checkout was
 * most of a source's reconcile: a shard source checks out only its
 * namespace's folder (sparseCheckout) and ignores the rest of it. Not just its
 * instances' folders: source-controller refuses a commit lacking one, and a
 * commit removing an instance reaches the shard source before the root has
 * applied its new spec, so every removal would fail the source once; a
 * namespace folder goes only with the namespace's last instance, and the shard
 * source with it.
 *
 * Instances check the health of our custom resources rather than `wait: true`
 * on everything: the reconciler already aggregates the children into the
 * resource's conditions, and `wait: true` would also block on objects kstatus
 * cannot judge (a PVC waiting for its first consumer stays Pending).
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedGitOpsProfile } from '../shared/cluster-profile';
import { requireRepoURL } from './argocd-wiring';
import { healthCheckExprs } from './flux-health-exprs';
import { FLUX_FOLDER, GitOpsNames, NAMESPACE_OBJECT_FOLDER, PLATFORM_FOLDER, repoPath } from './gitops-names';
import { byShard, shardFolder } from './instance-shards';
import { ObjectRef } from './rendered-inventory';
import { apiObjectsOf, WiringFile } from './wiring-files';

const FLUX_SOURCE_API_VERSION = 'source.toolkit.fluxcd.io/v1';
export const FLUX_KUSTOMIZE_API_VERSION = 'kustomize.toolkit.fluxcd.io/v1';
export const GIT_REPOSITORY_FILE = 'gitrepository.yaml';
export const SHARD_SOURCES_FILE = 'shard-sources.yaml';
/**
 * Label of every GitRepository of a cluster (value: the root's name), so one
 * webhook Receiver can select them all: a Receiver's `name: "*"` needs
 * `matchLabels`.
 */
export const SOURCE_GROUP_LABEL = 'app.kubernetes.io/part-of';
const KUSTOMIZATIONS_FILE = 'kustomizations.yaml';

interface FluxInstanceFolder {
  /** The instance's name, also its folder under dist/<cluster>/<namespace>/. */
  readonly name: string;
  /** Our custom resources in the folder; Flux checks their health. */
  readonly customResources: readonly ObjectRef[];
}

interface FluxNamespaceFolder {
  /** The namespace, also the folder name under dist/<cluster>/. */
  readonly namespace: string;
  /** The instances of the namespace, each becoming a Kustomization. */
  readonly instances: readonly FluxInstanceFolder[];
}

export interface FluxWiringProps {
  /** The cluster folder name. */
  readonly cluster: string;
  readonly names: GitOpsNames;
  /** Repository, revision, path and Flux settings; repoURL must be set. */
  readonly gitops: ResolvedGitOpsProfile;
  /** Namespace folders: a Kustomization for the Namespace, one per instance. */
  readonly namespaces: readonly FluxNamespaceFolder[];
  /**
   * Whether the status reconciler is deployed. Without it our custom resources
   * never report, so instance Kustomizations fall back to `wait: true`.
   * @default true
   */
  readonly reconciler?: boolean;
}

export class FluxKustomizations extends Construct {
  /** The files under flux/: the GitRepository, the shards' GitRepositories, the root list, one list per shard. */
  public readonly files: readonly WiringFile[];

  constructor(scope: Construct, id: string, props: FluxWiringProps) {
    super(scope, id);
    const { gitops, names } = props;
    const flux = gitops.flux;
    const repoURL = requireRepoURL(gitops);

    const rootList = new Construct(this, 'RootList');
    const gitRepository = (
      objectId: string, name: string, keptFolders: readonly string[], checkedOutFolder?: string,
    ) => new ApiObject(rootList, objectId, {
      apiVersion: FLUX_SOURCE_API_VERSION,
      kind: 'GitRepository',
      metadata: { name, namespace: flux.namespace, labels: { [SOURCE_GROUP_LABEL]: names.root } },
      spec: {
        url: repoURL,
        ref: { branch: gitops.revision },
        interval: flux.interval,
        // The slash: go-git matches sparse folders as plain prefixes, so team-a would also check out team-ab.
        ...(checkedOutFolder ? { sparseCheckout: [`${checkedOutFolder}/`] } : {}),
        ignore: onlyFolders(keptFolders),
        ...(flux.secretName ? { secretRef: { name: flux.secretName } } : {}),
      },
    });
    // What the root, the platform, the namespaces and the shard lists read: no
    // instance folder. Checked out whole: source-controller refuses a commit
    // lacking a sparseCheckout folder, and this source carries its own spec, so
    // a commit removing a namespace's folder would stop it for good.
    const clusterFolder = (folder: string) => repoPath(gitops.path, props.cluster, folder);
    gitRepository('Source', names.source, [
      clusterFolder(FLUX_FOLDER),
      clusterFolder(PLATFORM_FOLDER),
      ...props.namespaces.map((n) => clusterFolder(`${n.namespace}/${NAMESPACE_OBJECT_FOLDER}`)),
    ]);

    const kustomization = (
      list: Construct, objectId: string, name: string, spec: Record<string, unknown>, source = names.source,
    ) => new ApiObject(list, objectId, {
      apiVersion: FLUX_KUSTOMIZE_API_VERSION,
      kind: 'Kustomization',
      metadata: { name, namespace: flux.namespace },
      spec: {
        interval: flux.interval,
        retryInterval: '1m',
        timeout: flux.timeout,
        sourceRef: { kind: 'GitRepository', name: source },
        // Objects removed from Git are deleted, and deleting this Kustomization
        // deletes what it applied.
        prune: true,
        ...spec,
      },
    });
    const fluxPath = (folder?: string) => `./${repoPath(gitops.path, props.cluster, [FLUX_FOLDER, folder].filter(Boolean).join('/'))}`;

    kustomization(rootList, 'Root', names.root, { path: fluxPath() });
    kustomization(rootList, 'Platform', names.platform, {
      path: `./${repoPath(gitops.path, props.cluster, PLATFORM_FOLDER)}`,
      // kstatus on everything: CRDs Established, the reconciler's Deployment available.
      wait: true,
    });
    const reconciler = props.reconciler ?? true;
    const shardFiles: WiringFile[] = [];
    for (const folder of props.namespaces) {
      const namespaceFolder = repoPath(gitops.path, props.cluster, folder.namespace);
      kustomization(rootList, `Namespace-${folder.namespace}`, names.namespace(folder.namespace), {
        path: `./${repoPath(gitops.path, props.cluster, `${folder.namespace}/${NAMESPACE_OBJECT_FOLDER}`)}`,
        dependsOn: [{ name: names.platform }],
        // Its only object, the Namespace, is never pruned anyway. Before one
        // Kustomization per instance, this Kustomization applied the whole
        // namespace: not pruning keeps the first commit of the new layout from
        // deleting instances before their own Kustomizations have adopted them.
        prune: false,
        wait: true,
      });
      for (const { shard, items } of byShard(folder.instances, (i) => i.name)) {
        const shardPath = `${folder.namespace}/${shardFolder(shard)}`;
        const shardName = names.shard(folder.namespace, shard);
        const instancePath = (instance: FluxInstanceFolder) => repoPath(gitops.path, props.cluster, `${folder.namespace}/${instance.name}`);
        gitRepository(`ShardSource-${folder.namespace}-${shard}`, shardName, items.map(instancePath), namespaceFolder);
        // Only lists Kustomizations; ordering is theirs (dependsOn), so no wait here.
        kustomization(rootList, `Shard-${folder.namespace}-${shard}`, shardName, { path: fluxPath(shardPath) });
        const shardList = new Construct(this, `ShardList-${folder.namespace}-${shard}`);
        for (const instance of items) {
          const health = !reconciler || instance.customResources.length === 0
            ? { wait: true }
            : {
              healthChecks: instance.customResources.map((r) => ({ apiVersion: r.apiVersion, kind: r.kind, name: r.name, namespace: r.namespace })),
              ...(flux.healthCheck === 'cel' ? { healthCheckExprs: healthCheckExprs() } : {}),
            };
          kustomization(shardList, `Instance-${folder.namespace}-${instance.name}`, names.instance(folder.namespace, instance.name), {
            path: `./${instancePath(instance)}`,
            // The CRDs and the Namespace must exist before the instance is applied.
            dependsOn: [{ name: names.platform }, { name: names.namespace(folder.namespace) }],
            ...health,
          }, shardName);
        }
        shardFiles.push({ path: `${FLUX_FOLDER}/${shardPath}/${KUSTOMIZATIONS_FILE}`, objects: apiObjectsOf(shardList) });
      }
    }
    const rootObjects = apiObjectsOf(rootList);
    const sources = rootObjects.filter((o) => o.kind === 'GitRepository');
    const shardSources = sources.filter((o) => o.name !== names.source);
    this.files = [
      { path: `${FLUX_FOLDER}/${GIT_REPOSITORY_FILE}`, objects: sources.filter((o) => o.name === names.source) },
      ...(shardSources.length > 0 ? [{ path: `${FLUX_FOLDER}/${SHARD_SOURCES_FILE}`, objects: shardSources }] : []),
      { path: `${FLUX_FOLDER}/${KUSTOMIZATIONS_FILE}`, objects: rootObjects.filter((o) => o.kind === 'Kustomization') },
      ...shardFiles,
    ];
  }
}

/**
 * A .gitignore-style pattern list that keeps only `folders` (none inside
 * another): each parent is re-included, then its other entries ignored, once.
 */
export function onlyFolders(folders: readonly string[]): string {
  const lines = ['/*'];
  const opened = new Set<string>();
  for (const folder of [...folders].sort()) {
    const parts = folder.split('/');
    for (let i = 0; i < parts.length; i++) {
      const prefix = parts.slice(0, i + 1).join('/');
      if (opened.has(prefix)) continue;
      opened.add(prefix);
      lines.push(`!/${prefix}/`);
      if (i < parts.length - 1) lines.push(`/${prefix}/*`);
    }
  }
  return lines.join('\n') + '\n';
}
