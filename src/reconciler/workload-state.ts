/**
 * The rollout state of one Deployment or StatefulSet, following the rules
 * kstatus applies to those kinds (sigs.k8s.io/cli-utils/pkg/kstatus/status/core.go),
 * so our verdict and Flux's/Argo CD's own view of the workload agree.
 */
import { ExpectedWorkload } from '../shared/children';
import { KubeObject } from './kube-object';

export type WorkloadState =
  /** The workload does not exist. */
  | 'Missing'
  /** Exists, wants replicas, none ready. */
  | 'Creating'
  /** The controller has not observed the spec yet, or old pods remain / new ones are missing. */
  | 'Updating'
  /** Rolled out, but fewer ready or available replicas than desired. */
  | 'Degraded'
  | 'Ready'
  /** Deployment Progressing=False/ProgressDeadlineExceeded. */
  | 'Failed';

export interface WorkloadEvaluation {
  readonly state: WorkloadState;
  /** Replicas wanted: from the HPA when one owns the count, else spec.replicas. */
  readonly desired: number;
  readonly replicas: number;
  readonly ready: number;
  readonly available: number;
  readonly updated: number;
  /** The controller observed the current spec and every replica runs it. */
  readonly rolledOut: boolean;
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
    return {
      state: 'Missing', desired: 0, replicas: 0, ready: 0, available: 0, updated: 0, rolledOut: false,
      message: `${expected.kind} ${expected.name} not found`,
    };
  }
  const spec = observed.spec ?? {};
  const status = observed.status ?? {};
  const desired = desiredReplicas(spec, autoscaler, expected.replicas);
  const generationSeen = (status.observedGeneration ?? 0) >= (observed.metadata.generation ?? 0);
  const replicas = num(status.replicas);
  const ready = num(status.readyReplicas);
  const available = observed.kind === 'StatefulSet' ? num(status.availableReplicas ?? status.readyReplicas) : num(status.availableReplicas);
  const updated = updatedReplicas(observed, desired);

  const template = spec.template ?? {};
  const image: string | undefined = template.spec?.containers?.[0]?.image;
  const configHash: string | undefined = template.metadata?.annotations?.[configHashAnnotation];

  const rolledOut = generationSeen && updated >= desired && replicas <= updated;
  const counts = `${ready}/${desired} ready`;
  const base = { desired, replicas, ready, available, updated, rolledOut, image, configHash };

  const progressing = (status.conditions as Array<{ type: string; status: string; reason?: string; message?: string }> | undefined)
    ?.find((c) => c.type === 'Progressing');
  if (observed.kind === 'Deployment' && progressing?.reason === 'ProgressDeadlineExceeded') {
    return { ...base, state: 'Failed', message: `${expected.name}: progress deadline exceeded${progressing.message ? ` (${progressing.message})` : ''}` };
  }
  // Scaled on the live object (kubectl scale), or the new count is not applied
  // yet: not what the spec asks for, until the GitOps tool re-applies it.
  const live = liveReplicas(spec);
  if (expected.replicas !== undefined && autoscaler === undefined && live !== expected.replicas) {
    return { ...base, state: 'Updating', message: `${expected.name}: ${live} replicas set on the ${observed.kind}, the spec asks for ${expected.replicas}` };
  }
  if (desired > 0 && ready === 0) {
    return { ...base, state: 'Creating', message: `${expected.name}: ${counts}` };
  }
  if (!generationSeen) {
    return { ...base, state: 'Updating', message: `${expected.name}: spec not yet observed by the controller` };
  }
  if (!rolledOut) {
    const old = Math.max(0, replicas - updated);
    return {
      ...base, state: 'Updating',
      message: `${expected.name}: rolling out, ${updated}/${desired} updated${old > 0 ? `, ${old} old pending termination` : ''}`,
    };
  }
  if (ready < desired || available < desired) {
    return { ...base, state: 'Degraded', message: `${expected.name}: ${counts}, ${available}/${desired} available` };
  }
  return { ...base, state: 'Ready', message: `${expected.name}: ${counts}` };
}

function desiredReplicas(spec: any, autoscaler: KubeObject | undefined, rendered: number | undefined): number {
  // A fresh HPA reports desiredReplicas 0 until its first evaluation; the
  // workload's own count is the better guess until then.
  const fromHpa = autoscaler?.status?.desiredReplicas;
  if (typeof fromHpa === 'number' && fromHpa > 0) return fromHpa;
  if (rendered !== undefined) return rendered;
  return liveReplicas(spec);
}

/** spec.replicas of the live workload, with the API server's default. */
function liveReplicas(spec: any): number {
  return typeof spec.replicas === 'number' ? spec.replicas : 1;
}

function updatedReplicas(observed: KubeObject, desired: number): number {
  const spec = observed.spec ?? {};
  const status = observed.status ?? {};
  if (observed.kind !== 'StatefulSet') return num(status.updatedReplicas);
  // OnDelete never replaces pods by itself: kstatus treats it as rolled out once observed.
  if (spec.updateStrategy?.type === 'OnDelete') return num(status.replicas);
  // A partition keeps the lowest ordinals on the old revision on purpose.
  const partition = num(spec.updateStrategy?.rollingUpdate?.partition);
  const updated = num(status.updatedReplicas);
  if (partition > 0) return Math.min(desired, updated + partition);
  // When a rollout completes the controller sets currentRevision = updateRevision.
  if (status.updateRevision && status.currentRevision === status.updateRevision) {
    return Math.max(updated, num(status.currentReplicas));
  }
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
