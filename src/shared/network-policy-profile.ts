/**
 * The cluster profile's NetworkPolicy settings: whether instances get
 * policies, which namespaces the ingress controller and Prometheus run in
 * (they are let in), and whether egress is restricted too.
 */
export interface NetworkPolicyProfile {
  /** Render NetworkPolicies for every instance (one can opt out with spec.networkPolicy.enabled) and the reconciler. @default true */
  readonly enabled?: boolean;
  /** Namespace of the ingress controller, let in to the Vecodex coordinator and ABI. @default 'ingress-nginx' (the ingress-nginx chart's) */
  readonly ingressNamespace?: string;
  /** Namespace of Prometheus, let in to metrics ports. @default 'monitoring' (kube-prometheus and the Prometheus Operator's usual one) */
  readonly monitoringNamespace?: string;
  /**
   * 'open' leaves egress alone; 'restricted' allows only DNS, the declared
   * dependencies (etcd, S3, searchers, LLM endpoints) and, for the reconciler,
   * the API server.
   * @default 'open'
   */
  readonly egress?: 'open' | 'restricted';
}

/** A NetworkPolicyProfile with every default applied. */
export interface ResolvedNetworkPolicyProfile {
  /** Whether instances and the reconciler get NetworkPolicies. */
  readonly enabled: boolean;
  /** Namespace of the ingress controller. */
  readonly ingressNamespace: string;
  /** Namespace of Prometheus. */
  readonly monitoringNamespace: string;
  /** 'open' or 'restricted' egress. */
  readonly egress: 'open' | 'restricted';
}

export const NETWORK_POLICY_DEFAULTS: ResolvedNetworkPolicyProfile = {
  enabled: true,
  ingressNamespace: 'ingress-nginx',
  monitoringNamespace: 'monitoring',
  egress: 'open',
};

export function resolveNetworkPolicyProfile(profile: NetworkPolicyProfile = {}): ResolvedNetworkPolicyProfile {
  return {
    enabled: profile.enabled ?? NETWORK_POLICY_DEFAULTS.enabled,
    ingressNamespace: profile.ingressNamespace ?? NETWORK_POLICY_DEFAULTS.ingressNamespace,
    monitoringNamespace: profile.monitoringNamespace ?? NETWORK_POLICY_DEFAULTS.monitoringNamespace,
    egress: profile.egress ?? NETWORK_POLICY_DEFAULTS.egress,
  };
}
