import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { describeValue } from '../shared/describe-value';
import { ValidationIssue } from '../shared/validation-issue';
import { CLUSTER_PROFILE_RULES, clusterProfileSpecRules } from './cluster-profile-file';

type Schema = Record<string, any>;

/**
 * Compiles a CRD's openAPIV3Schema for ajv. The API server silently prunes
 * unknown fields of a structural schema; a spec file with a typo must fail
 * instead, so every object with declared properties gets
 * additionalProperties: false. int-or-string becomes a type union, as the API
 * server treats it. Compiled once per kind per run, on the first document of
 * that kind (a repository without VecodexSets never compiles their schema).
 *
 * Compiling is most of a small synthesis (the CRD schemas are large), so ajv
 * skips two steps that change no validation result: checking our own schema
 * against the JSON Schema meta-schema (which first compiles the meta-schema),
 * and the optimizer passes over the generated code. See BENCHMARKS.md, Synthesis.
 */
export function compileSpecSchema(schema: Schema): ValidateFunction {
  let compiled: ValidateFunction | undefined;
  const validate = function (this: unknown, data: unknown): boolean {
    compiled ??= newAjv().compile(strictCopy(schema));
    const valid = compiled.call(this, data) as boolean;
    validate.errors = compiled.errors;
    return valid;
  } as ValidateFunction;
  validate.schema = schema;
  validate.errors = null;
  return validate;
}

// verbose: errors carry the offending value (e.data), used in messages below.
const AJV_OPTIONS = {
  allErrors: true, strict: false, validateFormats: false, verbose: true, validateSchema: false, code: { optimize: false },
} as const;

/**
 * Rules a schema names with `x-rules: <name>` (only schemas that are not CRDs:
 * a CRD schema cannot carry unknown keywords): they run on the value at that
 * place, and their issues come back as errors with paths below it.
 */
const SCHEMA_RULES: Record<string, (data: any) => ValidationIssue[]> = {
  [CLUSTER_PROFILE_RULES]: clusterProfileSpecRules,
};

function newAjv(): Ajv {
  const ajv = new Ajv(AJV_OPTIONS);
  ajv.addKeyword({
    keyword: 'x-rules',
    errors: true,
    validate: function rules(name: string, data: unknown): boolean {
      const self = rules as unknown as { errors?: Array<Partial<ErrorObject>> };
      const issues = SCHEMA_RULES[name]?.(data) ?? [];
      self.errors = issues.map((issue) => ({ keyword: 'x-rules', message: issue.message, params: { path: issue.path } }));
      return issues.length === 0;
    },
  });
  return ajv;
}

/** Largest integer a field without a format holds exactly: JSON numbers beyond it (e.g. 1e21) are not integers we can render. */
const INTEGER_BOUNDS: Record<string, [number, number]> = {
  // k8s.io/kube-openapi: format int32 is a Go int32, int64 a Go int64 (here bounded by what a double holds exactly).
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  '': [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

function strictCopy(schema: Schema): Schema {
  if (Array.isArray(schema)) return schema.map(strictCopy) as unknown as Schema;
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'default' || key === 'description') continue; // annotations, not constraints
    if (key === 'properties') {
      // Keys here are field names (a field may be called "description"), not keywords.
      out.properties = Object.fromEntries(Object.entries(value as Schema).map(([field, sub]) => [field, strictCopy(sub)]));
    } else {
      out[key] = key === 'enum' ? value : strictCopy(value);
    }
  }
  if (out['x-kubernetes-int-or-string']) {
    // Quantities are checked by the semantic rules, which explain the format
    // better than a regular expression in an error message.
    delete out.anyOf;
    delete out.pattern;
    out.type = ['integer', 'string'];
  }
  const types = Array.isArray(out.type) ? out.type : [out.type];
  if (types.includes('integer')) {
    // ajv validates no format (validateFormats: false), and the API server
    // refuses an int32 field out of range, or silently wraps what an
    // unbounded one stores: every integer gets the bounds of its format.
    const [min, max] = INTEGER_BOUNDS[typeof out.format === 'string' && out.format in INTEGER_BOUNDS ? out.format : ''];
    out.minimum = Math.max(out.minimum ?? min, min);
    out.maximum = Math.min(out.maximum ?? max, max);
  }
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

/** ajv errors as issues with dotted field paths and the allowed values spelled out. */
export function schemaIssues(errors: ErrorObject[] | null | undefined, schema: Schema): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    const segments = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let path = segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '');
    let message: string;
    switch (e.keyword) {
      case 'additionalProperties': {
        const field = e.params.additionalProperty as string;
        path = path ? `${path}.${field}` : field;
        const allowed = Object.keys(schemaAt(schema, segments)?.properties ?? {}).sort();
        message = `is not a known field${allowed.length ? `: allowed fields here are ${allowed.join(', ')}` : ''}`;
        break;
      }
      case 'required':
        path = path ? `${path}.${e.params.missingProperty}` : String(e.params.missingProperty);
        message = 'is required';
        break;
      case 'enum':
        message = `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      case 'pattern':
        message = `${describeValue(e.data)} must match ${e.params.pattern}`;
        break;
      case 'x-rules':
        path = path ? `${path}.${e.params.path}` : String(e.params.path);
        message = e.message ?? 'is invalid';
        break;
      case 'type':
        message = `must be of type ${Array.isArray(e.params.type) ? e.params.type.join(' or ') : e.params.type}`;
        break;
      default:
        message = e.message ?? 'is invalid';
    }
    const key = `${path}|${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push({ path: path || '(document)', message });
    }
  }
  return issues;
}

function schemaAt(schema: Schema, segments: string[]): Schema | undefined {
  let node: Schema | undefined = schema;
  for (const s of segments) {
    if (!node) return undefined;
    node = /^\d+$/.test(s) ? node.items : node.properties?.[s] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
  }
  return node;
}

/**
 * The schema synth's validator compiles from a loader schema: unknown fields
 * closed, int-or-string as a type union, and every other tightening above.
 * The editor schemas (json-schemas.ts) are built from it, so they refuse
 * exactly what synth's schema check refuses.
 */
export function validationSchemaOf(schema: Schema): Schema {
  return strictCopy(schema);
}
