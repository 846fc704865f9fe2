/**
 * Helpers for a product's toWireStatus: the status it writes must hold exactly
 * the fields its CRD's status schema declares.
 */

/** The defined values of `keys` in `obj`, e.g. the endpoints a CRD's status schema knows. */
export function pick<T extends object>(obj: T, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = (obj as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
