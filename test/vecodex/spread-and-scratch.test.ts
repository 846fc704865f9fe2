import { App } from 'cdk8s';
import { VecodexSetChart } from '../../src/vecodex/vecodex-set-chart';
import { vecodexSpecFromWire } from '../../src/vecodex/vecodex-wire';
import { loadVecodex, schemaErrors } from './support';

const SAMPLE = 'instances/dev/vecodex-search-cluster.yaml';

function render(change: (spec: any) => void): any[] {
  const wire: any = JSON.parse(JSON.stringify(loadVecodex(SAMPLE).wire));
  change(wire);
  expect(schemaErrors(wire)).toEqual([]);
  const spec = vecodexSpecFromWire(wire);
  return new VecodexSetChart(new App({ outdir: '/dev/null' }), 'test', { metadata: { name: 'v', namespace: 'default' }, spec }).toJson();
}
const pod = (objects: any[], name: string) => objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name).spec.template.spec;

describe('VecodexSet replica spread', () => {
  test('GIVEN the upstream sample unchanged THEN it stays schema-valid, searchers spread softly, and single-replica coordinator and writer do not', () => {
    expect(schemaErrors(loadVecodex(SAMPLE).wire)).toEqual([]);
    const objects = render(() => undefined);
    expect(pod(objects, 'v-searcher').affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]).toEqual({
      weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'v-searcher' } } },
    });
    expect(pod(objects, 'v-searcher').topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' });
    for (const single of ['v-coordinator', 'v-writer']) {
      expect(pod(objects, single).affinity).toBeUndefined();
      expect(pod(objects, single).topologySpreadConstraints).toBeUndefined();
    }
  });

  test('GIVEN coordinator autoscaling to 3, writer at 2 replicas with hard anti-affinity, searchers opted out THEN exactly those spread, the writer by a required term', () => {
    const objects = render((s) => {
      s.coordinator.replicas = 1;
      s.coordinator.autoscaling = { enabled: true, minReplicas: 1, maxReplicas: 3 };
      s.writer.replicas = 2;
      s.writer.highAvailability = { antiAffinity: 'hard' };
      s.searcher.highAvailability = { enabled: false };
    });
    expect(pod(objects, 'v-coordinator').affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    expect(pod(objects, 'v-writer').affinity.podAntiAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'v-writer' } } }],
    });
    expect(pod(objects, 'v-writer').topologySpreadConstraints[0].whenUnsatisfiable).toBe('ScheduleAnyway');
    expect(pod(objects, 'v-searcher').affinity).toBeUndefined();
  });

  test('GIVEN hard anti-affinity on the searchers THEN they roll without a surge pod (it could not schedule once every node runs one), soft ones keep the default', () => {
    const hard = render((s) => { s.searcher.highAvailability = { antiAffinity: 'hard' }; });
    const deployment = (objects: any[], name: string) => objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
    expect(deployment(hard, 'v-searcher').spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
    expect(deployment(render(() => undefined), 'v-searcher').spec.strategy).toBeUndefined();
  });

  test('GIVEN an unknown anti-affinity mode THEN the schema rejects it', () => {
    const wire = JSON.parse(JSON.stringify(loadVecodex(SAMPLE).wire));
    wire.searcher.highAvailability = { antiAffinity: 'strict' };
    expect(schemaErrors(wire)).not.toEqual([]);
  });
});

describe('VecodexSet scratch space', () => {
  test('GIVEN no ephemeral-storage in the spec THEN each component gets its default and the work dir is bounded by the limit', () => {
    const objects = render(() => undefined);
    const expected: Record<string, [string, string]> = { 'v-coordinator': ['256Mi', '1Gi'], 'v-writer': ['1Gi', '10Gi'], 'v-searcher': ['1Gi', '10Gi'] };
    for (const [name, [request, limit]] of Object.entries(expected)) {
      const p = pod(objects, name);
      expect(p.containers[0].resources.requests['ephemeral-storage']).toBe(request);
      expect(p.containers[0].resources.limits['ephemeral-storage']).toBe(limit);
      expect(p.volumes.find((v: any) => v.name === 'work').emptyDir).toEqual({ sizeLimit: limit });
      expect(p.volumes.find((v: any) => v.name === 'tmp').emptyDir).toEqual({ sizeLimit: '256Mi' });
    }
    const etcd = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'v-etcd').spec.template.spec;
    expect(etcd.containers[0].resources.limits['ephemeral-storage']).toBe('512Mi');
  });

  test('GIVEN a searcher limit of 40Gi, or only a request above the default limit THEN the spec wins and the request never exceeds the limit', () => {
    const limited = render((s) => { s.searcher.resources = { limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '40Gi' } }; });
    expect(pod(limited, 'v-searcher').containers[0].resources).toMatchObject({ requests: { 'ephemeral-storage': '1Gi' }, limits: { 'ephemeral-storage': '40Gi' } });
    expect(pod(limited, 'v-searcher').volumes.find((v: any) => v.name === 'work').emptyDir.sizeLimit).toBe('40Gi');
    const small = render((s) => { s.writer.resources = { limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '128Mi' } }; });
    expect(pod(small, 'v-writer').containers[0].resources).toMatchObject({ requests: { 'ephemeral-storage': '128Mi' }, limits: { 'ephemeral-storage': '128Mi' } });
    expect(pod(small, 'v-writer').volumes.find((v: any) => v.name === 'tmp').emptyDir.sizeLimit).toBe('128Mi');
    const big = render((s) => { s.writer.resources = { requests: { 'ephemeral-storage': '50Gi' } }; });
    expect(pod(big, 'v-writer').containers[0].resources).toMatchObject({ requests: { 'ephemeral-storage': '50Gi' }, limits: { 'ephemeral-storage': '50Gi' } });
  });
});
