/**
 * The verdict as an ordered list of small rules, the way cli-utils builds
 * kstatus (sigs.k8s.io/cli-utils pkg/kstatus/status: checkGenericProperties,
 * then one checker per kind, the first that has something to say decides).
 * Each rule looks at the facts and either returns a verdict or passes; the
 * order is the precedence, so a rule need not re-check what earlier rules
 * already ruled out.
 */
import { Phase } from '../../shared/status';
import { missingChildrenExpired } from './missing-children-clock';
import { ReadyReason } from './ready-reasons';
import { StatusFacts, workloadMessages, workloadNames } from './status-facts';
import { Verdict } from './verdict';

export type VerdictRule = (facts: StatusFacts) => Verdict | undefined;

/** Deletion trumps everything: whatever the children say, they are going away. */
export function terminating(facts: StatusFacts): Verdict | undefined {
  if (!facts.deleting) return undefined;
  return { phase: 'Terminating', reason: ReadyReason.Terminating, message: 'the resource is being deleted', stalled: false };
}

/** Children that stay missing past the timeout will not appear by waiting: the sync that should create them failed. */
export function childrenMissingTooLong(facts: StatusFacts): Verdict | undefined {
  if (facts.missing.length === 0 || !missingChildrenExpired(facts.missingChildren)) return undefined;
  return {
    phase: 'Failed',
    reason: ReadyReason.ChildrenMissing,
    message: `missing for more than ${facts.missingChildren.timeoutSeconds}s: ${workloadNames(facts.missing)}`,
    stalled: true,
  };
}

/** The Deployment controller itself gave up on the rollout (Progressing=False/ProgressDeadlineExceeded). */
export function progressDeadlineExceeded(facts: StatusFacts): Verdict | undefined {
  if (facts.failed.length === 0) return undefined;
  return {
    phase: 'Failed',
    reason: ReadyReason.ProgressDeadlineExceeded,
    message: facts.failed.map((w) => w.evaluation.message).join('; '),
    stalled: true,
  };
}

/** Nothing in the cluster will ever bring a switched-off HPA's workload back: terminal until a person acts. */
export function autoscalingDisabled(facts: StatusFacts): Verdict | undefined {
  if (facts.autoscalingDisabled.length === 0) return undefined;
  return { phase: 'Failed', reason: ReadyReason.AutoscalingDisabled, message: workloadMessages(facts.autoscalingDisabled), stalled: true };
}

/** Children not there yet (a sync in progress) or gone (an outage, once the instance has served). */
export function childrenMissing(facts: StatusFacts): Verdict | undefined {
  if (facts.missing.length === 0) return undefined;
  const names = workloadNames(facts.missing);
  if (facts.hasServed) {
    return { phase: 'Failed', reason: ReadyReason.ChildrenMissing, message: `unavailable, missing ${names}`, stalled: false };
  }
  const phase: Phase = facts.present.length === 0 ? 'Pending' : 'Creating';
  return { phase, reason: ReadyReason.ChildrenMissing, message: `waiting for ${names}`, stalled: false };
}

/**
 * A component serves nothing. After the instance has served that is an outage;
 * on a first start it is still starting, and "Creating" while nothing at all
 * works (every component, or a dependency every other one needs).
 */
export function componentsServingNothing(facts: StatusFacts): Verdict | undefined {
  const down = facts.servingNothing;
  if (down.length === 0) return undefined;
  if (facts.hasServed) {
    return { phase: 'Failed', reason: ReadyReason.ComponentUnavailable, message: `unavailable: ${workloadMessages(down)}`, stalled: false };
  }
  const everyComponentDown = down.length === facts.critical.length;
  const nothingWorks = everyComponentDown || down.some((w) => w.expected.dependency);
  const message = nothingWorks && everyComponentDown ? `${facts.readyReplicas}/${facts.desiredReplicas} replicas ready` : workloadMessages(down);
  return { phase: 'Creating', reason: nothingWorks ? ReadyReason.Creating : ReadyReason.ComponentsNotReady, message, stalled: false };
}

/**
 * A spec the workload controller has not observed yet may be a scale as well
 * as a template change: it is reported as progressing, and only an observed one
 * as a rollout.
 */
export function rollingOut(facts: StatusFacts): Verdict | undefined {
  if (facts.updating.length === 0) return undefined;
  const reason = facts.updating.some((w) => w.evaluation.observed) ? ReadyReason.RollingOut : ReadyReason.Progressing;
  return { phase: facts.hasServed ? 'Updating' : 'Creating', reason, message: workloadMessages(facts.updating), stalled: false };
}

/** Evicted, crashed, scaled below the spec or the HPA's minimum: serving, short of pods. Not a rollout. */
export function replicasShort(facts: StatusFacts): Verdict | undefined {
  if (facts.shortOfReplicas.length === 0) return undefined;
  return {
    phase: facts.hasServed ? 'Running' : 'Creating',
    reason: ReadyReason.ReplicasNotReady,
    message: workloadMessages(facts.shortOfReplicas),
    stalled: false,
  };
}

/** What is left when no rule objects: every critical workload is Ready. */
export function ready(facts: StatusFacts): Verdict {
  const scaledToZero = facts.desiredReplicas === 0 && facts.critical.every((w) => w.expected.replicas === 0);
  const message = scaledToZero ? 'scaled to zero' : `all ${facts.readyReplicas}/${facts.desiredReplicas} replicas ready`;
  return { phase: 'Running', reason: ReadyReason.Ready, message, stalled: false };
}

/** Highest precedence first. */
export const VERDICT_RULES: readonly VerdictRule[] = [
  terminating,
  childrenMissingTooLong,
  progressDeadlineExceeded,
  autoscalingDisabled,
  childrenMissing,
  componentsServingNothing,
  rollingOut,
  replicasShort,
];

export function decideVerdict(facts: StatusFacts): Verdict {
  for (const rule of VERDICT_RULES) {
    const verdict = rule(facts);
    if (verdict) return verdict;
  }
  return ready(facts);
}
