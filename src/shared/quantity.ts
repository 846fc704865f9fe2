/** Kubernetes resource quantities (resource.Quantity), parsed for validation and comparison. */
import { k8s } from 'cdk8s-plus-27';

/** A quantity as written in a spec: "500m", "2Gi", or a plain number. */
export type Quantity = string | number;

const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

const MULTIPLIERS: Record<string, number> = {
  '': 1, 'n': 1e-9, 'u': 1e-6, 'm': 1e-3, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
};

/** The quantity in base units (cores, bytes, devices), or undefined when it does not parse. */
export function parseQuantity(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const m = QUANTITY.exec(value.trim());
  if (!m) return undefined;
  const suffix = m[2] ?? '';
  const multiplier = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : MULTIPLIERS[suffix];
  return Number(m[1]) * multiplier;
}

export const QUANTITY_HINT = 'a Kubernetes quantity such as 500m, 2, 512Mi or 10Gi';

/** A spec quantity as the typed L1 objects take it (numbers stay numbers in the YAML). */
export function toK8sQuantity(q: Quantity): k8s.Quantity {
  return typeof q === 'number' ? k8s.Quantity.fromNumber(q) : k8s.Quantity.fromString(q);
}
