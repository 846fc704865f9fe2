/**
 * Applies every default to a VecodexSet spec. The API server only defaults a
 * nested field when its parent object is present, and spec files are rendered
 * without an API server at all: the library must.
 */
import { VecodexSetSpec } from '../../imports/apps.vecodex.link';

import { EphemeralStorageDefault, withEphemeralStorage } from '../shared/ephemeral-storage';
import { imagePullPolicy, ImagePullPolicy } from '../shared/image-policy';
import { Quantity } from '../shared/quantity';
import { AntiAffinityMode } from '../shared/workload-options';
import { effectiveCommand } from './vecodex-command';
import { DEFAULT_SHARD_ID, vecodexObjectNames } from './vecodex-names';
import { ETCD_CLIENT_PORT, MINIO_API_PORT, VECODEX_DEFAULTS as D, VecodexMode } from './vecodex-set-defaults';

export interface ResolvedResources {
  readonly requests?: Record<string, Quantity>;
  readonly limits?: Record<string, Quantity>;
  readonly claims?: string[];
}

interface ResolvedAutoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCPUUtilization: number;
  readonly targetMemoryUtilization?: number;
}

interface ResolvedDisruptionBudget {
  readonly minAvailable?: number;
  readonly maxUnavailable?: number;
}

export interface ResolvedComponent {
  readonly mode: VecodexMode;
  readonly image: string;
  readonly imagePullPolicy: ImagePullPolicy;
  readonly replicas: number;
  /** What the container runs (see effectiveCommand); generated args are appended. */
  readonly command: string[];
  readonly resources: ResolvedResources;
  /** Present only when autoscaling.enabled is true. */
  readonly autoscaling?: ResolvedAutoscaling;
  readonly podDisruptionBudget?: ResolvedDisruptionBudget;
  /** Replica spread; undefined when off. */
  readonly spread?: AntiAffinityMode;
}

/** One index exactly as the binary's config carries it (upstream's JSON keys). */
export interface ResolvedIndex {
  readonly id: string;
  readonly library: string;
  readonly type: string;
  readonly dim: number;
  readonly threshold: number;
  readonly metric: string;
  readonly M?: number;
  readonly enable_merge: boolean;
}

export interface ResolvedShard {
  readonly id: string;
  /** Workload name: `<name>-searcher-<id>`, or `<name>-searcher` when unsharded. */
  readonly workload: string;
  /** Headless Service selecting only this shard's pods: `<name>-searcher-<id>`, or the shared `<name>-searcher` when unsharded. */
  readonly service: string;
  readonly indexes: ResolvedIndex[];
}

export interface ResolvedManaged {
  readonly image: string;
  readonly imagePullPolicy: ImagePullPolicy;
  readonly storage: { readonly size: string; readonly storageClassName?: string };
  readonly resources: ResolvedResources;
}

/** Where a dependency lives: an external endpoint, or a StatefulSet the chart renders. */
type ResolvedDependency =
  | { readonly kind: 'external'; readonly endpoint: string }
  | ({ readonly kind: 'managed'; readonly endpoint: string } & ResolvedManaged);

export interface ResolvedVecodexSpec {
  readonly coordinator: ResolvedComponent;
  readonly writer: ResolvedComponent;
  readonly searcher: ResolvedComponent & { readonly sharded: boolean; readonly shards: ResolvedShard[] };
  readonly ingress: {
    readonly host: string;
    readonly className: string;
    readonly annotations: Record<string, string>;
    readonly tlsSecretName?: string;
  };
  readonly indexes: ResolvedIndex[];
  readonly etcd: ResolvedDependency;
  readonly s3: ResolvedDependency & {
    readonly credentials: { readonly name: string; readonly accessKeyKey: string; readonly secretKeyKey: string };
  };
}

type RawResources = { claims?: { name: string }[]; limits?: Record<string, { value: Quantity }>; requests?: Record<string, { value: Quantity }> };
type RawComponent = {
  image: string; imagePullPolicy?: ImagePullPolicy; replicas: number; command?: string[]; resources?: RawResources;
  autoscaling?: { enabled?: boolean; minReplicas?: number; maxReplicas?: number; targetCpuUtilization?: number; targetMemoryUtilization?: number };
  podDisruptionBudget?: { minAvailable?: number; maxUnavailable?: number };
  highAvailability?: { enabled?: boolean; antiAffinity?: AntiAffinityMode };
};

function quantities(map: Record<string, { value: Quantity }> | undefined): Record<string, Quantity> | undefined {
  if (map === undefined) return undefined;
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v.value]));
}

/** Upstream's default applies only when `resources` is absent, as the API server would apply it. */
export function resolveResources(
  raw: RawResources | undefined, def: { requests: Record<string, Quantity>; limits: Record<string, Quantity> },
): ResolvedResources {
  if (raw === undefined) return { requests: { ...def.requests }, limits: { ...def.limits } };
  return {
    requests: quantities(raw.requests),
    limits: quantities(raw.limits),
    claims: raw.claims?.map((c) => c.name),
  };
}

function resolveComponent(mode: VecodexMode, raw: RawComponent): ResolvedComponent {
  const a = raw.autoscaling;
  const mostReplicas = a?.enabled ? (a.maxReplicas ?? D.autoscaling.maxReplicas) : raw.replicas;
  const spread = raw.highAvailability?.enabled ?? (mode === 'searcher' || mostReplicas > 1);
  return {
    mode,
    image: raw.image,
    imagePullPolicy: imagePullPolicy(raw.image, raw.imagePullPolicy),
    replicas: raw.replicas,
    command: effectiveCommand(mode, raw.command),
    resources: withEphemeralStorage(resolveResources(raw.resources, D.resources), D.ephemeralStorage[mode]),
    spread: spread ? raw.highAvailability?.antiAffinity ?? D.antiAffinity : undefined,
    autoscaling: a?.enabled ? {
      minReplicas: a.minReplicas ?? D.autoscaling.minReplicas,
      maxReplicas: a.maxReplicas ?? D.autoscaling.maxReplicas,
      targetCPUUtilization: a.targetCpuUtilization ?? D.autoscaling.targetCPUUtilization,
      targetMemoryUtilization: a.targetMemoryUtilization,
    } : undefined,
    podDisruptionBudget: raw.podDisruptionBudget
      ? { minAvailable: raw.podDisruptionBudget.minAvailable, maxUnavailable: raw.podDisruptionBudget.maxUnavailable }
      : undefined,
  };
}

function resolveManaged(
  raw: {
    image?: string; imagePullPolicy?: ImagePullPolicy; storage?: { size?: string; storageClassName?: string }; resources?: RawResources;
  } | undefined,
  def: { image: string; storage: { size: string }; resources: { requests: Record<string, Quantity>; limits: Record<string, Quantity> } },
  ephemeral: EphemeralStorageDefault): ResolvedManaged {
  const image = raw?.image ?? def.image;
  return {
    image,
    imagePullPolicy: imagePullPolicy(image, raw?.imagePullPolicy),
    storage: { size: raw?.storage?.size ?? def.storage.size, storageClassName: raw?.storage?.storageClassName },
    resources: withEphemeralStorage(resolveResources(raw?.resources, def.resources), ephemeral),
  };
}

/**
 * @param defaultIngressClassName the cluster profile's IngressClass, used when the spec names none
 */
export function resolveVecodexSpec(name: string, spec: VecodexSetSpec, defaultIngressClassName: string = D.ingress.className): ResolvedVecodexSpec {
  const names = vecodexObjectNames(name);
  const indexes: ResolvedIndex[] = (spec.indexes ?? []).map((i) => ({
    id: i.id,
    library: i.library ?? D.index.library,
    type: i.type,
    dim: i.dim,
    threshold: i.threshold,
    metric: i.metric ?? D.index.metric,
    // Only HNSW reads M; upstream's faissFlat configs omit it.
    ...(i.m !== undefined ? { M: i.m } : {}),
    enable_merge: i.enableMerge ?? D.index.enable_merge,
  }));
  const rawShards = spec.searcher.shards;
  const sharded = rawShards !== undefined && rawShards.length > 0;
  const shards: ResolvedShard[] = sharded
    ? rawShards.map((s) => ({
      id: s.id,
      workload: names.searcher(s.id),
      service: names.searcherShardService(s.id),
      indexes: s.indexes === undefined ? indexes : indexes.filter((i) => s.indexes!.includes(i.id)),
    }))
    : [{ id: DEFAULT_SHARD_ID, workload: names.searcher(), service: names.searcherShardService(), indexes }];
  const s3Secret = spec.s3?.credentialsSecret;
  return {
    coordinator: resolveComponent('coordinator', spec.coordinator as RawComponent),
    writer: resolveComponent('writer', spec.writer as RawComponent),
    searcher: { ...resolveComponent('searcher', spec.searcher as RawComponent), sharded, shards },
    ingress: {
      host: spec.ingress.host,
      className: spec.ingress.className ?? defaultIngressClassName,
      annotations: { ...(spec.ingress.annotations ?? {}) },
      tlsSecretName: spec.ingress.tls?.secretName,
    },
    indexes,
    etcd: spec.etcd?.external
      ? { kind: 'external', endpoint: spec.etcd.external.endpoint }
      : { kind: 'managed', endpoint: `http://${names.etcd}:${ETCD_CLIENT_PORT}`, ...resolveManaged(spec.etcd?.managed, D.etcd, D.ephemeralStorage.etcd) },
    s3: {
      ...(spec.s3?.external
        ? { kind: 'external' as const, endpoint: spec.s3.external.endpoint }
        : { kind: 'managed' as const, endpoint: `http://${names.minio}:${MINIO_API_PORT}`, ...resolveManaged(spec.s3?.managed, D.minio, D.ephemeralStorage.minio) }),
      credentials: {
        name: s3Secret?.name ?? names.s3CredentialsSecret,
        accessKeyKey: s3Secret?.accessKeyKey ?? D.s3Credentials.accessKeyKey,
        secretKeyKey: s3Secret?.secretKeyKey ?? D.s3Credentials.secretKeyKey,
      },
    },
  };
}

/**
 * host and port of an http(s) endpoint, for start-up checks. The rules refuse
 * an endpoint the URL parser refuses (vecodex-rules.ts); a chart used from code
 * without them still renders, from the text.
 */
export function endpointHostPort(endpoint: string): { host: string; port: number } {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    const m = /^(https?):\/\/([^/:]*)(?::([0-9]+))?/.exec(endpoint);
    return { host: m?.[2] ?? endpoint, port: m?.[3] !== undefined ? Number(m[3]) : m?.[1] === 'https' ? 443 : 80 };
  }
  const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { host: url.hostname, port };
}
