/**
 * Production defaults that must hold for every pod of every rendered fleet
 * (the samples and a generated mix of every shape): bounded scratch space,
 * explicit pull policies, drain-friendly PDBs, spread multi-replica workloads.
 */
import { parseQuantity } from '../src/shared/quantity';
import { podTemplates, renderedFleets } from './support/fleet';

const fleets = renderedFleets();
const bytes = (q: unknown) => parseQuantity(String(q))!;

describe.each(fleets.map((f) => [f.name, f] as const))('hardening of every rendered pod: %s', (_name, fleet) => {
  const pods = podTemplates(fleet.objects);

  test('GIVEN every container, init containers included THEN it requests and limits ephemeral-storage, request ≤ limit, and sets imagePullPolicy', () => {
    const containers = pods.flatMap(({ pod }) => [...(pod.initContainers ?? []), ...pod.containers]);
    expect(pods.some(({ pod }) => pod.initContainers?.length)).toBe(true);
    expect(containers.length).toBeGreaterThan(10);
    for (const c of containers) {
      const request = c.resources?.requests?.['ephemeral-storage'];
      const limit = c.resources?.limits?.['ephemeral-storage'];
      expect({ container: c.name, request: request !== undefined, limit: limit !== undefined })
        .toEqual({ container: c.name, request: true, limit: true });
      expect(bytes(request)).toBeLessThanOrEqual(bytes(limit));
      expect(['Always', 'IfNotPresent']).toContain(c.imagePullPolicy);
    }
  });

  test('GIVEN every emptyDir THEN it has a sizeLimit within the pod\'s ephemeral-storage limits', () => {
    let volumes = 0;
    for (const { object, pod } of pods) {
      const podLimit = pod.containers.reduce((sum: number, c: any) => sum + bytes(c.resources.limits['ephemeral-storage']), 0);
      for (const v of (pod.volumes ?? []).filter((x: any) => x.emptyDir)) {
        volumes++;
        expect({ object: object.metadata.name, volume: v.name, sizeLimit: typeof v.emptyDir.sizeLimit }).toEqual({ object: object.metadata.name, volume: v.name, sizeLimit: 'string' });
        expect(bytes(v.emptyDir.sizeLimit)).toBeLessThanOrEqual(podLimit);
      }
    }
    expect(volumes).toBeGreaterThan(5);
  });

  test('GIVEN every PodDisruptionBudget THEN unhealthy pods may always be evicted', () => {
    const pdbs = fleet.objects.filter((o) => o.kind === 'PodDisruptionBudget') as any[];
    expect(pdbs.length).toBeGreaterThan(0);
    for (const pdb of pdbs) expect(`${pdb.metadata.name}: ${pdb.spec.unhealthyPodEvictionPolicy}`).toBe(`${pdb.metadata.name}: AlwaysAllow`);
  });

  test('GIVEN every Vecodex searcher, and every other Vecodex workload that can run more than one replica THEN its pods prefer (or require) other nodes and spread over zones', () => {
    const vecodex = pods.filter(({ labels }) => labels['app.kubernetes.io/name'] === 'vecodex');
    expect(vecodex.length).toBeGreaterThan(2);
    for (const { object, pod, labels } of vecodex) {
      const replicas = object.spec.replicas ?? 2;
      const optedOut = fleet.name === 'generated mix' && object.metadata.name === 'external-searcher';
      if (optedOut || (labels['app.kubernetes.io/component'] !== 'searcher' && replicas <= 1 && !isHaWriter(object))) {
        expect(pod.affinity?.podAntiAffinity).toBeUndefined();
        continue;
      }
      const anti = pod.affinity.podAntiAffinity;
      const terms = [
        ...(anti.requiredDuringSchedulingIgnoredDuringExecution ?? []),
        ...(anti.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t: any) => t.podAffinityTerm),
      ];
      expect(terms).toEqual([{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: object.spec.selector.matchLabels } }]);
      expect(pod.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: object.spec.selector.matchLabels } }]);
    }
  });
});

/** The mix's beta writer enables highAvailability explicitly with one replica. */
function isHaWriter(object: any): boolean {
  return object.metadata.name === 'edge-search-writer';
}
