/**
 * What the rendered NetworkPolicies mean: for every rendered fleet (the
 * samples and a generated mix of every shape, on clusters with default,
 * customised and disabled policy profiles), every pod that might connect
 * (each rendered workload's pods, a client pod in each namespace, the ingress
 * controller, Prometheus and a pod elsewhere) against every named port of
 * every rendered pod, evaluated by test/support/network-policy-evaluator.ts.
 * The allowed set must be exactly the intended matrix (docs/vecodex.md,
 * "Network policies"), derived here from the pods' roles, not from the policies.
 */
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_MANAGED_BY, LABEL_NAME } from '../src/shared/labels';
import { NETWORK_POLICY_DEFAULTS } from '../src/shared/network-policy-profile';
import { generatedMixDocuments, podTemplates, renderedFleets } from './support/fleet';
import { KubeObject } from './support/kube-client';
import { Cluster, connectionAllowed, Endpoint, NetworkPolicy, Pod } from './support/network-policy-evaluator';
import { objectsOf } from './support/rendered';

interface ClusterIntent {
  readonly ingressNamespace: string;
  readonly monitoringNamespace: string;
  readonly restrictedEgress: boolean;
  /** `<namespace>/<kind>/<instance>` of instances rendered without policies (and `reconciler` when it has none). */
  readonly open: ReadonlySet<string>;
}

/** What each cluster's specs ask for, read from the documents (not from the rendered policies). */
function intents(): Record<string, ClusterIntent> {
  const defaults = (open: string[] = []): ClusterIntent => ({
    ingressNamespace: NETWORK_POLICY_DEFAULTS.ingressNamespace,
    monitoringNamespace: NETWORK_POLICY_DEFAULTS.monitoringNamespace,
    restrictedEgress: false,
    open: new Set(open),
  });
  const out: Record<string, ClusterIntent> = { dev: defaults(), prod: defaults() };
  for (const [cluster, files] of Object.entries(generatedMixDocuments())) {
    const docs = Object.values(files).flat() as any[];
    const np = docs.find((d) => d.kind === 'ClusterProfile')?.spec?.networkPolicy ?? {};
    const enabled = np.enabled ?? true;
    const open = docs.filter((d) => d.kind !== 'ClusterProfile' && !(d.spec.networkPolicy?.enabled ?? enabled))
      .map((d) => `${d.metadata.namespace}/${d.kind === 'AbiInstance' ? 'abi' : 'vecodex'}/${d.metadata.name}`);
    out[cluster] = {
      ingressNamespace: np.ingressNamespace ?? NETWORK_POLICY_DEFAULTS.ingressNamespace,
      monitoringNamespace: np.monitoringNamespace ?? NETWORK_POLICY_DEFAULTS.monitoringNamespace,
      restrictedEgress: np.egress === 'restricted',
      open: new Set([...open, ...(enabled ? [] : ['reconciler'])]),
    };
  }
  return out;
}

type Role =
  | { kind: 'etcd' | 'minio' | 'abi'; instance: string }
  | { kind: 'vecodex'; instance: string; component: 'coordinator' | 'writer' | 'searcher' }
  | { kind: 'reconciler' }
  | { kind: 'client' | 'ingress' | 'monitoring' | 'stranger' };

function roleOf(labels: Record<string, string>): Role {
  const name = labels[LABEL_NAME];
  if (labels.role) return { kind: labels.role as 'client' };
  if (name === 'status-reconciler') return { kind: 'reconciler' };
  if (name === 'vecodex') return { kind: 'vecodex', instance: labels[LABEL_INSTANCE], component: labels[LABEL_COMPONENT] as 'writer' };
  if (name === 'etcd' || name === 'minio' || name === 'abi') return { kind: name, instance: labels[LABEL_INSTANCE] };
  throw new Error(`pod with unknown role: ${JSON.stringify(labels)}`);
}

/** The set (by instance, for etcd and MinIO) whose part a role is, as `<namespace>/<kind>/<instance>` of its custom resource. */
function ownerOf(pod: Pod): string | undefined {
  const role = roleOf(pod.labels);
  if (role.kind === 'abi') return `${pod.namespace}/abi/${role.instance}`;
  if (role.kind === 'vecodex' || role.kind === 'etcd' || role.kind === 'minio') return `${pod.namespace}/vecodex/${role.instance}`;
  if (role.kind === 'reconciler') return 'reconciler';
  return undefined;
}

/** The intended matrix: may `source` connect to `destination`'s port named `port`? */
function intended(intent: ClusterIntent, source: Pod, destination: Pod, port: string): boolean {
  if (intent.open.has(ownerOf(destination)!)) return true;
  const from = roleOf(source.labels);
  const to = roleOf(destination.labels);
  const sameNamespace = source.namespace === destination.namespace;
  const fromMonitoring = source.namespace === intent.monitoringNamespace;
  const fromIngress = source.namespace === intent.ingressNamespace;
  // Pods this library does not render, in the destination's namespace.
  const namespaceClient = sameNamespace && source.labels[LABEL_MANAGED_BY] === undefined;
  const ownSet = (...components: string[]) => from.kind === 'vecodex' && sameNamespace && 'instance' in to && from.instance === to.instance && components.includes(from.component);
  if (port === 'metrics' || port === 'http-metrics') return fromMonitoring;
  switch (to.kind) {
    case 'etcd': return port === 'client' && ownSet('coordinator', 'writer', 'searcher');
    case 'minio': return port === 'api' && ownSet('writer', 'searcher');
    case 'vecodex':
      if (port !== 'grpc') throw new Error(`unexpected Vecodex port ${port}`);
      if (to.component === 'searcher') return ownSet('writer', 'coordinator');
      if (to.component === 'writer') return namespaceClient;
      return namespaceClient || fromIngress;
    case 'abi': return (port === 'http' || port === 'grpc') && (namespaceClient || fromIngress);
    default: throw new Error(`no intent for ${to.kind}:${port}`);
  }
}

interface Universe {
  readonly cluster: Cluster;
  readonly rendered: Pod[];
  readonly sources: Pod[];
}

function universe(objects: KubeObject[], intent: ClusterIntent): Universe {
  const rendered: Pod[] = podTemplates(objects).map(({ object, pod, labels }) => ({
    kind: 'pod', name: `${object.kind}/${object.metadata.name}`, namespace: object.metadata.namespace, labels,
    ports: pod.containers.flatMap((c: any) => c.ports ?? []),
  }));
  const synthetic = (role: string, namespace: string): Pod => ({ kind: 'pod', name: `${role}@${namespace}`, namespace, labels: { role }, ports: [] });
  const namespacesOfPods = [...new Set(rendered.map((p) => p.namespace))];
  const sources = [
    ...rendered,
    ...namespacesOfPods.map((ns) => synthetic('client', ns)),
    synthetic('ingress', intent.ingressNamespace),
    synthetic('monitoring', intent.monitoringNamespace),
    synthetic('stranger', 'elsewhere'),
  ];
  const namespaces = Object.fromEntries([...new Set(sources.map((p) => p.namespace))].map((ns) => [ns, { 'kubernetes.io/metadata.name': ns }]));
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy') as unknown as NetworkPolicy[];
  return { cluster: { namespaces, policies }, rendered, sources };
}

const fleets = renderedFleets();
const intentByCluster = intents();

const clustersOf = (fleet: (typeof fleets)[number]) => [...new Set([...fleet.tree.keys()].map((f) => f.split('/')[0]))].sort();
const cases = fleets.flatMap((fleet) => clustersOf(fleet).map((cluster) => [`${fleet.name}: cluster ${cluster}`, objectsOf(fleet.tree, `${cluster}/`), intentByCluster[cluster]] as const));

describe('rendered NetworkPolicies: who may reach which port', () => {
  test('GIVEN the fleets THEN every cluster of them is covered, with a policy profile for each', () => {
    expect(cases.map(([name]) => name)).toEqual([
      'samples (instances/): cluster dev', 'samples (instances/): cluster prod',
      'generated mix: cluster alpha', 'generated mix: cluster beta', 'generated mix: cluster gamma',
    ]);
    for (const [, , intent] of cases) expect(intent).toBeDefined();
  });

  test.each(cases)('GIVEN %s WHEN every source tries every named port of every rendered pod THEN exactly the intended connections are allowed', (_name, objects, intent) => {
    const { cluster, rendered, sources } = universe(objects, intent);
    expect(rendered.length).toBeGreaterThan(3);
    const allowed: string[] = [];
    const expected: string[] = [];
    for (const destination of rendered) {
      for (const port of destination.ports) {
        for (const source of sources) {
          if (source === destination) continue;
          const key = `${source.namespace}/${source.name} -> ${destination.namespace}/${destination.name}:${port.name}`;
          if (connectionAllowed(cluster, source, destination, port.containerPort, port.protocol ?? 'TCP')) allowed.push(key);
          if (intended(intent, source, destination, port.name!)) expected.push(key);
        }
      }
    }
    expect(expected.length).toBeGreaterThan(0);
    expect(allowed.length).toBeLessThan(rendered.length * sources.length * 3);
    expect(allowed).toEqual(expected);
  });

  test.each(cases)('GIVEN %s THEN no pod of one instance reaches another instance\'s etcd, MinIO or server (policies on)', (_name, objects, intent) => {
    const { cluster, rendered } = universe(objects, intent);
    const leaks: string[] = [];
    let checked = 0;
    for (const destination of rendered.filter((p) => roleOf(p.labels).kind !== 'reconciler' && !intent.open.has(ownerOf(p)!))) {
      for (const source of rendered.filter((p) => ownerOf(p) !== ownerOf(destination) && roleOf(p.labels).kind !== 'reconciler')) {
        for (const port of destination.ports) {
          checked++;
          if (connectionAllowed(cluster, source, destination, port.containerPort)) leaks.push(`${source.name} -> ${destination.name}:${port.name}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    if (objects.some((o) => o.kind === 'NetworkPolicy')) expect(checked).toBeGreaterThan(0);
  });
});

describe('restricted egress (generated mix, cluster beta)', () => {
  const objects = objectsOf(fleets[1].tree, 'beta/');
  const intent = intentByCluster.beta;
  const { cluster, rendered } = universe(objects, intent);
  const CANDIDATES: Array<[number, string]> = [[53, 'UDP'], [53, 'TCP'], [80, 'TCP'], [443, 'TCP'], [2379, 'TCP'], [6443, 'TCP'], [9000, 'TCP'], [11434, 'TCP'], [14268, 'TCP']];
  const outside: Endpoint = { kind: 'external', ip: '203.0.113.7' };
  const reachable = (pod: Pod) => CANDIDATES.filter(([port, protocol]) => connectionAllowed(cluster, pod, outside, port, protocol)).map(([p, proto]) => `${proto}/${p}`);
  const DNS = ['UDP/53', 'TCP/53'];

  test.each([
    ['Deployment/edge-external-searcher', [...DNS, 'TCP/443', 'TCP/2379']],
    ['Deployment/edge-external-writer', [...DNS, 'TCP/443', 'TCP/2379']],
    ['Deployment/edge-external-coordinator', [...DNS, 'TCP/2379']],
    ['Deployment/edge-search-searcher', DNS],
    ['StatefulSet/edge-search-etcd', DNS],
    ['StatefulSet/edge-search-minio', DNS],
    ['StatefulSet/edge', [...DNS, 'TCP/11434']],
    ['StatefulSet/edge-tools', [...DNS, 'TCP/11434', 'TCP/14268']],
    ['Deployment/cdk8s-abi-vecodex-status-reconciler', [...DNS, 'TCP/443', 'TCP/6443']],
  ])('GIVEN %s THEN outside the cluster it reaches exactly %j', (name, ports) => {
    expect(intent.restrictedEgress).toBe(true);
    expect(reachable(rendered.find((p) => p.name === name)!)).toEqual(ports);
  });

  test('GIVEN the set edge-search THEN its writer reaches its own etcd, MinIO and searchers, and not edge-external\'s searchers', () => {
    const pod = (name: string) => rendered.find((p) => p.name === name)!;
    const writer = pod('Deployment/edge-search-writer');
    expect(connectionAllowed(cluster, writer, pod('StatefulSet/edge-search-etcd'), 2379)).toBe(true);
    expect(connectionAllowed(cluster, writer, pod('StatefulSet/edge-search-minio'), 9000)).toBe(true);
    expect(connectionAllowed(cluster, writer, pod('Deployment/edge-search-searcher'), 44400)).toBe(true);
    expect(connectionAllowed(cluster, writer, pod('Deployment/edge-external-searcher'), 44400)).toBe(false);
  });
});
