/**
 * networking.k8s.io/v1 NetworkPolicy building blocks. Semantics, as
 * kubernetes.io/docs/concepts/services-networking/network-policies states
 * them: a pod selected by any policy with a policy type is isolated in that
 * direction and admits only what some selecting policy's rule allows
 * (policies add up); a connection needs the source's egress and the
 * destination's ingress to allow it; a peer's podSelector without a
 * namespaceSelector means the policy's own namespace; podSelector and
 * namespaceSelector in one peer must both match; traffic from the pod's own
 * node (kubelet probes) is always allowed.
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { LABEL_MANAGED_BY, MANAGED_BY } from './labels';

/** Set by the API server on every namespace (Kubernetes ≥ 1.22): selects a namespace by name. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Every pod of a namespace, by its name. */
export function namespacePeer(namespace: string): k8s.NetworkPolicyPeer {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } } };
}

/** Pods of the policy's own namespace. */
export function podPeer(matchLabels: Record<string, string>, matchExpressions?: k8s.LabelSelectorRequirement[]): k8s.NetworkPolicyPeer {
  return { podSelector: { matchLabels, matchExpressions } };
}

/**
 * The namespace's own client pods: everything this library does not render.
 * Other instances' pods carry app.kubernetes.io/managed-by and stay out, so
 * one instance never reaches another's server through this rule.
 */
export const NAMESPACE_CLIENTS: k8s.NetworkPolicyPeer = {
  podSelector: { matchExpressions: [{ key: LABEL_MANAGED_BY, operator: 'NotIn', values: [MANAGED_BY] }] },
};

export function tcpPorts(...ports: Array<string | number>): k8s.NetworkPolicyPort[] {
  return ports.map((p) => ({ protocol: 'TCP', port: typeof p === 'number' ? k8s.IntOrString.fromNumber(p) : k8s.IntOrString.fromString(p) }));
}

/**
 * Name resolution, to any destination: CoreDNS pods, or NodeLocal DNSCache's
 * link-local address, which no pod or namespace selector matches.
 */
const DNS_EGRESS: k8s.NetworkPolicyEgressRule = {
  ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) }],
};

/**
 * TCP to any destination on the given ports: for endpoints named by DNS
 * (external etcd or S3, LLM APIs), whose addresses a policy cannot know.
 */
export function anyDestinationEgress(ports: readonly number[]): k8s.NetworkPolicyEgressRule[] {
  const unique = [...new Set(ports)].sort((a, b) => a - b);
  return unique.length > 0 ? [{ ports: tcpPorts(...unique) }] : [];
}

export interface WorkloadNetworkPolicyProps {
  readonly name: string;
  /** @default the chart's namespace */
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  /** The pods the policy isolates. */
  readonly podSelector: k8s.LabelSelector;
  /** Allowed ingress; an empty list admits nothing. */
  readonly ingress: k8s.NetworkPolicyIngressRule[];
  /** Allowed egress (DNS is added); undefined leaves egress open. */
  readonly egress?: k8s.NetworkPolicyEgressRule[];
}

/** One NetworkPolicy: ingress always isolated, egress only when rules are given. */
export class WorkloadNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: WorkloadNetworkPolicyProps) {
    super(scope, id);
    new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        podSelector: props.podSelector,
        policyTypes: props.egress ? ['Ingress', 'Egress'] : ['Ingress'],
        ingress: props.ingress,
        egress: props.egress ? [DNS_EGRESS, ...props.egress] : undefined,
      },
    });
  }
}

/** Port of an http(s) URL, for egress to it. */
export function urlPort(url: string): number | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.port !== '') return Number(parsed.port);
    return parsed.protocol === 'https:' ? 443 : parsed.protocol === 'http:' ? 80 : undefined;
  } catch {
    return undefined;
  }
}
