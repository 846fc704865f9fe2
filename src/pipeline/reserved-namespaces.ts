import { PLATFORM_FOLDER, RESERVED_FOLDERS } from '../gitops/gitops-names';
import { ResolvedClusterProfile } from '../shared/cluster-profile';
import { ValidationIssue } from '../shared/validation-issue';
import { gitOpsNamespaceIssue } from './gitops-name-limits';
import { SpecProblem } from './spec-error';

/**
 * The namespaces Kubernetes itself creates and runs (k8s.io/apimachinery
 * pkg/apis/meta/v1/types.go: NamespaceDefault, NamespaceSystem,
 * NamespacePublic; k8s.io/api/core/v1: NamespaceNodeLease). We render a
 * Namespace object with Pod Security labels (restricted by default) for every
 * namespace we deploy into, and applying that to one of these would stop the
 * cluster's own privileged pods from being admitted.
 */
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease', 'default'];

/**
 * The system namespaces an instance may not use: all but `default`, for which
 * no Namespace object is rendered (it always exists, and stays as it is).
 */
const SYSTEM_NAMESPACES_FOR_INSTANCES = SYSTEM_NAMESPACES.filter((namespace) => namespace !== 'default');

/**
 * Every namespace synth refuses for instances in a cluster of `profile`
 * (reservedNamespaceMessage says why for each), sorted. The Argo CD project
 * denies them (argocd-wiring.ts); with GitOps wiring the Argo CD and Flux
 * namespaces are among them.
 */
export function namespacesRefusedForInstances(profile: ResolvedClusterProfile): string[] {
  return [...new Set([
    ...RESERVED_FOLDERS,
    ...SYSTEM_NAMESPACES_FOR_INSTANCES,
    ...(profile.reconciler.enabled ? [profile.reconciler.namespace] : []),
    ...(profile.gitops.repoURL !== undefined ? [profile.gitops.argocd.namespace, profile.gitops.flux.namespace] : []),
  ])].sort();
}

/**
 * What the namespace check reads of a loaded instance (load-instances.ts
 * LoadedInstance): where it was written and what it is called. Spelled out
 * here so that this module, which the loader uses, does not import the loader.
 */
interface PlacedInstance {
  readonly file: string;
  readonly document: number;
  readonly kind: { readonly kind: string };
  readonly metadata: { readonly name: string; readonly namespace: string };
}

/** Instances in a namespace named like one of our folders would merge their objects into that folder; reported once per namespace. */
export function reservedNamespaceProblems(cluster: string, profile: ResolvedClusterProfile, instances: readonly PlacedInstance[]): SpecProblem[] {
  const check = reservedNamespaceChecker(cluster, profile);
  return instances.flatMap((instance) => {
    const issue = check(instance.metadata.namespace);
    if (!issue) return [];
    const resource = `${instance.kind.kind} ${instance.metadata.namespace}/${instance.metadata.name}`;
    return [{ file: instance.file, document: instance.document, resource, ...issue }];
  });
}

/** Checks namespaces of one cluster in order: the issue for the first use of each reserved one, nothing after. */
export function reservedNamespaceChecker(cluster: string, profile: ResolvedClusterProfile): (namespace: string) => ValidationIssue | undefined {
  const reported = new Set<string>();
  return (namespace) => {
    if (reported.has(namespace)) return undefined;
    const issue = reservedNamespaceIssue(cluster, profile, namespace);
    if (issue === undefined) return undefined;
    reported.add(namespace);
    return issue;
  };
}

/** Why `namespace` cannot hold instances in `cluster`, if it cannot. */
function reservedNamespaceIssue(cluster: string, profile: ResolvedClusterProfile, namespace: string): ValidationIssue | undefined {
  const message = reservedNamespaceMessage(cluster, profile, namespace);
  if (message !== undefined) return { path: 'metadata.namespace', message };
  // Only rendered with the GitOps wiring.
  return profile.gitops.repoURL !== undefined ? gitOpsNamespaceIssue(cluster, namespace) : undefined;
}

function reservedNamespaceMessage(cluster: string, profile: ResolvedClusterProfile, namespace: string): string | undefined {
  if (RESERVED_FOLDERS.includes(namespace)) {
    return `"${namespace}" is reserved in cluster "${cluster}": dist/${cluster}/${namespace}/ holds the ${namespace === PLATFORM_FOLDER ? 'CRDs and the reconciler' : `${namespace} objects`}; use any other namespace (not ${RESERVED_FOLDERS.join(', ')})`;
  }
  if (SYSTEM_NAMESPACES_FOR_INSTANCES.includes(namespace)) {
    return `"${namespace}" is a Kubernetes system namespace: synth would render its Namespace with pod-security.kubernetes.io/enforce: ${profile.podSecurityLevel}, which stops the cluster's own pods there; use a namespace of your own (not ${SYSTEM_NAMESPACES_FOR_INSTANCES.join(', ')})`;
  }
  // platform/reconciler.yaml owns that Namespace; rendering it again under
  // <namespace>/ breaks `kubectl kustomize` and gives it two GitOps owners.
  if (profile.reconciler.enabled && namespace === profile.reconciler.namespace) {
    return `"${namespace}" is the status reconciler's namespace in cluster "${cluster}" (rendered in platform/): use another namespace, or move the reconciler with spec.reconciler.namespace in cluster.yaml`;
  }
  // The GitOps tool's own namespace, installed and owned by the tool: our
  // Namespace object (Pod Security labels, prune protection) would take it over.
  if (profile.gitops.repoURL !== undefined) {
    if (namespace === profile.gitops.argocd.namespace) return `"${namespace}" is Argo CD's namespace in cluster "${cluster}" (spec.gitops.argocd.namespace): synth would render its Namespace object over Argo CD's own; use another namespace`;
    if (namespace === profile.gitops.flux.namespace) return `"${namespace}" is Flux's namespace in cluster "${cluster}" (spec.gitops.flux.namespace): synth would render its Namespace object over Flux's own; use another namespace`;
  }
  return undefined;
}

/**
 * Problems of a cluster profile that would break the cluster once applied:
 * the reconciler's Namespace (rendered with Pod Security labels) in a system
 * namespace. Checked even with the reconciler disabled, so enabling it later
 * cannot break the cluster.
 */
export function clusterProfileIssues(profile: ResolvedClusterProfile): ValidationIssue[] {
  const namespace = profile.reconciler.namespace;
  if (!SYSTEM_NAMESPACES.includes(namespace)) return [];
  return [{
    path: 'spec.reconciler.namespace',
    message: `"${namespace}" is a Kubernetes system namespace: synth renders the reconciler's Namespace with pod-security.kubernetes.io/enforce: restricted, which would stop the cluster's own pods there; use a namespace of its own (the default is cdk8s-abi-vecodex-system; not ${SYSTEM_NAMESPACES.join(', ')})`,
  }];
}
