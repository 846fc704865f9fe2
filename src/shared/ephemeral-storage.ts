/**
 * Node-local scratch space. Without an ephemeral-storage request the scheduler
 * ignores a pod's disk use, and without limits one pod filling the node's disk
 * gets every pod on it evicted. The kubelet evicts a pod whose emptyDir
 * exceeds its sizeLimit, whose container (writable layer and logs) exceeds its
 * limit, or whose total exceeds the sum of its containers' limits
 * (kubernetes.io/docs/concepts/configuration/manage-resources-containers,
 * "Local ephemeral storage").
 */
import { parseQuantity, Quantity } from './quantity';

export const EPHEMERAL_STORAGE = 'ephemeral-storage';

export interface EphemeralStorageDefault {
  readonly request: string;
  readonly limit: string;
}

/** /tmp of every pod: caches and sockets, never data. */
export const TMP_SIZE_LIMIT = '256Mi';

type Resources = { readonly requests?: Record<string, Quantity>; readonly limits?: Record<string, Quantity> };

export function smallerQuantity(a: Quantity, b: Quantity): Quantity {
  return (parseQuantity(a) ?? Infinity) <= (parseQuantity(b) ?? Infinity) ? a : b;
}

function larger(a: Quantity, b: Quantity): Quantity {
  return smallerQuantity(a, b) === a ? b : a;
}

/**
 * The resources with an ephemeral-storage request and limit: the spec's where
 * it sets them, else the default, kept consistent (request ≤ limit) with what
 * the spec did set.
 */
export function withEphemeralStorage<R extends Resources>(resources: R, def: EphemeralStorageDefault): R & Required<Resources> {
  const request = resources.requests?.[EPHEMERAL_STORAGE];
  const limit = resources.limits?.[EPHEMERAL_STORAGE] ?? (request === undefined ? def.limit : larger(request, def.limit));
  return {
    ...resources,
    requests: { ...resources.requests, [EPHEMERAL_STORAGE]: request ?? smallerQuantity(def.request, limit) },
    limits: { ...resources.limits, [EPHEMERAL_STORAGE]: limit },
  };
}

/** The ephemeral-storage limit of resources that went through withEphemeralStorage. */
export function ephemeralLimit(resources: Resources): Quantity {
  const limit = resources.limits?.[EPHEMERAL_STORAGE];
  if (limit === undefined) throw new Error('no ephemeral-storage limit: resolve the resources with withEphemeralStorage first');
  return limit;
}

/** sizeLimit of a pod's /tmp: TMP_SIZE_LIMIT, or the container's whole limit when that is smaller. */
export function tmpSizeLimit(resources: Resources): Quantity {
  return smallerQuantity(TMP_SIZE_LIMIT, ephemeralLimit(resources));
}
