import { describeValue } from './describe-value';
import { ValidationIssue } from './validation-issue';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Longest object name that still leaves room for the suffixes Kubernetes adds. */
export const NAME_LIMITS = {
  /** Services, and anything else that must be a DNS-1035 label. */
  label: 63,
  /** StatefulSet pods carry `controller-revision-hash: <name>-<10 chars>`, a 63-char label value. */
  statefulSet: 52,
  /** Deployment pods are `<name>-<10-char hash>-<5 chars>`; the ReplicaSet name feeds a label value too. */
  deployment: 52,
} as const;

/** An object name derived from an instance name, and the length Kubernetes allows it. */
export interface DerivedName {
  /** The derived name. */
  readonly name: string;
  /** Its maximum length (NAME_LIMITS). */
  readonly limit: number;
  /** e.g. "StatefulSet" — named in the error. */
  readonly what: string;
}

/**
 * Checks a custom resource's name and every object name derived from it, so
 * that a name that would only fail deep inside Kubernetes (a pod label, a
 * Service's DNS name) is rejected up front, on metadata.name.
 */
export function checkInstanceName(name: unknown, derived: (name: string) => DerivedName[]): ValidationIssue[] {
  if (typeof name !== 'string' || name === '') {
    return [{ path: 'metadata.name', message: `${name === undefined || name === '' ? 'is required' : `is ${describeValue(name)}, not a string`}: a DNS-1123 label (lower-case letters, digits, "-")` }];
  }
  // Service names are DNS-1035 labels (must start with a letter) and every
  // instance gets Services named after it.
  if (!DNS1035_LABEL.test(name)) {
    return [{ path: 'metadata.name', message: `${describeValue(name)} is not allowed: must be lower-case letters, digits and "-", start with a letter and end with a letter or digit` }];
  }
  const issues: ValidationIssue[] = [];
  for (const d of derived(name)) {
    if (d.name.length > d.limit) {
      issues.push({
        path: 'metadata.name',
        message: `${describeValue(name)} is too long: the ${d.what} ${describeValue(d.name)} would have ${d.name.length} characters, at most ${d.limit} are allowed (shorten the name by ${d.name.length - d.limit})`,
      });
    }
  }
  return issues.slice(0, 1);
}

export function checkNamespace(namespace: unknown): ValidationIssue[] {
  if (namespace === undefined) return [];
  if (typeof namespace !== 'string' || !DNS1123_LABEL.test(namespace) || namespace.length > 63) {
    return [{ path: 'metadata.namespace', message: `${describeValue(namespace)} is not a valid namespace: a DNS-1123 label of at most 63 characters` }];
  }
  return [];
}
