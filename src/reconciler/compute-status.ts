/**
 * The reconciler's brain: status = f(resource, children, now). Pure and
 * deterministic, so every rule below is unit-tested without an API server;
 * the I/O loop only gathers its inputs and writes its output.
 *
 * Timestamps are carried over from the previous status unless what they date
 * changed, so recomputing an unchanged world yields an identical status and
 * the loop writes nothing.
 */
import { ExpectedChildren, ExpectedEndpoints } from '../shared/children';
import { Condition, CONDITION_READY, CONDITION_RECONCILING, CONDITION_STALLED, Health, HealthStatus, Phase } from '../shared/status';
import { findCondition, nextCondition, timestamp } from './conditions';
import { blockingDisruptionBudgets } from './disruption-budgets';
import { KubeObject } from './kube-object';
import { evaluateWorkload, imageTag, WorkloadEvaluation, WorkloadState } from './workload-state';

/** What the reconciler found in the cluster for one custom resource, matched by the instance labels. */
export interface ObservedChildren {
  readonly deployments: readonly KubeObject[];
  readonly statefulSets: readonly KubeObject[];
  readonly autoscalers: readonly KubeObject[];
  readonly services: readonly KubeObject[];
  readonly ingresses: readonly KubeObject[];
  readonly disruptionBudgets: readonly KubeObject[];
}

export const NO_CHILDREN: ObservedChildren = { deployments: [], statefulSets: [], autoscalers: [], services: [], ingresses: [], disruptionBudgets: [] };

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

const DEFAULT_MISSING_TIMEOUT_SECONDS = 300;
const DEFAULT_NO_READY_TIMEOUT_SECONDS = 1800;
/** Ready reasons whose duration the no-ready-replicas timeout measures: a component serves nothing. */
const NO_READY_REASONS = ['Creating', 'ComponentsNotReady', 'ComponentUnavailable'];
const NO_READY_TIMEOUT_REASON = 'NoReadyReplicas';

/**
 * The status's memory that the instance has served: present from the first
 * time it was Ready, True while every critical component has a ready replica,
 * False (reason ComponentUnavailable or ChildrenMissing) during an outage.
 * Without it "nothing ready" cannot be told apart from a first start. No
 * GitOps engine reads it; Ready/Reconciling/Stalled carry the verdict.
 */
export const CONDITION_AVAILABLE = 'Available';

interface Verdict {
  readonly phase: Phase;
  /** Ready condition reason when not ready. */
  readonly reason: string;
  readonly message: string;
  /** Terminal: Stalled=True (kstatus Failed). */
  readonly stalled?: boolean;
}

export function computeStatus(input: StatusInput): StatusResult {
  const { resource, expected, children, now } = input;
  const previous = resource.status ?? {};
  const previousConditions: Condition[] | undefined = Array.isArray(previous.conditions) ? previous.conditions : undefined;
  const generation = resource.metadata.generation;

  const evaluated = expected.workloads.map((w) => {
    const pool = w.kind === 'Deployment' ? children.deployments : children.statefulSets;
    const observed = pool.find((o) => o.metadata.name === w.name);
    const hpa = w.autoscaler ? children.autoscalers.find((a) => a.metadata.name === w.autoscaler) : undefined;
    const podLabels: Record<string, string> = observed?.spec?.template?.metadata?.labels ?? {};
    return { workload: w, critical: w.critical !== false, podLabels, e: evaluateWorkload(w, observed, hpa, input.configHashAnnotation) };
  });
  const critical = evaluated.filter((x) => x.critical);
  const missing = critical.filter((x) => x.e.state === 'Missing');
  const present = evaluated.filter((x) => x.e.state !== 'Missing');
  const ready0 = findCondition(previousConditions, CONDITION_READY);
  // Served before: an Available condition, or (statuses written before it existed) Ready=True.
  const wasAvailable = findCondition(previousConditions, CONDITION_AVAILABLE) !== undefined || ready0?.status === 'True';

  // "Missing since" is dated by the Ready condition's transition to ChildrenMissing
  // (a reason change is a transition, see nextCondition), so it survives restarts.
  const timeout = input.missingChildrenTimeoutSeconds ?? DEFAULT_MISSING_TIMEOUT_SECONDS;
  const missingSince = ready0?.status === 'False' && ready0.reason === 'ChildrenMissing' ? Date.parse(ready0.lastTransitionTime) : now.getTime();
  const missingForSeconds = (now.getTime() - missingSince) / 1000;
  let requeueAfterSeconds: number | undefined;

  const sum = (f: (e: WorkloadEvaluation) => number, list = critical) => list.reduce((acc, x) => acc + f(x.e), 0);
  const desired = sum((e) => e.desired);
  const ready = sum((e) => e.ready);
  const totals = `${ready}/${desired} replicas ready`;
  const missingNames = missing.map((x) => `${x.workload.kind} ${x.workload.name}`).join(', ');
  const messages = (list: typeof critical) => list.map((x) => x.e.message + (x.workload.dependency ? ' (no other component works without it)' : '')).join('; ');

  // A component serves nothing. After the instance has served, only a rollout
  // excuses it (a maxSurge-0 writer between its old and new pod); on a first
  // start nothing is excused, everything is still starting.
  const down = critical.filter((x) => x.e.state !== 'Missing' && x.e.desired > 0 && x.e.ready === 0 && (x.e.state !== 'Updating' || !wasAvailable));
  const rolling = critical.filter((x) => x.e.state === 'Updating');
  const short = critical.filter((x) => x.e.state === 'Degraded');
  const autoscalingDisabled = critical.filter((x) => x.e.autoscalingDisabled);

  let verdict: Verdict;
  if (resource.metadata.deletionTimestamp) {
    verdict = { phase: 'Terminating', reason: 'Terminating', message: 'the resource is being deleted' };
  } else if (missing.length > 0 && missingForSeconds >= timeout) {
    verdict = { phase: 'Failed', reason: 'ChildrenMissing', message: `missing for more than ${timeout}s: ${missingNames}`, stalled: true };
  } else if (critical.some((x) => x.e.state === 'Failed')) {
    const failed = critical.filter((x) => x.e.state === 'Failed');
    verdict = { phase: 'Failed', reason: 'ProgressDeadlineExceeded', message: failed.map((x) => x.e.message).join('; '), stalled: true };
  } else if (autoscalingDisabled.length > 0) {
    // Nothing in the cluster will ever bring it back: terminal until a person acts.
    verdict = { phase: 'Failed', reason: 'AutoscalingDisabled', message: messages(autoscalingDisabled), stalled: true };
  } else if (missing.length > 0) {
    const phase: Phase = wasAvailable ? 'Failed' : present.length === 0 ? 'Pending' : 'Creating';
    verdict = { phase, reason: 'ChildrenMissing', message: `${wasAvailable ? 'unavailable, missing' : 'waiting for'} ${missingNames}` };
  } else if (down.length > 0) {
    const nothingWorks = down.length === critical.length || down.some((x) => x.workload.dependency);
    verdict = wasAvailable
      ? { phase: 'Failed', reason: 'ComponentUnavailable', message: `unavailable: ${messages(down)}` }
      : { phase: 'Creating', reason: nothingWorks ? 'Creating' : 'ComponentsNotReady', message: nothingWorks && down.length === critical.length ? totals : messages(down) };
  } else if (rolling.length > 0) {
    // A spec the workload controller has not observed yet may be a scale as well as a
    // template change: it is reported as progressing, and only an observed one as a rollout.
    const reason = rolling.some((x) => x.e.observed) ? 'RollingOut' : 'Progressing';
    verdict = { phase: wasAvailable ? 'Updating' : 'Creating', reason, message: messages(rolling) };
  } else if (short.length > 0) {
    // Evicted, crashed, scaled below the spec or the HPA's minimum: serving, short of pods. Not a rollout.
    verdict = { phase: wasAvailable ? 'Running' : 'Creating', reason: 'ReplicasNotReady', message: messages(short) };
  } else {
    const scaledToZero = desired === 0 && critical.every((x) => x.workload.replicas === 0);
    verdict = { phase: 'Running', reason: '', message: scaledToZero ? 'scaled to zero' : `all ${totals}` };
  }
  if (missing.length > 0 && verdict.phase !== 'Terminating' && !verdict.stalled) {
    requeueAfterSeconds = Math.max(1, Math.ceil(timeout - missingForSeconds));
  }
  // "No ready replica since" is dated like "missing since": by the Ready
  // condition's transition to this reason. Once escalated it stays Failed until
  // a replica is ready again (or something else changes the verdict).
  // A new generation (a fix pushed through the spec) restarts the clock and
  // lifts an escalation: the fixed pods get their full time.
  // status.observedGeneration, not the condition's: a CRD that prunes the
  // condition field must not make every pass look like a new generation.
  const sameGeneration = previous.observedGeneration === generation;
  const noReadyClockRestart = NO_READY_REASONS.includes(verdict.reason) && !sameGeneration;
  if (NO_READY_REASONS.includes(verdict.reason)) {
    const noReadyTimeout = input.noReadyReplicasTimeoutSeconds ?? DEFAULT_NO_READY_TIMEOUT_SECONDS;
    const escalated = sameGeneration && ready0?.status === 'False' && ready0.reason === NO_READY_TIMEOUT_REASON;
    const running = sameGeneration && ready0?.status === 'False' && NO_READY_REASONS.includes(ready0.reason);
    const since = running ? Date.parse(ready0!.lastTransitionTime) : now.getTime();
    const noReadyForSeconds = (now.getTime() - since) / 1000;
    if (escalated || noReadyForSeconds >= noReadyTimeout) {
      verdict = { phase: 'Failed', reason: NO_READY_TIMEOUT_REASON, message: `no ready replica for more than ${noReadyTimeout}s: ${verdict.message}`, stalled: true };
    } else {
      const remaining = Math.max(1, Math.ceil(noReadyTimeout - noReadyForSeconds));
      requeueAfterSeconds = requeueAfterSeconds === undefined ? remaining : Math.min(requeueAfterSeconds, remaining);
    }
  }

  const isReady = verdict.phase === 'Running' && verdict.reason === '';
  // Ready first, then at most one of Reconciling and Stalled: kstatus reads whichever comes first.
  const conditions: Condition[] = [
    nextCondition(previousConditions, {
      type: CONDITION_READY,
      status: isReady ? 'True' : 'False',
      reason: isReady ? 'Ready' : verdict.reason,
      message: verdict.message,
      observedGeneration: generation,
    }, now, { sameReasons: NO_READY_REASONS, restart: noReadyClockRestart }),
  ];
  if (!verdict.stalled && (verdict.phase === 'Pending' || verdict.phase === 'Creating' || verdict.phase === 'Updating')) {
    conditions.push(nextCondition(previousConditions, {
      type: CONDITION_RECONCILING, status: 'True', reason: verdict.reason, message: verdict.message, observedGeneration: generation,
    }, now));
  }
  if (verdict.stalled) {
    conditions.push(nextCondition(previousConditions, {
      type: CONDITION_STALLED, status: 'True', reason: verdict.reason, message: verdict.message, observedGeneration: generation,
    }, now));
  }
  if (wasAvailable || isReady) {
    const serving = missing.length === 0 && down.length === 0 && autoscalingDisabled.length === 0;
    conditions.push(nextCondition(previousConditions, {
      type: CONDITION_AVAILABLE,
      status: serving ? 'True' : 'False',
      reason: serving ? 'Available' : missing.length > 0 ? 'ChildrenMissing' : 'ComponentUnavailable',
      message: serving ? 'every component has a ready replica' : verdict.message,
      observedGeneration: generation,
    }, now));
  }

  let currentHealth = healthOf(verdict, critical.map((x) => x.e), evaluated.filter((x) => !x.critical).map((x) => x.e));
  // Budgets only speak when nothing else is wrong; see disruption-budgets.ts for why they never touch Ready.
  if (verdict.phase === 'Running' && currentHealth.status === 'Healthy') {
    const blocking = blockingDisruptionBudgets(children.disruptionBudgets, present.map((x) => ({ podLabels: x.podLabels, ready: x.e.ready })));
    if (blocking.length > 0) currentHealth = { status: 'Degraded', message: blocking.map((b) => b.message).join('; ') };
  }
  const health = nextHealth(previous.health, currentHealth, now);

  // Version and config hash describe what is actually rolled out: taken from
  // the primary workload only once its rollout is complete, else kept.
  const primary = critical[0]?.e;
  const rolledOut = primary !== undefined && primary.state !== 'Missing' && primary.rolledOut;
  const version = rolledOut && primary.image ? imageTag(primary.image) : stringOrUndefined(previous.version);
  const configHash = rolledOut && primary.configHash ? primary.configHash : stringOrUndefined(previous.configHash);

  const serviceNames = new Set(children.services.map((s) => s.metadata.name));
  // The ingress endpoint comes from an Ingress that exists, never from the spec alone.
  const { ingress: _specHost, ...inCluster } = expected.endpoints;
  const endpoints = expected.services.some((s) => serviceNames.has(s)) ? { ...inCluster, ...ingressEndpoint(children.ingresses) } : undefined;

  const status: ComputedStatus = {
    phase: verdict.phase,
    replicas: sum((e) => e.replicas),
    readyReplicas: ready,
    availableReplicas: sum((e) => e.available),
    updatedReplicas: sum((e) => e.updated),
    ...(version !== undefined ? { version } : {}),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    health,
    enabledFeatures: [...input.enabledFeatures],
    conditions,
    ...(endpoints ? { endpoints } : {}),
    ...(configHash !== undefined ? { configHash } : {}),
    components: evaluated.map((x) => ({
      component: x.workload.component,
      kind: x.workload.kind,
      name: x.workload.name,
      state: x.e.state,
      critical: x.critical,
      replicas: x.e.replicas,
      desiredReplicas: x.e.desired,
      readyReplicas: x.e.ready,
      availableReplicas: x.e.available,
      updatedReplicas: x.e.updated,
      ...(x.e.image ? { version: imageTag(x.e.image) } : {}),
      message: x.e.message,
    })),
  };
  return { status, ...(requeueAfterSeconds !== undefined ? { requeueAfterSeconds } : {}) };
}

function healthOf(verdict: Verdict, critical: WorkloadEvaluation[], optional: WorkloadEvaluation[]): Omit<Health, 'lastChecked'> {
  const notReady = (list: WorkloadEvaluation[]) => list.filter((e) => e.state !== 'Ready');
  // Drift the GitOps tool will undo: more replicas set on the live object than the spec renders.
  const drifted = critical.filter((e) => e.state === 'Ready' && e.drifted);
  let status: HealthStatus;
  switch (verdict.phase) {
    case 'Terminating':
    case 'Pending':
    case 'Creating':
      // Nothing has served yet (or never will again): health is not known, not bad.
      status = 'Unknown';
      break;
    case 'Failed':
      status = 'Unhealthy';
      break;
    default: {
      const belowFloor = critical.some((e) => e.ready < e.floor || e.available < e.floor);
      status = belowFloor || notReady(optional).length > 0 || drifted.length > 0 ? 'Degraded' : 'Healthy';
    }
  }
  const attention = [...drifted.map((e) => e.message), ...notReady(optional).map((e) => e.message)];
  const message = status === 'Degraded' && attention.length > 0 && verdict.reason === ''
    ? attention.join('; ')
    : verdict.message;
  return { status, message };
}

/** lastChecked dates the last change of health, not the last look: a look that changes nothing must not cause a write. */
function nextHealth(previous: Health | undefined, next: Omit<Health, 'lastChecked'>, now: Date): Health {
  const unchanged = previous?.status === next.status && previous?.message === next.message && previous?.lastChecked;
  return { ...next, lastChecked: unchanged ? previous!.lastChecked : timestamp(now) };
}

function ingressEndpoint(ingresses: readonly KubeObject[]): { ingress?: string } {
  for (const ing of [...ingresses].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
    const host: string | undefined = ing.spec?.rules?.find((r: { host?: string }) => r.host)?.host;
    if (!host) continue;
    const tls = (ing.spec?.tls ?? []).some((t: { hosts?: string[] }) => t.hosts?.includes(host));
    return { ingress: `${tls ? 'https' : 'http'}://${host}` };
  }
  return {};
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
