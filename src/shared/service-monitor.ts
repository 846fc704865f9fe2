import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** A MetricsServiceMonitor's name, labels and what it scrapes. */
export interface MetricsServiceMonitorProps {
  /** Name of the ServiceMonitor. */
  readonly name: string;
  /** Labels of the ServiceMonitor (a Prometheus selects ServiceMonitors by label). */
  readonly labels: Record<string, string>;
  /** Labels of the Service(s) to scrape. */
  readonly serviceSelector: Record<string, string>;
  /** Named Service port serving Prometheus text. */
  readonly portName: string;
  /** HTTP path of the metrics. @default '/metrics' */
  readonly path?: string;
  /** How often Prometheus scrapes. @default '30s' */
  readonly interval?: string;
}

/**
 * monitoring.coreos.com/v1 ServiceMonitor. Rendered only where the Prometheus
 * Operator's CRDs exist (a cluster profile setting): elsewhere the apply fails.
 */
export class MetricsServiceMonitor extends Construct {
  /** The ServiceMonitor (monitoring.coreos.com/v1; no typed class, the Prometheus Operator's CRD is not imported). */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: MetricsServiceMonitorProps) {
    super(scope, id);
    this.apiObject = new ApiObject(this, 'Resource', {
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
