/**
 * Shared steps of the day-2 scenarios on the simulated cluster: render
 * instance specs exactly as `npx cdk8s synth` does, install the platform
 * (CRDs, the reconciler's Namespace, ServiceAccount and RBAC as rendered),
 * apply instances the way a GitOps tool would (server-side apply), run the
 * compiled reconciler with the rendered ServiceAccount's token, and read every
 * verdict on a custom resource: ours, Argo CD's Lua, Flux's CEL, kstatus.
 */
import * as fs from 'fs';
import type { ClientRequest } from 'http';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { customResourceHealthLua } from '../../src/gitops/argocd-health-check';
import { CEL_EXPRESSIONS } from '../../src/gitops/flux-health-exprs';
import { kstatusVerdict } from '../../src/reconciler/kstatus';
import { fluxHealth } from '../gitops/cel';
import { runHealthScript } from '../gitops/lua';
import { ensureBuilt, ReconcilerProcess } from '../reconciler/reconciler-process';
import { testOnlyCrds } from '../support/api-apply';
import { KubeClient, KubeObject } from '../support/kube-client';
import { objectsOf, OutputTree, synthesizeRepository } from '../support/rendered';
import { DEFAULT_NODES, SimulatedCluster } from '../support/simulated-cluster';

export const REPOSITORY_INSTANCES = path.join(__dirname, '..', '..', 'instances');
export const RECONCILER_NAMESPACE = 'cdk8s-abi-vecodex-system';
export const RECONCILER_SA = 'cdk8s-abi-vecodex-status-reconciler';
/** Storage classes the samples name (the first is the cluster default). */
export const STORAGE_CLASSES = ['standard', 'fast-ssd', 'fast-nvme'];

/** Renders a directory of instance specs (instances/<cluster>/...) in memory. */
export function render(instancesDir = REPOSITORY_INSTANCES): OutputTree {
  return synthesizeRepository(instancesDir);
}

/** Writes generated specs as instances/<cluster>/<file> in a temp dir and renders them. */
export function renderGenerated(cluster: string, profile: Record<string, unknown>, specs: Record<string, unknown>[]): OutputTree {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'day2-instances-'));
  try {
    fs.mkdirSync(path.join(dir, cluster));
    fs.writeFileSync(path.join(dir, cluster, 'cluster.yaml'), yaml.dump({ apiVersion: 'cdk8s-abi-vecodex/v1alpha1', kind: 'ClusterProfile', metadata: { name: cluster }, spec: profile }));
    specs.forEach((s, i) => fs.writeFileSync(path.join(dir, cluster, `instance-${i}.yaml`), yaml.dump(s)));
    return synthesizeRepository(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A ready fleet: default nodes, zonal storage for every class the samples use. */
export async function prepareCluster(cluster: SimulatedCluster, volumesPerZone = 8): Promise<void> {
  await cluster.createNodes(DEFAULT_NODES);
  await cluster.createZonalStorage(STORAGE_CLASSES, volumesPerZone);
}

async function mustApply(client: KubeClient, obj: KubeObject): Promise<any> {
  const res = await client.apply(obj, { fieldManager: 'gitops' });
  if (res.status >= 300) throw new Error(`apply ${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name}: HTTP ${res.status} ${res.body?.message ?? JSON.stringify(res.body)}`);
  if (res.warnings.length > 0) throw new Error(`apply ${obj.kind} ${obj.metadata.name}: warnings ${res.warnings.join('; ')}`);
  return res.body;
}

/**
 * The cluster's platform/ folder: CRDs (waited for), and the reconciler's
 * Namespace, ServiceAccount, RBAC, PDB and Service, but not its Deployment:
 * the test runs the reconciler as a local process with that ServiceAccount's token.
 */
export async function installPlatform(client: KubeClient, tree: OutputTree, clusterName: string): Promise<void> {
  const platform = objectsOf(tree, `${clusterName}/platform/`);
  await client.installCrds(platform.filter((o) => o.kind === 'CustomResourceDefinition'));
  // Profiles with the Prometheus Operator render ServiceMonitors.
  await client.installCrds(testOnlyCrds());
  for (const obj of platform.filter((o) => o.kind !== 'CustomResourceDefinition' && o.kind !== 'Deployment')) await mustApply(client, obj);
}

/** What a GitOps tool applies for a cluster (platform/ excluded): Namespaces first, then everything else, custom resources last. */
export function instanceObjects(tree: OutputTree, clusterName: string): KubeObject[] {
  const all = objectsOf(tree, `${clusterName}/`).filter((o) => !isPlatformOrGitOps(tree, clusterName, o));
  const rank = (o: KubeObject) => (o.kind === 'Namespace' ? 0 : o.kind === 'AbiInstance' || o.kind === 'VecodexSet' ? 2 : 1);
  return [...all].sort((a, b) => rank(a) - rank(b));
}

function isPlatformOrGitOps(tree: OutputTree, clusterName: string, obj: KubeObject): boolean {
  for (const folder of ['platform', 'argocd', 'flux']) {
    if (objectsOf(tree, `${clusterName}/${folder}/`).some((o) => o.kind === obj.kind && o.metadata.name === obj.metadata.name && o.metadata.namespace === obj.metadata.namespace)) return true;
  }
  return false;
}

/** Server-side applies objects in order. */
export async function applyAll(client: KubeClient, objects: readonly KubeObject[]): Promise<void> {
  for (const obj of objects) await mustApply(client, obj);
}

/** Installs rendered instances: their Namespaces, placeholder Secrets they reference, then everything else. */
export async function installInstances(client: KubeClient, objects: readonly KubeObject[]): Promise<void> {
  await applyAll(client, objects.filter((o) => o.kind === 'Namespace'));
  await createReferencedSecrets(client, objects);
  await applyAll(client, objects.filter((o) => o.kind !== 'Namespace'));
}

/** Placeholder Secrets the rendered pods reference (a kubelet would refuse to start them without; KWOK does not care). */
export async function createReferencedSecrets(client: KubeClient, objects: readonly KubeObject[]): Promise<void> {
  const wanted = new Map<string, Set<string>>();
  const visit = (node: unknown, namespace: string) => {
    if (Array.isArray(node)) { node.forEach((n) => visit(n, namespace)); return; }
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, any>;
    if (o.secretKeyRef?.name) add(namespace, o.secretKeyRef.name, o.secretKeyRef.key);
    if (o.secretRef?.name) add(namespace, o.secretRef.name);
    if (o.secret?.secretName) add(namespace, o.secret.secretName);
    Object.values(o).forEach((v) => visit(v, namespace));
  };
  const keys = new Map<string, Set<string>>();
  const add = (namespace: string, name: string, key?: string) => {
    const id = `${namespace}/${name}`;
    if (!wanted.has(id)) wanted.set(id, new Set());
    if (key) (keys.get(id) ?? keys.set(id, new Set()).get(id)!).add(key);
  };
  for (const obj of objects) {
    if (['Deployment', 'StatefulSet'].includes(obj.kind)) visit((obj as any).spec?.template, obj.metadata.namespace ?? 'default');
  }
  for (const id of wanted.keys()) {
    const [namespace, name] = id.split('/');
    const data: Record<string, string> = {};
    for (const key of keys.get(id) ?? []) data[key] = Buffer.from('placeholder').toString('base64');
    await mustApply(client, { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', data } as KubeObject);
  }
}

export interface ReconcilerOptions {
  readonly identity: string;
  /** @default 2 */
  readonly resyncSeconds?: number;
  readonly extraArgs?: readonly string[];
}

/** The compiled reconciler, authenticated as the rendered ServiceAccount, leader-electing in its namespace. */
export async function startReconciler(cluster: SimulatedCluster, options: ReconcilerOptions): Promise<ReconcilerProcess> {
  ensureBuilt();
  const kubeconfig = await cluster.serviceAccountKubeconfig(RECONCILER_NAMESPACE, RECONCILER_SA);
  const proc = await ReconcilerProcess.start([
    `--kubeconfig=${kubeconfig}`, `--identity=${options.identity}`, '--log-level=debug',
    `--lease-namespace=${RECONCILER_NAMESPACE}`, '--lease-duration=6', '--renew-deadline=4', '--retry-period=0.5',
    `--resync-period=${options.resyncSeconds ?? 2}`,
    ...(options.extraArgs ?? []),
  ]);
  return proc;
}

export interface Verdicts {
  readonly phase?: string;
  readonly health?: string;
  readonly ready?: string;
  readonly readyReason?: string;
  readonly reconciling?: string;
  readonly stalled?: string;
  readonly argocd: string;
  readonly flux: string;
  readonly kstatus: string;
}

const condition = (cr: any, type: string) => (cr.status?.conditions ?? []).find((c: any) => c.type === type);

/** Everything that judges a custom resource, on the object as read from the API server. */
export function verdictsOf(cr: any): Verdicts {
  return {
    phase: cr.status?.phase,
    health: cr.status?.health?.status,
    ready: condition(cr, 'Ready')?.status,
    readyReason: condition(cr, 'Ready')?.reason,
    reconciling: condition(cr, 'Reconciling')?.status,
    stalled: condition(cr, 'Stalled')?.status,
    argocd: runHealthScript(customResourceHealthLua(), cr).status,
    flux: fluxHealth(CEL_EXPRESSIONS, cr).status,
    kstatus: kstatusVerdict(cr),
  };
}

export { condition };

/** The verdicts of a custom resource that serves: every reader agrees. */
export const HEALTHY: Partial<Verdicts> = { phase: 'Running', health: 'Healthy', ready: 'True', argocd: 'Healthy', flux: 'Current', kstatus: 'Current' };

export const KIND_API: Record<string, string> = { AbiInstance: 'abi.io/v1', VecodexSet: 'apps.vecodex.link/v1alpha1' };

export async function getCr(client: KubeClient, kind: 'AbiInstance' | 'VecodexSet', namespace: string, name: string): Promise<any> {
  const res = await client.get(KIND_API[kind], kind, namespace, name);
  if (res.status !== 200) throw new Error(`${kind} ${namespace}/${name}: HTTP ${res.status}`);
  return res.body;
}

/** Pods of an instance (by the rendered instance label), with their node. */
export async function podsOf(client: KubeClient, namespace: string, instance: string, component?: string): Promise<any[]> {
  const selector = `app.kubernetes.io/instance=${instance}${component ? `,app.kubernetes.io/component=${component}` : ''}`;
  const res = await client.request('GET', `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`);
  return res.body.items ?? [];
}

export async function nodesByName(client: KubeClient): Promise<Map<string, any>> {
  const res = await client.request('GET', '/api/v1/nodes');
  return new Map((res.body.items ?? []).map((n: any) => [n.metadata.name, n]));
}

/** POST pods/<name>/eviction as `kubectl drain` does; returns the HTTP status (201 allowed, 429 blocked by a PDB). */
export async function evict(client: KubeClient, namespace: string, pod: string): Promise<{ status: number; message?: string }> {
  const res = await client.request('POST', `/api/v1/namespaces/${namespace}/pods/${pod}/eviction`, {
    apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace },
  });
  return { status: res.status, message: res.body?.message };
}

export async function cordon(client: KubeClient, node: string, unschedulable = true): Promise<void> {
  const res = await client.request('PATCH', `/api/v1/nodes/${node}`, { spec: { unschedulable } }, 'application/merge-patch+json');
  if (res.status >= 300) throw new Error(`cordon ${node}: HTTP ${res.status}`);
}

/** `kubectl scale`: writes the scale subresource, as a person (not the GitOps field manager) would. */
export async function scale(client: KubeClient, kind: 'Deployment' | 'StatefulSet', namespace: string, name: string, replicas: number): Promise<void> {
  const plural = kind === 'Deployment' ? 'deployments' : 'statefulsets';
  const res = await client.request('PATCH', `/apis/apps/v1/namespaces/${namespace}/${plural}/${name}/scale`, { spec: { replicas } }, 'application/merge-patch+json');
  if (res.status >= 300) throw new Error(`scale ${kind} ${name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
}

/** Ready addresses of a Service's EndpointSlices, with their ports. */
export async function endpointsOf(client: KubeClient, namespace: string, service: string): Promise<{ addresses: number; ports: number[] }> {
  const res = await client.request('GET', `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices?labelSelector=${encodeURIComponent(`kubernetes.io/service-name=${service}`)}`);
  let addresses = 0;
  const ports = new Set<number>();
  for (const slice of res.body.items ?? []) {
    for (const ep of slice.endpoints ?? []) if (ep.conditions?.ready !== false) addresses += (ep.addresses ?? []).length;
    for (const p of slice.ports ?? []) if (typeof p.port === 'number') ports.add(p.port);
  }
  return { addresses, ports: [...ports].sort((a, b) => a - b) };
}

/**
 * Every version of one object a watch delivers, from now until stop(): the
 * statuses the reconciler wrote in between polls, so a scenario can assert
 * what was never reported (Ready with too few replicas, a PDB flash).
 */
export class WatchRecorder {
  public static start(cluster: SimulatedCluster, collectionPath: string, name: string): WatchRecorder {
    return new WatchRecorder(cluster, collectionPath, name);
  }

  public readonly seen: any[] = [];
  private readonly request: ClientRequest;
  private buffer = '';

  private constructor(cluster: SimulatedCluster, collectionPath: string, name: string) {
    const url = new URL(`${collectionPath}?watch=true&fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`, cluster.url);
    this.request = https.get(url, { ca: fs.readFileSync(cluster.caFile), headers: { Authorization: `Bearer ${cluster.token}` } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        this.buffer += chunk;
        let nl: number;
        while ((nl = this.buffer.indexOf('\n')) >= 0) {
          const line = this.buffer.slice(0, nl);
          this.buffer = this.buffer.slice(nl + 1);
          try {
            const event = JSON.parse(line);
            if (event.object?.metadata?.name === name) this.seen.push(event.object);
          } catch { /* partial line */ }
        }
      });
      res.on('error', () => undefined);
    });
    this.request.on('error', () => undefined);
  }

  public stop(): any[] {
    this.request.destroy();
    return this.seen;
  }
}
