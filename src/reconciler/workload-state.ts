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

export interface WorkloadEvaluation {
  readonly state: WorkloadState;
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
  const spec = observed.spec ?? {};
  const status = observed.status ?? {};
  const live = liveReplicas(spec);
  const autoscaled = expected.autoscaler !== undefined;
  const floor = autoscaled ? autoscalerFloor(expected, autoscaler) : expected.replicas ?? live;
  const fromHpa = autoscaler?.status?.desiredReplicas;
  const desired = autoscaled ? Math.max(floor, typeof fromHpa === 'number' ? fromHpa : 0) : floor;
  const generationSeen = (status.observedGeneration ?? 0) >= (observed.metadata.generation ?? 0);
  const replicas = num(status.replicas);
  const ready = num(status.readyReplicas);
  const available = observed.kind === 'StatefulSet' ? num(status.availableReplicas ?? status.readyReplicas) : num(status.availableReplicas);
  const updated = updatedReplicas(observed, live);
  const rolling = !generationSeen || templateRolling(observed, live, replicas, updated);
  const rolledOut = generationSeen && !rolling && ready >= live && updated >= live;
  // k8s.io/kubernetes pkg/controller/podautoscaler/horizontal.go (reconcileAutoscaler):
  // "if scale.Spec.Replicas == 0 && minReplicas != 0 { // Autoscaling is disabled for this resource".
  const autoscalingDisabled = autoscaled && autoscaler !== undefined && live === 0 && floor > 0;

  const template = spec.template ?? {};
  const image: string | undefined = template.spec?.containers?.[0]?.image;
  const configHash: string | undefined = template.metadata?.annotations?.[configHashAnnotation];
  const drifted = !autoscaled && expected.replicas !== undefined && live !== expected.replicas;
  const base = { desired, floor, live, replicas, ready, available, updated, observed: generationSeen, rolling, rolledOut, autoscalingDisabled, drifted, image, configHash };
  const counts = `${ready}/${desired} ready`;

  const progressing = (status.conditions as Array<{ type: string; status: string; reason?: string; message?: string }> | undefined)
    ?.find((c) => c.type === 'Progressing');
  if (observed.kind === 'Deployment' && progressing?.reason === 'ProgressDeadlineExceeded') {
    return { ...base, state: 'Failed', message: `${expected.name}: progress deadline exceeded${progressing.message ? ` (${progressing.message})` : ''}` };
  }
  if (autoscalingDisabled) {
    return {
      ...base, state: 'Unavailable',
      message: `${expected.name}: scaled to 0 on the ${observed.kind}, which switches off its HorizontalPodAutoscaler ${expected.autoscaler} (it never scales up from 0); set replicas to at least ${floor}`,
    };
  }
  // Scaled on the live object (kubectl scale), or the new count is not applied yet:
  // drift from the spec until the GitOps tool re-applies it, never a rollout.
  const drift = drifted
    ? `${live} replicas set on the ${observed.kind}, the spec asks for ${expected.replicas}`
    : undefined;
  if (rolling) {
    const old = Math.max(0, replicas - updated);
    const what = generationSeen ? `rolling out, ${updated}/${live} updated${old > 0 ? `, ${old} old pending termination` : ''}, ${counts}` : 'spec not yet observed by the controller';
    return { ...base, state: 'Updating', message: `${expected.name}: ${what}` };
  }
  if (desired > 0 && ready === 0) {
    return { ...base, state: 'Unavailable', message: `${expected.name}: ${drift ?? counts}` };
  }
  if (ready < floor || available < floor) {
    const scaling = autoscaled && live < desired ? `, scaling up to ${desired}` : '';
    return { ...base, state: 'Degraded', message: `${expected.name}: ${drift ?? `${ready}/${floor} ready, ${available}/${floor} available${scaling}`}` };
  }
  return { ...base, state: 'Ready', message: `${expected.name}: ${drift ?? counts}` };
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
  if (observed.kind !== 'StatefulSet') return num(status.updatedReplicas);
  // OnDelete never replaces pods by itself: kstatus treats it as rolled out once observed.
  if (spec.updateStrategy?.type === 'OnDelete') return num(status.replicas);
  // When a rollout completes the controller sets currentRevision = updateRevision.
  if (status.updateRevision && status.currentRevision === status.updateRevision) {
    return Math.max(num(status.updatedReplicas), num(status.currentReplicas));
  }
  // A partition keeps the lowest ordinals on the old revision on purpose.
  const partition = num(spec.updateStrategy?.rollingUpdate?.partition);
  const updated = num(status.updatedReplicas);
  if (partition > 0) return Math.min(live, updated + partition);
  return updated;
}

function num(value: unknown): number {
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
