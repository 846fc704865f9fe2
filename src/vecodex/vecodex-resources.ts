import { k8s } from 'cdk8s-plus-27';
import { isGpuResource, ResolvedGpuSchedulingProfile } from '../shared/gpu-scheduling';
import { Quantity, toK8sQuantity } from '../shared/quantity';
import { ResolvedResources } from './resolve-vecodex-spec';

function quantities(map: Record<string, Quantity> | undefined): Record<string, k8s.Quantity> | undefined {
  if (map === undefined) return undefined;
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, toK8sQuantity(v)]));
}

/** corev1.ResourceRequirements from a resolved spec, keys in the order given. */
export function resourceRequirements(resources: ResolvedResources): k8s.ResourceRequirements {
  return {
    requests: quantities(resources.requests),
    limits: quantities(resources.limits),
    claims: resources.claims?.map((name) => ({ name })),
  };
}

/** Whether a container asks for a GPU (any well-known GPU resource or the profile's). */
export function requestsGpu(resources: ResolvedResources, profile: ResolvedGpuSchedulingProfile): boolean {
  return Object.keys({ ...resources.limits, ...resources.requests }).some((r) => isGpuResource(r, profile));
}
