import { PLATFORM_FOLDER, RESERVED_FOLDERS } from '../gitops/gitops-names';
import { ResolvedClusterProfile } from '../shared/cluster-profile';
import type { LoadedInstance } from './load-instances';
import { SpecProblem } from './spec-error';

/** A namespace named like one of our folders would merge its objects into that folder. */
export function reservedNamespaceProblems(cluster: string, profile: ResolvedClusterProfile, instances: readonly LoadedInstance[]): SpecProblem[] {
  const reported = new Set<string>();
  return instances.flatMap((instance) => reservedNamespaceProblem(cluster, profile, instance, reported) ?? []);
}

/**
 * The problem with `instance`'s namespace, if any, reported once per namespace
 * (`reported` remembers which), so loadInstances can call it in file order.
 */
export function reservedNamespaceProblem(cluster: string, profile: ResolvedClusterProfile, instance: LoadedInstance, reported: Set<string>): SpecProblem | undefined {
  const reconciler = profile.reconciler;
  const namespace = instance.metadata.namespace;
  const folder = RESERVED_FOLDERS.includes(namespace);
  // platform/reconciler.yaml owns that Namespace; rendering it again under
  // <namespace>/ breaks `kubectl kustomize` and gives it two GitOps owners.
  const reconcilerNamespace = reconciler.enabled && namespace === reconciler.namespace;
  if ((!folder && !reconcilerNamespace) || reported.has(namespace)) return undefined;
  reported.add(namespace);
  return {
    file: instance.file, document: instance.document, resource: `${instance.kind.kind} ${namespace}/${instance.metadata.name}`, path: 'metadata.namespace',
    message: folder
      ? `"${namespace}" is reserved in cluster "${cluster}": dist/${cluster}/${namespace}/ holds the ${namespace === PLATFORM_FOLDER ? 'CRDs and the reconciler' : `${namespace} objects`}; use any other namespace (not ${RESERVED_FOLDERS.join(', ')})`
      : `"${namespace}" is the status reconciler's namespace in cluster "${cluster}" (rendered in platform/): use another namespace, or move the reconciler with spec.reconciler.namespace in cluster.yaml`,
  };
}
