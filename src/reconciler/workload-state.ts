/**
 * The state of one Deployment or StatefulSet, following the rules kstatus
 * applies to those kinds (sigs.k8s.io/cli-utils/pkg/kstatus/status/core.go),
 * so our verdict and Flux's/Argo CD's own view of the workload agree, with
 * three distinctions kstatus does not make and day 2 needs:
 *
 * - A rollout is a change of the pod template, nothing else. A pod evicted or
 *   crashed (StatefulSet currentRevision == updateRevision, a Deployment with
 *   no old pods) and a changed replica count (kubectl scale, an HPA) leave the
 *   workload short of ready pods, not "rolling out".
 * - The count a workload is held to is the spec's, not the live object's
 *   (kubectl scale is drift), and under an HPA never less than its
 *   minReplicas: a fresh HPA reports desiredReplicas 0, and an HPA whose
 *   workload was scaled to 0 switches itself off and reports 0 for ever.
 * - A workload that serves nothing is told apart from one short of pods.
 */
import { ExpectedWorkload } from '../shared/children';
import { KubeObject } from './kube-object';

/** A workload's state as the reconciler judges it, in kstatus' order of precedence. */
export type WorkloadState =
  /** The workload does not exist. */
  | 'Missing'
  /** Exists, wants replicas, none ready, and no rollout explains it. */
  | 'Unavailable'
  /** The pod template changed and not every replica runs it yet (or the controller has not seen the spec). */
  | 'Updating'
  /** Fewer ready or available replicas than its floor (evicted, crashed, scaled below the spec, scaling up). */
  | 'Degraded'
  | 'Ready'
  /** Deployment Progressing=False/ProgressDeadlineExceeded. */
  | 'Failed';

/** What the live object and its HPA report, before any judgement. */
interface WorkloadMeasurement {
  /** Replicas wanted: the HPA's desiredReplicas (never below the floor) when one owns the count, else the rendered count. */
  readonly desired: number;
  /** Fewest ready replicas with which the workload counts as Ready: the rendered count, or the HPA's minReplicas. */
  readonly floor: number;
  /** spec.replicas of the live object (API server default 1). */
  readonly live: number;
  readonly replicas: number;
  readonly ready: number;
  readonly available: number;
  readonly updated: number;
  /** The workload controller has observed the current spec (status.observedGeneration ≥ metadata.generation). */
  readonly observed: boolean;
  /** A pod-template change is in progress, or the controller has not observed the spec yet. */
  readonly rolling: boolean;
  /** The controller observed the current spec and every replica it wants runs it, ready: what `version` reports. */
  readonly rolledOut: boolean;
  /**
   * An HPA owns the count and the live object is at 0: the HPA controller
   * disables itself (ScalingActive=False/ScalingDisabled) and never scales it
   * back up. Only a person can.
   */
  readonly autoscalingDisabled: boolean;
  /** spec.replicas of the live object differs from the rendered count (kubectl scale): drift the GitOps tool undoes. */
  readonly drifted: boolean;
  /** The first container's image in the pod template. */
  readonly image?: string;
  /** The config hash annotation on the pod template. */
  readonly configHash?: string;
}

export interface WorkloadEvaluation extends WorkloadMeasurement {
  readonly state: WorkloadState;
  /** One line for health and condition messages. */
  readonly message: string;
}

export function evaluateWorkload(
  expected: ExpectedWorkload,
  observed: KubeObject | undefined,
  autoscaler: KubeObject | undefined,
  configHashAnnotation: string,
): WorkloadEvaluation {
  if (!observed) {
    const floor = expected.replicas ?? expected.minReplicas ?? 1;
    return {
      state: 'Missing', desired: floor, floor, live: 0, replicas: 0, ready: 0, available: 0, updated: 0,
      observed: false, rolling: false, rolledOut: false, autoscalingDisabled: false, drifted: false,
      message: `${expected.kind} ${expected.name} not found`,
    };
  }
  const measured = measureWorkload(expected, observed, autoscaler, configHashAnnotation);
  return { ...measured, ...judgeWorkload(expected, observed, measured) };
}

function measureWorkload(
  expected: ExpectedWorkload,
  observed: KubeObject,
  autoscaler: KubeObject | undefined,
  configHashAnnotation: string,
): WorkloadMeasurement {
  const spec = observed.spec ?? {};
  const status = observed.status ?? {};
  const live = liveReplicas(spec);
  const autoscaled = expected.autoscaler !== undefined;
  const floor = autoscaled ? autoscalerFloor(expected, autoscaler) : expected.replicas ?? live;
  const fromHpa = autoscaler?.status?.desiredReplicas;
  const desired = autoscaled ? Math.max(floor, typeof fromHpa === 'number' ? fromHpa : 0) : floor;
  const generationSeen = (status.observedGeneration ?? 0) >= (observed.metadata.generation ?? 0);
  const replicas = count(status.replicas);
  const ready = count(status.readyReplicas);
  const available = observed.kind === 'StatefulSet' ? count(status.availableReplicas ?? status.readyReplicas) : count(status.availableReplicas);
  const updated = updatedReplicas(observed, live);
  const rolling = !generationSeen || templateRolling(observed, live, replicas, updated);
  const template = spec.template ?? {};
  return {
    desired, floor, live, replicas, ready, available, updated,
    observed: generationSeen,
    rolling,
    rolledOut: generationSeen && !rolling && ready >= live && updated >= live,
    // k8s.io/kubernetes pkg/controller/podautoscaler/horizontal.go (reconcileAutoscaler):
    // "if scale.Spec.Replicas == 0 && minReplicas != 0 { // Autoscaling is disabled for this resource".
    autoscalingDisabled: autoscaled && autoscaler !== undefined && live === 0 && floor > 0,
    drifted: !autoscaled && expected.replicas !== undefined && live !== expected.replicas,
    image: template.spec?.containers?.[0]?.image,
    configHash: template.metadata?.annotations?.[configHashAnnotation],
  };
}

/**
 * The state of a workload that exists, in precedence order like kstatus's
 * per-kind checks (cli-utils pkg/kstatus/status/core.go): a verdict the
 * controller gave itself, then what no controller will fix, then a rollout,
 * then the counts.
 */
function judgeWorkload(
  expected: ExpectedWorkload,
  observed: KubeObject,
  measured: WorkloadMeasurement,
): Pick<WorkloadEvaluation, 'state' | 'message'> {
  const { name } = expected;
  const { desired, floor, live, replicas, ready, available, updated } = measured;
  const progressing = (observed.status?.conditions as Array<{ type: string; reason?: string; message?: string }> | undefined)
    ?.find((c) => c.type === 'Progressing');
  if (observed.kind === 'Deployment' && progressing?.reason === 'ProgressDeadlineExceeded') {
    return { state: 'Failed', message: `${name}: progress deadline exceeded${progressing.message ? ` (${progressing.message})` : ''}` };
  }
  if (measured.autoscalingDisabled) {
    return {
      state: 'Unavailable',
      message: `${name}: scaled to 0 on the ${observed.kind}, which switches off its HorizontalPodAutoscaler ${expected.autoscaler} (it never scales up from 0); set replicas to at least ${floor}`,
    };
  }
  if (measured.rolling) {
    const oldPods = Math.max(0, replicas - updated);
    const progress = measured.observed
      ? `rolling out, ${updated}/${live} updated${oldPods > 0 ? `, ${oldPods} old pending termination` : ''}, ${ready}/${desired} ready`
      : 'spec not yet observed by the controller';
    return { state: 'Updating', message: `${name}: ${progress}` };
  }
  // Scaled on the live object (kubectl scale), or the new count is not applied yet:
  // drift from the spec until the GitOps tool re-applies it, never a rollout.
  const drift = measured.drifted ? `${live} replicas set on the ${observed.kind}, the spec asks for ${expected.replicas}` : undefined;
  if (desired > 0 && ready === 0) {
    return { state: 'Unavailable', message: `${name}: ${drift ?? `${ready}/${desired} ready`}` };
  }
  if (ready < floor || available < floor) {
    const scaling = expected.autoscaler !== undefined && live < desired ? `, scaling up to ${desired}` : '';
    return { state: 'Degraded', message: `${name}: ${drift ?? `${ready}/${floor} ready, ${available}/${floor} available${scaling}`}` };
  }
  return { state: 'Ready', message: `${name}: ${drift ?? `${ready}/${desired} ready`}` };
}

/** Whether the replicas run a pod template other than the current one. */
function templateRolling(observed: KubeObject, live: number, replicas: number, updated: number): boolean {
  const spec = observed.spec ?? {};
  const status = observed.status ?? {};
  if (observed.kind === 'StatefulSet') {
    // OnDelete never replaces pods by itself: kstatus treats it as rolled out once observed.
    if (spec.updateStrategy?.type === 'OnDelete') return false;
    // The StatefulSet controller sets currentRevision = updateRevision when every
    // pod runs the update revision; until then the template is rolling out
    // (pkg/controller/statefulset/stateful_set_control.go, completeRollingUpdate).
    // A partition keeps the lowest ordinals on the old revision on purpose.
    // updated already counts the partitioned ordinals (see updatedReplicas).
    if (!status.updateRevision || status.currentRevision === status.updateRevision) return false;
    return updated < live;
  }
  // Deployment: pods of an older ReplicaSet remain (status.replicas counts every
  // ReplicaSet's pods, updatedReplicas the newest one's).
  // An evicted pod's replacement and the pods of a scale-up belong to the
  // newest ReplicaSet, so neither looks like this.
  return replicas > updated;
}

function autoscalerFloor(expected: ExpectedWorkload, autoscaler: KubeObject | undefined): number {
  if (expected.minReplicas !== undefined) return expected.minReplicas;
  const fromSpec = autoscaler?.spec?.minReplicas;
  return typeof fromSpec === 'number' ? fromSpec : 1;
}

/** spec.replicas of the live workload, with the API server's default. */
function liveReplicas(spec: any): number {
  return typeof spec.replicas === 'number' ? spec.replicas : 1;
}

function updatedReplicas(observed: KubeObject, live: number): number {
  const spec = observed.spec ?? {};
  const status = observed.status ?? {};
  if (observed.kind !== 'StatefulSet') return count(status.updatedReplicas);
  // OnDelete never replaces pods by itself: kstatus treats it as rolled out once observed.
  if (spec.updateStrategy?.type === 'OnDelete') return count(status.replicas);
  // When a rollout completes the controller sets currentRevision = updateRevision.
  if (status.updateRevision && status.currentRevision === status.updateRevision) {
    return Math.max(count(status.updatedReplicas), count(status.currentReplicas));
  }
  // A partition keeps the lowest ordinals on the old revision on purpose.
  const partition = count(spec.updateStrategy?.rollingUpdate?.partition);
  const updated = count(status.updatedReplicas);
  if (partition > 0) return Math.min(live, updated + partition);
  return updated;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** `repo/name:tag`, `repo/name:tag@sha256:…` → tag; `repo/name@sha256:abc…` → `sha256:abc…`; no tag → `latest`. */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  if (colon >= 0) return withoutDigest.slice(colon + 1);
  if (at >= 0) return image.slice(at + 1);
  return 'latest';
}
