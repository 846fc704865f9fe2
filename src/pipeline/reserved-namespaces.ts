import { PLATFORM_FOLDER, RESERVED_FOLDERS } from '../gitops/gitops-names';
import { ResolvedClusterProfile } from '../shared/cluster-profile';
import type { LoadedInstance } from './load-instances';
import { ValidationIssue } from '../shared/validation-issue';
import { SpecProblem } from './spec-error';

/** Instances in a namespace named like one of our folders would merge their objects into that folder; reported once per namespace. */
export function reservedNamespaceProblems(cluster: string, profile: ResolvedClusterProfile, instances: readonly LoadedInstance[]): SpecProblem[] {
  const check = reservedNamespaceChecker(cluster, profile);
  return instances.flatMap((instance) => {
    const issue = check(instance.metadata.namespace);
    return issue ? [{ file: instance.file, document: instance.document, resource: `${instance.kind.kind} ${instance.metadata.namespace}/${instance.metadata.name}`, ...issue }] : [];
  });
}

/** Checks namespaces of one cluster in order: the issue for the first use of each reserved one, nothing after. */
export function reservedNamespaceChecker(cluster: string, profile: ResolvedClusterProfile): (namespace: string) => ValidationIssue | undefined {
  const reported = new Set<string>();
  return (namespace) => {
    if (reported.has(namespace)) return undefined;
    const message = reservedNamespaceMessage(cluster, profile, namespace);
    if (message === undefined) return undefined;
    reported.add(namespace);
    return { path: 'metadata.namespace', message };
  };
}

/** Why `namespace` cannot hold instances in `cluster`, if it cannot. */
function reservedNamespaceMessage(cluster: string, profile: ResolvedClusterProfile, namespace: string): string | undefined {
  if (RESERVED_FOLDERS.includes(namespace)) {
    return `"${namespace}" is reserved in cluster "${cluster}": dist/${cluster}/${namespace}/ holds the ${namespace === PLATFORM_FOLDER ? 'CRDs and the reconciler' : `${namespace} objects`}; use any other namespace (not ${RESERVED_FOLDERS.join(', ')})`;
  }
  // platform/reconciler.yaml owns that Namespace; rendering it again under
  // <namespace>/ breaks `kubectl kustomize` and gives it two GitOps owners.
  if (profile.reconciler.enabled && namespace === profile.reconciler.namespace) {
    return `"${namespace}" is the status reconciler's namespace in cluster "${cluster}" (rendered in platform/): use another namespace, or move the reconciler with spec.reconciler.namespace in cluster.yaml`;
  }
  return undefined;
}
