/**
 * Annotations that keep an object in the cluster when it drops out of the
 * rendered output, or when its Argo CD Application is deleted, for objects
 * whose loss is not undone by re-rendering: a Namespace (everything in it) and
 * a claim holding data. Both tools read them on the live object, so they
 * protect it from the first sync that applied them on.
 */
export const PRUNE_PROTECTION_ANNOTATIONS: Readonly<Record<string, string>> = {
  'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
};
