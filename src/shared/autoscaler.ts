import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ValidationIssue } from './validation-issue';

export interface AutoscalingSettings {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCPUUtilization: number;
  /** @default no memory metric */
  readonly targetMemoryUtilization?: number;
}

/** minReplicas must not exceed maxReplicas; the API server accepts it but the HPA then never scales. */
export function checkAutoscaling(settings: AutoscalingSettings, path: string): ValidationIssue[] {
  if (settings.minReplicas > settings.maxReplicas) {
    return [{ path: `${path}.minReplicas`, message: `is ${settings.minReplicas}, more than maxReplicas ${settings.maxReplicas}: it must be at most maxReplicas` }];
  }
  return [];
}

export interface WorkloadAutoscalerProps extends AutoscalingSettings {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly target: { readonly kind: 'Deployment' | 'StatefulSet'; readonly name: string };
}

/**
 * autoscaling/v2 HPA. The workload it targets must not set spec.replicas, or
 * every GitOps sync resets what the HPA scaled to.
 */
export class WorkloadAutoscaler extends Construct {
  constructor(scope: Construct, id: string, props: WorkloadAutoscalerProps) {
    super(scope, id);
    const utilization = (resource: string, averageUtilization: number): k8s.MetricSpecV2 => ({
      type: 'Resource',
      resource: { name: resource, target: { type: 'Utilization', averageUtilization } },
    });
    new k8s.KubeHorizontalPodAutoscalerV2(this, 'Resource', {
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
