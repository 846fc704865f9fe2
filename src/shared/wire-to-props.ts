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
export function propName(key: string): string {
  return key
    .replace(/^[A-Z]+(?=[A-Z][a-z]|[^A-Za-z]|$)|^[A-Z](?=[a-z])/, (run: string) => run.toLowerCase())
    .replace(/([A-Z]+)([A-Z][a-z0-9])/g, (_m, run: string, next: string) => run[0] + run.slice(1).toLowerCase() + next)
    .replace(/([A-Z]{2,})(?=[^a-z]|$)/g, (run: string) => run[0] + run.slice(1).toLowerCase())
    .replace(/[-_.](\w)/g, (_m, c: string) => c.toUpperCase());
}
