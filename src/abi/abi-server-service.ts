import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { AbiObjectNames } from './abi-names';
import { ResolvedAbiSpec } from './resolve-abi-spec';

export interface AbiServerServiceProps {
  readonly names: AbiObjectNames;
  readonly spec: ResolvedAbiSpec;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  /** Also render the headless Service a StatefulSet needs for stable pod DNS names. @default false */
  readonly headless?: boolean;
}

/** Ports http, grpc and metrics, each targeting the container port by name. */
export class AbiServerService extends Construct {
  /** The Service clients use. */
  public readonly apiObject: k8s.KubeService;
  /** The headless Service, when `headless` is set. */
  public readonly headless?: k8s.KubeService;

  constructor(scope: Construct, id: string, props: AbiServerServiceProps) {
    super(scope, id);
    const { networking } = props.spec;
    const port = (name: string, number: number): k8s.ServicePort => ({
      name, port: number, targetPort: k8s.IntOrString.fromString(name), protocol: 'TCP',
    });
    this.apiObject = new k8s.KubeService(this, 'Resource', {
      metadata: { name: props.names.service, labels: props.labels },
      spec: {
        type: networking.serviceType,
        selector: props.selector,
        ports: [port('http', networking.httpPort), port('grpc', networking.grpcPort), port('metrics', networking.metricsPort)],
      },
    });
    if (props.headless) {
      this.headless = new k8s.KubeService(this, 'Headless', {
        metadata: { name: props.names.headlessService, labels: props.labels },
        spec: {
          clusterIp: 'None',
          selector: props.selector,
          // Peers and debugging need every pod's DNS name, ready or not.
          publishNotReadyAddresses: true,
          ports: [port('http', networking.httpPort)],
        },
      });
    }
  }
}
