/**
 * Converts a custom resource's spec as it appears in YAML or on the API server
 * (the "wire" form) into the props of the class `cdk8s import` generated from
 * the same schema. The generated classes rename some keys (json2jsii camel-cases
 * acronyms: targetCPUUtilization -> targetCpuUtilization) and wrap
 * int-or-string values in classes; their toJson() undoes both, so
 * toJson(wireToProps(x)) === x for every valid x (tested).
 */
type Schema = Record<string, any>;

export function wireToProps(value: unknown, schema: Schema | undefined): any {
  if (value === null || value === undefined || schema === undefined) return value;
  if (schema['x-kubernetes-int-or-string']) return { value };
  if (Array.isArray(value)) return value.map((item) => wireToProps(item, schema.items));
  if (typeof value !== 'object') return value;
  const properties: Schema | undefined = schema.properties;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childSchema = properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    // Maps (additionalProperties) keep their keys: they are data, not field names.
    out[properties?.[key] ? propName(key) : key] = wireToProps(child, childSchema);
  }
  return out;
}

/**
 * json2jsii's property naming (the camelcase package): acronyms lowered
 * (targetCPUUtilization -> targetCpuUtilization), a leading capital run lowered
 * (M -> m), separators dropped (enable_merge -> enableMerge, s3-host -> s3Host).
 */
function propName(key: string): string {
  return key
    .replace(/^[A-Z]+(?=[A-Z][a-z]|[^A-Za-z]|$)|^[A-Z](?=[a-z])/, (run: string) => run.toLowerCase())
    .replace(/([A-Z]+)([A-Z][a-z0-9])/g, (_m, run: string, next: string) => run[0] + run.slice(1).toLowerCase() + next)
    .replace(/([A-Z]{2,})(?=[^a-z]|$)/g, (run: string) => run[0] + run.slice(1).toLowerCase())
    .replace(/[-_.](\w)/g, (_m, c: string) => c.toUpperCase());
}

/**
 * The inverse of wireToProps: a spec in generated-props form, as it would read
 * in a spec file, for the schema check of a chart used from code. Unlike the
 * generated toJson_* functions, which drop every key they do not know, keys
 * the schema does not declare are kept under their own name, so the closed
 * schema refuses them as it refuses them in a spec file. Undefined values are
 * dropped, as toJson_* drops them.
 */
export function propsToWire(value: unknown, schema: Schema | undefined): unknown {
  if (value === null || value === undefined || schema === undefined) return value;
  if (schema['x-kubernetes-int-or-string']) return isIntOrStringProp(value) ? value.value : value;
  if (Array.isArray(value)) return value.map((item) => propsToWire(item, schema.items));
  if (typeof value !== 'object') return value;
  const properties: Schema | undefined = schema.properties;
  const wireKeys = new Map(Object.keys(properties ?? {}).map((key) => [propName(key), key]));
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (child === undefined) continue;
    const wireKey = wireKeys.get(key);
    if (wireKey !== undefined) {
      out[wireKey] = propsToWire(child, properties![wireKey]);
    } else {
      // A map's keys are data; an undeclared field keeps its name, for the schema to refuse.
      out[key] = propsToWire(child, typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    }
  }
  return out;
}

/** The generated int-or-string classes (fromNumber/fromString) hold the wire value in `value`. */
function isIntOrStringProp(value: unknown): value is { readonly value: string | number } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'value' in value;
}
