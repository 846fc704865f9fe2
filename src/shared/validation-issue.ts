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

/**
 * Fails early when a chart is used directly from code: the same rules the
 * synthesis pipeline reports with file and document, here as one error naming
 * the construct and every field at fault.
 */
export function throwOnIssues(construct: string, issues: readonly ValidationIssue[]): void {
  if (issues.length === 0) return;
  throw new Error(`${construct}: invalid spec:\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}`);
}
