/**
 * GPU scheduling, in one place for both charts. GKE, EKS and AKS name, taint
 * and label GPU nodes differently, so everything cluster-specific comes from a
 * profile that a cluster.yaml (or a chart prop) overrides. The defaults follow
 * the NVIDIA GPU Operator: device plugin resource nvidia.com/gpu, the
 * nvidia.com/gpu taint, and GPU Feature Discovery's node labels.
 */
import { k8s } from 'cdk8s-plus-27';

/** How a cluster advertises, taints and labels its GPU nodes (a cluster profile's `gpu`). */
export interface GpuSchedulingProfile {
  /** Extended resource the device plugin advertises. @default 'nvidia.com/gpu' */
  readonly resourceName?: string;
  /** Tolerations for the taints GPU nodes carry. @default [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] */
  readonly tolerations?: k8s.Toleration[];
  /** Labels that select GPU nodes. @default { 'nvidia.com/gpu.present': 'true' } (GPU Feature Discovery) */
  readonly nodeSelector?: Record<string, string>;
  /** Node label holding each GPU's memory in MiB. @default 'nvidia.com/gpu.memory' (GPU Feature Discovery) */
  readonly memoryLabel?: string;
}

/** A GpuSchedulingProfile with every default applied. */
export interface ResolvedGpuSchedulingProfile {
  /** Extended resource the device plugin advertises. */
  readonly resourceName: string;
  /** Tolerations for the taints GPU nodes carry. */
  readonly tolerations: k8s.Toleration[];
  /** Labels that select GPU nodes. */
  readonly nodeSelector: Record<string, string>;
  /** Node label holding each GPU's memory in MiB. */
  readonly memoryLabel: string;
}

const DEFAULT_GPU_RESOURCE = 'nvidia.com/gpu';

export function resolveGpuProfile(profile: GpuSchedulingProfile = {}): ResolvedGpuSchedulingProfile {
  return {
    resourceName: profile.resourceName ?? DEFAULT_GPU_RESOURCE,
    tolerations: profile.tolerations ?? [{ key: DEFAULT_GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule' }],
    nodeSelector: profile.nodeSelector ?? { 'nvidia.com/gpu.present': 'true' },
    memoryLabel: profile.memoryLabel ?? 'nvidia.com/gpu.memory',
  };
}

/** Extended resource names that mean "this container needs a GPU node". */
const WELL_KNOWN_GPU_RESOURCES = [DEFAULT_GPU_RESOURCE, 'amd.com/gpu', 'gpu.intel.com/i915', 'gpu.intel.com/xe'];

export function isGpuResource(resourceName: string, profile: ResolvedGpuSchedulingProfile): boolean {
  return resourceName === profile.resourceName || WELL_KNOWN_GPU_RESOURCES.includes(resourceName) || resourceName.startsWith('nvidia.com/mig-');
}

export interface GpuPodScheduling {
  readonly tolerations: k8s.Toleration[];
  readonly nodeSelector: Record<string, string>;
  /** Required node affinity on GPU memory, when a minimum was asked for. */
  readonly nodeAffinity?: k8s.NodeAffinity;
}

/**
 * Pod-level scheduling for a pod that requests GPUs.
 * @param minMemoryMiB only nodes whose GPUs have at least this much memory qualify
 */
export function gpuPodScheduling(profile: ResolvedGpuSchedulingProfile, minMemoryMiB?: number): GpuPodScheduling {
  return {
    tolerations: profile.tolerations,
    nodeSelector: profile.nodeSelector,
    nodeAffinity: minMemoryMiB === undefined ? undefined : {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{
          // Gt is strict; GFD reports whole MiB, so "at least N" is "greater than N-1".
          matchExpressions: [{ key: profile.memoryLabel, operator: 'Gt', values: [String(minMemoryMiB - 1)] }],
        }],
      },
    },
  };
}
