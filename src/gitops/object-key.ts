/**
 * How a rendered-diff names an object: `<cluster>: <Kind> <namespace>/<name> (<apiVersion>)`,
 * or `<cluster>: kustomize <file>` for a kustomization.yaml. Built and read
 * only here, so the diff and its hazard checks cannot drift apart.
 */
export function objectKey(cluster: string, obj: { kind?: string; apiVersion?: string; metadata?: { name?: string; namespace?: string } }): string {
  const namespace = obj.metadata?.namespace;
  return `${cluster}: ${obj.kind}${namespace ? ` ${namespace}/` : ' '}${obj.metadata?.name} (${obj.apiVersion})`;
}

export function kustomizationKey(cluster: string, file: string): string {
  return `${cluster}: kustomize ${file}`;
}

/** The kind in a key (`kustomize` for a kustomization.yaml). */
export function kindOfKey(key: string): string {
  return key.slice(key.indexOf(': ') + 2).split(' ')[0];
}

/** The same key with another kind: the same name and place. */
export function keyWithKind(key: string, kind: string): string {
  return key.replace(`: ${kindOfKey(key)} `, `: ${kind} `);
}
