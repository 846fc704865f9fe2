import { k8s } from 'cdk8s-plus-27';
import { restrictedContainerSecurityContext } from '../shared/pod-security';

/** host:port a component must reach before it starts. */
export interface WaitTarget {
  readonly host: string;
  readonly port: number;
}

// bash's /dev/tcp needs no extra tool, and the Vecodex image (gcc:12, Debian)
// ships bash, so the wait runs in the component's own image: one GitOps sync
// applies everything and pods start in dependency order.
const WAIT_SCRIPT = [
  'for target in "$@"; do',
  '  host="${target%:*}"; port="${target##*:}"',
  '  until (exec 3<>"/dev/tcp/${host}/${port}") 2>/dev/null; do echo "waiting for ${target}"; sleep 2; done',
  '  echo "${target} is reachable"',
  'done',
].join('\n');

/**
 * An init container that blocks until every target accepts TCP connections.
 * Start-up order etcd/MinIO → searchers → writer and coordinator follows from
 * what each component waits on.
 */
export function waitForContainer(image: string, targets: readonly WaitTarget[]): k8s.Container {
  return {
    name: 'wait-for-dependencies',
    image,
    command: ['/bin/bash', '-c', WAIT_SCRIPT, 'wait-for', ...targets.map((t) => `${t.host}:${t.port}`)],
    resources: {
      requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('16Mi') },
      limits: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('64Mi') },
    },
    securityContext: restrictedContainerSecurityContext(),
  };
}
