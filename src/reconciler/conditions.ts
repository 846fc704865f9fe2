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
export function nextCondition(previous: readonly Condition[] | undefined, next: ConditionSpec, now: Date): Condition {
  const old = previous?.find((c) => c.type === next.type);
  const unchanged = old !== undefined && old.status === next.status && old.reason === next.reason;
  return { ...next, lastTransitionTime: unchanged ? old.lastTransitionTime : timestamp(now) };
}

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** RFC 3339 with second precision: the form metav1.Time serializes to. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
