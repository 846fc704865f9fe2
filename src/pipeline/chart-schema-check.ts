/**
 * The CRD schema check of a chart used from code: the check spec files get
 * (schema-validator.ts, unknown fields closed, integer bounds of their format),
 * so `replicas: 500` fails in code as it fails in YAML, before any rule or
 * resolver reads the spec.
 *
 * The pipeline validates every document before it renders it, and compiling
 * a CRD schema costs more than rendering a small instance (BENCHMARKS.md,
 * Synthesis), so a spec the loader has already checked is marked and not
 * checked twice; a chart built from code compiles its kind's schema once per
 * process, on first use.
 */
import { ValidateFunction } from 'ajv';
import { describeValue } from '../shared/describe-value';
import { ValidationIssue } from '../shared/validation-issue';
import { propsToWire } from '../shared/wire-to-props';
import { compileSpecSchema, schemaIssues, validationSchemaOf } from './schema-validator';

type Schema = Record<string, any>;

const schemaChecked = new WeakSet<object>();

/**
 * Marks a spec (generated-props form) as checked against its CRD schema, so a
 * chart rendering this very object does not check it again. Only the loader
 * and the render workers (which receive loader-checked specs) mark.
 */
export function markSpecSchemaChecked(spec: unknown): void {
  if (typeof spec === 'object' && spec !== null) schemaChecked.add(spec);
}

/** One kind's spec schema check, compiled on its first use. */
export class ChartSchemaCheck {
  private schema?: Schema;
  private validate?: ValidateFunction;
  /** The schema as checked (with the bounds of each integer format), for the allowed ranges in messages. */
  private checked?: Schema;

  /**
   * @param kind - the custom resource kind, for the hint, e.g. `AbiInstance`
   * @param specSchema - the CRD's spec schema (openAPIV3Schema.properties.spec)
   */
  constructor(private readonly kind: string, private readonly specSchema: () => Schema) {}

  /** Problems of `spec` (generated-props form) under the schema, with `spec.`-rooted paths; none when it passes. */
  issues(spec: unknown): ValidationIssue[] {
    if (typeof spec === 'object' && spec !== null && schemaChecked.has(spec)) return [];
    this.schema ??= this.specSchema();
    this.validate ??= compileSpecSchema(this.schema);
    const wire = propsToWire(spec, this.schema);
    if (this.validate(wire)) return [];
    const checked = (this.checked ??= validationSchemaOf(this.schema));
    return schemaIssues(this.validate.errors, this.schema).map((issue) => {
      const path = issue.path === '(document)' ? 'spec' : `spec.${issue.path}`;
      return { path, message: withValueAndRange(issue, wire, checked) };
    });
  }

  /** The closing line of the error: where the paths point and what to change. */
  get hint(): string {
    return `fix: these fields of props.spec break the ${this.kind} CRD schema, which spec files are checked against too; paths name the CRD's fields (the generated props camel-case acronyms: targetCPUUtilization is targetCpuUtilization)`;
  }
}

/** The message with the value at fault in front and, for a bound, both ends of the allowed range. */
function withValueAndRange(issue: ValidationIssue, wire: unknown, schema: Schema): string {
  if (/^(is not a known field|is required)/.test(issue.message)) return issue.message;
  const segments = issue.path === '(document)' ? [] : issue.path.replace(/\[(\d+)\]/g, '.$1').split('.');
  const at = walk(wire, schema, segments);
  if (!at || (typeof at.value === 'object' && at.value !== null)) return issue.message;
  const shown = issue.message.includes(describeValue(at.value)) ? issue.message : `is ${describeValue(at.value)}: ${issue.message}`;
  const { minimum, maximum } = at.schema ?? {};
  if (/^must be [<>]/.test(issue.message) && typeof minimum === 'number' && typeof maximum === 'number') {
    return `${shown} (allowed: ${minimum} to ${maximum})`;
  }
  return shown;
}

function walk(value: unknown, schema: Schema | undefined, segments: readonly string[]): { value: unknown; schema?: Schema } | undefined {
  let v: any = value;
  let s: Schema | undefined = schema;
  for (const segment of segments) {
    if (v === null || typeof v !== 'object' || !(segment in v)) return undefined;
    v = v[segment];
    s = /^\d+$/.test(segment) ? s?.items : s?.properties?.[segment] ?? (typeof s?.additionalProperties === 'object' ? s.additionalProperties : undefined);
  }
  return { value: v, schema: s };
}
