/**
 * Per-cluster settings: what differs between the clusters a GitOps repository
 * targets. instances/<cluster>/cluster.yaml sets them; charts take them as props.
 */
import { GpuSchedulingProfile, ResolvedGpuSchedulingProfile, resolveGpuProfile } from './gpu-scheduling';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export interface ClusterProfile {
  /** GPU resource name, taints and node labels. @default NVIDIA GPU Operator conventions */
  readonly gpu?: GpuSchedulingProfile;
  /** IngressClass for rendered Ingresses. @default 'nginx' */
  readonly ingressClassName?: string;
  /** StorageClass for claims whose spec names none. @default the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** Whether the Prometheus Operator's CRDs are installed; ServiceMonitors are rendered only then. @default true */
  readonly prometheusOperator?: boolean;
  /** Pod Security Standards level enforced on the namespaces we render. @default 'restricted' */
  readonly podSecurityLevel?: PodSecurityLevel;
}

export interface ResolvedClusterProfile {
  readonly gpu: ResolvedGpuSchedulingProfile;
  readonly ingressClassName: string;
  readonly storageClassName?: string;
  readonly prometheusOperator: boolean;
  readonly podSecurityLevel: PodSecurityLevel;
}

export function resolveClusterProfile(profile: ClusterProfile = {}): ResolvedClusterProfile {
  return {
    gpu: resolveGpuProfile(profile.gpu),
    ingressClassName: profile.ingressClassName ?? 'nginx',
    storageClassName: profile.storageClassName,
    prometheusOperator: profile.prometheusOperator ?? true,
    podSecurityLevel: profile.podSecurityLevel ?? 'restricted',
  };
}
