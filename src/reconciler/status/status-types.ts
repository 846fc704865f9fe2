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

/** One workload's part of the status (status.components where the CRD has it). */
export interface ComponentStatus {
  /** Status key: `server`, `coordinator`, `writer`, `searcher-<shard>`, `etcd`, `minio`. */
  readonly component: string;
  /** The workload's kind. */
  readonly kind: 'Deployment' | 'StatefulSet';
  /** The workload's name. */
  readonly name: string;
  /** The workload's state as judged (kstatus order). */
  readonly state: WorkloadState;
  /** Whether the instance's verdict depends on it. */
  readonly critical: boolean;
  /** The live object's status.replicas. */
  readonly replicas: number;
  /** Replicas wanted: the autoscaler's desiredReplicas (never below its floor) when one owns the count, else the rendered count. */
  readonly desiredReplicas: number;
  /** Ready pods. */
  readonly readyReplicas: number;
  /** Available pods. */
  readonly availableReplicas: number;
  /** Pods of the current template. */
  readonly updatedReplicas: number;
  /** Image tag of this component's pod template. */
  readonly version?: string;
  /** Why it is in this state. */
  readonly message: string;
}

/** The status the reconciler computes for a custom resource, before a product maps it to its CRD's status shape. */
export interface ComputedStatus {
  /** The lifecycle phase (Phase), as the CRD's printer column shows it. */
  readonly phase: Phase;
  /** Sums over the critical workloads. */
  readonly replicas: number;
  /** Sums over the critical workloads. */
  readonly readyReplicas: number;
  /** Sums over the critical workloads. */
  readonly availableReplicas: number;
  /** Sums over the critical workloads. */
  readonly updatedReplicas: number;
  /** Image tag of the primary (first critical) workload, once its rollout is complete. */
  readonly version?: string;
  /** The resource's metadata.generation this status describes. */
  readonly observedGeneration?: number;
  /** The verdict Argo CD's and Flux's health checks read. */
  readonly health: Health;
  /** The product's enabledFeatures(spec). */
  readonly enabledFeatures: string[];
  /** Ready first, then Reconciling or Stalled, then Available (kstatus' conventions). */
  readonly conditions: Condition[];
  /** Where clients reach the instance, from the rendered Services and Ingress. */
  readonly endpoints?: ExpectedEndpoints;
  /** The config hash of the primary workload's pods, once its rollout is complete. */
  readonly configHash?: string;
  /** Per workload; products whose CRD has no per-component status drop it. */
  readonly components: ComponentStatus[];
}

export interface StatusResult {
  readonly status: ComputedStatus;
  /** Recompute after this many seconds even if nothing changes (a deadline is pending). */
  readonly requeueAfterSeconds?: number;
}
