/**
 * JSON Schemas of the files platform engineers write (instances/<cluster>/*.yaml
 * and cluster.yaml), for editors (the YAML language server) and pre-push
 * checks. Generated from the very schemas the loader validates against
 * (loaderSchemas() in load-instances.ts: the CRD schemas plus the metadata and
 * profile schemas), tightened exactly as synth's validator tightens them
 * (schema-validator.ts), so an editor accepts what synth's schema check
 * accepts; the semantic rules (src/<product>/*-rules.ts) and cross-file
 * checks remain synth's and `npm run validate`'s.
 *
 * Draft-07: the YAML language server's default dialect (and ajv's default), so
 * every editor integration reads these files without a dialect of its own.
 * scripts/write-json-schemas.ts writes them to schemas/; a test keeps that
 * folder current.
 */
import { resolveClusterProfile } from '../shared/cluster-profile';
import { CLUSTER_PROFILE_API_VERSION, CLUSTER_PROFILE_FILE, CLUSTER_PROFILE_KIND } from './cluster-profile-file';
import { loaderSchemas } from './load-instances';
import { validationSchemaOf } from './schema-validator';

type Schema = Record<string, any>;

const JSON_SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

/** The schema of any instance file: each document an AbiInstance or a VecodexSet. */
const INSTANCE_FILE_SCHEMA = 'instance-file.schema.json';

/** Formats JSON Schema defines; OpenAPI's int32/int64 only size the Go field and are no constraint here. */
const JSON_SCHEMA_FORMATS = new Set(['date-time', 'date', 'time', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'uri-reference', 'regex']);

/** Keys whose value is data, not a schema: copied as they are. */
const VALUE_KEYS = new Set(['default', 'enum', 'const', 'required', 'description', 'pattern', 'examples', 'title']);

export interface JsonSchemaOptions {
  /**
   * Descriptions of the profile's spec fields by path (`gpu.tolerations[].key`):
   * the profile schema has none of its own; its fields are documented in TSDoc
   * (scripts/profile-field-docs.ts reads them). @default no descriptions
   */
  readonly profileFieldDocs?: (specSchema: Schema) => Record<string, string>;
}

/** schemas/<file>: text, for every schema we publish. */
export function renderJsonSchemaFiles(options: JsonSchemaOptions = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(jsonSchemas(options)).map(([file, schema]) => [file, `${JSON.stringify(schema, null, 2)}\n`]));
}

/** The schemas by file name under schemas/. */
function jsonSchemas(options: JsonSchemaOptions = {}): Record<string, Schema> {
  const loader = loaderSchemas();
  const out: Record<string, Schema> = {};
  const kinds: Array<{ apiVersion: string; kind: string; schema: Schema }> = [];
  for (const { kind, schema } of loader.instances) {
    const documentSchema = kindSchema(kind.apiVersion, kind.kind, schema,
      `A ${kind.kind} (${kind.apiVersion}) spec file document: rendered by cdk8s-abi-vecodex into GitOps manifests (npx cdk8s synth); check with npm run validate.`);
    out[schemaFileName(kind.kind)] = { $schema: JSON_SCHEMA_DIALECT, ...documentSchema };
    kinds.push({ apiVersion: kind.apiVersion, kind: kind.kind, schema: documentSchema });
  }
  const profile = kindSchema(CLUSTER_PROFILE_API_VERSION, CLUSTER_PROFILE_KIND, loader.profile,
    `instances/<cluster>/${CLUSTER_PROFILE_FILE}: what every instance of the cluster renders against (GPU nodes, ingress and storage classes, pod security, GitOps wiring).`);
  const spec = profile.properties.spec as Schema;
  annotateProfile(spec, options.profileFieldDocs?.(spec) ?? {}, resolveClusterProfile(), '');
  out[schemaFileName(CLUSTER_PROFILE_KIND)] = { $schema: JSON_SCHEMA_DIALECT, ...profile };
  out[INSTANCE_FILE_SCHEMA] = instanceFileSchema(kinds);
  return out;
}

/** e.g. AbiInstance -> abi-instance.schema.json */
function schemaFileName(kind: string): string {
  return `${kind.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.schema.json`;
}

/**
 * One kind's document. apiVersion and kind become constants: the loader only
 * dispatches on them (any other pair is refused), and as constants an editor
 * completes them.
 */
function kindSchema(apiVersion: string, kind: string, loaderSchema: Schema, description: string): Schema {
  const schema = editorSchema(loaderSchema);
  const { apiVersion: apiVersionField, kind: kindField, ...fields } = schema.properties as Schema;
  return {
    title: `${kind} (${apiVersion})`,
    description,
    ...schema,
    properties: {
      apiVersion: { ...apiVersionField, const: apiVersion },
      kind: { ...kindField, const: kind },
      ...fields,
    },
  };
}

/**
 * Each document of a multi-document file is checked against the kind its
 * apiVersion and kind name (if/then, so an editor reports the fields of that
 * kind instead of "matches none of the alternatives").
 */
function instanceFileSchema(kinds: ReadonlyArray<{ apiVersion: string; kind: string; schema: Schema }>): Schema {
  const definitions = Object.fromEntries(kinds.map((k) => [k.kind, k.schema]));
  const names = kinds.map((k) => `${k.apiVersion} ${k.kind}`).join(', ');
  return {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'cdk8s-abi-vecodex instance file',
    description: `One document per instance, each one of: ${names}. (instances/<cluster>/${CLUSTER_PROFILE_FILE} is the cluster profile: ${schemaFileName(CLUSTER_PROFILE_KIND)}.)`,
    type: 'object',
    required: ['apiVersion', 'kind'],
    properties: {
      apiVersion: { type: 'string', enum: [...new Set(kinds.map((k) => k.apiVersion))] },
      kind: { type: 'string', enum: kinds.map((k) => k.kind) },
    },
    // A pair the pipeline does not render (abi.io/v1 VecodexSet) is refused too.
    anyOf: kinds.map((k) => ({ properties: { apiVersion: { const: k.apiVersion }, kind: { const: k.kind } } })),
    allOf: kinds.map((k) => ({
      if: { required: ['apiVersion', 'kind'], properties: { apiVersion: { const: k.apiVersion }, kind: { const: k.kind } } },
      then: { $ref: `#/definitions/${k.kind}` },
    })),
    definitions,
  };
}

/**
 * The profile's descriptions (from its TSDoc) and defaults: the values an
 * empty profile resolves to (resolveClusterProfile, the one place that
 * applies them), on every field the profile leaves unset gets them.
 */
function annotateProfile(schema: Schema, docs: Record<string, string>, resolved: unknown, prefix: string): void {
  for (const [field, sub] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    const key = `${prefix}${field}`;
    if (docs[key] && sub.description === undefined) sub.description = docs[key];
    const value = resolved !== null && typeof resolved === 'object' ? (resolved as Record<string, unknown>)[field] : undefined;
    if (sub.properties) {
      annotateProfile(sub, docs, value, `${key}.`);
    } else if (value !== undefined && sub.default === undefined) {
      sub.default = value;
    }
    if (sub.items?.properties) annotateProfile(sub.items, docs, undefined, `${key}[].`);
  }
}

/**
 * A loader schema as standard JSON Schema: the schema synth's validator
 * compiles (validationSchemaOf: objects closed where synth refuses unknown
 * fields, int-or-string as the type union, every bound synth adds), with the
 * annotations it drops put back (descriptions, defaults) and the quantity
 * pattern the API server applies to int-or-string fields (synth checks those
 * with its rules, for a better message). Extension keywords (x-*) and
 * OpenAPI-only formats are dropped: editors and standard validators do not
 * know them.
 */
function editorSchema(loaderSchema: Schema): Schema {
  return annotated(loaderSchema, validationSchemaOf(loaderSchema));
}

function annotated(original: Schema | undefined, strict: Schema): Schema {
  if (Array.isArray(strict)) return strict.map((item, i) => annotated((original as unknown as Schema[] | undefined)?.[i], item)) as unknown as Schema;
  if (strict === null || typeof strict !== 'object') return strict;
  const out: Schema = {};
  if (original?.description !== undefined) out.description = original.description;
  for (const [key, value] of Object.entries(strict)) {
    if (key.startsWith('x-')) continue;
    if (key === 'format' && !JSON_SCHEMA_FORMATS.has(value as string)) continue;
    if (key === 'properties') {
      // Keys here are field names (a field may be called "description"), not keywords.
      const fields = Object.entries(value as Schema);
      out.properties = Object.fromEntries(fields.map(([field, sub]) => [field, annotated(original?.properties?.[field], sub)]));
    } else {
      out[key] = VALUE_KEYS.has(key) ? value : annotated(original?.[key], value);
    }
  }
  if (original?.['x-kubernetes-int-or-string'] && original.pattern !== undefined) out.pattern = original.pattern;
  if (original?.default !== undefined) out.default = original.default;
  return out;
}
