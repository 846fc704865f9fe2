/**
 * How long a cluster folder name (and, with GitOps wiring, a namespace) may
 * be, derived from the names src/gitops/gitops-names.ts builds from them, so
 * that the limits follow any change there.
 *
 * Every Argo CD and Flux object name must fit in a label value: Flux labels
 * every object a Kustomization applies with the Kustomization's name
 * (kustomize.toolkit.fluxcd.io/name), and Argo CD's label tracking labels them
 * with the Application's name (app.kubernetes.io/instance). Label values are
 * at most 63 characters (k8s.io/apimachinery/pkg/util/validation,
 * LabelValueMaxLength), as are DNS-1123 label names.
 */
import { gitOpsNames } from '../gitops/gitops-names';
import { ValidationIssue } from '../shared/validation-issue';

export const GITOPS_NAME_MAX_LENGTH = 63;

/** Measured on a probe: every fixed name is the cluster name plus a constant prefix/suffix. */
const PROBE_CLUSTER = 'c';
const PROBE_NAMESPACE = 'n';

function fixedNames(cluster: string): Array<{ what: string; name: string }> {
  const names = gitOpsNames(cluster);
  return [
    { what: 'Argo CD root Application and Flux root Kustomization', name: names.root },
    { what: 'Argo CD AppProject', name: names.project },
    { what: 'Argo CD bootstrap AppProject', name: names.bootstrapProject },
    { what: 'Flux GitRepository', name: names.source },
    { what: 'Argo CD Application and Flux Kustomization of platform/', name: names.platform },
  ];
}

const longestFixed = fixedNames(PROBE_CLUSTER).reduce((a, b) => (b.name.length > a.name.length ? b : a));

/** Longest cluster folder name: its longest derived name (the bootstrap AppProject's) is then exactly 63 characters. */
export const MAX_CLUSTER_FOLDER_LENGTH = GITOPS_NAME_MAX_LENGTH - (longestFixed.name.length - PROBE_CLUSTER.length);

/** Characters a namespace's Application/Kustomization name adds to the cluster and namespace names. */
const NAMESPACE_NAME_OVERHEAD = gitOpsNames(PROBE_CLUSTER).namespace(PROBE_NAMESPACE).length - PROBE_CLUSTER.length - PROBE_NAMESPACE.length;

/** Why `cluster` cannot be a cluster folder name, if its derived names are too long. */
export function clusterFolderNameMessage(cluster: string): string | undefined {
  if (cluster.length <= MAX_CLUSTER_FOLDER_LENGTH) return undefined;
  const longest = fixedNames(cluster).reduce((a, b) => (b.name.length > a.name.length ? b : a));
  return `is too long for a cluster folder name: ${cluster.length} characters, at most ${MAX_CLUSTER_FOLDER_LENGTH} are allowed (the ${longest.what} "${longest.name}" would have ${longest.name.length}, more than the ${GITOPS_NAME_MAX_LENGTH} of a Kubernetes label value); shorten it by ${cluster.length - MAX_CLUSTER_FOLDER_LENGTH}`;
}

/** Longest namespace of `cluster` whose Argo CD Application and Flux Kustomization names fit. */
export function maxNamespaceLength(cluster: string): number {
  return GITOPS_NAME_MAX_LENGTH - NAMESPACE_NAME_OVERHEAD - cluster.length;
}

/** The issue on metadata.namespace when the namespace's GitOps object names would be too long. */
export function gitOpsNamespaceIssue(cluster: string, namespace: string): ValidationIssue | undefined {
  if (namespace.length <= maxNamespaceLength(cluster)) return undefined;
  const name = gitOpsNames(cluster).namespace(namespace);
  return {
    path: 'metadata.namespace',
    message: `"${namespace}" is too long for cluster "${cluster}": the Argo CD Application and Flux Kustomization of the namespace, "${name}", would have ${name.length} characters, more than the ${GITOPS_NAME_MAX_LENGTH} of a Kubernetes label value; namespaces of this cluster may have at most ${maxNamespaceLength(cluster)} characters (shorten the namespace, or the cluster folder name)`,
  };
}
