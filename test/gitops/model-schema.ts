/**
 * Strict offline validation of Argo CD, Flux and Kustomize objects.
 *
 * The @kubernetes-models packages (the newest that run on Node 20) are
 * generated from the upstream CRDs, but their validators are precompiled ajv
 * code that allows unknown fields, and the packages ship no JSON schema. Their
 * type declarations do carry every field of the upstream schema, so the JSON
 * schema is rebuilt from those declarations with the TypeScript compiler:
 * objects with declared fields get additionalProperties: false, maps (index
 * signatures) keep their value schema, literals become enums: the same
 * strictness compileSpecSchema applies to our own CRDs, reported with the same
 * messages (schemaIssues), so a misspelled field is "is not a known field".
 * compileSpecSchema itself is not used: it drops every key named description
 * or default as an annotation, including the AppProject *field* description.
 *
 * kustomization.yaml: no npm package ships a Kustomization schema
 * (@schemastore/kustomization has TypeScript declarations only, and no
 * @kubernetes-models package covers kustomize.config.k8s.io), so
 * KUSTOMIZATION_SCHEMA (kustomize.ts) spells out the fields we render.
 */
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import * as ts from 'typescript';
import { schemaIssues } from '../../src/pipeline/schema-validator';
import { KUSTOMIZATION_SCHEMA } from './kustomize';

type Schema = Record<string, any>;

/** The models validated: module (as imported) and interface, per apiVersion/kind. */
export const MODEL_TYPES: Record<string, { readonly module: string; readonly type: string }> = {
  'argoproj.io/v1alpha1/AppProject': { module: '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject', type: 'IAppProject' },
  'argoproj.io/v1alpha1/Application': { module: '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application', type: 'IApplication' },
  'kustomize.toolkit.fluxcd.io/v1/Kustomization': { module: '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization', type: 'IKustomization' },
  'source.toolkit.fluxcd.io/v1/GitRepository': { module: '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository', type: 'IGitRepository' },
};

/**
 * Fields newer than the newest model that runs on Node 20, with their schema
 * from the upstream CRD. Kustomization.spec.healthCheckExprs arrived in Flux
 * 2.5 (kustomize-controller's kustomize.toolkit.fluxcd.io_kustomizations.yaml),
 * GitRepository.spec.sparseCheckout in Flux 2.6 (source-controller's
 * source.toolkit.fluxcd.io_gitrepositories.yaml).
 */
const NEWER_FIELDS: Record<string, Array<{ readonly path: string[]; readonly schema: Schema }>> = {
  'kustomize.toolkit.fluxcd.io/v1/Kustomization': [{
    path: ['spec', 'healthCheckExprs'],
    schema: {
      type: 'array',
      items: {
        type: 'object',
        required: ['apiVersion', 'current', 'kind'],
        additionalProperties: false,
        properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, current: { type: 'string' }, inProgress: { type: 'string' }, failed: { type: 'string' } },
      },
    },
  }],
  'source.toolkit.fluxcd.io/v1/GitRepository': [{
    path: ['spec', 'sparseCheckout'],
    schema: { type: 'array', items: { type: 'string' } },
  }],
};

/** JSON schema of each model in MODEL_TYPES, from one TypeScript program. */
export function modelSchemas(): Record<string, Schema> {
  const keys = Object.keys(MODEL_TYPES);
  const root = path.join(__dirname, '__model_schema_root__.ts');
  const source = keys.map((key, i) => `import { ${MODEL_TYPES[key].type} as T${i} } from '${MODEL_TYPES[key].module}';\nexport type M${i} = T${i};`).join('\n');
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, skipLibCheck: true, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) => (name === root
    ? ts.createSourceFile(name, source, version)
    : getSourceFile(name, version, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === root || fileExists(name);
  const program = ts.createProgram([root], options, host);
  const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (problems.length > 0) throw new Error(`model declarations did not load: ${problems.join('; ')}`);
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(root)!;
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(file)!);
  const out: Record<string, Schema> = {};
  keys.forEach((key, i) => {
    const alias = exported.find((s) => s.name === `M${i}`)!;
    const schema = typeToSchema(checker, checker.getDeclaredTypeOfSymbol(alias), []);
    for (const field of NEWER_FIELDS[key] ?? []) {
      let node = schema;
      for (const segment of field.path.slice(0, -1)) node = node.properties[segment];
      if (node.properties[field.path[field.path.length - 1]]) throw new Error(`${key}: ${field.path.join('.')} is in the model now; drop it from NEWER_FIELDS`);
      node.properties[field.path[field.path.length - 1]] = field.schema;
    }
    out[key] = schema;
  });
  return out;
}

function typeToSchema(checker: ts.TypeChecker, type: ts.Type, stack: ts.Type[]): Schema {
  const F = ts.TypeFlags;
  if (type.flags & (F.Any | F.Unknown)) return {};
  if (type.isUnion()) {
    const parts = type.types.filter((t) => !(t.flags & (F.Undefined | F.Null)));
    if (parts.length > 0 && parts.every((t) => t.flags & F.BooleanLiteral)) return { type: 'boolean' };
    if (parts.length === 1) return typeToSchema(checker, parts[0], stack);
    if (parts.every((t) => t.isStringLiteral())) return { type: 'string', enum: parts.map((t) => (t as ts.StringLiteralType).value) };
    return { anyOf: parts.map((t) => typeToSchema(checker, t, stack)) };
  }
  if (type.isStringLiteral()) return { type: 'string', enum: [type.value] };
  if (type.isNumberLiteral()) return { type: 'number', enum: [type.value] };
  if (type.flags & F.String) return { type: 'string' };
  if (type.flags & F.Number) return { type: 'number' };
  if (type.flags & (F.Boolean | F.BooleanLiteral)) return { type: 'boolean' };
  if (checker.isArrayType(type)) return { type: 'array', items: typeToSchema(checker, checker.getTypeArguments(type as ts.TypeReference)[0], stack) };
  if (type.flags & F.Object) {
    // A recursive type would recurse forever; its inner occurrence is left open.
    if (stack.includes(type)) return { type: 'object' };
    const inner = [...stack, type];
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const prop of checker.getPropertiesOfType(type)) {
      properties[prop.name] = typeToSchema(checker, checker.getTypeOfSymbol(prop), inner);
      if (!(prop.flags & ts.SymbolFlags.Optional)) required.push(prop.name);
    }
    const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
    const schema: Schema = { type: 'object' };
    if (Object.keys(properties).length > 0) schema.properties = properties;
    if (required.length > 0) schema.required = required.sort();
    if (index) schema.additionalProperties = typeToSchema(checker, index.type, inner);
    else if (schema.properties) schema.additionalProperties = false;
    return schema;
  }
  throw new Error(`no JSON schema for TypeScript type ${checker.typeToString(type)}`);
}

export interface StrictValidator {
  /** Problems as "path: message", [] when valid. */
  (obj: any): string[];
}

function validator(compiled: ValidateFunction, schema: Schema): StrictValidator {
  return (obj) => (compiled(obj) ? [] : schemaIssues(compiled.errors, schema).map((i) => `${i.path}: ${i.message}`));
}

/** Validators for the GitOps objects, keyed by apiVersion/kind, and for kustomization.yaml. */
export function strictValidators(): { objects: Record<string, StrictValidator>; kustomization: StrictValidator } {
  // verbose: schemaIssues quotes the offending value of a pattern error.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, verbose: true });
  const objects: Record<string, StrictValidator> = {};
  for (const [key, schema] of Object.entries(modelSchemas())) objects[key] = validator(ajv.compile(schema), schema);
  return { objects, kustomization: validator(ajv.compile(KUSTOMIZATION_SCHEMA), KUSTOMIZATION_SCHEMA) };
}
