/**
 * metav1.Condition bookkeeping without timestamp churn. Every status write
 * makes Argo CD refresh the application, so a timestamp moves only when what
 * it dates moves.
 */
import { Condition } from '../shared/status';

export type ConditionSpec = Omit<Condition, 'lastTransitionTime'>;

/**
 * Builds a condition, keeping the previous lastTransitionTime while status and
 * reason are unchanged. Unlike apimachinery's SetStatusCondition a reason
 * change also counts as a transition (as in Flux's runtime): the reconciler
 * dates "children missing since" from it. Message changes (counts) do not.
 */
export function nextCondition(previous: readonly Condition[] | undefined, next: ConditionSpec, now: Date, clock: ConditionClock = {}): Condition {
  const old = previous?.find((c) => c.type === next.type);
  const sameReason = old !== undefined
    && (old.reason === next.reason || (clock.sameReasons?.includes(old.reason) === true && clock.sameReasons.includes(next.reason)));
  const unchanged = old !== undefined && old.status === next.status && sameReason && !clock.restart;
  return { ...next, lastTransitionTime: unchanged ? old.lastTransitionTime : timestamp(now) };
}

/** Exceptions to "status or reason changed" for a condition whose lastTransitionTime dates something. */
export interface ConditionClock {
  /** Reasons that count as one: switching among them keeps the time. */
  readonly sameReasons?: readonly string[];
  /** Start the time anew even if status and reason are unchanged (e.g. a new generation). */
  readonly restart?: boolean;
}

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** RFC 3339 with second precision: the form metav1.Time serializes to. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
