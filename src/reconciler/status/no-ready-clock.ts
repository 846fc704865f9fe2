/**
 * Escalates a component that serves nothing for too long to Failed/Stalled.
 * Deployments report a stuck rollout themselves (ProgressDeadlineExceeded),
 * but not pods that crash after it finished, and StatefulSets never do:
 * without this a dead instance shows "progressing" for ever.
 *
 * A step after the verdict rules, not one of them: it rewrites whichever of
 * the "nothing serves" verdicts they reached, keeping its message.
 */
import { Condition } from '../../shared/status';
import { ConditionClock } from '../conditions';
import { ReadyReason } from './ready-reasons';
import { Verdict } from './verdict';

export const DEFAULT_NO_READY_REPLICAS_TIMEOUT_SECONDS = 1800;

/** Ready reasons whose duration the clock measures: a component serves nothing. */
export const NO_READY_REASONS: readonly ReadyReason[] = [ReadyReason.Creating, ReadyReason.ComponentsNotReady, ReadyReason.ComponentUnavailable];

export interface NoReadyClockInput {
  readonly previousReady: Condition | undefined;
  /**
   * status.observedGeneration equals metadata.generation. Taken from the
   * status, not the condition: a CRD that prunes the condition's field must not
   * make every pass look like a new generation.
   */
  readonly sameGeneration: boolean;
  readonly now: Date;
  readonly timeoutSeconds: number;
}

export interface NoReadyClockOutcome {
  readonly verdict: Verdict;
  /** Look again when the timeout would fire, if it is pending. */
  readonly requeueAfterSeconds?: number;
  /** How the Ready condition's lastTransitionTime, which dates this clock, must move. */
  readonly readyClock: ConditionClock;
}

/**
 * "No ready replica since" is dated like "missing since": by the Ready
 * condition's transition to one of NO_READY_REASONS (switching among them keeps
 * the date). Once escalated it stays Failed until a replica is ready again (or
 * something else changes the verdict). A new generation (a fix pushed through
 * the spec) restarts the clock and lifts an escalation: the fixed pods get
 * their full time.
 */
export function applyNoReadyClock(verdict: Verdict, input: NoReadyClockInput): NoReadyClockOutcome {
  const measured = NO_READY_REASONS.includes(verdict.reason);
  const readyClock: ConditionClock = { sameReasons: NO_READY_REASONS, restart: measured && !input.sameGeneration };
  if (!measured) return { verdict, readyClock };

  const previous = input.sameGeneration && input.previousReady?.status === 'False' ? input.previousReady : undefined;
  const escalated = previous?.reason === ReadyReason.NoReadyReplicas;
  const running = previous !== undefined && NO_READY_REASONS.includes(previous.reason as ReadyReason);
  const since = running ? Date.parse(previous.lastTransitionTime) : input.now.getTime();
  const noReadyForSeconds = (input.now.getTime() - since) / 1000;
  if (escalated || noReadyForSeconds >= input.timeoutSeconds) {
    return {
      verdict: {
        phase: 'Failed',
        reason: ReadyReason.NoReadyReplicas,
        message: `no ready replica for more than ${input.timeoutSeconds}s: ${verdict.message}`,
        stalled: true,
      },
      readyClock,
    };
  }
  return { verdict, requeueAfterSeconds: Math.max(1, Math.ceil(input.timeoutSeconds - noReadyForSeconds)), readyClock };
}
