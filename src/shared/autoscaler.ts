import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ValidationIssue } from './validation-issue';

/** The scaling range and targets of a WorkloadAutoscaler. */
export interface AutoscalingSettings {
  /** Fewest replicas the HPA scales down to. */
  readonly minReplicas: number;
  /** Most replicas the HPA scales up to. */
  readonly maxReplicas: number;
  /** Average CPU utilization (percent of requests) the HPA aims for. */
  readonly targetCPUUtilization: number;
  /** Average memory utilization (percent of requests) the HPA aims for, as a second metric. @default no memory metric */
  readonly targetMemoryUtilization?: number;
}

/** minReplicas must not exceed maxReplicas; the API server accepts it but the HPA then never scales. */
export function checkAutoscaling(settings: AutoscalingSettings, path: string): ValidationIssue[] {
  if (settings.minReplicas > settings.maxReplicas) {
    return [{ path: `${path}.minReplicas`, message: `is ${settings.minReplicas}, more than maxReplicas ${settings.maxReplicas}: it must be at most maxReplicas` }];
  }
  return [];
}

/** A WorkloadAutoscaler's name, labels and the workload it scales. */
export interface WorkloadAutoscalerProps extends AutoscalingSettings {
  /** Name of the HorizontalPodAutoscaler. */
  readonly name: string;
  /** Labels of the HorizontalPodAutoscaler. */
  readonly labels: Record<string, string>;
  /** The workload it scales, in the HPA's namespace. */
  readonly target: { readonly kind: 'Deployment' | 'StatefulSet'; readonly name: string };
}

/**
 * autoscaling/v2 HPA. The workload it targets must not set spec.replicas, or
 * every GitOps sync resets what the HPA scaled to.
 */
export class WorkloadAutoscaler extends Construct {
  /** The HorizontalPodAutoscaler. */
  public readonly apiObject: k8s.KubeHorizontalPodAutoscalerV2;

  constructor(scope: Construct, id: string, props: WorkloadAutoscalerProps) {
    super(scope, id);
    const utilization = (resource: string, averageUtilization: number): k8s.MetricSpecV2 => ({
      type: 'Resource',
      resource: { name: resource, target: { type: 'Utilization', averageUtilization } },
    });
    this.apiObject = new k8s.KubeHorizontalPodAutoscalerV2(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: props.target.kind, name: props.target.name },
        minReplicas: props.minReplicas,
        maxReplicas: props.maxReplicas,
        metrics: [
          utilization('cpu', props.targetCPUUtilization),
          ...(props.targetMemoryUtilization === undefined ? [] : [utilization('memory', props.targetMemoryUtilization)]),
        ],
      },
    });
  }
}
