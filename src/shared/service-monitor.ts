import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

export interface MetricsServiceMonitorProps {
  readonly name: string;
  readonly labels: Record<string, string>;
  /** Labels of the Service(s) to scrape. */
  readonly serviceSelector: Record<string, string>;
  /** Named Service port serving Prometheus text. */
  readonly portName: string;
  /** @default '/metrics' */
  readonly path?: string;
  /** @default '30s' */
  readonly interval?: string;
}

/**
 * monitoring.coreos.com/v1 ServiceMonitor. Rendered only where the Prometheus
 * Operator's CRDs exist (a cluster profile setting): elsewhere the apply fails.
 */
export class MetricsServiceMonitor extends Construct {
  constructor(scope: Construct, id: string, props: MetricsServiceMonitorProps) {
    super(scope, id);
    new ApiObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: props.name, labels: props.labels },
      spec: {
        selector: { matchLabels: props.serviceSelector },
        endpoints: [{ port: props.portName, path: props.path ?? '/metrics', interval: props.interval ?? '30s', scrapeTimeout: '10s' }],
      },
    });
  }
}
