/**
 * A value from an input file, as an error message shows it: a string quoted
 * and cut short, any other value by its type. Values reach messages before
 * they are known to be strings, and interpolating a mapping, a list or a huge
 * string directly would print "[object Object]", or megabytes (an alias bomb
 * used as `kind` once crashed synth here with "Invalid string length").
 */
const SHOWN_CHARACTERS = 64;

export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value.length <= SHOWN_CHARACTERS
        ? JSON.stringify(value)
        : `${JSON.stringify(value.slice(0, SHOWN_CHARACTERS))}… (${value.length} characters)`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return '(not set)';
    default:
      if (value === null) return 'null';
      if (Array.isArray(value)) return `a list of ${value.length} item(s)`;
      if (value instanceof Date) return 'a YAML timestamp';
      return 'a mapping';
  }
}
