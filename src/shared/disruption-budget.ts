import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ValidationIssue } from './validation-issue';

/** How many of a workload's pods voluntary disruptions (drains) must leave; set exactly one. */
export interface DisruptionBudgetSettings {
  /** Pods that must stay available. @default not set (set maxUnavailable instead) */
  readonly minAvailable?: number;
  /** Pods that may be unavailable at once. @default not set (set minAvailable instead) */
  readonly maxUnavailable?: number;
}

/**
 * A PDB that can never be satisfied blocks node drains forever, so one that
 * leaves no room to evict is an error, not a warning.
 * @param fewestReplicas the lowest replica count the workload can run at (minReplicas under autoscaling)
 * @param path field path of the budget, e.g. spec.highAvailability.podDisruptionBudget
 */
export function checkDisruptionBudget(budget: DisruptionBudgetSettings, fewestReplicas: number, path: string): ValidationIssue[] {
  const { minAvailable, maxUnavailable } = budget;
  if (minAvailable !== undefined && maxUnavailable !== undefined) {
    return [{ path, message: 'sets both minAvailable and maxUnavailable: set exactly one (policy/v1 allows only one)' }];
  }
  if (maxUnavailable !== undefined && maxUnavailable < 1) {
    return [{ path: `${path}.maxUnavailable`, message: `is ${maxUnavailable}: it must be at least 1, or no pod can ever be evicted and node drains hang` }];
  }
  if (minAvailable !== undefined && minAvailable >= fewestReplicas) {
    return [{ path: `${path}.minAvailable`, message: `is ${minAvailable} but the workload can run with ${fewestReplicas} replica(s): it must be less than ${fewestReplicas}, or no pod can ever be evicted and node drains hang` }];
  }
  return [];
}

/** A WorkloadDisruptionBudget's name, labels and pod selector. */
export interface WorkloadDisruptionBudgetProps extends DisruptionBudgetSettings {
  /** Name of the PodDisruptionBudget. */
  readonly name: string;
  /** Labels of the PodDisruptionBudget. */
  readonly labels: Record<string, string>;
  /** Must equal the workload's pod selector. */
  readonly selector: Record<string, string>;
}

/** policy/v1 PodDisruptionBudget for one workload's pods. */
export class WorkloadDisruptionBudget extends Construct {
  /** The PodDisruptionBudget. */
  public readonly apiObject: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: WorkloadDisruptionBudgetProps) {
    super(scope, id);
    this.apiObject = new k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: { name: props.name, labels: props.labels },
      spec: {
        selector: { matchLabels: props.selector },
        minAvailable: props.minAvailable === undefined ? undefined : k8s.IntOrString.fromNumber(props.minAvailable),
        maxUnavailable: props.maxUnavailable === undefined ? undefined : k8s.IntOrString.fromNumber(props.maxUnavailable),
        // Pods that never became ready may be evicted; otherwise a crash-looping
        // rollout blocks node drains.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}
