import { createHash } from 'crypto';

/**
 * The pod template annotation carrying the hash of the rendered
 * configuration: `<group>/config-hash`, in the product's own API group. The
 * reconciler reads it back to tell an updated pod from a stale one.
 */
export function configHashAnnotation(group: string): string {
  return `${group}/config-hash`;
}

/**
 * A short, stable hash of configuration data. Put on the pod template, it rolls
 * the pods when the configuration changes (Kubernetes does not restart pods for
 * a changed ConfigMap) and stays identical when nothing changed.
 */
export function configHash(data: unknown): string {
  return createHash('sha256').update(stableStringify(data)).digest('hex').slice(0, 16);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object).sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
