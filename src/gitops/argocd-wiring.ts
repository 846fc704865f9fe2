/**
 * Argo CD objects for one cluster, app-of-apps style:
 *
 *   root Application (project <root>-bootstrap, wave 1 in its own list) → dist/<cluster>/argocd/
 *     AppProjects (sync wave -2)
 *     Application <root>-platform (wave -1) → dist/<cluster>/platform/  (CRDs wave -1, reconciler wave 0)
 *     Application <root>-<namespace> (wave 0) → dist/<cluster>/<namespace>/_namespace/  (the Namespace only)
 *     Application <root>-<namespace>--shard-<d> (wave 1) → dist/<cluster>/argocd/<namespace>/shard-<d>/
 *       Application <root>-<namespace>-<name> → dist/<cluster>/<namespace>/<name>/  (one instance)
 *
 * The root lists one shard per (namespace, hex digit of the instance name's
 * hash), and each shard the Applications of its instances (instance-shards.ts),
 * so neither the root nor a shard grows with the whole fleet.
 *
 * One Application per instance, so no manifest generation covers more than
 * one instance's objects: kustomize's build time grows much faster than
 * linearly with the objects in one build (kubernetes-sigs/kustomize#5084),
 * while many small builds cost what their objects cost. Every source is a
 * plain directory (`directory`), so the repo-server only parses YAML and never
 * runs kustomize; `manifest-generate-paths` lets it reuse an instance's
 * manifests from the previous commit when a commit did not touch its folder.
 *
 * Explicit Applications rather than an ApplicationSet: sync waves between
 * generated Applications need ApplicationSet progressive syncs (alpha), while
 * the waves of an app-of-apps are plain Argo CD, provided Application health is
 * registered (see argocd-health-check.ts). The list is rendered from the
 * instances, so adding an instance is still only a spec edit.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedGitOpsProfile } from '../shared/cluster-profile';
import { HEALTH_WAITS_FOR_SYNC_ANNOTATION, healthCustomizations } from './argocd-health-check';
import { ARGOCD_FOLDER, GitOpsNames, NAMESPACE_OBJECT_FOLDER, PLATFORM_FOLDER, repoPath } from './gitops-names';
import { byShard, shardFolder } from './instance-shards';
import { projectKinds } from './project-kinds';
import { GroupKind, RenderedInventory } from './rendered-inventory';
import { apiObjectsOf, WiringFile } from './wiring-files';

const ARGOCD_API_VERSION = 'argoproj.io/v1alpha1';
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const KUSTOMIZATION_FILE = 'kustomization.yaml';
/** The files of dist/<cluster>/argocd/ the root Application manages. */
const PROJECTS_FILE = 'projects.yaml';
const APPLICATIONS_FILE = 'applications.yaml';
export const ARGOCD_MANAGED_FILES = [PROJECTS_FILE, APPLICATIONS_FILE] as const;

/** Sync waves of the root Application's list (itself included) and of the objects inside the platform Application. */
export const SYNC_WAVES = { projects: '-2', platform: '-1', crds: '-1', namespaces: '0', instances: '1' } as const;

/**
 * Argo CD compares only these paths (relative to the source path) between the
 * last synced commit and a new one, and reuses the cached manifests when none
 * changed (Argo CD ≥ 2.11; docs: operator-manual/high_availability, "Manifest
 * Paths Annotation").
 */
const MANIFEST_GENERATE_PATHS_ANNOTATION = 'argocd.argoproj.io/manifest-generate-paths';

interface ArgoCdInstanceFolder {
  /** The instance's name, also its folder under dist/<cluster>/<namespace>/. */
  readonly name: string;
  /** Kinds whose replicas an HPA of this instance owns. @default none */
  readonly hpaScaledKinds?: GroupKind[];
}

interface ArgoCdNamespaceFolder {
  /** The namespace, also the folder name under dist/<cluster>/. */
  readonly namespace: string;
  /** The instances of the namespace, each becoming an Application. */
  readonly instances: readonly ArgoCdInstanceFolder[];
}

export interface ArgoCdWiringProps {
  /** The cluster folder name. */
  readonly cluster: string;
  readonly names: GitOpsNames;
  /** Repository, revision, path and destination; repoURL must be set. */
  readonly gitops: ResolvedGitOpsProfile;
  /** What the platform and instance folders render. */
  readonly inventory: RenderedInventory;
  /** Namespace folders: an Application for the Namespace, one per instance. */
  readonly namespaces: readonly ArgoCdNamespaceFolder[];
  /** Namespace the platform Application deploys into (the reconciler's). */
  readonly platformNamespace: string;
  /**
   * Namespaces synth refuses for instances (reserved-namespaces.ts): the
   * project denies them, all but the platform namespace.
   */
  readonly refusedNamespaces: readonly string[];
}

/** The AppProjects and Applications (dist/<cluster>/argocd/ and its shard folders). */
export class ArgoCdApplications extends Construct {
  /** The files under argocd/: projects.yaml, the root list, one list per shard. */
  public readonly files: readonly WiringFile[];

  constructor(scope: Construct, id: string, props: ArgoCdWiringProps) {
    super(scope, id);
    const { gitops, names, inventory } = props;
    const repoURL = requireRepoURL(gitops);
    const argoNamespace = gitops.argocd.namespace;
    const destination = (namespace: string) => gitops.argocd.destinationName !== undefined
      ? { name: gitops.argocd.destinationName, namespace }
      : { server: gitops.argocd.destinationServer, namespace };
    const wave = (value: string) => ({ [SYNC_WAVE_ANNOTATION]: value });
    const groupKinds = (list: GroupKind[]) => list.map((gk) => ({ group: gk.group, kind: gk.kind }));

    const bootstrapProject = new ApiObject(this, 'BootstrapProject', {
      apiVersion: ARGOCD_API_VERSION,
      kind: 'AppProject',
      metadata: { name: names.bootstrapProject, namespace: argoNamespace, annotations: wave(SYNC_WAVES.projects) },
      spec: {
        description: `Argo CD objects of cdk8s-abi-vecodex cluster ${props.cluster}: may only manage its Applications and AppProjects`,
        sourceRepos: [repoURL],
        // Applications live in Argo CD's own cluster, whatever the workload destination.
        destinations: [{ server: 'https://kubernetes.default.svc', namespace: argoNamespace }],
        namespaceResourceWhitelist: [{ group: 'argoproj.io', kind: 'Application' }, { group: 'argoproj.io', kind: 'AppProject' }],
      },
    });

    const kinds = projectKinds([...inventory.clusterKinds, ...inventory.namespacedKinds]);
    const project = new ApiObject(this, 'Project', {
      apiVersion: ARGOCD_API_VERSION,
      kind: 'AppProject',
      metadata: { name: names.project, namespace: argoNamespace, annotations: wave(SYNC_WAVES.projects) },
      spec: {
        description: `Workloads of cdk8s-abi-vecodex cluster ${props.cluster}: the kinds its platform and products can render, in any namespace but the reserved ones`,
        sourceRepos: [repoURL],
        // Never narrowed to what renders now. The root sync updates the project
        // (wave -2) before it prunes an Application it no longer lists, and
        // Argo CD's resources finalizer deletes only live objects the project
        // still permits (application-controller getPermittedAppLiveObjects):
        // a project that dropped a namespace or kind with the last instance
        // using it would leave that instance's objects behind.
        destinations: projectDestinations(gitops, props.refusedNamespaces.filter((ns) => ns !== props.platformNamespace)),
        clusterResourceWhitelist: groupKinds(kinds.clusterKinds),
        namespaceResourceWhitelist: groupKinds(kinds.namespacedKinds),
      },
    });

    const application = (list: Construct, objectId: string, name: string, opts: {
      project: string; path: string; namespace: string; wave?: string; ignoreDifferences?: unknown[]; selfDestination?: boolean;
      directory: Record<string, string>; prune?: boolean; pruneLast?: boolean; generatePaths?: boolean; healthWaitsForSync?: boolean;
    }) => {
      const ignoreDifferences = opts.ignoreDifferences ?? [];
      const annotations = {
        ...(opts.wave !== undefined ? wave(opts.wave) : {}),
        ...(opts.generatePaths ? { [MANIFEST_GENERATE_PATHS_ANNOTATION]: '.' } : {}),
        ...(opts.healthWaitsForSync ? { [HEALTH_WAITS_FOR_SYNC_ANNOTATION]: 'true' } : {}),
      };
      new ApiObject(list, objectId, {
        apiVersion: ARGOCD_API_VERSION,
        kind: 'Application',
        metadata: {
          name,
          namespace: argoNamespace,
          annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
          // Deleting the Application (its folder was removed) deletes what it deployed.
          finalizers: [RESOURCES_FINALIZER],
        },
        spec: {
          project: opts.project,
          // A plain directory: YAML parsed as is, no kustomize run (kustomization.yaml is for kubectl).
          source: { repoURL, targetRevision: gitops.revision, path: opts.path, directory: opts.directory },
          destination: opts.selfDestination ? { server: 'https://kubernetes.default.svc', namespace: opts.namespace } : destination(opts.namespace),
          syncPolicy: {
            automated: { prune: opts.prune ?? true, selfHeal: true },
            syncOptions: [
              // CRDs exceed the last-applied annotation limit of client-side apply;
              // server-side apply also leaves fields of other managers alone.
              'ServerSideApply=true',
              // Namespaces are rendered (with Pod Security labels), never created bare.
              'CreateNamespace=false',
              // Delete removed objects only after everything else is healthy (not on shards, see below).
              ...((opts.pruneLast ?? true) ? ['PruneLast=true'] : []),
              ...(ignoreDifferences.length > 0 ? ['RespectIgnoreDifferences=true'] : []),
            ],
            retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
          },
          ignoreDifferences: ignoreDifferences.length > 0 ? ignoreDifferences : undefined,
        },
      });
    };
    const onlyManifests = { exclude: KUSTOMIZATION_FILE };
    const rootList = new Construct(this, 'RootList');
    const argocdPath = (folder?: string) => repoPath(gitops.path, props.cluster, [ARGOCD_FOLDER, folder].filter(Boolean).join('/'));

    application(rootList, 'Root', names.root, {
      project: names.bootstrapProject,
      path: argocdPath(),
      namespace: argoNamespace,
      selfDestination: true,
      // It lists itself, and a sync waits for each wave's health before the
      // next: in an earlier wave it waited on its own health, i.e. the whole
      // fleet's, and while any instance was not Healthy it never created a new
      // namespace's shard. The last wave does not wait (unless prunes follow).
      wave: SYNC_WAVES.instances,
      // argocd-cm.yaml belongs to whoever installed Argo CD (see ArgoCdConfig).
      directory: { include: `{${ARGOCD_MANAGED_FILES.join(',')}}` },
    });
    application(rootList, 'Platform', names.platform, {
      project: names.project,
      path: repoPath(gitops.path, props.cluster, PLATFORM_FOLDER),
      namespace: props.platformNamespace,
      wave: SYNC_WAVES.platform,
      directory: onlyManifests,
    });
    const shardFiles: WiringFile[] = [];
    for (const folder of props.namespaces) {
      application(rootList, `Namespace-${folder.namespace}`, names.namespace(folder.namespace), {
        project: names.project,
        path: repoPath(gitops.path, props.cluster, `${folder.namespace}/${NAMESPACE_OBJECT_FOLDER}`),
        namespace: folder.namespace,
        wave: SYNC_WAVES.namespaces,
        directory: onlyManifests,
        // Its only object, the Namespace, is never pruned anyway. Before one
        // Application per instance, this Application deployed the whole
        // namespace: not pruning keeps the first commit of the new layout from
        // deleting instances before their own Applications have adopted them.
        prune: false,
      });
      for (const { shard, items } of byShard(folder.instances, (i) => i.name)) {
        const shardPath = `${folder.namespace}/${shardFolder(shard)}`;
        // After the platform and the Namespace (sync waves of the root), and
        // before the root prunes: with PruneLast the root deletes an
        // Application it no longer lists only once the shards are Healthy,
        // and to the root a shard is Healthy once it has synced (and so
        // re-tracked) the Applications it lists, not when they are
        // (HEALTH_WAITS_FOR_SYNC_ANNOTATION). A shard prunes at once: with
        // PruneLast, removing an instance waited for the health of every other
        // instance of the shard, and an instance's own Application orders the
        // deletion of its objects.
        application(rootList, `Shard-${folder.namespace}-${shard}`, names.shard(folder.namespace, shard), {
          project: names.bootstrapProject,
          path: argocdPath(shardPath),
          namespace: argoNamespace,
          selfDestination: true,
          wave: SYNC_WAVES.instances,
          directory: onlyManifests,
          generatePaths: true,
          healthWaitsForSync: true,
          pruneLast: false,
        });
        const shardList = new Construct(this, `ShardList-${folder.namespace}-${shard}`);
        for (const instance of items) {
          application(shardList, `Instance-${folder.namespace}-${instance.name}`, names.instance(folder.namespace, instance.name), {
            project: names.project,
            path: repoPath(gitops.path, props.cluster, `${folder.namespace}/${instance.name}`),
            namespace: folder.namespace,
            directory: onlyManifests,
            generatePaths: true,
            // The HPA rewrites spec.replicas through the scale subresource. The
            // charts leave replicas out when an HPA owns them, so this only keeps
            // Argo CD from reporting (and self-healing) the HPA's decision.
            ignoreDifferences: (instance.hpaScaledKinds ?? []).map((gk) => ({ group: gk.group, kind: gk.kind, jqPathExpressions: ['.spec.replicas'] })),
          });
        }
        shardFiles.push({ path: `${ARGOCD_FOLDER}/${shardPath}/${APPLICATIONS_FILE}`, objects: apiObjectsOf(shardList) });
      }
    }
    this.files = [
      { path: `${ARGOCD_FOLDER}/${PROJECTS_FILE}`, objects: [bootstrapProject, project] },
      { path: `${ARGOCD_FOLDER}/${APPLICATIONS_FILE}`, objects: apiObjectsOf(rootList) },
      ...shardFiles,
    ];
  }
}

/**
 * Any namespace of the destination cluster but `denied`. Argo CD (v3.6.1) reads
 * a namespace starting with "!" as a deny pattern, and any deny entry that
 * matches rejects the destination whatever the order of the list
 * (pkg/apis/application/v1alpha1/app_project_types.go isDestinationMatched:
 * an allow match only sets a flag, a deny returns false at once). That deny
 * case requires the entry's server to match the destination's server, so with
 * a cluster named by destinationName (whose server synth does not know) the
 * deny entries could only be written with server "*", which would also permit
 * every other cluster Argo CD knows: there, the project allows every
 * namespace of the named cluster and relies on synth refusing the reserved
 * ones.
 */
function projectDestinations(gitops: ResolvedGitOpsProfile, denied: readonly string[]): Array<Record<string, string>> {
  const { destinationName, destinationServer } = gitops.argocd;
  if (destinationName !== undefined) return [{ name: destinationName, namespace: '*' }];
  return [
    { server: destinationServer, namespace: '*' },
    ...denied.map((namespace) => ({ server: destinationServer, namespace: `!${namespace}` })),
  ];
}

/**
 * The argocd-cm entries we need, as a ConfigMap to apply server-side (or to
 * merge into the Argo CD Helm chart's `configs.cm`). Kept out of the root
 * Application: argocd-cm belongs to whoever installed Argo CD.
 */
export class ArgoCdConfig extends Construct {
  constructor(scope: Construct, id: string, props: { readonly namespace: string }) {
    super(scope, id);
    new ApiObject(this, 'ArgoCdCm', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-cm', namespace: props.namespace, labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' } },
      data: {
        // Label tracking (the default before Argo CD 3.0) overwrites
        // app.kubernetes.io/instance, which our pod selectors use.
        'application.resourceTrackingMethod': 'annotation',
        ...healthCustomizations(),
      },
    });
  }
}

export function requireRepoURL(gitops: ResolvedGitOpsProfile): string {
  if (gitops.repoURL === undefined) throw new Error('gitops.repoURL is required to render Argo CD or Flux objects');
  return gitops.repoURL;
}
