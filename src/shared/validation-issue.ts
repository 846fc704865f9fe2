/**
 * One problem found in an instance spec. Rules return these instead of
 * throwing, so a run reports every problem at once.
 */
export interface ValidationIssue {
  /** Dotted field path from the document root, e.g. `spec.autoscaling.minReplicas`. */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}
