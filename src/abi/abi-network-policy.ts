import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { anyDestinationEgress, NAMESPACE_CLIENTS, namespacePeer, tcpPorts, urlPort, WorkloadNetworkPolicy } from '../shared/network-policy';
import { ResolvedNetworkPolicyProfile } from '../shared/network-policy-profile';
import { fetchesModel } from './abi-server-workload';
import { ResolvedAbiSpec } from './resolve-abi-spec';

export interface AbiNetworkPolicyProps {
  readonly name: string;
  readonly labels: Record<string, string>;
  /** The server's pod selector. */
  readonly selector: Record<string, string>;
  readonly spec: ResolvedAbiSpec;
  readonly profile: ResolvedNetworkPolicyProfile;
}

/** The LLM provider APIs `llm serve` may call (HTTPS). */
const PROVIDER_API_PORT = 443;

/**
 * The ABI server admits its http and grpc ports from the namespace's client
 * pods and the ingress controller, and its metrics port from the monitoring
 * namespace; other instances' pods (even in its namespace) stay out. With
 * restricted egress it may reach DNS, its LLM backend (ollamaHost, or a
 * provider API), the tracing collector and the model download.
 */
export class AbiNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: AbiNetworkPolicyProps) {
    super(scope, id);
    const { spec, profile } = props;
    const ingress: k8s.NetworkPolicyIngressRule[] = [
      { from: [NAMESPACE_CLIENTS, namespacePeer(profile.ingressNamespace)], ports: tcpPorts('http', 'grpc') },
      { from: [namespacePeer(profile.monitoringNamespace)], ports: tcpPorts('metrics') },
    ];
    new WorkloadNetworkPolicy(this, 'Default', {
      name: props.name, labels: props.labels, podSelector: { matchLabels: props.selector }, ingress,
      egress: profile.egress === 'restricted' ? anyDestinationEgress(declaredDependencyPorts(spec)) : undefined,
    });
  }
}

/** Ports of what the server (and its model download) connects to. */
function declaredDependencyPorts(spec: ResolvedAbiSpec): number[] {
  const ports: Array<number | undefined> = [];
  if (spec.features.ai) {
    if (spec.llm.provider === 'ollama') ports.push(urlPort(spec.llm.ollamaHost));
    if (['openai', 'anthropic', 'huggingface'].includes(spec.llm.provider)) ports.push(PROVIDER_API_PORT);
  }
  if (spec.config.tracing && spec.config.jaegerEndpoint) ports.push(urlPort(spec.config.jaegerEndpoint));
  if (fetchesModel(spec)) ports.push(urlPort(spec.llm.modelSource!.url));
  return ports.filter((p): p is number => p !== undefined);
}
