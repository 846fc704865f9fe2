/**
 * A Namespace labelled for Pod Security admission, the one way this library
 * renders a Namespace: the status reconciler's (platform/) and every instance
 * namespace folder's (<namespace>/_namespace/).
 *
 * All three modes are set to one level, and the enforced policy version is
 * pinned to `latest` explicitly: that is what the admission plugin assumes
 * when the label is absent, so writing it changes nothing in the cluster but
 * makes the rendered object say which policy it is held to (Kubernetes
 * docs, concepts/security/pod-security-admission, "Pod Security Admission
 * labels for namespaces").
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PodSecurityLevel } from './cluster-profile';

const POD_SECURITY_LABEL_PREFIX = 'pod-security.kubernetes.io';

export interface PodSecurityNamespaceProps {
  /** The namespace's name. */
  readonly name: string;
  /** Pod Security level enforced, audited and warned about. @default 'restricted' */
  readonly level?: PodSecurityLevel;
  /** Labels besides the Pod Security ones. @default none */
  readonly labels?: Record<string, string>;
  /** Annotations (sync wave, prune protection). @default none */
  readonly annotations?: Record<string, string>;
}

export class PodSecurityNamespace extends Construct {
  /** The Namespace object. */
  public readonly resource: k8s.KubeNamespace;

  constructor(scope: Construct, id: string, props: PodSecurityNamespaceProps) {
    super(scope, id);
    const level = props.level ?? 'restricted';
    this.resource = new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: { ...props.labels, ...podSecurityLabels(level) },
        annotations: props.annotations,
      },
    });
  }
}

/** The Pod Security admission labels of a namespace held to `level`. */
function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    [`${POD_SECURITY_LABEL_PREFIX}/enforce`]: level,
    [`${POD_SECURITY_LABEL_PREFIX}/enforce-version`]: 'latest',
    [`${POD_SECURITY_LABEL_PREFIX}/audit`]: level,
    [`${POD_SECURITY_LABEL_PREFIX}/warn`]: level,
  };
}
