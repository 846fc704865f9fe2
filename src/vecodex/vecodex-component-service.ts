import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { VECODEX_GRPC_PORT, VECODEX_METRICS_PORT } from './vecodex-set-defaults';

export interface VecodexComponentServiceProps {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  /**
   * Headless (clusterIP None): DNS returns every ready pod, which is what the
   * writer and coordinator start-up waits and Prometheus per-pod scraping need.
   * @default false
   */
  readonly headless?: boolean;
  /**
   * Expose the metrics port. The ServiceMonitor scrapes every Vecodex Service
   * with a `metrics` port, so a Service over pods that another Service already
   * exposes (a shard's searchers) leaves it out, or each pod is scraped twice.
   * @default true
   */
  readonly metricsPort?: boolean;
}

/** grpc 44400 (clients search through the coordinator, write to the writer) and, unless turned off, metrics 8080. */
export class VecodexComponentService extends Construct {
  /** The Service. */
  public readonly apiObject: k8s.KubeService;

  constructor(scope: Construct, id: string, props: VecodexComponentServiceProps) {
    super(scope, id);
    this.apiObject = new k8s.KubeService(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels },
      spec: {
        type: 'ClusterIP',
        clusterIp: props.headless ? 'None' : undefined,
        selector: props.selector,
        ports: [
          // h2c tells Gateway API implementations and some ingress controllers to speak plaintext HTTP/2.
          { name: 'grpc', port: VECODEX_GRPC_PORT, targetPort: k8s.IntOrString.fromString('grpc'), protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' },
          ...(props.metricsPort ?? true
            ? [{ name: 'metrics', port: VECODEX_METRICS_PORT, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP', appProtocol: 'http' }]
            : []),
        ],
      },
    });
  }
}
