/**
 * Names and paths of the GitOps objects, in one place so Argo CD, Flux, the
 * layout and the docs agree. Every name starts with the cluster folder's name:
 * one Argo CD or Flux instance may serve several clusters from one repository.
 */
import { createHash } from 'crypto';
import { shardFolder } from './instance-shards';

/** Prefix of every Argo CD and Flux object we render. */
const GITOPS_PREFIX = 'abi-vecodex';

/** Folder of dist/<cluster>/ holding CRDs and the status reconciler. */
export const PLATFORM_FOLDER = 'platform';
/** Folder of dist/<cluster>/ holding the Argo CD objects (never synced as workloads). */
export const ARGOCD_FOLDER = 'argocd';
/** Folder of dist/<cluster>/ holding the Flux objects (never synced as workloads). */
export const FLUX_FOLDER = 'flux';

/**
 * Subfolder of dist/<cluster>/<namespace>/ holding only the Namespace object,
 * for the namespace's own Application/Kustomization. No instance can take the
 * name: `_` is not allowed in Kubernetes object names.
 */
export const NAMESPACE_OBJECT_FOLDER = '_namespace';

/**
 * Longest name of an Application or Kustomization we render. Flux labels every
 * object it applies with `kustomize.toolkit.fluxcd.io/name: <Kustomization>`,
 * and label values are at most 63 characters
 * (k8s.io/apimachinery/pkg/util/validation IsValidLabelValue), so a longer
 * Kustomization name could never apply anything.
 */
export const MAX_GITOPS_OBJECT_NAME = 63;

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
  /** Argo CD Application and Flux Kustomization of one namespace's Namespace object. */
  namespace(namespace: string): string;
  /**
   * Argo CD Application and Flux Kustomization of one instance:
   * `<root>-<namespace>-<name>`, or when that exceeds MAX_GITOPS_OBJECT_NAME,
   * its first characters and a hash of the whole (stable, unique per instance).
   */
  instance(namespace: string, name: string): string;
  /**
   * Argo CD Application and Flux Kustomization listing one shard of a
   * namespace's per-instance objects (instance-shards.ts), and the Flux
   * GitRepository those instances read:
   * `<root>-<namespace>--shard-<digit>`, bounded like instance names. The
   * double dash keeps it apart from instance names, which start with a letter.
   */
  shard(namespace: string, shard: string): string;
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
    instance: (namespace, name) => boundedName(`${root}-${namespace}-${name}`),
    shard: (namespace, shard) => boundedName(`${root}-${namespace}--${shardFolder(shard)}`),
  };
}

/** `name` if short enough, else a prefix of it and 10 hex digits of its SHA-256 (a DNS label either way). */
export function boundedName(name: string): string {
  if (name.length <= MAX_GITOPS_OBJECT_NAME) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 10);
  const prefix = name.slice(0, MAX_GITOPS_OBJECT_NAME - hash.length - 1).replace(/[-.]+$/, '');
  return `${prefix}-${hash}`;
}

/** Path of a folder in the repository: `<path>/<cluster>[/<folder>]`, no leading "./". */
export function repoPath(distPath: string, cluster: string, folder?: string): string {
  return [distPath, cluster, folder].filter((s) => s !== undefined && s !== '').join('/');
}
