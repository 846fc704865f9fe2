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
 * What a chart throws when its props break a rule or the CRD schema: the
 * construct, and every field at fault with what is wrong and what is allowed.
 */
export class InvalidSpecError extends Error {
  /**
   * @param construct - the construct and its path, e.g. `AbiInstanceChart assistant`
   * @param issues - every problem found, each with its field path
   * @param hint - a closing line saying how to fix them, when the issues alone do not
   */
  constructor(
    /** The construct and its path. */
    public readonly construct: string,
    /** Every problem found, each with its field path. */
    public readonly issues: readonly ValidationIssue[],
    hint?: string,
  ) {
    super(`${construct}: invalid spec:\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}${hint ? `\n${hint}` : ''}`);
    this.name = 'InvalidSpecError';
  }
}

/**
 * Fails early when a chart is used directly from code: the same rules the
 * synthesis pipeline reports with file and document, here as one error naming
 * the construct and every field at fault.
 */
export function throwOnIssues(construct: string, issues: readonly ValidationIssue[], hint?: string): void {
  if (issues.length === 0) return;
  throw new InvalidSpecError(construct, issues, hint);
}
