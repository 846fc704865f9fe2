/**
 * The third product (test/products/greeter/) against a real API server: its
 * CRD, derived from its definition, is served; its rendered manifests are
 * accepted; the informers' own list requests (path and label selector from
 * the watched-kinds table) find its children; the status computed from them
 * is stored unpruned; and the derived ClusterRole grants exactly that access.
 */
import { Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { renderCrdObjects } from '../../src/pipeline/crd-files';
import { loadInstances } from '../../src/pipeline/load-instances';
import { renderClusters } from '../../src/pipeline/synthesize';
import { BUILT_IN_PRODUCTS } from '../../src/products/built-in-products';
import { ChildIndex, resourceKey } from '../../src/reconciler/child-index';
import { computeStatus } from '../../src/reconciler/compute-status';
import { productAdapter } from '../../src/reconciler/products';
import { sameStatus } from '../../src/reconciler/status-equality';
import { StatusReconciler } from '../../src/reconciler/status-reconciler';
import { watchedResources } from '../../src/reconciler/watched-kinds';
import { workspace } from '../pipeline/support';
import { ensureNamespace, mustApply, mustPatchStatus } from '../reconciler/cluster';
import { rolledOut } from '../reconciler/fixtures';
import { eventually } from '../reconciler/reconciler-process';
import { describeWithApiServer, useControlPlane } from '../support/api-server';
import { KubeClient, KubeObject } from '../support/kube-client';
import { GREETER_PRODUCT } from './greeter/greeter-product';

const PRODUCTS = [...BUILT_IN_PRODUCTS, GREETER_PRODUCT];
const NS = 'team';
const RECONCILER_NS = 'greeter-system';
const RECONCILER = 'greeter-reconciler';

describeWithApiServer('a third product against a real API server', () => {
  const plane = useControlPlane();
  let client: KubeClient;
  let manifests: KubeObject[];

  beforeAll(async () => {
    client = plane().adminClient();
    const crd = (renderCrdObjects([GREETER_PRODUCT]) as KubeObject[])[0];
    await client.installCrds([crd]);
    await ensureNamespace(client, NS);
    const { root } = workspace({ 'dev/greeters.yaml': `apiVersion: greeter.example.com/v1alpha1\nkind: Greeter\nmetadata: {name: hello, namespace: ${NS}}\nspec: {message: hello, replicas: 2}\n` });
    manifests = yaml.loadAll(renderClusters(loadInstances(root, undefined, PRODUCTS)).get(`dev/${NS}/hello/manifests.yaml`)!) as KubeObject[];
  }, 120_000);

  test('GIVEN the Greeter\'s rendered manifests WHEN applied THEN the API server accepts every object, the custom resource included', async () => {
    expect(manifests.map((o) => o.kind)).toEqual(['Greeter', 'ConfigMap', 'Deployment', 'Service']);
    for (const obj of manifests) {
      const res = await client.apply(obj);
      expect({ object: `${obj.kind}/${obj.metadata.name}`, status: res.status < 300 ? 'ok' : res.body.message })
        .toEqual({ object: `${obj.kind}/${obj.metadata.name}`, status: 'ok' });
    }
  });

  test('GIVEN the children rolled out WHEN found by the informers\' requests and judged THEN the status written to greeters/status is stored exactly as computed', async () => {
    const deployment = manifests.find((o) => o.kind === 'Deployment')!;
    const stored = await client.get('apps/v1', 'Deployment', NS, deployment.metadata.name);
    await mustPatchStatus(client, 'apps/v1', 'Deployment', NS, deployment.metadata.name, rolledOut(2, 2, stored.body.metadata.generation));

    const watched = watchedResources(PRODUCTS);
    const resources = await client.request('GET', watched.resources.find((r) => r.product === 'greeter')!.path);
    expect(resources.status).toBe(200);
    const resource = resources.body.items.find((o: KubeObject) => o.metadata.name === 'hello');
    expect(resource).toBeDefined();

    const index = new ChildIndex(PRODUCTS.map((p) => p.name));
    for (const child of watched.children) {
      const res = await client.request('GET', `${child.path}?labelSelector=${encodeURIComponent(child.labelSelector!)}`);
      expect({ path: child.path, status: res.status }).toEqual({ path: child.path, status: 200 });
      for (const item of res.body.items) index.upsert(child.kind, item);
    }
    const key = resourceKey('greeter', NS, 'hello');
    const children = index.children(key);
    expect([children.deployments.length, children.services.length]).toEqual([1, 1]);

    const adapter = productAdapter(GREETER_PRODUCT);
    const facts = adapter.facts(resource);
    const { status } = computeStatus({
      resource, expected: facts.expected, enabledFeatures: facts.enabledFeatures, configHashAnnotation: adapter.configHashAnnotation,
      children, now: new Date(),
    });
    expect(status.phase).toBe('Running');
    const wire = adapter.toWireStatus(status);
    // As the controller writes it: PUT on /status with the read resourceVersion.
    const path = `/apis/${adapter.group}/${adapter.version}/namespaces/${NS}/${adapter.plural}/hello/status`;
    const put = await client.request('PUT', path, { ...resource, status: wire });
    expect(put.status).toBe(200);
    const back = await client.get(adapter.apiVersion, adapter.kind, NS, 'hello');
    expect(sameStatus(back.body.status, wire)).toBe(true);
    expect(back.body.status).toMatchObject({ phase: 'Running', readyReplicas: 2 });
  });

  test('GIVEN a StatusReconciler rendered with the Greeter WHEN its RBAC is applied THEN its ServiceAccount may watch greeters and write their status, and nothing more on them', async () => {
    const chart = Testing.chart();
    new StatusReconciler(chart, 'reconciler', { productDefinitions: PRODUCTS, products: ['greeter'], namespace: RECONCILER_NS, name: RECONCILER });
    await ensureNamespace(client, RECONCILER_NS);
    const rbac = Testing.synth(chart).filter((o: KubeObject) => ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind));
    expect(rbac).toHaveLength(3);
    for (const obj of rbac) await mustApply(client, obj);

    const can = async (verb: string, resource: string, group: string, subresource?: string): Promise<boolean> => {
      const res = await client.request('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: `system:serviceaccount:${RECONCILER_NS}:${RECONCILER}`,
          groups: ['system:serviceaccounts', `system:serviceaccounts:${RECONCILER_NS}`, 'system:authenticated'],
          resourceAttributes: { verb, resource, group, namespace: NS, subresource },
        },
      });
      if (res.status !== 201) throw new Error(`SubjectAccessReview: HTTP ${res.status}`);
      return res.body.status.allowed === true;
    };
    const cases: Array<[string, string, string, string | undefined, boolean]> = [
      ['list', 'greeters', 'greeter.example.com', undefined, true],
      ['watch', 'greeters', 'greeter.example.com', undefined, true],
      ['update', 'greeters', 'greeter.example.com', 'status', true],
      ['update', 'greeters', 'greeter.example.com', undefined, false],
      ['delete', 'greeters', 'greeter.example.com', undefined, false],
      ['list', 'deployments', 'apps', undefined, true],
      ['list', 'abiinstances', 'abi.io', undefined, false],
    ];
    // The API server's RBAC authorizer learns of new bindings through its own
    // informer: wait until the first grant is visible, then ask everything once.
    await eventually(() => can('list', 'greeters', 'greeter.example.com'), 30_000, 'the new ClusterRoleBinding reaches the authorizer');
    const answers = [];
    for (const [verb, resource, group, subresource] of cases) answers.push(await can(verb, resource, group, subresource));
    expect(answers).toEqual(cases.map((c) => c[4]));
  });
});
