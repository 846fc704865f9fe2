/**
 * Reads instances/<cluster>/**\/*.yaml, validates every document against its
 * CRD schema and the semantic rules, and returns the instances of every
 * cluster, or throws one SpecValidationError listing every problem.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ValidateFunction } from 'ajv';
import * as yaml from 'js-yaml';
import { ClusterProfile, ResolvedClusterProfile, resolveClusterProfile } from '../shared/cluster-profile';
import { checkInstanceName, checkNamespace } from '../shared/naming';
import { ValidationIssue } from '../shared/validation-issue';
import { wireToProps } from '../shared/wire-to-props';
import { CLUSTER_PROFILE_FILE, CLUSTER_PROFILE_KIND, clusterProfileSchema } from './cluster-profile-file';
import { InstanceKind } from './instance-kind';
import { INSTANCE_KINDS } from './instance-kinds';
import { reservedNamespaceChecker } from './reserved-namespaces';
import { compileSpecSchema, schemaIssues } from './schema-validator';
import { SpecProblem, SpecValidationError } from './spec-error';

export interface InstanceMetadata {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface LoadedInstance {
  readonly kind: InstanceKind;
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
  readonly byKind: Map<string, { kind: InstanceKind; validate: ValidateFunction; schema: Record<string, unknown> }>;
  readonly profile: ValidateFunction;
  readonly profileSchema: Record<string, unknown>;
}

function compileValidators(): Validators {
  const byKind = new Map<string, { kind: InstanceKind; validate: ValidateFunction; schema: Record<string, unknown> }>();
  for (const kind of INSTANCE_KINDS) {
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
 */
export function loadInstances(root: string, onWarning: (warning: SpecProblem) => void = () => undefined): LoadedCluster[] {
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new SpecValidationError([{ file: root, message: 'is not a directory: expected instances/<cluster>/*.yaml (set INSTANCES_DIR to point elsewhere)' }]);
  }
  const validators = compileValidators();
  const problems: SpecProblem[] = [];
  const clusters: LoadedCluster[] = [];
  const entries = fs.readdirSync(root, { withFileTypes: true });
  // Skipping them would render nothing for them, silently.
  for (const stray of entries.filter((e) => !e.isDirectory() && /\.ya?ml$/.test(e.name)).map((e) => e.name).sort()) {
    problems.push({ file: path.join(root, stray), message: `is directly in ${root}/, outside any cluster folder: move it to ${root}/<cluster>/ (every folder of ${root}/ is one cluster)` });
  }
  const clusterNames = entries.filter((d) => d.isDirectory()).map((d) => d.name).sort();
  for (const cluster of clusterNames) {
    const dir = path.join(root, cluster);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(cluster)) {
      problems.push({ file: dir, message: 'is not a valid cluster folder name: use lower-case letters, digits and "-" (it becomes a path and an Argo CD/Flux object name)' });
      continue;
    }
    const profile = loadProfile(path.join(dir, CLUSTER_PROFILE_FILE), validators, problems);
    const instances: LoadedInstance[] = [];
    const seen = new Map<string, LoadedInstance>();
    // Once per namespace, on the document that uses it first.
    const namespaceIssue = reservedNamespaceChecker(cluster, profile);
    for (const file of yamlFiles(dir)) {
      if (path.relative(dir, file) === CLUSTER_PROFILE_FILE) continue;
      for (const instance of loadFile(file, validators, profile, namespaceIssue, problems, onWarning)) {
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
  if (problems.length > 0) throw new SpecValidationError(problems);
  return clusters;
}

function loadProfile(file: string, validators: Validators, problems: SpecProblem[]): ResolvedClusterProfile {
  if (!fs.existsSync(file)) return resolveClusterProfile();
  const docs = parseYaml(file, problems);
  if (!docs) return resolveClusterProfile();
  if (docs.length !== 1) {
    problems.push({ file, message: `holds ${docs.length} documents: a cluster profile is exactly one ${CLUSTER_PROFILE_KIND} document` });
    return resolveClusterProfile();
  }
  if (!validators.profile(docs[0])) {
    for (const issue of schemaIssues(validators.profile.errors, validators.profileSchema)) {
      problems.push({ file, document: 1, resource: CLUSTER_PROFILE_KIND, ...issue });
    }
    return resolveClusterProfile();
  }
  return resolveClusterProfile(((docs[0] as { spec?: ClusterProfile }).spec) ?? {});
}

function loadFile(file: string, validators: Validators, profile: ResolvedClusterProfile, namespaceIssue: (namespace: string) => ValidationIssue | undefined, problems: SpecProblem[], onWarning: (w: SpecProblem) => void): LoadedInstance[] {
  const docs = parseYaml(file, problems);
  if (!docs) return [];
  const out: LoadedInstance[] = [];
  docs.forEach((doc, i) => {
    const document = i + 1;
    if (doc === null || doc === undefined) return; // an empty document, e.g. a trailing ---
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push({ file, document, message: 'is not a YAML mapping: expected an AbiInstance or VecodexSet object' });
      return;
    }
    const obj = doc as Record<string, any>;
    const entry = validators.byKind.get(`${obj.apiVersion}/${obj.kind}`);
    if (!entry) {
      const known = [...validators.byKind.values()].map((v) => `${v.kind.apiVersion} ${v.kind.kind}`).join(', ');
      problems.push({ file, document, path: 'kind', message: `apiVersion "${obj.apiVersion}" kind "${obj.kind}" is not rendered here: expected one of ${known}` });
      return;
    }
    const resource = `${obj.kind} ${obj.metadata?.namespace ?? 'default'}/${obj.metadata?.name ?? '?'}`;
    const reserved = namespaceIssue(obj.metadata?.namespace ?? 'default');
    const issues = [
      ...checkInstanceName(obj.metadata?.name, (name) => entry.kind.derivedNames(name)),
      ...checkNamespace(obj.metadata?.namespace),
      // With every other problem of the document, not only once they are fixed.
      ...(reserved ? [reserved] : []),
    ];
    if (!entry.validate(obj)) {
      issues.push(...schemaIssues(entry.validate.errors, entry.schema));
    } else {
      const spec = wireToProps(obj.spec, (entry.schema.properties as Record<string, any>).spec);
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
    for (const issue of issues) problems.push({ file, document, resource, ...issue });
  });
  return out;
}

function parseYaml(file: string, problems: SpecProblem[]): unknown[] | undefined {
  try {
    return yaml.loadAll(fs.readFileSync(file, 'utf8'), undefined, { filename: file });
  } catch (err) {
    if (err instanceof yaml.YAMLException) {
      const line = err.mark ? ` at line ${err.mark.line + 1}, column ${err.mark.column + 1}` : '';
      problems.push({ file, message: `is not valid YAML${line}: ${err.reason}` });
      return undefined;
    }
    throw err;
  }
}

/** Every .yaml/.yml file below dir, in a fixed order. */
function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => compare(a.name, b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The whole-document schemas the loader validates against (before closing, see
 * schema-validator.ts): the source of the editor schemas in schemas/
 * (json-schemas.ts), so they follow every change made here.
 */
export function loaderSchemas(): { instances: Array<{ kind: InstanceKind; schema: Record<string, unknown> }>; profile: Record<string, unknown> } {
  const validators = compileValidators();
  return { instances: [...validators.byKind.values()].map(({ kind, schema }) => ({ kind, schema })), profile: validators.profileSchema };
}
