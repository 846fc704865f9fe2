/** Command-line flags of the reconciler. Parsing is pure so it is unit-tested. */
import * as os from 'os';
import { BUILT_IN_PRODUCTS } from '../products/built-in-products';
import { isLogLevel, LOG_LEVELS, LogLevel } from './logger';

/** Every built-in product, comma-separated: what the reconciler watches unless told otherwise. */
const DEFAULT_PRODUCTS = BUILT_IN_PRODUCTS.map((p) => p.name).join(',');

export interface ReconcilerOptions {
  /** @default KUBECONFIG, ~/.kube/config or in-cluster */
  readonly kubeconfig?: string;
  readonly logLevel: LogLevel;
  /** host:port for /healthz, /readyz and /metrics; port 0 picks a free one (logged). */
  readonly listenAddress: string;
  readonly leaderElect: boolean;
  readonly leaseNamespace: string;
  readonly leaseName: string;
  readonly identity: string;
  readonly leaseDurationSeconds: number;
  readonly renewDeadlineSeconds: number;
  readonly retryPeriodSeconds: number;
  readonly resyncSeconds: number;
  readonly workers: number;
  readonly missingChildrenTimeoutSeconds: number;
  readonly noReadyReplicasTimeoutSeconds: number;
  /** Products whose custom resources are watched. */
  readonly products: string[];
  /** Seconds to wait for in-flight work on SIGTERM. */
  readonly shutdownTimeoutSeconds: number;
}

export const DEFAULT_LEASE_NAME = 'cdk8s-abi-vecodex-status-reconciler';
export const DEFAULT_NAMESPACE = 'cdk8s-abi-vecodex-system';

export const USAGE = `Usage: node lib/src/reconciler/main.js [flags]
  --kubeconfig=PATH                 kubeconfig (default: $KUBECONFIG, ~/.kube/config, or in-cluster)
  --log-level=debug|info|warn|error (default info)
  --listen-address=HOST:PORT        /healthz /readyz /metrics (default 0.0.0.0:8080)
  --leader-elect=true|false         (default true)
  --lease-namespace=NS              (default $POD_NAMESPACE or ${DEFAULT_NAMESPACE})
  --lease-name=NAME                 (default ${DEFAULT_LEASE_NAME})
  --identity=ID                     (default $POD_NAME or hostname-pid)
  --lease-duration=SECONDS          (default 15)
  --renew-deadline=SECONDS          (default 10)
  --retry-period=SECONDS            (default 2)
  --resync-period=SECONDS           (default 300)
  --workers=N                       (default 4)
  --missing-children-timeout=SECONDS (default 300)
  --no-ready-timeout=SECONDS        (default 1800)
  --products=abi,vecodex            (default ${DEFAULT_PRODUCTS})
  --shutdown-timeout=SECONDS        (default 20)`;

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ReconcilerOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}\n${USAGE}`);
    const eq = arg.indexOf('=');
    if (eq >= 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags.set(arg.slice(2), argv[++i]);
    else flags.set(arg.slice(2), 'true');
  }
  const known = new Set(['kubeconfig', 'log-level', 'listen-address', 'leader-elect', 'lease-namespace', 'lease-name', 'identity',
    'lease-duration', 'renew-deadline', 'retry-period', 'resync-period', 'workers', 'missing-children-timeout', 'no-ready-timeout', 'products', 'shutdown-timeout', 'help']);
  for (const key of flags.keys()) {
    if (!known.has(key)) throw new Error(`unknown flag --${key}\n${USAGE}`);
  }
  const num = (key: string, def: number, min: number) => {
    const raw = flags.get(key);
    if (raw === undefined) return def;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${key} must be a number >= ${min}, got ${raw}`);
    return value;
  };
  const logLevel = flags.get('log-level') ?? 'info';
  if (!isLogLevel(logLevel)) throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  const leaderElect = flags.get('leader-elect') ?? 'true';
  if (leaderElect !== 'true' && leaderElect !== 'false') throw new Error('--leader-elect must be true or false');
  const products = (flags.get('products') ?? DEFAULT_PRODUCTS).split(',').map((p) => p.trim()).filter((p) => p !== '');
  // A product this binary was not built with would be watched by nobody while the reconciler looks healthy.
  const unknownProducts = products.filter((p) => !BUILT_IN_PRODUCTS.some((d) => d.name === p));
  if (unknownProducts.length > 0) {
    throw new Error(`--products: unknown product(s) ${unknownProducts.join(', ')}: this reconciler is built with ${DEFAULT_PRODUCTS}`);
  }
  const options: ReconcilerOptions = {
    kubeconfig: flags.get('kubeconfig'),
    logLevel,
    listenAddress: flags.get('listen-address') ?? '0.0.0.0:8080',
    leaderElect: leaderElect === 'true',
    leaseNamespace: flags.get('lease-namespace') ?? env.POD_NAMESPACE ?? DEFAULT_NAMESPACE,
    leaseName: flags.get('lease-name') ?? DEFAULT_LEASE_NAME,
    identity: flags.get('identity') ?? env.POD_NAME ?? `${os.hostname()}-${process.pid}`,
    leaseDurationSeconds: num('lease-duration', 15, 1),
    renewDeadlineSeconds: num('renew-deadline', 10, 1),
    retryPeriodSeconds: num('retry-period', 2, 0.1),
    resyncSeconds: num('resync-period', 300, 1),
    workers: num('workers', 4, 1),
    missingChildrenTimeoutSeconds: num('missing-children-timeout', 300, 1),
    noReadyReplicasTimeoutSeconds: num('no-ready-timeout', 1800, 1),
    products,
    shutdownTimeoutSeconds: num('shutdown-timeout', 20, 0),
  };
  if (options.renewDeadlineSeconds >= options.leaseDurationSeconds) {
    throw new Error('--renew-deadline must be shorter than --lease-duration');
  }
  return options;
}

export function splitHostPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  if (colon < 0) throw new Error(`--listen-address must be HOST:PORT, got ${address}`);
  const port = Number(address.slice(colon + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port in ${address}`);
  return { host: address.slice(0, colon) || '0.0.0.0', port };
}
