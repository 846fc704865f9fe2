import { parseKubeQuantity, parseQuantity, quantityMilliValue } from '../../src/shared/quantity';

/**
 * Fixtures: the table of TestQuantityParse and the inputs of TestParseQuantity
 * in k8s.io/apimachinery/pkg/api/resource/quantity_test.go, each as
 * [input, mantissa, base-10 scale] of the decQuantity(mantissa, scale, format)
 * Kubernetes expects; "max" is maxAllowed (2^63-1), the cap of BinarySI values.
 */
const KUBERNETES_PARSE: Array<[string, bigint | 'max', number]> = [
  ['0', 0n, 0], ['0n', 0n, 0], ['0u', 0n, 0], ['0m', 0n, 0], ['0Ki', 0n, 0], ['0k', 0n, 0], ['0Mi', 0n, 0], ['0M', 0n, 0],
  ['0Gi', 0n, 0], ['0G', 0n, 0], ['0Ti', 0n, 0], ['0T', 0n, 0],
  ['1', 1n, 0],
  ['1Ki', 1024n, 0], ['8Ki', 8n * 1024n, 0], ['7Mi', 7n * 1024n ** 2n, 0], ['6Gi', 6n * 1024n ** 3n, 0], ['5Ti', 5n * 1024n ** 4n, 0],
  ['4Pi', 4n * 1024n ** 5n, 0], ['3Ei', 3n * 1024n ** 6n, 0], ['10Ti', 10n * 1024n ** 4n, 0], ['100Ti', 100n * 1024n ** 4n, 0],
  ['5n', 5n, -9], ['4u', 4n, -6], ['3m', 3n, -3], ['9', 9n, 0], ['8k', 8n, 3], ['50k', 5n, 4], ['7M', 7n, 6], ['6G', 6n, 9], ['5T', 5n, 12],
  ['40T', 4n, 13], ['300T', 3n, 14], ['2P', 2n, 15], ['1E', 1n, 18],
  ['1E-3', 1n, -3], ['1e3', 1n, 3], ['1E6', 1n, 6], ['1e9', 1n, 9], ['1E12', 1n, 12], ['1e15', 1n, 15], ['1E18', 1n, 18],
  ['1e14', 1n, 14], ['1e13', 1n, 13], ['100.035k', 100035n, 0],
  ['0.001', 1n, -3], ['0.0005k', 5n, -1], ['0.005', 5n, -3], ['0.05', 5n, -2], ['0.5', 5n, -1], ['0.00050k', 5n, -1], ['0.00500', 5n, -3],
  ['0.05000', 5n, -2], ['0.50000', 5n, -1], ['0.5e0', 5n, -1], ['0.5e-1', 5n, -2], ['0.5e-2', 5n, -3], ['10.035M', 10035n, 3],
  ['1.2e3', 12n, 2], ['1.3E+6', 13n, 5], ['1.40e9', 14n, 8], ['1.53E12', 153n, 10], ['1.6e15', 16n, 14], ['1.7E18', 17n, 17],
  ['9.01', 901n, -2], ['8.1k', 81n, 2], ['7.123456M', 7123456n, 0], ['6.987654321G', 6987654321n, 0], ['5.444T', 5444n, 9],
  ['40.1T', 401n, 11], ['300.2T', 3002n, 11], ['2.5P', 25n, 14], ['1.01E', 101n, 16],
  ['3.001n', 4n, -9], ['1.1E-9', 2n, -9], ['0.0000000001', 1n, -9], ['0.0000000005', 1n, -9], ['0.00000000050', 1n, -9], ['0.5e-9', 1n, -9],
  ['0.9n', 1n, -9], ['0.00000012345', 124n, -9], ['0.00000012354', 124n, -9], ['9Ei', 'max', 0], ['9223372036854775807Ki', 'max', 0], ['12E', 12n, 18],
  ['100.035Ki', 10243584n, -2], ['0.5Mi', 524288n, 0], ['0.05Gi', 536870912n, -1], ['0.025Ti', 274877906944n, -1],
  ['0.000000000001Ki', 2n, -9], ['.001', 1n, -3], ['.0001k', 100n, -3], ['1.', 1n, 0], ['1.G', 1n, 9],
  // TestParseQuantity: values around the int64 boundary (decimal values are not capped)
  ['999999999999999999', 999999999999999999n, 0], ['999999999999999999.1', 9999999999999999991n, -1], ['9999999999999999999', 9999999999999999999n, 0],
  ['1.0E', 1n, 18], ['1.0000000000000000001E', 10000000000000000001n, -1], ['10E', 10n, 18], ['10000000000000000000000m', 10n, 18],
  ['9223372036854775807', 9223372036854775807n, 0], ['9223372036854775808.1', 92233720368547758081n, -1],
];

/** TestQuantityParse's invalid inputs, and what the CRD quantity pattern or strconv.ParseInt refuses on top. */
const KUBERNETES_INVALID = ['', '1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', ' 1', '1 '];
const PATTERN_OR_EXPONENT_INVALID = ['1e3.5', '1E3.5', 'Ki', 'm', '.', '-.', '+', '1e', '1K', '1KiB', '1e99999999999', 'banana', '12 GB', '0x10'];

const NANO = 10n ** 9n;
const expectedNanos = (mantissa: bigint | 'max', scale: number): bigint =>
  mantissa === 'max' ? (2n ** 63n - 1n) * NANO : mantissa * 10n ** BigInt(scale + 9);

describe('parseKubeQuantity: Kubernetes\' own quantity tests as fixtures', () => {
  test('GIVEN the fixture tables THEN they have cases', () => {
    expect(KUBERNETES_PARSE.length).toBeGreaterThan(100);
    expect(KUBERNETES_INVALID.length + PATTERN_OR_EXPONENT_INVALID.length).toBeGreaterThan(20);
  });

  test.each(KUBERNETES_PARSE)('GIVEN %s WHEN parsed THEN it is Kubernetes\' value, also with a sign', (input, mantissa, scale) => {
    const nanos = expectedNanos(mantissa, scale);
    expect(parseKubeQuantity(input)?.nanos).toBe(nanos);
    expect(parseKubeQuantity(`+${input}`)?.nanos).toBe(nanos);
    expect(parseKubeQuantity(`-${input}`)?.nanos).toBe(-nanos);
  });

  test.each([...KUBERNETES_INVALID, ...PATTERN_OR_EXPONENT_INVALID])('GIVEN %j WHEN parsed THEN it is refused', (input) => {
    expect(parseKubeQuantity(input)).toBeUndefined();
  });

  test('GIVEN the issue\'s examples THEN 1E is 10^18, Ei parses, and floats stay exact', () => {
    expect(parseQuantity('1E')).toBe(1e18);
    expect(parseQuantity('1Ei')).toBe(2 ** 60);
    expect(parseQuantity('2E')).toBe(2e18);
    expect(parseKubeQuantity('0.1')!.nanos + parseKubeQuantity('0.2')!.nanos).toBe(parseKubeQuantity('0.3')!.nanos);
    expect(quantityMilliValue(parseKubeQuantity('500m')!)).toBe(500n);
  });

  test('GIVEN YAML numbers THEN integers are exact and non-finite numbers are refused', () => {
    expect(parseKubeQuantity(2)?.nanos).toBe(2n * NANO);
    expect(parseKubeQuantity(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(parseKubeQuantity(Number.NaN)).toBeUndefined();
  });
});
