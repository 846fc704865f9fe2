/** One problem in the input, located precisely enough to fix without guessing. */
export interface SpecProblem {
  /** Path of the file, as given (relative to the working directory). */
  readonly file: string;
  /** 1-based position of the YAML document in the file. */
  readonly document?: number;
  /** e.g. `AbiInstance abi/abi-production`. */
  readonly resource?: string;
  /** Dotted field path, e.g. `spec.autoscaling.minReplicas`. */
  readonly path?: string;
  /** What is wrong, and what is allowed. */
  readonly message: string;
}

/** One line: `file: document n: resource: path: message`. */
export function formatProblem(p: SpecProblem): string {
  const where = [p.file, p.document !== undefined ? `document ${p.document}` : undefined, p.resource]
    .filter((x) => x !== undefined).join(': ');
  return `${where}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** Every problem of a run, reported together. */
export class SpecValidationError extends Error {
  constructor(
    /** Every problem of the run, in input order. */
    public readonly problems: readonly SpecProblem[],
  ) {
    super(`${problems.length} problem(s) in the instance specs:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.name = 'SpecValidationError';
  }
}
