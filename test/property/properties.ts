/**
 * The properties of issue 10, shared by the jest suite (test/property/*.test.ts,
 * a bounded number of runs) and `npm run fuzz` (scripts/fuzz.ts, as many as
 * asked for): every generated valid spec loads and renders; no two rendered
 * objects share an identity; the parallel render gives the same bytes; every
 * mutation of a valid spec is refused naming its field, without a stack trace;
 * and (with a real API server) every rendered object is accepted under
 * server-side dry-run with strict field validation and no warning.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import * as yaml from 'js-yaml';
import { abiInstanceSpecSchema } from '../../src/abi/abi-instance-schema';
import { loadInstances } from '../../src/pipeline/load-instances';
import { formatProblem, SpecValidationError } from '../../src/pipeline/spec-error';
import { OutputTree, renderClusters } from '../../src/pipeline/synthesize';
import { vecodexSetSpecSchema } from '../../src/vecodex/vecodex-set-schema';
import { clusterDocs, GeneratedInstance } from './generators';

type Json = Record<string, any>;
export type ClusterDocs = { profile: Json; instances: GeneratedInstance[] };

/** Writes a generated cluster as instances/fuzz/cluster.yaml and one file per instance; returns the instances dir. */
export function writeRepository(cluster: ClusterDocs): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-'));
  const dir = path.join(root, 'fuzz');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'cluster.yaml'), yaml.dump(cluster.profile, { lineWidth: -1 }));
  cluster.instances.forEach((i) => fs.writeFileSync(path.join(dir, `${i.document.metadata.name}.yaml`), yaml.dump(i.document, { lineWidth: -1 })));
  return root;
}

/** A spec file a regression test can keep: the profile and every instance, as YAML documents. */
export function counterexampleYaml(cluster: ClusterDocs, why: string): string {
  return [`# ${why.split('\n')[0]}`, ...[cluster.profile, ...cluster.instances.map((i) => i.document)].map((d) => yaml.dump(d, { lineWidth: -1 }))].join('\n---\n');
}

/** Reads a kept counterexample back into a cluster. */
export function readCounterexample(text: string): ClusterDocs {
  const docs = yaml.loadAll(text) as Json[];
  return { profile: docs[0], instances: docs.slice(1).map((document) => ({ kind: document.kind, document })) };
}

/** Loads and renders; throws (with every problem) when synth refuses, or whatever render threw. */
export function synthesize(root: string): { tree: OutputTree; clusters: ReturnType<typeof loadInstances> } {
  let clusters: ReturnType<typeof loadInstances>;
  try {
    clusters = loadInstances(root);
  } catch (err) {
    if (err instanceof SpecValidationError) throw new Error(`synth refused a generated valid spec:\n${err.problems.map(formatProblem).join('\n')}`, { cause: err });
    throw err;
  }
  return { tree: renderClusters(clusters), clusters };
}

/** The (group, kind, namespace, name) of every object in the tree that appears more than once. */
export function duplicateIdentities(tree: OutputTree): string[] {
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const [file, text] of tree) {
    if (!file.endsWith('.yaml') || file.endsWith('kustomization.yaml')) continue;
    for (const obj of yaml.loadAll(text) as Json[]) {
      if (!obj || typeof obj !== 'object' || !obj.kind) continue;
      const group = String(obj.apiVersion).includes('/') ? String(obj.apiVersion).split('/')[0] : '';
      const id = `${group}/${obj.kind} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`;
      if (seen.has(id)) dups.push(`${id} (${file})`);
      seen.add(id);
    }
  }
  return dups;
}

/** Property: loads, renders, no duplicate identity. Returns the tree for further checks. */
export function checkRenders(cluster: ClusterDocs): OutputTree {
  const root = writeRepository(cluster);
  try {
    const { tree } = synthesize(root);
    const dups = duplicateIdentities(tree);
    if (dups.length > 0) throw new Error(`duplicate object identities:\n${dups.join('\n')}`);
    return tree;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Property: the render pool gives the sequential tree byte for byte. */
export async function checkParallelSame(clusters: ClusterDocs[], threads = 2): Promise<void> {
  // Workers run the compiled library (render-pool.ts); under ts-jest, so must this thread.
  const lib = __filename.endsWith('.ts') ? path.join(__dirname, '..', '..', 'lib', 'src', 'pipeline') : path.join(__dirname, '..', '..', 'src', 'pipeline');
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { loadInstances: load } = require(path.join(lib, 'load-instances')) as typeof import('../../src/pipeline/load-instances');
  const { renderClusters: sequentially, renderClustersInParallel: inParallel } = require(path.join(lib, 'synthesize')) as typeof import('../../src/pipeline/synthesize');
  const { RenderPool: Pool } = require(path.join(lib, 'render-pool')) as typeof import('../../src/pipeline/render-pool');
  const roots = clusters.map(writeRepository);
  try {
    for (const root of roots) {
      const loaded = load(root);
      const sequential = sequentially(loaded);
      // A pool renders once (render-pool.ts).
      const pool = new Pool(threads);
      const parallel = await inParallel(loaded, pool).finally(() => pool.close());
      const a = [...sequential.entries()];
      const b = [...parallel.entries()];
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`the ${threads}-thread render differs from the sequential one for ${root}`);
    }
  } finally {
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- mutations

export type MutationKind = 'wrong type' | 'out of range' | 'pattern' | 'enum' | 'unknown field' | 'missing required' | 'int32 overflow';

export interface Mutation {
  readonly kind: MutationKind;
  /** Dotted field path the refusal must name. */
  readonly path: string;
  readonly apply: (doc: Json) => void;
}

const SCHEMAS: Record<string, Json> = { AbiInstance: abiInstanceSpecSchema(), VecodexSet: vecodexSetSpecSchema() };

/** Every mutation the schema allows at every field the document sets. */
export function mutationsOf(doc: Json): Mutation[] {
  const out: Mutation[] = [];
  const walk = (schema: Json | undefined, value: unknown, segments: Array<string | number>) => {
    if (!schema) return;
    const fieldPath = segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
    const set = (v: unknown) => (d: Json) => { setAt(d, segments, v); };
    const intOrString = schema['x-kubernetes-int-or-string'] === true;
    if (intOrString) {
      out.push({ kind: 'wrong type', path: fieldPath, apply: set(true) });
    } else if (schema.type === 'object' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out.push({ kind: 'wrong type', path: fieldPath, apply: set('not-an-object') });
      if (schema.properties) {
        out.push({ kind: 'unknown field', path: `${fieldPath}.zzUnknownField`, apply: (d) => { (getAt(d, segments) as Json).zzUnknownField = 1; } });
        for (const req of (schema.required as string[] | undefined) ?? []) {
          out.push({ kind: 'missing required', path: `${fieldPath}.${req}`, apply: (d) => { delete (getAt(d, segments) as Json)[req]; } });
        }
        for (const [k, v] of Object.entries(value as Json)) walk(schema.properties[k], v, [...segments, k]);
      } else if (typeof schema.additionalProperties === 'object') {
        for (const [k, v] of Object.entries(value as Json)) walk(schema.additionalProperties, v, [...segments, k]);
      }
    } else if (schema.type === 'array' && Array.isArray(value)) {
      out.push({ kind: 'wrong type', path: fieldPath, apply: set('not-an-array') });
      value.forEach((v, i) => walk(schema.items, v, [...segments, i]));
    } else if (schema.type === 'integer') {
      out.push({ kind: 'wrong type', path: fieldPath, apply: set('12') });
      if (schema.minimum !== undefined) out.push({ kind: 'out of range', path: fieldPath, apply: set(schema.minimum - 1) });
      if (schema.maximum !== undefined) out.push({ kind: 'out of range', path: fieldPath, apply: set(schema.maximum + 1) });
      out.push({ kind: 'int32 overflow', path: fieldPath, apply: set(schema.format === 'int32' ? 2 ** 31 : 2 ** 53) });
    } else if (schema.type === 'string') {
      out.push({ kind: 'wrong type', path: fieldPath, apply: set(12) });
      if (schema.enum) out.push({ kind: 'enum', path: fieldPath, apply: set('not-one-of-them') });
      if (schema.pattern) out.push({ kind: 'pattern', path: fieldPath, apply: set('%% not matching %%') });
      if (schema.minLength) out.push({ kind: 'pattern', path: fieldPath, apply: set('') });
    } else if (schema.type === 'boolean') {
      out.push({ kind: 'wrong type', path: fieldPath, apply: set('yes') });
    }
  };
  walk(SCHEMAS[doc.kind], doc.spec, ['spec']);
  return out;
}

function getAt(doc: Json, segments: Array<string | number>): unknown {
  return segments.reduce<any>((node, s) => node[s], doc);
}

function setAt(doc: Json, segments: Array<string | number>, value: unknown): void {
  const parent = getAt(doc, segments.slice(0, -1)) as Json;
  parent[segments[segments.length - 1]] = value;
}

/** Property: the mutated document is refused, with a problem naming the field (or a field below it), and no stack trace. */
export function checkMutationRefused(cluster: ClusterDocs, index: number, mutation: Mutation): void {
  const mutated: ClusterDocs = {
    profile: cluster.profile,
    instances: cluster.instances.map((i) => ({ ...i, document: JSON.parse(JSON.stringify(i.document)) })),
  };
  const target = mutated.instances[index].document;
  mutation.apply(target);
  const root = writeRepository(mutated);
  try {
    loadInstances(root);
  } catch (err) {
    if (!(err instanceof SpecValidationError)) throw new Error(`${mutation.kind} at ${mutation.path} crashed synth: ${(err as Error).stack}`, { cause: err });
    const mine = err.problems.filter((p) => p.file.endsWith(`${target.metadata.name}.yaml`));
    const named = mine.find((p) => p.path !== undefined && (p.path === mutation.path || p.path.startsWith(`${mutation.path}.`) || p.path.startsWith(`${mutation.path}[`)));
    if (!named) throw new Error(`${mutation.kind} at ${mutation.path} was refused without naming the field:\n${mine.map(formatProblem).join('\n')}`, { cause: err });
    const text = err.problems.map(formatProblem).join('\n');
    if (/\n\s+at .+:\d+:\d+/.test(text)) throw new Error(`a refusal carries a stack trace:\n${text}`, { cause: err });
    return;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  throw new Error(`${mutation.kind} at ${mutation.path} was accepted`);
}

/** A valid cluster and one mutation of one of its instances. */
export const mutatedCluster = clusterDocs.chain((cluster) => {
  const choices = cluster.instances.flatMap((i, index) => mutationsOf(i.document).map((mutation) => ({ index, mutation })));
  return fc.constantFrom(...choices).map((choice) => ({ cluster, ...choice }));
});

export { clusterDocs };

// ---------------------------------------------------------------- real API server

/** What a dry-run apply needs of the test client (test/support/kube-client.ts). */
export interface DryRunClient {
  pathFor(apiVersion: string, kind: string, namespace?: string, name?: string): Promise<string>;
  request(method: string, path: string, body?: unknown, contentType?: string): Promise<{ status: number; body: any; warnings: string[] }>;
  apply(obj: any, opts?: { dryRun?: boolean }): Promise<{ status: number; body: any; warnings: string[] }>;
}

/** Objects a dry-run can check here: Argo CD and Flux objects need those tools' CRDs (test/gitops checks them). */
export function applicableObjects(tree: OutputTree): Json[] {
  const out: Json[] = [];
  for (const [file, text] of [...tree.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (file.endsWith('kustomization.yaml') || /^[^/]+\/(argocd|flux)\//.test(file)) continue;
    for (const doc of yaml.loadAll(text) as Json[]) if (doc && typeof doc === 'object' && doc.kind) out.push(doc);
  }
  return out;
}

/**
 * Property: Namespaces applied for real (Pod Security is enforced from their
 * labels), CRDs installed, then every other object dry-run applied with
 * fieldValidation=Strict: any refusal or warning is a failure.
 */
export async function checkApiServerAccepts(client: DryRunClient, tree: OutputTree): Promise<void> {
  const objects = applicableObjects(tree);
  const failures: string[] = [];
  for (const obj of objects.filter((o) => o.kind === 'Namespace')) {
    const res = await client.apply(obj);
    if (res.status >= 300 || res.warnings.length > 0) failures.push(`Namespace ${obj.metadata.name}: ${res.status} ${res.body?.message ?? ''} ${res.warnings.join('; ')}`);
  }
  for (const obj of objects.filter((o) => o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition')) {
    const where = await client.pathFor(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
    const query = new URLSearchParams({ fieldManager: 'fuzz', force: 'true', dryRun: 'All', fieldValidation: 'Strict' });
    const res = await client.request('PATCH', `${where}?${query}`, obj, 'application/apply-patch+yaml');
    if (res.status >= 300 || res.warnings.length > 0) {
      failures.push(`${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name}: ${res.status} ${res.body?.message ?? ''} ${res.warnings.join('; ')}`);
    }
  }
  if (failures.length > 0) throw new Error(`the API server refused or warned:\n${failures.join('\n')}`);
}

// ---------------------------------------------------------------- edge values

/**
 * Values at and beyond Kubernetes' limits, for the strings, numbers, quantities
 * and map keys a spec copies into objects: the differential property is that
 * synth either refuses (naming fields, no stack trace) or renders objects the
 * API server accepts. What the schema mutations cannot reach (a label key, a
 * host, a quantity's value) is reached here.
 */
const r = (s: string, n: number): string => s.repeat(n);
const EDGE_STRINGS = ['', ' x', 'UPPER', 'under_score', 'a'.repeat(63), 'a'.repeat(64), 'b'.repeat(253), 'b'.repeat(254), '-lead', 'trail-', 'a..b', '.', '..', '..x',
  '*.example.com', 'a.*.example.com', '*', '10.0.0.1', '010.000.000.001', '::1', 'é', 'a b', 'a/b', 'a/b/c', '/a', 'a/', 'example.com/x', 'Example.com/x', 'x.y', 'x'.repeat(300),
  'http://a:99999', 'http://a|b', 'a%b', '[x'];
const EDGE_RESOURCES = ['gpu', 'nvidia.com/gpu', 'amd.com/gpu', 'hugepages-2Mi', 'hugepages-1Gi', 'hugepages-x', 'hugepages-0', 'example.com/a_b', 'example.com/a', 'kubernetes.io/foo',
  'requests.cpu', 'cpu', 'memory', 'ephemeral-storage', 'storage', 'pods', 'a/b/c', 'Example.com/x'];
const EDGE_NUMBERS = [-1, 0, 1, 2, 63, 64, 65535, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 10, 2 ** 53, 1e21, 0.5];
/** Valid under most rules but at their edges, so that synth accepts a share of edge clusters and the API server sees them. */
const BOUNDARY_STRINGS = [r('a', 63), `${r('a', 62)}9`, '0', 'z9', 'x.y', 'a-b.c-d', '*.example.com', 'example.com/x', 'Example_Value.1', r('c', 253), `${r('d', 253)}/${r('e', 63)}`];
const edgeString = fc.oneof(fc.constantFrom(...EDGE_STRINGS), fc.constantFrom(...BOUNDARY_STRINGS), fc.stringMatching(/^[a-zA-Z0-9._/*: -]{0,70}$/));
const edgeQuantity = fc.oneof(
  fc.tuple(fc.constantFrom('', '+', '-'), fc.stringMatching(/^[0-9]{0,4}(\.[0-9]{0,10})?$/), fc.constantFrom('', 'm', 'k', 'K', 'Ki', 'Mi', 'Gi', 'Ti', 'E', 'Ei', 'P', 'e3', 'E-3', 'e+2', 'e3.5', 'n', 'u', 'i', 'G', 'M', 'e99'))
    .map(([sign, n, suffix]) => `${sign}${n}${suffix}`),
  fc.constantFrom<string | number>('1E', '10E', '9Ei', '8Ei', '0', '500m', '0.5Gi', '1.5Mi', '0.0001', '1.', '.5', 0, -1, 2 ** 53, 1e21,
    '1.G', '.5Gi', '1e3', '1E-3', '0.1', '100.035k', '1.0E', '8Pi', '9Pi', '+1Gi', '1e9', '2048Ki', '0.5e1'),
);

interface EdgeSite {
  /** 'profile', or the index of the instance. */
  readonly target: 'profile' | number;
  readonly segments: Array<string | number>;
  readonly what: 'string' | 'number' | 'quantity' | 'key' | 'resource';
}

const MAP_FIELD = /(^|\.)(labels|annotations|nodeSelector)$/;
const RESOURCE_MAP = /(^|\.)(requests|limits)$/;

function edgeSites(value: unknown, target: 'profile' | number, segments: Array<string | number>, out: EdgeSite[]): void {
  const dotted = segments.join('.');
  if (typeof value === 'string') {
    const quantityLike = /^[-+]?[0-9.]/.test(value) && /(requests|limits)\.[^.]+$|size$|memory$/.test(dotted);
    out.push({ target, segments, what: quantityLike ? 'quantity' : 'string' });
  } else if (typeof value === 'number') {
    out.push({ target, segments, what: RESOURCE_MAP.test(segments.slice(0, -1).join('.')) ? 'quantity' : 'number' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => edgeSites(v, target, [...segments, i], out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (MAP_FIELD.test(dotted)) out.push({ target, segments: [...segments, k], what: 'key' });
      if (RESOURCE_MAP.test(dotted)) out.push({ target, segments: [...segments, k], what: 'resource' });
      edgeSites(v, target, [...segments, k], out);
    }
  }
}

function edgeValue(what: EdgeSite['what']): fc.Arbitrary<unknown> {
  switch (what) {
    case 'quantity': return edgeQuantity;
    case 'number': return fc.constantFrom(...EDGE_NUMBERS);
    case 'resource': return fc.constantFrom(...EDGE_RESOURCES);
    default: return edgeString;
  }
}

/** A valid cluster with one to three values replaced by edge values. */
export const edgeCluster = clusterDocs.chain((cluster) => {
  const sites: EdgeSite[] = [];
  edgeSites(cluster.profile.spec, 'profile', ['spec'], sites);
  cluster.instances.forEach((i, n) => {
    edgeSites(i.document.spec, n, ['spec'], sites);
    edgeSites(i.document.metadata, n, ['metadata'], sites);
  });
  const edit = fc.nat(sites.length - 1).chain((s) => edgeValue(sites[s].what).map((value) => ({ site: sites[s], value })));
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    const out: ClusterDocs = JSON.parse(JSON.stringify(cluster));
    for (const { site, value } of edits) {
      // Not a name: those are helper A's collision rules and checked elsewhere.
      if (site.segments[0] === 'metadata' && (site.segments[1] === 'name' || site.segments[1] === 'namespace')) continue;
      const doc = site.target === 'profile' ? out.profile : out.instances[site.target].document;
      const parent = site.segments.slice(0, -1).reduce<any>((node, s) => node?.[s], doc);
      if (parent === undefined || parent === null) continue;
      const last = site.segments[site.segments.length - 1];
      if (site.what === 'key' || site.what === 'resource') {
        if (!(last in parent)) continue;
        const v = parent[last];
        delete parent[last];
        parent[String(value)] = v;
      } else {
        parent[last] = value;
      }
    }
    return { cluster: out, edits: edits.map((e) => `${e.site.target}:${e.site.segments.join('.')}=${JSON.stringify(e.value)?.slice(0, 40)}`) };
  });
});

/**
 * Property: refused with every problem naming a field and no stack trace, or
 * rendered with no duplicate identity (and, given a client, accepted by the API
 * server). Returns whether synth accepted it.
 */
export async function checkEdgeCluster(cluster: ClusterDocs, client?: DryRunClient): Promise<boolean> {
  const root = writeRepository(cluster);
  let clusters: ReturnType<typeof loadInstances>;
  try {
    clusters = loadInstances(root);
  } catch (err) {
    if (!(err instanceof SpecValidationError)) throw new Error(`synth crashed: ${(err as Error).stack}`, { cause: err });
    const text = err.problems.map(formatProblem).join('\n');
    const unnamed = err.problems.filter((p) => p.path === undefined);
    if (unnamed.length > 0) throw new Error(`a refusal names no field:\n${unnamed.map(formatProblem).join('\n')}`, { cause: err });
    if (/\n\s+at .+:\d+:\d+/.test(text) || /TypeError|RangeError/.test(text)) throw new Error(`a refusal carries a stack trace or a raw error:\n${text}`, { cause: err });
    return false;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  const tree = renderClusters(clusters);
  const dups = duplicateIdentities(tree);
  if (dups.length > 0) throw new Error(`duplicate object identities:\n${dups.join('\n')}`);
  if (client) await checkApiServerAccepts(client, tree);
  return true;
}
