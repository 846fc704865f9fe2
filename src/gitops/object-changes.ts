/**
 * What changed between two renders, object by object: the part of a rendered
 * diff (rendered-diff.ts) that the apply-hazard rules (apply-hazards.ts) read.
 * Its own module so that neither of those two imports the other's.
 */
export interface FieldChange {
  /** Dotted path; list items by their `name` when they have one, e.g. spec.template.spec.containers[abi].image. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface ObjectChanges {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: Array<{ readonly object: string; readonly fields: FieldChange[] }>;
}
