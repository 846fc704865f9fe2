/**
 * Image references under a cluster's registry policy: air-gapped clusters pull
 * images that name no registry from a mirror, and pull through the cluster's
 * pull Secrets. Images that name their registry are left alone: rewriting
 * ghcr.io/x to mirror/ghcr.io/x is a mirror layout we cannot know.
 */

/** Whether the reference's first path component is a registry host (docker's rule). */
export function namesRegistry(image: string): boolean {
  const slash = image.indexOf('/');
  if (slash < 0) return false;
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost';
}

/** The image as pulled on a cluster whose profile sets `imageRegistry`. */
export function imageWithRegistry(image: string, registry: string | undefined): string {
  if (registry === undefined || namesRegistry(image)) return image;
  return `${registry.replace(/\/+$/, '')}/${image}`;
}

/** Pull Secret names from every source, first occurrence wins, as pod imagePullSecrets (undefined when none). */
export function imagePullSecrets(...sources: ReadonlyArray<readonly string[] | undefined>): Array<{ name: string }> | undefined {
  const names = [...new Set(sources.flatMap((s) => s ?? []))];
  return names.length > 0 ? names.map((name) => ({ name })) : undefined;
}
