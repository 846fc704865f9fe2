/**
 * Reads instances/<cluster>/**\/*.yaml, validates every document against its
 * CRD schema and the semantic rules, and returns the instances of every
 * cluster, or throws one SpecValidationError listing every problem.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ValidateFunction } from 'ajv';
import { BUILT_IN_PRODUCTS } from '../products/built-in-products';
import { ProductDefinition } from '../products/product-definition';
import { ClusterProfile, ResolvedClusterProfile, resolveClusterProfile } from '../shared/cluster-profile';
import { describeValue } from '../shared/describe-value';
import { checkInstanceMetadata } from '../shared/kube-validation';
import { checkInstanceName, checkNamespace } from '../shared/naming';
import { ValidationIssue } from '../shared/validation-issue';
import { markSpecSchemaChecked } from './chart-schema-check';
import { CLUSTER_PROFILE_FILE, CLUSTER_PROFILE_KIND, clusterProfileSchema } from './cluster-profile-file';
import { clusterFolderNameMessage } from './gitops-name-limits';
import { INPUT_LIMITS } from './input-limits';
import { ParsedDocument, parseYamlDocuments } from './parse-yaml-documents';
import { clusterProfileIssues, reservedNamespaceChecker } from './reserved-namespaces';
import { compileSpecSchema, schemaIssues } from './schema-validator';
import { SpecProblem, SpecValidationError } from './spec-error';
import { SpecFile, SpecTree } from './spec-files';

export interface InstanceMetadata {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface LoadedInstance {
  /** The product the document's apiVersion and kind name. */
  readonly kind: ProductDefinition;
  readonly file: string;
  readonly document: number;
  readonly metadata: InstanceMetadata;
  /** The spec in generated-props form (what the charts take). */
  readonly spec: unknown;
}

export interface LoadedCluster {
  readonly name: string;
  readonly profile: ResolvedClusterProfile;
  readonly instances: readonly LoadedInstance[];
}

const METADATA_SCHEMA = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

interface Validators {
  readonly byKind: Map<string, { kind: ProductDefinition; validate: ValidateFunction; schema: Record<string, unknown> }>;
  readonly profile: ValidateFunction;
  readonly profileSchema: Record<string, unknown>;
}

function compileValidators(products: readonly ProductDefinition[]): Validators {
  const byKind = new Map<string, { kind: ProductDefinition; validate: ValidateFunction; schema: Record<string, unknown> }>();
  for (const kind of products) {
    const schema = {
      ...kind.schema,
      required: ['apiVersion', 'kind', 'metadata', ...((kind.schema.required as string[]) ?? [])],
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: METADATA_SCHEMA, ...(kind.schema.properties as object) },
    };
    byKind.set(`${kind.apiVersion}/${kind.kind}`, { kind, validate: compileSpecSchema(schema), schema });
  }
  const profileSchema = clusterProfileSchema();
  return { byKind, profile: compileSpecSchema(profileSchema), profileSchema };
}

/**
 * Loads every cluster under `root` (one folder per cluster).
 * @param onWarning receives problems that do not stop synthesis
 * @param products the kinds a document may be @default BUILT_IN_PRODUCTS
 */
export function loadInstances(
  root: string,
  onWarning: (warning: SpecProblem) => void = () => undefined,
  products: readonly ProductDefinition[] = BUILT_IN_PRODUCTS,
): LoadedCluster[] {
  const notADirectory = instancesRootProblem(root);
  if (notADirectory) throw new SpecValidationError([notADirectory]);
  const validators = compileValidators(products);
  const tree = new SpecTree(root);
  const problems: SpecProblem[] = [];
  const clusters: LoadedCluster[] = [];
  const folders = tree.clusterFolders(problems);
  if (folders.length === 0) {
    // Rendering nothing would replace the output with an empty tree: committed, that prunes every cluster.
    problems.push({ file: root, message: `holds no cluster folder: expected ${root}/<cluster>/*.yaml; synth renders nothing rather than an empty output, which would prune every instance of every cluster once applied` });
  }
  for (const { name: cluster, dir } of folders) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(cluster)) {
      problems.push({ file: dir, message: 'is not a valid cluster folder name: use lower-case letters, digits and "-" (it becomes a path and an Argo CD/Flux object name)' });
      continue;
    }
    const tooLong = clusterFolderNameMessage(cluster);
    if (tooLong) {
      problems.push({ file: dir, message: tooLong });
      continue;
    }
    const profile = loadProfile(tree, path.join(dir, CLUSTER_PROFILE_FILE), validators, problems);
    const instances: LoadedInstance[] = [];
    const seen = new Map<string, LoadedInstance>();
    // Once per namespace, on the document that uses it first.
    const namespaceIssue = reservedNamespaceChecker(cluster, profile);
    for (const spec of tree.specFiles(dir, problems)) {
      if (path.relative(dir, spec.file) === CLUSTER_PROFILE_FILE) continue;
      const loaded = loadFile(spec, { tree, validators, profile, namespaceIssue, onWarning });
      problems.push(...loaded.problems);
      for (const instance of loaded.instances) {
        // Each instance renders into dist/<cluster>/<namespace>/<name>/ and owns
        // objects named after it, so the pair must be unique across kinds.
        const key = `${instance.metadata.namespace}/${instance.metadata.name}`;
        const first = seen.get(key);
        if (first) {
          problems.push({
            file: instance.file, document: instance.document, resource: `${instance.kind.kind} ${key}`, path: 'metadata.name',
            message: `duplicates ${first.kind.kind} ${key} in ${first.file} (document ${first.document}): namespace/name must be unique within cluster "${cluster}"`,
          });
        } else {
          seen.set(key, instance);
          instances.push(instance);
        }
      }
    }
    instances.sort((a, b) => compare(a.metadata.namespace, b.metadata.namespace) || compare(a.metadata.name, b.metadata.name));
    clusters.push({ name: cluster, profile, instances });
  }
  if (problems.length === 0 && folders.length > 0 && clusters.every((c) => c.instances.length === 0)) {
    problems.push({
      file: root,
      message: `holds no instance in any of its cluster folders (${folders.map((f) => f.name).join(', ')}): synth renders nothing rather than an output without instances, which would prune every instance of every cluster once applied (a cluster folder removed on purpose still prunes its output, as long as another cluster has instances)`,
    });
  }
  if (problems.length > 0) throw new SpecValidationError(problems);
  return clusters;
}

/** The problem with the instances directory itself, if it is not a readable directory. */
function instancesRootProblem(root: string): SpecProblem | undefined {
  const expected = 'expected instances/<cluster>/*.yaml (set INSTANCES_DIR to point elsewhere)';
  try {
    if (!fs.statSync(root).isDirectory()) return { file: root, message: `is not a directory: ${expected}` };
    fs.realpathSync(root);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { file: root, message: `does not exist: ${expected}` };
    return { file: root, message: `cannot be read (${code ?? String(err)}): ${expected}` };
  }
}

function loadProfile(tree: SpecTree, file: string, validators: Validators, problems: SpecProblem[]): ResolvedClusterProfile {
  if (!tree.exists(file)) return resolveClusterProfile();
  const spec = tree.specFile(file);
  if (!('real' in spec)) {
    problems.push(spec);
    return resolveClusterProfile();
  }
  const docs = parseSpecFile(tree, spec, problems);
  if (!docs) return resolveClusterProfile();
  if (docs.length !== 1) {
    problems.push({ file, message: `holds ${docs.length} documents: a cluster profile is exactly one ${CLUSTER_PROFILE_KIND} document` });
    return resolveClusterProfile();
  }
  const doc = docs[0];
  if (doc.problem !== undefined) {
    problems.push({ file, document: doc.document, message: doc.problem });
    return resolveClusterProfile();
  }
  if (!validators.profile(doc.value)) {
    const issues = schemaIssues(validators.profile.errors, validators.profileSchema);
    problems.push(...documentProblems({ file, document: 1, resource: CLUSTER_PROFILE_KIND }, issues));
    return resolveClusterProfile();
  }
  const profile = resolveClusterProfile(((doc.value as { spec?: ClusterProfile }).spec) ?? {});
  for (const issue of clusterProfileIssues(profile)) problems.push({ file, document: 1, resource: CLUSTER_PROFILE_KIND, ...issue });
  return profile;
}

/** What every spec file of one cluster is loaded with. */
interface LoadFileContext {
  readonly tree: SpecTree;
  readonly validators: Validators;
  readonly profile: ResolvedClusterProfile;
  /** The cluster's reserved-namespace check (reservedNamespaceChecker): it reports each namespace once, so it is shared by the files. */
  readonly namespaceIssue: (namespace: string) => ValidationIssue | undefined;
  readonly onWarning: (warning: SpecProblem) => void;
}

/** The valid instances of one spec file, and the problems of the others. */
function loadFile(specFile: SpecFile, context: LoadFileContext): { instances: LoadedInstance[]; problems: SpecProblem[] } {
  const { tree, validators, profile, namespaceIssue, onWarning } = context;
  const file = specFile.file;
  const problems: SpecProblem[] = [];
  const out: LoadedInstance[] = [];
  const docs = parseSpecFile(tree, specFile, problems);
  if (!docs) return { instances: out, problems };
  for (const { document, value: doc, problem } of docs) {
    if (problem !== undefined) {
      problems.push({ file, document, message: problem });
      continue;
    }
    if (doc === null || doc === undefined) continue; // an empty document, e.g. a trailing ---
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push({ file, document, message: 'is not a YAML mapping: expected an AbiInstance or VecodexSet object' });
      continue;
    }
    const obj = doc as Record<string, any>;
    // Types first: these values reach the message (a mapping or a huge string as `kind` must not).
    const entry = typeof obj.apiVersion === 'string' && typeof obj.kind === 'string' ? validators.byKind.get(`${obj.apiVersion}/${obj.kind}`) : undefined;
    if (!entry) {
      const known = [...validators.byKind.values()].map((v) => `${v.kind.apiVersion} ${v.kind.kind}`).join(', ');
      problems.push({ file, document, path: 'kind', message: `apiVersion ${describeValue(obj.apiVersion)} kind ${describeValue(obj.kind)} is not rendered here: expected one of ${known}` });
      continue;
    }
    const metadata = obj.metadata !== null && typeof obj.metadata === 'object' && !Array.isArray(obj.metadata) ? obj.metadata : {};
    const resource = `${obj.kind} ${shownName(metadata.namespace, 'default')}/${shownName(metadata.name, '?')}`;
    const namespaceIssues = checkNamespace(metadata.namespace);
    const reserved = namespaceIssues.length === 0 ? namespaceIssue(metadata.namespace ?? 'default') : undefined;
    const issues = [
      ...checkInstanceName(metadata.name, (name) => entry.kind.derivedNames(name)),
      ...namespaceIssues,
      ...checkInstanceMetadata(metadata),
      // With every other problem of the document, not only once they are fixed.
      ...(reserved ? [reserved] : []),
    ];
    if (!entry.validate(obj)) {
      issues.push(...schemaIssues(entry.validate.errors, entry.schema));
    } else {
      const spec = entry.kind.specFromWire(obj.spec);
      markSpecSchemaChecked(spec);
      issues.push(...entry.kind.rules(spec, profile, obj.metadata.name));
      if (issues.length === 0) {
        for (const warning of entry.kind.warnings?.(spec, profile) ?? []) onWarning({ file, document, resource, ...warning });
        out.push({
          kind: entry.kind,
          file,
          document,
          metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace ?? 'default', labels: obj.metadata.labels, annotations: obj.metadata.annotations },
          spec,
        });
      }
    }
    problems.push(...documentProblems({ file, document, resource }, issues));
  }
  return { instances: out, problems };
}

/** The issues of one document as problems: the first INPUT_LIMITS.problemsPerDocument, then how many more. */
function documentProblems(where: { file: string; document: number; resource: string }, issues: readonly ValidationIssue[]): SpecProblem[] {
  const listed: SpecProblem[] = issues.slice(0, INPUT_LIMITS.problemsPerDocument).map((issue) => ({ ...where, ...issue }));
  if (issues.length > listed.length) {
    listed.push({ ...where, message: `and ${issues.length - listed.length} more problem(s) in this document, not listed: fix the ones above first` });
  }
  return listed;
}

/** A name or namespace as the resource label of a message shows it: as is when it is a short string. */
function shownName(value: unknown, unset: string): string {
  if (value === undefined) return unset;
  return typeof value === 'string' && value.length <= 63 && !/[\s"]/.test(value) ? value : describeValue(value);
}

/** The documents of a spec file, or undefined when it cannot be read (the problem is in `problems`). */
function parseSpecFile(tree: SpecTree, spec: SpecFile, problems: SpecProblem[]): readonly ParsedDocument[] | undefined {
  const text = tree.read(spec);
  if (typeof text !== 'string') {
    problems.push(text);
    return undefined;
  }
  const parsed = parseYamlDocuments(text);
  if (parsed.problem !== undefined) problems.push({ file: spec.file, message: parsed.problem });
  return parsed.documents;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The whole-document schemas the loader validates against (before closing, see
 * schema-validator.ts): the source of the editor schemas in schemas/
 * (json-schemas.ts), so they follow every change made here.
 */
export function loaderSchemas(products: readonly ProductDefinition[] = BUILT_IN_PRODUCTS): {
  instances: Array<{ kind: ProductDefinition; schema: Record<string, unknown> }>; profile: Record<string, unknown>;
} {
  const validators = compileValidators(products);
  return { instances: [...validators.byKind.values()].map(({ kind, schema }) => ({ kind, schema })), profile: validators.profileSchema };
}
