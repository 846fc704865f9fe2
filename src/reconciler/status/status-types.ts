/**
 * The shapes computeStatus reads and writes. They live apart from the steps
 * that compute them so that every step can name them without importing the
 * function that composes the steps.
 */
import { ExpectedChildren, ExpectedEndpoints } from '../../shared/children';
import { Condition, Health, Phase } from '../../shared/status';
import { KubeObject } from '../kube-object';
import { WorkloadState } from '../workload-state';

/** What the reconciler found in the cluster for one custom resource, matched by the instance labels. */
export interface ObservedChildren {
  readonly deployments: readonly KubeObject[];
  readonly statefulSets: readonly KubeObject[];
  readonly autoscalers: readonly KubeObject[];
  readonly services: readonly KubeObject[];
  readonly ingresses: readonly KubeObject[];
  readonly disruptionBudgets: readonly KubeObject[];
}

export const NO_CHILDREN: ObservedChildren = {
  deployments: [], statefulSets: [], autoscalers: [], services: [], ingresses: [], disruptionBudgets: [],
};

export interface StatusInput {
  /** The custom resource as last read; its status is the "previous" status. */
  readonly resource: KubeObject;
  /** What the resource's spec renders (see ExpectedChildren). */
  readonly expected: ExpectedChildren;
  readonly enabledFeatures: readonly string[];
  /** Pod template annotation holding the config hash. */
  readonly configHashAnnotation: string;
  readonly children: ObservedChildren;
  readonly now: Date;
  /**
   * How long critical children may be missing before the resource is Failed/Stalled.
   * @default 300
   */
  readonly missingChildrenTimeoutSeconds?: number;
  /**
   * How long a critical workload may have no ready replica at all before the
   * resource is Failed/Stalled. Deployments report a stuck rollout themselves
   * (ProgressDeadlineExceeded), but not pods that crash after it finished, and
   * StatefulSets never do: without this a dead instance shows "progressing" for ever.
   * @default 1800
   */
  readonly noReadyReplicasTimeoutSeconds?: number;
}

export interface ComponentStatus {
  /** Status key: `server`, `coordinator`, `writer`, `searcher-<shard>`, `etcd`, `minio`. */
  readonly component: string;
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly name: string;
  readonly state: WorkloadState;
  readonly critical: boolean;
  readonly replicas: number;
  readonly desiredReplicas: number;
  readonly readyReplicas: number;
  readonly availableReplicas: number;
  readonly updatedReplicas: number;
  /** Image tag of this component's pod template. */
  readonly version?: string;
  readonly message: string;
}

export interface ComputedStatus {
  readonly phase: Phase;
  readonly replicas: number;
  readonly readyReplicas: number;
  readonly availableReplicas: number;
  readonly updatedReplicas: number;
  readonly version?: string;
  readonly observedGeneration?: number;
  readonly health: Health;
  readonly enabledFeatures: string[];
  readonly conditions: Condition[];
  readonly endpoints?: ExpectedEndpoints;
  readonly configHash?: string;
  /** Per workload; products whose CRD has no per-component status drop it. */
  readonly components: ComponentStatus[];
}

export interface StatusResult {
  readonly status: ComputedStatus;
  /** Recompute after this many seconds even if nothing changes (a deadline is pending). */
  readonly requeueAfterSeconds?: number;
}
