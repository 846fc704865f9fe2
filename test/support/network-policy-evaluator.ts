/**
 * A table-driven evaluator of networking.k8s.io/v1 NetworkPolicies: given
 * pods (labels, namespace, container ports), namespaces (labels) and
 * policies, may this source open a connection to that destination port?
 * The rules, from kubernetes.io/docs/concepts/services-networking/network-policies:
 * - a pod is isolated for ingress (egress) when any policy in its namespace
 *   selects it and lists Ingress (Egress) in policyTypes; policyTypes defaults
 *   to Ingress, plus Egress when the policy has egress rules;
 * - a non-isolated direction allows everything; an isolated one allows the
 *   union of the selecting policies' rules;
 * - a rule with no `from`/`to` matches every peer, with no `ports` every port;
 * - a peer with podSelector only means pods of the policy's namespace; with
 *   namespaceSelector only, every pod of the matching namespaces; with both,
 *   pods matching podSelector in matching namespaces; ipBlock matches
 *   addresses in cidr and not in except (used here for endpoints outside
 *   the cluster, as the documentation recommends);
 * - a port may be a number (with endPort, a range) or a container port name
 *   of the destination; protocol defaults to TCP;
 * - a connection needs the source's egress and the destination's ingress.
 * test/network-policy-evaluator.test.ts checks it against the documentation's cases.
 */

export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: ReadonlyArray<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

export interface Peer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { cidr: string; except?: string[] };
}

export interface PolicyPort {
  readonly protocol?: string;
  readonly port?: number | string;
  readonly endPort?: number;
}

export interface NetworkPolicy {
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: {
    readonly podSelector: LabelSelector;
    readonly policyTypes?: ReadonlyArray<'Ingress' | 'Egress'>;
    readonly ingress?: ReadonlyArray<{ from?: Peer[]; ports?: PolicyPort[] }>;
    readonly egress?: ReadonlyArray<{ to?: Peer[]; ports?: PolicyPort[] }>;
  };
}

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: string;
}

export interface Pod {
  readonly kind: 'pod';
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly ports: readonly ContainerPort[];
}

export interface External {
  readonly kind: 'external';
  readonly ip: string;
}

export type Endpoint = Pod | External;

export interface Cluster {
  readonly namespaces: Record<string, Record<string, string>>;
  readonly policies: readonly NetworkPolicy[];
}

export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (selector === undefined) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const ok = e.operator === 'In' ? has && (e.values ?? []).includes(labels[e.key])
      : e.operator === 'NotIn' ? !has || !(e.values ?? []).includes(labels[e.key])
        : e.operator === 'Exists' ? has
          : !has;
    if (!ok) return false;
  }
  return true;
}

function ipv4(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${ip}`);
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return ((ipv4(ip) & mask) >>> 0) === ((ipv4(base) & mask) >>> 0);
}

function policyTypes(policy: NetworkPolicy): ReadonlyArray<'Ingress' | 'Egress'> {
  return policy.spec.policyTypes ?? (policy.spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
}

function selecting(cluster: Cluster, pod: Pod, direction: 'Ingress' | 'Egress'): NetworkPolicy[] {
  return cluster.policies.filter((p) => p.metadata.namespace === pod.namespace
    && policyTypes(p).includes(direction) && selectorMatches(p.spec.podSelector, pod.labels));
}

function peerMatches(cluster: Cluster, peer: Peer, policyNamespace: string, endpoint: Endpoint): boolean {
  if (peer.ipBlock) {
    return endpoint.kind === 'external' && inCidr(endpoint.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(endpoint.ip, c));
  }
  if (endpoint.kind !== 'pod') return false;
  const namespaceLabels = cluster.namespaces[endpoint.namespace];
  if (namespaceLabels === undefined) throw new Error(`pod ${endpoint.name} is in unknown namespace ${endpoint.namespace}`);
  const namespaceOk = peer.namespaceSelector !== undefined
    ? selectorMatches(peer.namespaceSelector, namespaceLabels)
    : endpoint.namespace === policyNamespace;
  return namespaceOk && selectorMatches(peer.podSelector, endpoint.labels);
}

function peersMatch(cluster: Cluster, peers: Peer[] | undefined, policyNamespace: string, endpoint: Endpoint): boolean {
  return peers === undefined || peers.length === 0 || peers.some((p) => peerMatches(cluster, p, policyNamespace, endpoint));
}

/** Whether the rule's ports admit `port`/`protocol` on `destination` (named ports resolve against a destination pod). */
function portsMatch(ports: PolicyPort[] | undefined, port: number, protocol: string, destination: Endpoint): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
    if (destination.kind !== 'pod') return false;
    return destination.ports.some((c) => c.name === p.port && c.containerPort === port && (c.protocol ?? 'TCP') === protocol);
  });
}

export function ingressAllows(cluster: Cluster, source: Endpoint, destination: Pod, port: number, protocol = 'TCP'): boolean {
  const policies = selecting(cluster, destination, 'Ingress');
  if (policies.length === 0) return true;
  return policies.some((policy) => (policy.spec.ingress ?? []).some((rule) =>
    peersMatch(cluster, rule.from, policy.metadata.namespace, source) && portsMatch(rule.ports, port, protocol, destination)));
}

export function egressAllows(cluster: Cluster, source: Pod, destination: Endpoint, port: number, protocol = 'TCP'): boolean {
  const policies = selecting(cluster, source, 'Egress');
  if (policies.length === 0) return true;
  return policies.some((policy) => (policy.spec.egress ?? []).some((rule) =>
    peersMatch(cluster, rule.to, policy.metadata.namespace, destination) && portsMatch(rule.ports, port, protocol, destination)));
}

/** A connection from `source` to `destination`:`port`: the source's egress and the destination's ingress must both allow it. */
export function connectionAllowed(cluster: Cluster, source: Endpoint, destination: Endpoint, port: number, protocol = 'TCP'): boolean {
  if (source.kind === 'pod' && !egressAllows(cluster, source, destination, port, protocol)) return false;
  if (destination.kind === 'pod' && !ingressAllows(cluster, source, destination, port, protocol)) return false;
  return true;
}
