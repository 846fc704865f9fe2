import { Construct } from 'constructs';
import { httpProbesByPurpose } from '../shared/probes';
import { parseQuantity } from '../shared/quantity';
import { ManagedDependency } from './managed-dependency';
import { ResolvedManaged } from './resolve-vecodex-spec';
import { ETCD_CLIENT_PORT } from './vecodex-set-defaults';

export interface ManagedEtcdProps {
  /** StatefulSet and Service name, `<name>-etcd`; must match the configs' etcd_address. */
  readonly name: string;
  /** Headless governing Service of the StatefulSet, `<name>-headless`. */
  readonly governingServiceName: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly settings: ResolvedManaged;
  /** @default the cluster's default StorageClass */
  readonly defaultStorageClassName?: string;
  /** Pull Secrets for the pod. @default none */
  readonly imagePullSecrets?: readonly string[];
}

const DATA = '/var/lib/etcd';
/** etcd's largest supported backend. */
const ETCD_MAX_QUOTA = 8 * 2 ** 30;

/**
 * etcd's /health answers 503 while any alarm is raised, and NOSPACE (which the
 * backend quota deliberately lets happen) survives restarts: probing plain
 * /health would restart etcd for ever instead of letting it serve the reads,
 * deletes and compaction that recover from the alarm (docs/vecodex.md).
 * - liveness: kubeadm's (cmd/kubeadm/app/phases/etcd/local.go), a local
 *   (serializable) read, NOSPACE excluded: restart only a member that cannot
 *   answer at all.
 * - startup and readiness: a linearizable read (so a leader exists), also with
 *   NOSPACE excluded. kubeadm's startup probe keeps NOSPACE in; with the alarm
 *   surviving restarts that would turn any restart under NOSPACE into a crash
 *   loop, and a readiness failure would drop the reads the Vecodex components
 *   still need.
 * Any other alarm (CORRUPT) still fails every probe.
 * test/vecodex/etcd-nospace.test.ts checks each against a real etcd.
 */
const ETCD_HEALTH_PATHS = {
  liveness: '/health?exclude=NOSPACE&serializable=true',
  startup: '/health?exclude=NOSPACE&serializable=false',
  readiness: '/health?exclude=NOSPACE&serializable=false',
} as const;

/**
 * Half the volume, at most etcd's 8 GiB maximum. The other half holds the WAL:
 * etcd keeps five 64 MB segments, the one being written and a preallocated
 * spare (~450 MB), plus segments not yet covered by a snapshot, hence the more
 * frequent snapshots; the 1Gi default must fit both.
 */
function etcdQuotaBytes(storageSize: string): number {
  const bytes = parseQuantity(storageSize);
  if (bytes === undefined || !(bytes > 0)) throw new Error(`etcd storage size "${storageSize}" is not a positive quantity`);
  return Math.min(ETCD_MAX_QUOTA, Math.floor(bytes / 2 / 4096) * 4096);
}

/**
 * Single-member etcd v3 for discovery, without auth (the binary's etcd client
 * sends no credentials). It holds searcher registrations and their response-time
 * stats, so one member with a persistent volume is enough; but the coordinator
 * rewrites those stats continually, so old revisions are compacted every hour
 * and the backend quota leaves room for the WAL (etcdQuotaBytes): etcd then
 * stops writes with its NOSPACE alarm instead of crashing on a full disk.
 */
export class ManagedEtcd extends Construct {
  constructor(scope: Construct, id: string, props: ManagedEtcdProps) {
    super(scope, id);
    new ManagedDependency(this, 'Default', {
      ...props,
      containerName: 'etcd',
      command: ['/usr/local/bin/etcd'],
      args: [
        // A subdirectory: etcd wants its data dir 0700, which a volume root is not.
        `--data-dir=${DATA}/data`,
        `--listen-client-urls=http://0.0.0.0:${ETCD_CLIENT_PORT}`,
        `--advertise-client-urls=http://${props.name}:${ETCD_CLIENT_PORT}`,
        // Snapshots (and with them WAL purges) ten times as often as etcd's
        // default, so retained WAL segments stay within the volume's other half.
        '--snapshot-count=10000',
        '--auto-compaction-mode=periodic',
        '--auto-compaction-retention=1h',
        `--quota-backend-bytes=${etcdQuotaBytes(props.settings.storage.size)}`,
      ],
      // No peer port: a single member has no peers, and etcd binds its peer
      // listener to localhost by default, so a Service port would lead nowhere.
      ports: [{ name: 'client', port: ETCD_CLIENT_PORT }],
      probes: httpProbesByPurpose(ETCD_HEALTH_PATHS, 'client', { startupBudgetSeconds: 120 }),
      dataPath: DATA,
    });
  }
}
