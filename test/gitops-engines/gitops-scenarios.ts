/**
 * Shared steps of the engine tier: a test instances dir whose cluster profile
 * points gitops.repoURL at the loopback Git server, rendered exactly as
 * `npx cdk8s synth` does and committed under dist/, and readers of what the
 * engines report.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { GitServer } from '../support/git-server';
import { KubeClient, KubeObject } from '../support/kube-client';
import { OutputTree, synthesizeRepository } from '../support/rendered';

export const CLUSTER = 'dev';
export const DIST_PATH = 'dist';
const SAMPLES = path.join(__dirname, '..', '..', 'instances', CLUSTER);

export type Specs = Map<string, Record<string, unknown>>;

/** The repository's dev samples, by file name (cluster.yaml excluded). */
export function sampleSpecs(): Specs {
  const specs: Specs = new Map();
  for (const file of fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.yaml') && f !== 'cluster.yaml').sort()) {
    const spec = yaml.load(fs.readFileSync(path.join(SAMPLES, file), 'utf8')) as any;
    // Explicit, so the tests can name each instance's namespace (synth defaults it the same way).
    spec.metadata.namespace ??= 'default';
    specs.set(file, spec);
  }
  return specs;
}

/** The dev cluster profile with gitops.repoURL (and optionally more) replaced. */
export function profileFor(repoURL: string, gitops: Record<string, unknown> = {}): Record<string, unknown> {
  const profile = yaml.load(fs.readFileSync(path.join(SAMPLES, 'cluster.yaml'), 'utf8')) as any;
  profile.spec.gitops = { ...profile.spec.gitops, repoURL, ...gitops };
  return profile;
}

/** Renders an instances/<cluster>/ dir of these specs, as synth would, into a tree keyed as in the repository (dist/...). */
export function renderRepository(profile: Record<string, unknown>, specs: Specs): Map<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-instances-'));
  try {
    fs.mkdirSync(path.join(dir, CLUSTER));
    fs.writeFileSync(path.join(dir, CLUSTER, 'cluster.yaml'), yaml.dump(profile));
    for (const [file, spec] of specs) fs.writeFileSync(path.join(dir, CLUSTER, file), yaml.dump(spec));
    const tree: OutputTree = synthesizeRepository(dir);
    return new Map([...tree].map(([file, text]) => [`${DIST_PATH}/${file}`, text]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Renders and commits; returns the commit. */
export function commitRendered(git: GitServer, profile: Record<string, unknown>, specs: Specs, message: string): string {
  return git.commitTree(renderRepository(profile, specs), message);
}

/**
 * The objects `kubectl apply -k <folder>` applies: the files its
 * kustomization.yaml lists (ours only list plain files there, no transformers).
 */
export function kustomizeFolder(tree: ReadonlyMap<string, string>, folder: string): KubeObject[] {
  const k = yaml.load(tree.get(`${folder}/kustomization.yaml`) ?? '') as { resources?: string[] } | undefined;
  if (!k?.resources?.length) throw new Error(`${folder}/kustomization.yaml lists no resources`);
  return k.resources.flatMap((file) => {
    const text = tree.get(`${folder}/${file}`);
    if (text === undefined) throw new Error(`${folder}/kustomization.yaml lists ${file}, which is not rendered`);
    return yaml.loadAll(text).filter((d) => d && typeof d === 'object') as KubeObject[];
  });
}

/** Server-side apply as `kubectl apply --server-side` does (field manager `kubectl`). */
export async function kubectlApplyServerSide(client: KubeClient, objects: readonly KubeObject[], fieldManager = 'kubectl'): Promise<void> {
  for (const obj of objects) {
    const res = await client.apply(obj, { fieldManager, force: true });
    if (res.status >= 300) throw new Error(`apply ${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name}: HTTP ${res.status} ${res.body?.message ?? JSON.stringify(res.body)}`);
  }
}

export function conditionOf(obj: any, type: string): { status: string; reason?: string; message?: string; lastTransitionTime?: string } | undefined {
  return (obj?.status?.conditions ?? []).find((c: any) => c.type === type);
}

/** Polls until `probe` returns a value, failing with the last observation and `context()` (engine logs). */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number, context: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) {
        // GITOPS_ENGINES_TRACE=1 shows each step as it is reached (jest prints a suite's results only at its end).
        if (process.env.GITOPS_ENGINES_TRACE === '1') process.stderr.write(`[engines] ${what} after ${Date.now() - started} ms\n`);
        return value;
      }
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} not reached within ${timeoutMs} ms; last: ${last instanceof Error ? last.message : JSON.stringify(last)}\n${context()}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Reads one object, undefined when absent. */
export async function getObject(client: KubeClient, apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<any | undefined> {
  const res = await client.get(apiVersion, kind, namespace, name);
  if (res.status === 404) return undefined;
  if (res.status >= 300) throw new Error(`get ${kind} ${namespace ?? ''}/${name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The objects rendered into one instance folder. */
export function instanceFolderObjects(tree: ReadonlyMap<string, string>, namespace: string, name: string): KubeObject[] {
  const text = tree.get(`${DIST_PATH}/${CLUSTER}/${namespace}/${name}/manifests.yaml`);
  if (text === undefined) throw new Error(`no instance folder ${namespace}/${name}`);
  return yaml.loadAll(text).filter((d) => d && typeof d === 'object') as KubeObject[];
}
