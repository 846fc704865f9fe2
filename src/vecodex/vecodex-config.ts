/**
 * The config JSON each component reads with `--config-path`, in upstream's
 * exact shape and key order (app/configs/*.json): mode, port (a string),
 * hostname, etcd_address, s3-host, indexes. The writer lists indexes with
 * `id`; a searcher lists them with `shard_id` and `index_id`; the coordinator
 * has `indexes: {}`.
 */
import { ResolvedIndex, ResolvedShard, ResolvedVecodexSpec } from './resolve-vecodex-spec';
import { vecodexObjectNames } from './vecodex-names';
import { VECODEX_GRPC_PORT, VecodexMode } from './vecodex-set-defaults';

export interface VecodexConfig {
  readonly 'mode': VecodexMode;
  readonly 'port': string;
  readonly 'hostname': string;
  readonly 'etcd_address': string;
  readonly 's3-host': string;
  readonly 'indexes': Record<string, never> | WriterIndex[] | SearcherIndex[];
}

type IndexSettings = Omit<ResolvedIndex, 'id'>;
type WriterIndex = { readonly id: string } & IndexSettings;
type SearcherIndex = { readonly shard_id: string; readonly index_id: string } & IndexSettings;

/** Where a config file is mounted, and the volume holding it. */
export const CONFIG_DIR = '/etc/vecodex';
export const CONFIG_FILE = 'config.json';
export const CONFIG_PATH = `${CONFIG_DIR}/${CONFIG_FILE}`;

function settings(index: ResolvedIndex): IndexSettings {
  const { id: _id, ...rest } = index;
  return rest;
}

function base(mode: VecodexMode, hostname: string, spec: ResolvedVecodexSpec): Omit<VecodexConfig, 'indexes'> {
  return {
    'mode': mode,
    'port': String(VECODEX_GRPC_PORT),
    'hostname': hostname,
    'etcd_address': spec.etcd.endpoint,
    's3-host': spec.s3.endpoint,
  };
}

export function coordinatorConfig(name: string, spec: ResolvedVecodexSpec): VecodexConfig {
  return { ...base('coordinator', vecodexObjectNames(name).coordinator, spec), indexes: {} };
}

export function writerConfig(name: string, spec: ResolvedVecodexSpec): VecodexConfig {
  return { ...base('writer', vecodexObjectNames(name).writer, spec), indexes: spec.indexes.map((i) => ({ id: i.id, ...settings(i) })) };
}

/**
 * `hostname` is what a searcher registers in etcd for the coordinator and the
 * writer to dial; the Service name here is only a fallback, because the
 * container passes `--hostname $(POD_IP)` (flags override the file).
 */
export function searcherConfig(name: string, spec: ResolvedVecodexSpec, shard: ResolvedShard): VecodexConfig {
  return {
    ...base('searcher', vecodexObjectNames(name).searcherService, spec),
    indexes: shard.indexes.map((i) => ({ shard_id: shard.id, index_id: i.id, ...settings(i) })),
  };
}

/** Pretty JSON, as upstream's files are written; deterministic because key order is fixed above. */
export function renderConfig(config: VecodexConfig): string {
  return `${JSON.stringify(config, null, 4)}\n`;
}
