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

/** Our argocd-cm keys (`<argocdFolder>/argocd-cm.yaml`), applied server-side so that the install's keys stay (docs/gitops.md). */
export async function applyArgoCdConfig(client: KubeClient, tree: ReadonlyMap<string, string>, argocdFolder: string): Promise<void> {
  await kubectlApplyServerSide(client, yaml.loadAll(tree.get(`${argocdFolder}/argocd-cm.yaml`)!) as KubeObject[], 'cdk8s-abi-vecodex');
}

/** docs/gitops.md "GitOps with Argo CD / Bootstrap": our argocd-cm, then the cluster's Argo CD folder (dist/<cluster>/argocd). */
export async function bootstrapArgoCd(client: KubeClient, tree: ReadonlyMap<string, string>, argocdFolder: string): Promise<void> {
  await applyArgoCdConfig(client, tree, argocdFolder);
  await kubectlApplyServerSide(client, kustomizeFolder(tree, argocdFolder));
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
export async function getObject(
  client: KubeClient, apiVersion: string, kind: string, namespace: string | undefined, name: string,
): Promise<any | undefined> {
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

/** Which custom resource an instance spec becomes, and where. */
export interface InstanceRef { readonly apiVersion: string; readonly kind: string; readonly namespace: string; readonly name: string }

/** Every instance of `specs`, in file order. */
export function instanceRefs(specs: Specs): InstanceRef[] {
  return [...specs.values()].map((s: any) => ({ apiVersion: s.apiVersion, kind: s.kind, namespace: s.metadata.namespace, name: s.metadata.name }));
}

/** The instance the add / change / remove scenarios commit: a copy of the first AbiInstance sample in a namespace of its own. */
export const ADDED_INSTANCE = { file: 'added.yaml', namespace: 'team-a', name: 'added-abi' } as const;

/** A second instance in ADDED_INSTANCE's namespace, so removing ADDED_INSTANCE leaves the namespace in use. */
export const ADDED_SIBLING = { file: 'added-sibling.yaml', namespace: ADDED_INSTANCE.namespace, name: 'added-abi-sibling' } as const;

/** `specs` plus `added` (ADDED_INSTANCE unless told): a copy of the first AbiInstance sample. */
export function addInstance(specs: Specs, added: { file: string; namespace: string; name: string } = ADDED_INSTANCE): void {
  const base = [...specs.values()].find((s: any) => s.kind === 'AbiInstance') as any;
  if (!base) throw new Error('no AbiInstance sample to copy');
  specs.set(added.file, { ...base, metadata: { name: added.name, namespace: added.namespace } });
}

/** ADDED_INSTANCE scaled to `replicas`. */
export function scaleAddedInstance(specs: Specs, replicas: number): void {
  const spec = specs.get(ADDED_INSTANCE.file) as any;
  if (!spec) throw new Error(`${ADDED_INSTANCE.file} has not been added`);
  specs.set(ADDED_INSTANCE.file, { ...spec, spec: { ...spec.spec, replicas } });
}

/**
 * The rendered tree with a hand edit no synth would make: a Service whose port
 * is out of range appended to `victim`'s instance folder, so the API server
 * refuses that one object.
 */
export function withRefusedObject(tree: Map<string, string>, victim: InstanceRef): Map<string, string> {
  const file = `${DIST_PATH}/${CLUSTER}/${victim.namespace}/${victim.name}/manifests.yaml`;
  const text = tree.get(file);
  if (text === undefined) throw new Error(`no instance folder ${victim.namespace}/${victim.name}`);
  const edited = new Map(tree);
  edited.set(file, `${text}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: refused\n  namespace: ${victim.namespace}\nspec:\n  ports:\n    - port: 99999\n`);
  return edited;
}

/** The uids of the PersistentVolumeClaims in `namespace`, sorted: the data that prune protection keeps. */
export async function claimUids(client: KubeClient, namespace: string): Promise<string[]> {
  const res = await client.list('v1', 'PersistentVolumeClaim', namespace);
  if (res.status >= 300) throw new Error(`list claims in ${namespace}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body.items as any[]).map((c) => c.metadata.uid as string).sort();
}

/** The workload (StatefulSet or Deployment) rendered for an instance; the AbiInstance renders exactly one. */
export function instanceWorkload(tree: ReadonlyMap<string, string>, namespace: string, name: string): KubeObject {
  const workloads = instanceFolderObjects(tree, namespace, name).filter((o) => o.kind === 'StatefulSet' || o.kind === 'Deployment');
  if (workloads.length !== 1) throw new Error(`${namespace}/${name} renders ${workloads.length} workloads, expected one`);
  return workloads[0];
}

/**
 * Stands in for an ingress controller: publishes an address in every
 * Ingress's status.loadBalancer.ingress, as ingress-nginx does for the
 * Ingresses of its class. The simulated cluster runs no ingress controller,
 * and Argo CD counts an Ingress Progressing until it has an address
 * (gitops-engine pkg/health/health_ingress.go), so without this every
 * instance with an Ingress (the VecodexSet sample) stays Progressing for ever.
 * Flux's kstatus and CEL checks do not wait for Ingress addresses.
 */
export class IngressControllerStandIn {
  public static start(client: KubeClient, address = '127.0.0.1', periodMs = 500): IngressControllerStandIn {
    const standIn = new IngressControllerStandIn(client, address, periodMs);
    standIn.loop = standIn.run();
    return standIn;
  }

  /** Ingresses given an address, as namespace/name. */
  public readonly published = new Set<string>();
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;

  private constructor(private readonly client: KubeClient, private readonly address: string, private readonly periodMs: number) {}

  public async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.publishOnce();
      } catch {
        // The API server may be busy or going away; try again next period.
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.periodMs);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
    }
  }

  private async publishOnce(): Promise<void> {
    // Every namespace (KubeClient.list reads one).
    const res = await this.client.request('GET', '/apis/networking.k8s.io/v1/ingresses');
    if (res.status >= 300) return;
    for (const ingress of res.body.items as any[]) {
      if ((ingress.status?.loadBalancer?.ingress ?? []).length > 0) continue;
      const { namespace, name } = ingress.metadata;
      const patched = await this.client.patchStatus('networking.k8s.io/v1', 'Ingress', namespace, name, { loadBalancer: { ingress: [{ ip: this.address }] } });
      if (patched.status < 300) this.published.add(`${namespace}/${name}`);
    }
  }
}

/** An Argo CD Application that has compared, and is in sync with, `commit`. */
export function applicationSyncedAt(app: { status?: { sync?: { status?: string; revision?: string } } } | undefined, commit: string): boolean {
  return app?.status?.sync?.status === 'Synced' && app.status.sync.revision === commit;
}
