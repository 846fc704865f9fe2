/**
 * What the reconciler needs to know per custom resource kind: where it lives
 * on the API server, what its spec renders (from the same code that renders
 * it), and how its CRD's status is shaped (the API server prunes anything
 * else, which would make every comparison differ and every reconcile write).
 */
import { AbiInstanceSpec } from '../../imports/abi.io';
import { abiExpectedChildren } from '../abi/abi-children';
import { abiInstanceSpecSchema } from '../abi/abi-instance-schema';
import { resolveAbiSpec } from '../abi/resolve-abi-spec';
import { ExpectedChildren } from '../shared/children';
import { Product } from '../shared/labels';
import { CONFIG_HASH_ANNOTATION } from '../shared/status';
import { wireToProps } from '../shared/wire-to-props';
import { vecodexExpectedChildren } from '../vecodex/vecodex-children';
import { vecodexSpecFromWire } from '../vecodex/vecodex-wire';
import { ComputedStatus } from './compute-status';
import { KubeObject } from './kube-object';

export interface ProductFacts {
  readonly expected: ExpectedChildren;
  readonly enabledFeatures: readonly string[];
}

export interface ProductAdapter {
  readonly product: Product;
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly configHashAnnotation: string;
  /** Derives the expected children from the resource's spec as stored on the API server. */
  facts(resource: KubeObject): ProductFacts;
  /** The computed status in exactly the CRD's status schema. */
  toWireStatus(status: ComputedStatus): Record<string, unknown>;
}

const ABI_FEATURES = ['ai', 'gpu', 'database', 'network', 'web', 'profiling'] as const;

export const ABI_ADAPTER: ProductAdapter = {
  product: 'abi',
  group: 'abi.io',
  version: 'v1',
  plural: 'abiinstances',
  kind: 'AbiInstance',
  configHashAnnotation: CONFIG_HASH_ANNOTATION.abi,
  facts(resource) {
    const spec = wireToProps(resource.spec ?? {}, abiInstanceSpecSchema()) as AbiInstanceSpec;
    const resolved = resolveAbiSpec(spec);
    return {
      expected: abiExpectedChildren(resource.metadata.name, resource.metadata.namespace ?? 'default', spec),
      enabledFeatures: ABI_FEATURES.filter((f) => resolved.features[f]),
    };
  },
  toWireStatus(status) {
    const { components: _components, endpoints, ...rest } = status;
    // The AbiInstance CRD's endpoints know http, grpc, metrics and ingress only.
    const wireEndpoints = endpoints ? pick(endpoints, ['http', 'grpc', 'metrics', 'ingress']) : undefined;
    return { ...rest, ...(wireEndpoints ? { endpoints: wireEndpoints } : {}) };
  },
};

/**
 * VecodexSet: its CRD's status has the aggregate replica counts and a map of
 * per-component state and counts, but no top-level version, configHash or
 * enabledFeatures (pruned if sent).
 */
export const VECODEX_ADAPTER: ProductAdapter = {
  product: 'vecodex',
  group: 'apps.vecodex.link',
  version: 'v1alpha1',
  plural: 'vecodexsets',
  kind: 'VecodexSet',
  configHashAnnotation: CONFIG_HASH_ANNOTATION.vecodex,
  facts(resource) {
    return {
      expected: vecodexExpectedChildren(resource.metadata.name, resource.metadata.namespace ?? 'default', vecodexSpecFromWire(resource.spec ?? {})),
      enabledFeatures: [],
    };
  },
  toWireStatus(status) {
    const components: Record<string, unknown> = {};
    for (const c of status.components) {
      components[c.component] = {
        kind: c.kind, name: c.name, state: c.state, message: c.message,
        replicas: c.replicas, desiredReplicas: c.desiredReplicas, readyReplicas: c.readyReplicas,
        availableReplicas: c.availableReplicas, updatedReplicas: c.updatedReplicas,
        ...(c.version !== undefined ? { version: c.version } : {}),
      };
    }
    const endpoints = status.endpoints ? pick(status.endpoints, ['grpc', 'writer', 'metrics', 'ingress', 'http']) : undefined;
    return {
      phase: status.phase,
      ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
      health: status.health,
      conditions: status.conditions,
      replicas: status.replicas,
      readyReplicas: status.readyReplicas,
      availableReplicas: status.availableReplicas,
      updatedReplicas: status.updatedReplicas,
      components,
      ...(endpoints ? { endpoints } : {}),
    };
  },
};

export function pick<T extends object>(obj: T, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = (obj as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

export const ADAPTERS: readonly ProductAdapter[] = [ABI_ADAPTER, VECODEX_ADAPTER];

export function adapterFor(product: string): ProductAdapter | undefined {
  return ADAPTERS.find((a) => a.product === product);
}
