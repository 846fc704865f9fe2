/**
 * Which shard of its namespace an instance's Argo CD Application / Flux
 * Kustomization is listed in.
 *
 * The root Application / Kustomization lists one shard object per
 * (namespace, shard), and each shard lists the per-instance objects of its
 * instances, so no engine build holds the whole fleet: Flux runs kustomize on
 * every build, and a build of 5,000 small Kustomization objects takes minutes
 * (kustomize's cost grows much faster than linearly, kubernetes-sigs/kustomize#5084).
 *
 * The shard is a function of the instance's name alone — the first hex digit
 * of its SHA-256 — so adding or removing an instance never moves another one
 * between shards. A move would hand an object from one engine object to
 * another, and both engines prune what leaves an Application's /
 * Kustomization's build before the new owner has necessarily applied it
 * (deleting a per-instance object cascades to the instance's workloads).
 * Only the shards that hold an instance are rendered.
 */
import { createHash } from 'crypto';

/** Shards per namespace: one per hex digit. */
export const SHARDS_PER_NAMESPACE = 16;

/**
 * Most instances one shard may list. A namespace of 5,000 instances puts
 * about 310 in each; synth refuses a namespace whose busiest shard would
 * exceed this (about 8,000 instances), instead of rendering an unbounded build.
 */
export const MAX_INSTANCES_PER_SHARD = 500;

/** Prefix of a shard's folder under argocd/<namespace>/ and flux/<namespace>/. */
const SHARD_FOLDER_PREFIX = 'shard-';

/** The shard (one hex digit, "0"…"f") of an instance name. */
export function shardOf(instanceName: string): string {
  return createHash('sha256').update(instanceName).digest('hex')[0];
}

/** Items grouped by the shard of their name, shards in order, items in input order. */
export function byShard<T>(items: readonly T[], nameOf: (item: T) => string): Array<{ shard: string; items: T[] }> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const shard = shardOf(nameOf(item));
    const group = groups.get(shard);
    if (group) group.push(item);
    else groups.set(shard, [item]);
  }
  return [...groups.keys()].sort().map((shard) => ({ shard, items: groups.get(shard)! }));
}

/** The folder of a shard under argocd/<namespace>/ or flux/<namespace>/. */
export function shardFolder(shard: string): string {
  return `${SHARD_FOLDER_PREFIX}${shard}`;
}
