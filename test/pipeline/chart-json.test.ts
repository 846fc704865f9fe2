/**
 * Differential test of chartJson (render-instance.ts), our shortcut for
 * cdk8s's Chart.toJson(): on every sample and fixture spec of both products,
 * and on the platform charts, it must give exactly what cdk8s's own
 * Testing.synth gives (same objects, same order, same keys in the same order),
 * and take cdk8s's path where its shortcut does not hold.
 */
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { loadInstances } from '../../src/pipeline/load-instances';
import { chartJson, ownApp } from '../../src/pipeline/render-instance';
import { StatusReconciler } from '../../src/reconciler/status-reconciler';
import { resolveClusterProfile } from '../../src/shared/cluster-profile';
import { VecodexSetChart } from '../../src/vecodex/vecodex-set-chart';
import { REPO_ROOT } from '../support/abi-samples';
import { loadVecodex } from '../vecodex/support';

/** Renders the same chart twice, each in an App of its own, and returns both results as text (order-sensitive). */
function bothWays(build: (app: App) => Chart): { ours: string; cdk8s: string } {
  return { ours: JSON.stringify(chartJson(build(ownApp()))), cdk8s: JSON.stringify(Testing.synth(build(ownApp()))) };
}

const INSTANCE_ROOTS = ['instances', 'test/fixtures/gitops/two-clusters'];
const cases = INSTANCE_ROOTS.flatMap((root) => loadInstances(path.join(REPO_ROOT, root)).flatMap((cluster) => cluster.instances.map((instance) => ({
  name: `${root}: ${cluster.name}/${instance.metadata.namespace}/${instance.metadata.name} (${instance.kind.kind})`,
  render: (app: App) => instance.kind.render(app, 'instance', { metadata: { ...instance.metadata }, spec: instance.spec, cluster: cluster.profile }),
}))));

describe('chartJson against cdk8s Testing.synth', () => {
  test('GIVEN the instance roots WHEN loaded THEN they hold specs of both products to compare', () => {
    const kinds = new Set(cases.map((c) => c.name.replace(/.*\((\w+)\)$/, '$1')));
    expect([...kinds].sort()).toEqual(['AbiInstance', 'VecodexSet']);
    expect(cases.length).toBeGreaterThanOrEqual(7);
  });

  test.each(cases)('GIVEN $name WHEN rendered as synth renders it THEN chartJson equals Testing.synth byte for byte', ({ render }) => {
    const { ours, cdk8s } = bothWays(render);
    expect(ours.length).toBeGreaterThan(2);
    expect(ours).toBe(cdk8s);
  });

  test('GIVEN the VecodexSet fixture with every field set WHEN rendered THEN chartJson equals Testing.synth', () => {
    const doc = loadVecodex('test/vecodex/fixtures/full.yaml');
    const { ours, cdk8s } = bothWays((app) => new VecodexSetChart(app, 'full', {
      metadata: { name: doc.name, namespace: doc.namespace }, spec: doc.spec, cluster: resolveClusterProfile(),
    }));
    expect(ours).toBe(cdk8s);
  });

  test('GIVEN the status reconciler chart (platform/) WHEN rendered THEN chartJson equals Testing.synth', () => {
    const { ours, cdk8s } = bothWays((app) => {
      const chart = new Chart(app, 'platform');
      new StatusReconciler(chart, 'reconciler');
      return chart;
    });
    expect(ours).toBe(cdk8s);
  });

  test('GIVEN a chart whose objects depend on each other WHEN rendered THEN chartJson takes cdk8s\'s ordering path and still agrees', () => {
    const build = (app: App) => {
      const chart = new Chart(app, 'ordered');
      const second = new ApiObject(chart, 'second', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'second' } });
      const first = new ApiObject(chart, 'first', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'first' } });
      second.addDependency(first);
      return chart;
    };
    const { ours, cdk8s } = bothWays(build);
    expect(JSON.parse(ours).map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual(['first', 'second']);
    expect(ours).toBe(cdk8s);
  });

  test('GIVEN a construct whose validation fails WHEN rendered THEN chartJson throws cdk8s\'s own message', () => {
    const build = (app: App) => {
      const chart = new Chart(app, 'invalid');
      const broken = new Construct(chart, 'broken');
      broken.node.addValidation({ validate: () => ['is broken on purpose'] });
      return chart;
    };
    let cdk8sMessage = '';
    try {
      Testing.synth(build(ownApp()));
    } catch (err) {
      cdk8sMessage = (err as Error).message;
    }
    expect(cdk8sMessage).toContain('is broken on purpose');
    expect(() => chartJson(build(ownApp()))).toThrow(cdk8sMessage);
  });
});
