import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_NAME } from '../shared/labels';
import { anyDestinationEgress, NAMESPACE_CLIENTS, namespacePeer, podPeer, tcpPorts, WorkloadNetworkPolicy } from '../shared/network-policy';
import { ResolvedNetworkPolicyProfile } from '../shared/network-policy-profile';
import { endpointHostPort, ResolvedVecodexSpec } from './resolve-vecodex-spec';
import { vecodexObjectNames } from './vecodex-names';
import { ETCD_CLIENT_PORT, MINIO_API_PORT, VECODEX_GRPC_PORT, VecodexMode } from './vecodex-set-defaults';

export interface VecodexNetworkPoliciesProps {
  /** The VecodexSet's name. */
  readonly instance: string;
  readonly spec: ResolvedVecodexSpec;
  readonly profile: ResolvedNetworkPolicyProfile;
  /** Labels of each policy object. */
  readonly labels: Record<string, string>;
}

/**
 * Who connects to whom (docs/vecodex.md, "Network policies"), one policy per
 * component:
 * - managed etcd: client port from the set's own coordinator, writer and searchers
 * - managed MinIO: S3 API from the set's writer and searchers (console: nobody)
 * - searchers: gRPC from the set's writer and coordinator
 * - writer: gRPC from the namespace's client pods
 * - coordinator: gRPC from the ingress controller and the namespace's client pods
 * - metrics ports: from the monitoring namespace
 * With restricted egress each component may reach DNS and exactly the
 * dependencies above (external endpoints: any destination on their port).
 */
export class VecodexNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: VecodexNetworkPoliciesProps) {
    super(scope, id);
    const { instance, spec, profile } = props;
    const names = vecodexObjectNames(instance);
    const vecodexPods = (...modes: VecodexMode[]) => podPeer({ [LABEL_NAME]: 'vecodex', [LABEL_INSTANCE]: instance },
      modes.length === 3 ? undefined : [{ key: LABEL_COMPONENT, operator: 'In', values: modes }]);
    const componentSelector = (mode: VecodexMode): k8s.LabelSelector => ({ matchLabels: { [LABEL_NAME]: 'vecodex', [LABEL_INSTANCE]: instance, [LABEL_COMPONENT]: mode } });
    const etcdPods = { [LABEL_NAME]: 'etcd', [LABEL_INSTANCE]: instance };
    const minioPods = { [LABEL_NAME]: 'minio', [LABEL_INSTANCE]: instance };
    const metrics: k8s.NetworkPolicyIngressRule = { from: [namespacePeer(profile.monitoringNamespace)], ports: tcpPorts('metrics') };
    const restricted = profile.egress === 'restricted';

    const etcdEgress: k8s.NetworkPolicyEgressRule[] = spec.etcd.kind === 'managed'
      ? [{ to: [podPeer(etcdPods)], ports: tcpPorts(ETCD_CLIENT_PORT) }]
      : anyDestinationEgress([endpointHostPort(spec.etcd.endpoint).port]);
    const s3Egress: k8s.NetworkPolicyEgressRule[] = spec.s3.kind === 'managed'
      ? [{ to: [podPeer(minioPods)], ports: tcpPorts(MINIO_API_PORT) }]
      : anyDestinationEgress([endpointHostPort(spec.s3.endpoint).port]);
    const searcherEgress: k8s.NetworkPolicyEgressRule[] = [{ to: [vecodexPods('searcher')], ports: tcpPorts(VECODEX_GRPC_PORT) }];

    if (spec.etcd.kind === 'managed') {
      new WorkloadNetworkPolicy(this, 'Etcd', {
        name: names.etcd, labels: props.labels, podSelector: { matchLabels: etcdPods },
        ingress: [{ from: [vecodexPods('coordinator', 'writer', 'searcher')], ports: tcpPorts('client') }],
        egress: restricted ? [] : undefined,
      });
    }
    if (spec.s3.kind === 'managed') {
      new WorkloadNetworkPolicy(this, 'Minio', {
        name: names.minio, labels: props.labels, podSelector: { matchLabels: minioPods },
        ingress: [{ from: [vecodexPods('writer', 'searcher')], ports: tcpPorts('api') }],
        egress: restricted ? [] : undefined,
      });
    }
    new WorkloadNetworkPolicy(this, 'Searcher', {
      name: names.searcherService, labels: props.labels, podSelector: componentSelector('searcher'),
      ingress: [{ from: [vecodexPods('coordinator', 'writer')], ports: tcpPorts('grpc') }, metrics],
      egress: restricted ? [...etcdEgress, ...s3Egress] : undefined,
    });
    new WorkloadNetworkPolicy(this, 'Writer', {
      name: names.writer, labels: props.labels, podSelector: componentSelector('writer'),
      ingress: [{ from: [NAMESPACE_CLIENTS], ports: tcpPorts('grpc') }, metrics],
      egress: restricted ? [...etcdEgress, ...s3Egress, ...searcherEgress] : undefined,
    });
    new WorkloadNetworkPolicy(this, 'Coordinator', {
      name: names.coordinator, labels: props.labels, podSelector: componentSelector('coordinator'),
      ingress: [{ from: [namespacePeer(profile.ingressNamespace), NAMESPACE_CLIENTS], ports: tcpPorts('grpc') }, metrics],
      egress: restricted ? [...etcdEgress, ...searcherEgress] : undefined,
    });
  }
}
