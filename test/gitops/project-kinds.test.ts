import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { projectKinds, renderableKinds } from '../../src/gitops/project-kinds';
import { namespacesRefusedForInstances } from '../../src/pipeline/reserved-namespaces';
import { OutputTree, synthesizeRepository } from '../../src/pipeline/synthesize';
import { BUILT_IN_PRODUCTS } from '../../src/products/built-in-products';
import { resolveClusterProfile } from '../../src/shared/cluster-profile';
import { documents, TWO_CLUSTERS } from './fixtures';

const REPO_ROOT = path.join(__dirname, '..', '..');
const UPSTREAM_FIXTURES = path.join(__dirname, '..', 'fixtures', 'upstream');

/** The upstream sample instances, rendered in a cluster with the prod profile. */
function upstreamSamples(): OutputTree {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'project-kinds-'));
  try {
    fs.mkdirSync(path.join(dir, 'upstream'));
    fs.copyFileSync(path.join(REPO_ROOT, 'instances', 'prod', 'cluster.yaml'), path.join(dir, 'upstream', 'cluster.yaml'));
    for (const file of fs.readdirSync(UPSTREAM_FIXTURES)) fs.copyFileSync(path.join(UPSTREAM_FIXTURES, file), path.join(dir, 'upstream', file));
    return synthesizeRepository(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const key = (gk: { group: string; kind: string }) => `${gk.group}/${gk.kind}`;
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/** Kinds of every workload object rendered (GitOps wiring and kustomization.yaml excluded). */
function renderedKinds(tree: OutputTree): Set<string> {
  const kinds = new Set<string>();
  for (const file of tree.keys()) {
    if (!file.endsWith('.yaml') || file.endsWith('kustomization.yaml') || /^[^/]+\/(argocd|flux)\//.test(file)) continue;
    for (const obj of documents(tree, file)) kinds.add(key({ group: groupOf(obj.apiVersion), kind: obj.kind }));
  }
  return kinds;
}

function appProject(tree: OutputTree, cluster: string): any {
  return documents(tree, `${cluster}/argocd/projects.yaml`).find((d) => d.kind === 'AppProject' && !d.metadata.name.endsWith('-bootstrap'));
}

describe('the kinds the Argo CD project permits', () => {
  const renderings: Array<[string, OutputTree]> = [
    ['instances/', synthesizeRepository(path.join(REPO_ROOT, 'instances'))],
    ['test/fixtures/gitops/two-clusters', synthesizeRepository(TWO_CLUSTERS)],
    ['test/fixtures/upstream', upstreamSamples()],
  ];

  test.each(renderings)('GIVEN the samples of %s WHEN rendered THEN every kind they render is declared by the platform or a product', (_, tree) => {
    const declared = new Set(renderableKinds().map(key));
    const rendered = [...renderedKinds(tree)];
    expect(rendered.length).toBeGreaterThan(5);
    expect(rendered.filter((k) => !declared.has(k))).toEqual([]);
  });

  test.each(renderings)('GIVEN the samples of %s WHEN rendered THEN each instance renders only kinds its own product declares', (_, tree) => {
    const folders = [...tree.keys()].filter((f) => /^[^/]+\/[^/]+\/[^/_][^/]*\/manifests\.yaml$/.test(f) && !/^[^/]+\/(platform|argocd|flux)\//.test(f));
    expect(folders.length).toBeGreaterThan(0);
    for (const folder of folders) {
      const objects = documents(tree, folder);
      const product = BUILT_IN_PRODUCTS.find((p) => objects.some((o) => o.apiVersion === p.apiVersion && o.kind === p.kind));
      expect({ folder, product: product?.name }).toEqual({ folder, product: expect.any(String) });
      const declared = new Set([key(product!), ...product!.renderableKinds.map(key)]);
      const undeclared = objects.map((o) => key({ group: groupOf(o.apiVersion), kind: o.kind })).filter((k) => !declared.has(k));
      expect({ folder, undeclared }).toEqual({ folder, undeclared: [] });
    }
  });

  test('GIVEN a cluster whose instances render no HPA or ServiceMonitor THEN its project still permits them (removing the last instance that renders one must not shrink the project)', () => {
    const tree = synthesizeRepository(path.join(REPO_ROOT, 'instances'));
    const dev = appProject(tree, 'dev');
    const permitted = new Set([...dev.spec.namespaceResourceWhitelist, ...dev.spec.clusterResourceWhitelist].map(key));
    const devOnly = new Map([...tree].filter(([file]) => file.startsWith('dev/')));
    expect(renderedKinds(devOnly).has('autoscaling/HorizontalPodAutoscaler')).toBe(false);
    expect(renderedKinds(devOnly).has('monitoring.coreos.com/ServiceMonitor')).toBe(false);
    for (const gk of renderableKinds()) expect(permitted).toContain(key(gk));
    expect(permitted).toContain('autoscaling/HorizontalPodAutoscaler');
    expect(permitted).toContain('monitoring.coreos.com/ServiceMonitor');
  });

  test('GIVEN a rendered kind no product declares THEN the project permits it too, in the whitelist of its scope', () => {
    const kinds = projectKinds([{ group: 'example.com', kind: 'Widget' }, { group: 'storage.k8s.io', kind: 'StorageClass' }]);
    expect(kinds.namespacedKinds.map(key)).toContain('example.com/Widget');
    expect(kinds.clusterKinds.map(key)).toContain('storage.k8s.io/StorageClass');
    expect(kinds.clusterKinds.map(key)).toEqual(expect.arrayContaining(['/Namespace', 'apiextensions.k8s.io/CustomResourceDefinition']));
    expect(kinds.namespacedKinds.map(key)).not.toContain('/Namespace');
  });
});

describe('the namespaces the Argo CD project permits', () => {
  const tree = synthesizeRepository(path.join(REPO_ROOT, 'instances'));

  test.each(['dev', 'prod'])('GIVEN cluster %s THEN its project allows every namespace of the cluster but those synth refuses for instances, the platform namespace included', (cluster) => {
    const profile = resolveClusterProfile((yaml.load(fs.readFileSync(path.join(REPO_ROOT, 'instances', cluster, 'cluster.yaml'), 'utf8')) as any).spec);
    const destinations: Array<{ server?: string; namespace: string }> = appProject(tree, cluster).spec.destinations;
    const server = profile.gitops.argocd.destinationServer;
    expect(destinations.every((d) => d.server === server)).toBe(true);
    expect(destinations.filter((d) => !d.namespace.startsWith('!')).map((d) => d.namespace)).toEqual(['*']);
    const denied = destinations.filter((d) => d.namespace.startsWith('!')).map((d) => d.namespace.slice(1));
    const expected = namespacesRefusedForInstances(profile).filter((ns) => ns !== profile.reconciler.namespace);
    expect(denied).toEqual(expected);
    expect(denied).toEqual(expect.arrayContaining(['kube-system', 'kube-public', 'kube-node-lease', 'platform', 'argocd', 'flux', profile.gitops.argocd.namespace, profile.gitops.flux.namespace]));
    expect(denied).not.toContain('default');
    expect(denied).not.toContain(profile.reconciler.namespace);
    // Every namespace the cluster renders into is permitted.
    const instanceNamespaces = [...tree.keys()].filter((f) => f.startsWith(`${cluster}/`) && f.endsWith('/_namespace/namespace.yaml')).map((f) => f.split('/')[1]);
    for (const ns of instanceNamespaces) expect(denied).not.toContain(ns);
  });
});
