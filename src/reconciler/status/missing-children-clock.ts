/**
 * How long critical children have been missing. "Missing since" is dated by
 * the Ready condition's transition to ChildrenMissing (a reason change is a
 * transition, see nextCondition), so the clock lives in the status itself and
 * survives reconciler restarts and leader changes.
 */
import { Condition } from '../../shared/status';
import { ReadyReason } from './ready-reasons';
import { Verdict } from './verdict';

export const DEFAULT_MISSING_CHILDREN_TIMEOUT_SECONDS = 300;

export interface MissingChildrenClock {
  readonly timeoutSeconds: number;
  /** 0 on the pass that first finds a child missing. */
  readonly missingForSeconds: number;
}

export function missingChildrenClock(previousReady: Condition | undefined, now: Date, timeoutSeconds: number): MissingChildrenClock {
  const alreadyMissing = previousReady?.status === 'False' && previousReady.reason === ReadyReason.ChildrenMissing;
  const since = alreadyMissing ? Date.parse(previousReady.lastTransitionTime) : now.getTime();
  return { timeoutSeconds, missingForSeconds: (now.getTime() - since) / 1000 };
}

export function missingChildrenExpired(clock: MissingChildrenClock): boolean {
  return clock.missingForSeconds >= clock.timeoutSeconds;
}

/**
 * When to look again so the timeout fires on time although nothing in the
 * cluster changes. Not once the verdict is terminal or the resource is going
 * away: no later pass would say anything new.
 */
export function missingChildrenRequeue(clock: MissingChildrenClock, anyMissing: boolean, verdict: Verdict): number | undefined {
  if (!anyMissing || verdict.phase === 'Terminating' || verdict.stalled) return undefined;
  return Math.max(1, Math.ceil(clock.timeoutSeconds - clock.missingForSeconds));
}
