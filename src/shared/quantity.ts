/**
 * Kubernetes resource quantities (resource.Quantity), parsed exactly as the
 * API server parses them, for validation and comparison. The one parser of the
 * project: every rule that reads a quantity goes through parseKubeQuantity.
 *
 * The grammar is Kubernetes' (k8s.io/apimachinery/pkg/api/resource/quantity.go,
 * ParseQuantity and parseQuantityString; suffixes from suffix.go):
 *
 *   <quantity>        ::= <signedNumber><suffix>
 *   <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *   <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
 *   <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
 *   <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
 *   <decimalExponent> ::= "e" <signedInteger> | "E" <signedInteger>
 *
 * intersected with the OpenAPI pattern of a quantity field (the pattern in our
 * CRDs, from k8s.io/apimachinery's Quantity OpenAPI definition), because every
 * quantity we render also lands in the custom resource itself: Go's scanner
 * alone also takes "Ki", "+" or "." (as 0), which the pattern refuses, and the
 * pattern alone takes "1e3.5", whose exponent Go's strconv.ParseInt refuses.
 *
 * Values are exact: in nano-units (10^-9), a non-zero magnitude below 1n
 * rounded up to 1n as ParseQuantity does (inf.RoundUp), never a float.
 */
import { k8s } from 'cdk8s-plus-27';

/** A quantity as written in a spec: "500m", "2Gi", or a plain number. */
export type Quantity = string | number;

type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface ParsedQuantity {
  /** The exact value in nano-units (1 = 10^-9 of a core, byte, device). */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

const GRAMMAR = /^([+-])?([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE])|[eE]([+-]?[0-9]+))?$/;

const DECIMAL_SI: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SI: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** Longest quantity text we parse; Kubernetes has no limit, but nothing real comes close. */
const MAX_QUANTITY_LENGTH = 128;

/** 2^63-1 base units: the most a Quantity holds as int64 (BinarySI values are capped there, quantity.go maxAllowed). */
export const MAX_QUANTITY_UNITS = 2n ** 63n - 1n;

const NANO = 10n ** 9n;
/** Any magnitude beyond this many nano-units is represented as this (it is refused as too large anyway). */
const HUGE = 10n ** 40n;

/** The quantity, or undefined when Kubernetes (or the quantity pattern of a CRD) refuses it. */
export function parseKubeQuantity(input: Quantity): ParsedQuantity | undefined {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return undefined;
    // YAML numbers: integers exactly, anything else through its decimal text.
    if (Number.isSafeInteger(input)) return { nanos: BigInt(input) * NANO, format: 'DecimalSI' };
    return parseKubeQuantity(String(input));
  }
  if (typeof input !== 'string' || input.length > MAX_QUANTITY_LENGTH) return undefined;
  const m = GRAMMAR.exec(input);
  if (!m) return undefined;
  const [, sign, number, binary, decimal, exponent] = m;
  let exp10 = 0;
  let exp2 = 0;
  let format: QuantityFormat = 'DecimalSI';
  if (binary !== undefined) {
    exp2 = BINARY_SI[binary];
    format = 'BinarySI';
  } else if (decimal !== undefined) {
    exp10 = DECIMAL_SI[decimal];
  } else if (exponent !== undefined) {
    // strconv.ParseInt(…, 10, 64), then int32(…): refuse what would wrap around.
    const e = Number(exponent);
    if (!Number.isSafeInteger(e) || e > 2 ** 31 - 1 || e < -(2 ** 31)) return undefined;
    exp10 = e;
    format = 'DecimalExponent';
  }
  const [whole, fraction = ''] = number.split('.');
  const digits = (whole + fraction).replace(/^0+/, '');
  const negative = sign === '-';
  if (digits === '') return { nanos: 0n, format: format === 'BinarySI' ? 'BinarySI' : format };
  // value = digits * 10^scale * 2^exp2, in nano-units
  const scale = exp10 - fraction.length + 9;
  let magnitude: bigint;
  if (digits.length + scale > 40) {
    magnitude = HUGE;
  } else if (scale >= 0) {
    magnitude = BigInt(digits) * 10n ** BigInt(scale) * 2n ** BigInt(exp2);
  } else if (digits.length + scale + 19 < 0) {
    magnitude = 1n; // far below 1n even times 2^60: rounds up to 1n
  } else {
    const numerator = BigInt(digits) * 2n ** BigInt(exp2);
    const denominator = 10n ** BigInt(-scale);
    magnitude = (numerator + denominator - 1n) / denominator; // inf.RoundUp
  }
  // BinarySI values are capped at maxAllowed (quantity.go); below 1 they become DecimalSI.
  if (format === 'BinarySI' && magnitude > MAX_QUANTITY_UNITS * NANO) magnitude = MAX_QUANTITY_UNITS * NANO;
  if (format === 'BinarySI' && magnitude < NANO) format = 'DecimalSI';
  return { nanos: negative ? -magnitude : magnitude, format };
}

/** The quantity in base units (cores, bytes, devices) as a float, or undefined when it does not parse. */
export function parseQuantity(value: Quantity): number | undefined {
  const q = parseKubeQuantity(value);
  return q === undefined ? undefined : nanosToNumber(q.nanos);
}

/** Exact comparison of two parsed quantities: negative, zero or positive. */
export function compareQuantities(a: ParsedQuantity, b: ParsedQuantity): number {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

/** Milli-units, rounding up (Quantity.MilliValue()). */
export function quantityMilliValue(q: ParsedQuantity): bigint {
  const milli = 10n ** 6n;
  return q.nanos >= 0n ? (q.nanos + milli - 1n) / milli : -((-q.nanos + milli - 1n) / milli);
}

/** True when the quantity is more than Kubernetes counts in an int64 of base units. */
export function isTooLarge(q: ParsedQuantity): boolean {
  const magnitude = q.nanos < 0n ? -q.nanos : q.nanos;
  return magnitude > MAX_QUANTITY_UNITS * NANO;
}

function nanosToNumber(nanos: bigint): number {
  const whole = nanos / NANO;
  const rest = nanos % NANO;
  return Number(whole) + Number(rest) / 1e9;
}

export const QUANTITY_HINT = 'a Kubernetes quantity such as 500m, 2, 512Mi or 10Gi';

/** A spec quantity as the typed L1 objects take it (numbers stay numbers in the YAML). */
export function toK8sQuantity(q: Quantity): k8s.Quantity {
  return typeof q === 'number' ? k8s.Quantity.fromNumber(q) : k8s.Quantity.fromString(q);
}
