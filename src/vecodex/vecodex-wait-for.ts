import { k8s } from 'cdk8s-plus-27';
import { EPHEMERAL_STORAGE } from '../shared/ephemeral-storage';
import { restrictedContainerSecurityContext } from '../shared/pod-security';
import { VECODEX_DEFAULTS as D } from './vecodex-set-defaults';

/** host:port a component must reach before it starts. */
export interface WaitTarget {
  /** DNS name (a Service) or address. */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
}

/**
 * How long a pod waits for its dependencies before it starts anyway. Waiting
 * orders a fresh cluster's start-up; waiting for ever would let one shard with
 * no ready searcher (a crash, a drained GPU node) hold every restarting writer
 * and coordinator in Init. After the budget the component starts anyway: it
 * crashes and restarts while etcd is unreachable, and a writer or coordinator
 * that started without a shard may not serve it until it restarts (docs/vecodex.md).
 */
export const WAIT_BUDGET_SECONDS = 300;

// bash's /dev/tcp needs no extra tool, and the Vecodex image (gcc:12, Debian)
// ships bash, so the wait runs in the component's own image: one GitOps sync
// applies everything and pods start in dependency order. SECONDS counts from
// the script's start, so the budget covers all targets together.
const WAIT_SCRIPT = [
  'budget="$1"; shift',
  'for target in "$@"; do',
  '  host="${target%:*}"; port="${target##*:}"',
  '  until (exec 3<>"/dev/tcp/${host}/${port}") 2>/dev/null; do',
  '    if [ "$SECONDS" -ge "$budget" ]; then echo "${target} still unreachable after ${SECONDS}s: starting anyway"; continue 2; fi',
  '    echo "waiting for ${target}"; sleep 2',
  '  done',
  '  echo "${target} is reachable"',
  'done',
].join('\n');

/**
 * An init container that blocks until every target accepts TCP connections,
 * for at most `budgetSeconds` in all. Start-up order etcd/MinIO → searchers →
 * writer and coordinator follows from what each component waits on.
 */
export function waitForContainer(
  image: string, imagePullPolicy: string, targets: readonly WaitTarget[], budgetSeconds: number = WAIT_BUDGET_SECONDS,
): k8s.Container {
  return {
    name: 'wait-for-dependencies',
    image,
    imagePullPolicy,
    command: ['/bin/bash', '-c', WAIT_SCRIPT, 'wait-for', String(budgetSeconds), ...targets.map((t) => `${t.host}:${t.port}`)],
    resources: {
      requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('16Mi'), [EPHEMERAL_STORAGE]: k8s.Quantity.fromString(D.ephemeralStorage.waitFor.request) },
      limits: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('64Mi'), [EPHEMERAL_STORAGE]: k8s.Quantity.fromString(D.ephemeralStorage.waitFor.limit) },
    },
    securityContext: restrictedContainerSecurityContext(),
  };
}
