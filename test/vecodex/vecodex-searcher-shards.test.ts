import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { resolveVecodexSpec } from '../../src/vecodex/resolve-vecodex-spec';
import { SHARD_LABEL } from '../../src/vecodex/vecodex-labels';
import { VecodexSearcherShards, VecodexSearcherShardsProps } from '../../src/vecodex/vecodex-searcher-shards';
import { VecodexSetChart } from '../../src/vecodex/vecodex-set-chart';
import { VECODEX_GRPC_PORT } from '../../src/vecodex/vecodex-set-defaults';
import { selects } from '../support/rendered';
import { loadVecodex, renderVecodex } from './support';

// Two shards, shard "1" serving only the docs index; external etcd and S3.
const SHARDED = 'test/vecodex/fixtures/full.yaml';
// Upstream's sample: no shards, managed etcd and MinIO.
const UNSHARDED = 'instances/dev/vecodex-search-cluster.yaml';

function propsOf(file: string): VecodexSearcherShardsProps {
  const doc = loadVecodex(file);
  return { instance: doc.name, spec: resolveVecodexSpec(doc.name, doc.spec) };
}

function renderAlone(file: string, extra: Partial<VecodexSearcherShardsProps> = {}): { searchers: VecodexSearcherShards; objects: any[] } {
  const chart = new Chart(Testing.app(), 'test', { namespace: loadVecodex(file).namespace, disableResourceNameHashes: true });
  const searchers = new VecodexSearcherShards(chart, 'Searchers', { ...propsOf(file), ...extra });
  return { searchers, objects: Testing.synth(chart) };
}
const kinds = (objects: any[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
const ofKind = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind);
const podLabels = (deployment: any) => deployment.spec.template.metadata.labels;

describe('VecodexSearcherShards', () => {
  test('GIVEN two shards WHEN rendered alone THEN each shard\'s objects come first, then the shared Service, then one Service per shard', () => {
    const { objects } = renderAlone(SHARDED);
    expect(kinds(objects)).toEqual([
      'ConfigMap/full-searcher-0-config', 'Deployment/full-searcher-0', 'PodDisruptionBudget/full-searcher-0',
      'ConfigMap/full-searcher-1-config', 'Deployment/full-searcher-1', 'PodDisruptionBudget/full-searcher-1',
      'Service/full-searcher', 'Service/full-searcher-0', 'Service/full-searcher-1',
    ]);
  });

  test.each([SHARDED, UNSHARDED])('GIVEN %s WHEN the searchers are rendered alone THEN they are exactly the searcher objects VecodexSetChart renders', (file) => {
    const doc = loadVecodex(file);
    const etcdAndS3 = file === SHARDED
      ? [{ host: 'etcd.infra', port: 2379 }, { host: 's3.example.com', port: 443 }]
      : [{ host: `${doc.name}-etcd`, port: 2379 }, { host: `${doc.name}-minio`, port: 9000 }];
    const { objects } = renderAlone(file, { waitFor: etcdAndS3 });
    expect(objects.length).toBeGreaterThan(0);
    const fromChart = renderVecodex(file).filter((o) => ['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'Service'].includes(o.kind)
      && o.metadata.name.startsWith(`${doc.name}-searcher`));
    expect(objects).toEqual(fromChart);
  });

  test('GIVEN two shards WHEN rendered THEN the shared Service selects every shard\'s pods and exposes metrics, and each shard Service selects exactly its shard without metrics', () => {
    const { searchers, objects } = renderAlone(SHARDED);
    const deployments = ofKind(objects, 'Deployment');
    expect(deployments).toHaveLength(2);
    const shared = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'full-searcher');
    expect(shared.spec.clusterIP).toBe('None');
    expect(deployments.every((d) => selects(shared.spec.selector, podLabels(d)))).toBe(true);
    expect(shared.spec.ports.map((p: any) => p.name)).toEqual(['grpc', 'metrics']);
    expect(searchers.shardServices).toHaveLength(2);
    for (const id of ['0', '1']) {
      const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === `full-searcher-${id}`);
      expect(svc.spec.clusterIP).toBe('None');
      expect(svc.metadata.labels[SHARD_LABEL]).toBe(id);
      expect(deployments.filter((d) => selects(svc.spec.selector, podLabels(d))).map((d) => d.metadata.name)).toEqual([`full-searcher-${id}`]);
      expect(svc.spec.ports.map((p: any) => p.name)).toEqual(['grpc']);
    }
  });

  test('GIVEN two shards WHEN rendered THEN each shard is a component whose pods carry its shard label and whose config lists only its indexes', () => {
    const { searchers, objects } = renderAlone(SHARDED);
    expect(searchers.shards.map((s) => s.name)).toEqual(['full-searcher-0', 'full-searcher-1']);
    for (const shard of searchers.shards) {
      expect(ApiObject.of(shard).kind).toBe('Deployment');
      expect(shard.service).toBeUndefined();
      expect(shard.labels[SHARD_LABEL]).toBe(shard.name.slice('full-searcher-'.length));
    }
    const indexesOf = (name: string) => JSON.parse(Object.values(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name).data)[0] as string)
      .indexes.map((i: any) => `${i.shard_id}/${i.index_id}`);
    expect(indexesOf('full-searcher-0-config')).toEqual(['0/docs', '0/images']);
    expect(indexesOf('full-searcher-1-config')).toEqual(['1/docs']);
  });

  test('GIVEN two shards WHEN the shard targets are read THEN there is one per shard Service on the grpc port', () => {
    const { searchers } = renderAlone(SHARDED);
    expect(searchers.shardTargets).toEqual([{ host: 'full-searcher-0', port: VECODEX_GRPC_PORT }, { host: 'full-searcher-1', port: VECODEX_GRPC_PORT }]);
  });

  test('GIVEN no shards WHEN rendered THEN one searcher Deployment, the shared Service is its only Service, and it is the one shard target', () => {
    const doc = loadVecodex(UNSHARDED);
    const { searchers, objects } = renderAlone(UNSHARDED);
    const name = `${doc.name}-searcher`;
    expect(kinds(objects)).toEqual([`ConfigMap/${name}-config`, `Deployment/${name}`, `Service/${name}`]);
    expect(searchers.shardServices).toEqual([]);
    expect(searchers.shardTargets).toEqual([{ host: name, port: VECODEX_GRPC_PORT }]);
    expect(podLabels(ofKind(objects, 'Deployment')[0])[SHARD_LABEL]).toBe('0');
  });

  test('GIVEN wait targets WHEN rendered THEN every shard waits for them and reads the S3 credentials', () => {
    const { objects } = renderAlone(SHARDED, { waitFor: [{ host: 'etcd.infra', port: 2379 }] });
    const deployments = ofKind(objects, 'Deployment');
    expect(deployments).toHaveLength(2);
    for (const d of deployments) {
      expect(d.spec.template.spec.initContainers[0].command.slice(5)).toEqual(['etcd.infra:2379']);
      expect(d.spec.template.spec.containers[0].env.map((e: any) => e.name)).toEqual(expect.arrayContaining(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']));
    }
  });
});

describe('VecodexSetChart attributes', () => {
  test('GIVEN the full fixture WHEN the chart is built THEN searchers, writer and coordinator expose the objects it rendered, and the writer and coordinator wait for every shard target', () => {
    const doc = loadVecodex(SHARDED);
    const chart = new VecodexSetChart(new App({ outdir: '/dev/null' }), 'test', { metadata: { name: doc.name, namespace: doc.namespace }, spec: doc.spec });
    const objects = chart.toJson();
    const deploymentOf = (name: string) => objects.find((o: any) => o.kind === 'Deployment' && o.metadata.name === name);
    expect(chart.writer.name).toBe('full-writer');
    expect(chart.coordinator.name).toBe('full-coordinator');
    expect(ApiObject.of(chart.coordinator).metadata.name).toBe('full-coordinator');
    expect(chart.coordinator.autoscaler).toBeDefined();
    expect(chart.searchers.shards.map((s) => s.name)).toEqual(['full-searcher-0', 'full-searcher-1']);
    const targets = chart.searchers.shardTargets.map((t) => `${t.host}:${t.port}`);
    expect(targets).toHaveLength(2);
    for (const name of ['full-writer', 'full-coordinator']) {
      expect(deploymentOf(name).spec.template.spec.initContainers[0].command).toEqual(expect.arrayContaining(targets));
    }
  });
});
