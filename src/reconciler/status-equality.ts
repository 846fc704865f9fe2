/**
 * Whether a computed status equals the stored one. Key order differs between
 * what we build and what the API server returns, so compare canonically.
 */
export function sameStatus(stored: unknown, computed: unknown): boolean {
  return canonical(stored ?? {}) === canonical(computed ?? {});
}

function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value as Record<string, unknown>).sort()) {
    const v = (value as Record<string, unknown>)[key];
    // An undefined member is not serialized; treat it as absent.
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}
