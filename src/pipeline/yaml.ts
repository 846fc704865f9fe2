import * as yaml from 'js-yaml';

/**
 * One serializer for every file we write, so output is byte-stable: no line
 * folding, no anchors, keys in insertion order (constructs emit them in a fixed order).
 */
export function toYaml(value: unknown): string {
  return yaml.dump(value, { lineWidth: -1, noRefs: true, quotingType: '"' });
}

export function toYamlDocuments(objects: readonly unknown[]): string {
  return objects.map(toYaml).join('---\n');
}
