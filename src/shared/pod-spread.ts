/**
 * Spreading a workload's replicas: anti-affinity on the node (preferred for
 * "soft", required for "hard") and a zone spread that is always a preference
 * (ScheduleAnyway). Zones stay a preference even for "hard": upstream ABI's
 * hard is hostname anti-affinity only, and DoNotSchedule leaves every pod
 * Pending on clusters whose nodes carry no zone label (kubeadm, kind, bare metal).
 */
import { k8s } from 'cdk8s-plus-27';
import { AntiAffinityMode } from './workload-options';

export type { AntiAffinityMode } from './workload-options';

const HOSTNAME_TOPOLOGY = 'kubernetes.io/hostname';
const ZONE_TOPOLOGY = 'topology.kubernetes.io/zone';

export interface PodSpread {
  readonly podAntiAffinity: k8s.PodAntiAffinity;
  readonly topologySpreadConstraints: k8s.TopologySpreadConstraint[];
}

/** @param selector the workload's own pod selector: replicas spread from each other, not from other workloads */
export function podSpread(selector: Record<string, string>, mode: AntiAffinityMode): PodSpread {
  const term: k8s.PodAffinityTerm = { topologyKey: HOSTNAME_TOPOLOGY, labelSelector: { matchLabels: selector } };
  return {
    podAntiAffinity: mode === 'hard'
      ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
      : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] },
    topologySpreadConstraints: [{
      maxSkew: 1,
      topologyKey: ZONE_TOPOLOGY,
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: selector },
    }],
  };
}

/** A pod's affinity from its parts; undefined when it has none. */
export function podAffinity(podAntiAffinity: k8s.PodAntiAffinity | undefined, nodeAffinity: k8s.NodeAffinity | undefined): k8s.Affinity | undefined {
  if (!podAntiAffinity && !nodeAffinity) return undefined;
  return { podAntiAffinity, nodeAffinity };
}
