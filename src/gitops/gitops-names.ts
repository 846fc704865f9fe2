/**
 * Names and paths of the GitOps objects, in one place so Argo CD, Flux, the
 * layout and the docs agree. Every name starts with the cluster folder's name:
 * one Argo CD or Flux instance may serve several clusters from one repository.
 */

/** Prefix of every Argo CD and Flux object we render. */
export const GITOPS_PREFIX = 'abi-vecodex';

/** Folder of dist/<cluster>/ holding CRDs and the status reconciler. */
export const PLATFORM_FOLDER = 'platform';
/** Folder of dist/<cluster>/ holding the Argo CD objects (never synced as workloads). */
export const ARGOCD_FOLDER = 'argocd';
/** Folder of dist/<cluster>/ holding the Flux objects (never synced as workloads). */
export const FLUX_FOLDER = 'flux';

/** Folder names a namespace must not take: they would merge with ours. */
export const RESERVED_FOLDERS: readonly string[] = [PLATFORM_FOLDER, ARGOCD_FOLDER, FLUX_FOLDER];

export interface GitOpsNames {
  /** The Argo CD root Application and the Flux Kustomization that manage the GitOps objects themselves. */
  readonly root: string;
  /** AppProject of the workloads. */
  readonly project: string;
  /** AppProject of the root Application (it may only manage Applications and AppProjects). */
  readonly bootstrapProject: string;
  /** The Flux GitRepository. */
  readonly source: string;
  /** Argo CD Application and Flux Kustomization of platform/. */
  readonly platform: string;
  /** Argo CD Application and Flux Kustomization of one namespace folder. */
  namespace(namespace: string): string;
}

export function gitOpsNames(cluster: string): GitOpsNames {
  const root = `${GITOPS_PREFIX}-${cluster}`;
  return {
    root,
    project: root,
    bootstrapProject: `${root}-bootstrap`,
    source: root,
    platform: `${root}-${PLATFORM_FOLDER}`,
    namespace: (namespace) => `${root}-${namespace}`,
  };
}

/** Path of a folder in the repository: `<path>/<cluster>[/<folder>]`, no leading "./". */
export function repoPath(distPath: string, cluster: string, folder?: string): string {
  return [distPath, cluster, folder].filter((s) => s !== undefined && s !== '').join('/');
}
