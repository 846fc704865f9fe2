/**
 * Pod Security Standards "restricted", in one place. Every workload we render
 * uses these, so a namespace labelled pod-security.kubernetes.io/enforce=restricted
 * admits them without warnings.
 */
import { k8s } from 'cdk8s-plus-27';

export interface RestrictedPodSecurityProps {
  /** @default 1000 (the uid upstream images run as) */
  readonly runAsUser?: number;
  /** @default same as runAsUser */
  readonly runAsGroup?: number;
  /** @default same as runAsGroup */
  readonly fsGroup?: number;
}

export function restrictedPodSecurityContext(props: RestrictedPodSecurityProps = {}): k8s.PodSecurityContext {
  const runAsUser = props.runAsUser ?? 1000;
  const runAsGroup = props.runAsGroup ?? runAsUser;
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup,
    fsGroup: props.fsGroup ?? runAsGroup,
    // Only chown volumes whose root does not already match: large model volumes
    // would otherwise be walked on every pod start.
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export interface RestrictedContainerSecurityProps {
  /**
   * Whether the root filesystem is read-only. Writable paths must then be
   * mounted volumes.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
}

export function restrictedContainerSecurityContext(props: RestrictedContainerSecurityProps = {}): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: props.readOnlyRootFilesystem ?? true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
