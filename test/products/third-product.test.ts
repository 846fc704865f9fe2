/**
 * The done-criterion of "one product definition": a third product, written as
 * one folder (test/products/greeter/) and one definition, and nothing else,
 * is loaded, validated and rendered by the pipeline, gets its CRD, is watched
 * by the reconciler with the RBAC for it, and has its status computed.
 */
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { renderCrdFiles } from '../../src/pipeline/crd-files';
import { loadInstances } from '../../src/pipeline/load-instances';
import { SpecProblem, SpecValidationError } from '../../src/pipeline/spec-error';
import { renderClusters } from '../../src/pipeline/synthesize';
import { BUILT_IN_PRODUCTS } from '../../src/products/built-in-products';
import { ChildIndex, resourceKey } from '../../src/reconciler/child-index';
import { computeStatus } from '../../src/reconciler/compute-status';
import { KubeObject } from '../../src/reconciler/kube-object';
import { productAdapter } from '../../src/reconciler/products';
import { StatusReconciler } from '../../src/reconciler/status-reconciler';
import { CHILD_KINDS, ChildKind, watchedResources } from '../../src/reconciler/watched-kinds';
import { LABEL_PART_OF } from '../../src/shared/labels';
import { workspace } from '../pipeline/support';
import { rolledOut } from '../reconciler/fixtures';
import { GREETER_CONFIG_HASH_ANNOTATION } from './greeter/greeter-chart';
import { GREETER_PRODUCT } from './greeter/greeter-product';

const PRODUCTS = [...BUILT_IN_PRODUCTS, GREETER_PRODUCT];

const greeter = (name: string, spec: string) =>
  `apiVersion: greeter.example.com/v1alpha1\nkind: Greeter\nmetadata:\n  name: ${name}\n  namespace: team\nspec:\n${spec}`;

function problemsOf(fn: () => unknown): readonly SpecProblem[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof SpecValidationError) return err.problems;
    throw err;
  }
  throw new Error('expected a SpecValidationError');
}

describe('a third product defined outside src/', () => {
  const { root } = workspace({ 'dev/greeters.yaml': greeter('hello', '  message: hello, world\n  replicas: 2\n') });

  test('GIVEN a Greeter document WHEN synth loads and renders with the Greeter in the product list THEN its manifests are rendered from its definition', () => {
    const warnings: SpecProblem[] = [];
    const clusters = loadInstances(root, (w) => warnings.push(w), PRODUCTS);
    expect(clusters.flatMap((c) => c.instances).map((i) => `${i.kind.kind} ${i.metadata.namespace}/${i.metadata.name}`)).toEqual(['Greeter team/hello']);
    expect(warnings).toEqual([]);

    const out = renderClusters(clusters);
    const objects = yaml.loadAll(out.get('dev/team/hello/manifests.yaml')!) as any[];
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Greeter/hello', 'ConfigMap/hello', 'Deployment/hello', 'Service/hello']);
    const deployment = objects.find((o) => o.kind === 'Deployment');
    expect(deployment.metadata).toMatchObject({ namespace: 'team', labels: { [LABEL_PART_OF]: 'greeter', 'app.kubernetes.io/instance': 'hello' } });
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.metadata.annotations[GREETER_CONFIG_HASH_ANNOTATION]).toMatch(/^[0-9a-f]{16}$/);
  });

  test('GIVEN Greeter documents breaking its schema, its rules and its warnings WHEN loaded THEN every problem is reported with file and field path', () => {
    const bad = workspace({
      'dev/bad.yaml': [greeter('no-message', '  replicas: 1\n'), greeter('two-lines', '  message: "a\\nb"\n')].join('---\n'),
      'dev/idle.yaml': greeter('idle', '  message: hi\n  replicas: 0\n'),
    });
    const warnings: SpecProblem[] = [];
    const problems = problemsOf(() => loadInstances(bad.root, (w) => warnings.push(w), PRODUCTS));
    expect(problems.map((p) => `${path.basename(p.file)}#${p.document} ${p.path}`).sort()).toEqual(['bad.yaml#1 spec.message', 'bad.yaml#2 spec.message']);
    expect(problems.find((p) => p.document === 2)!.message).toMatch(/one line only/);
    expect(warnings.map((w) => `${path.basename(w.file)} ${w.path}: ${w.message}`)).toEqual(['idle.yaml spec.replicas: is 0: nobody is greeted']);
  });

  test('GIVEN the built-in product list only WHEN a Greeter is loaded THEN it is refused, naming the kinds that are rendered: the list decides', () => {
    const problems = problemsOf(() => loadInstances(root));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'kind', message: expect.stringContaining('expected one of abi.io/v1 AbiInstance, apps.vecodex.link/v1alpha1 VecodexSet') });
  });

  test('GIVEN the Greeter WHEN the CRD files are rendered THEN it gets greeter.example.com_greeters.yaml with its schemas and the status subresource', () => {
    const files = renderCrdFiles(PRODUCTS);
    expect(Object.keys(files)).toEqual(['abi.io_abiinstances.yaml', 'apps.vecodex.link_vecodexsets.yaml', 'greeter.example.com_greeters.yaml']);
    const crd = yaml.load(files['greeter.example.com_greeters.yaml']) as any;
    expect(crd.metadata).toMatchObject({ name: 'greeters.greeter.example.com', labels: { [LABEL_PART_OF]: 'greeter' } });
    expect(crd.spec.versions[0]).toMatchObject({ name: 'v1alpha1', subresources: { status: {} } });
    expect(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.required).toEqual(['message']);
  });

  test('GIVEN the Greeter WHEN the reconciler derives its informers THEN it lists and watches greeters and the children labelled part-of greeter', () => {
    const watched = watchedResources(PRODUCTS);
    expect(watched.resources).toContainEqual({ product: 'greeter', name: 'Greeter', path: '/apis/greeter.example.com/v1alpha1/greeters' });
    expect(watched.children.map((c) => c.kind)).toEqual(CHILD_KINDS.map((c) => c.kind));
    for (const child of watched.children) expect(child.labelSelector).toBe('app.kubernetes.io/part-of in (abi,vecodex,greeter),app.kubernetes.io/instance');
  });

  test('GIVEN the Greeter WHEN the StatusReconciler is rendered with it THEN its ClusterRole reads greeters, writes only greeters/status, and the binary is told to watch it', () => {
    const synth = (props: object) => {
      const chart = Testing.chart();
      new StatusReconciler(chart, 'reconciler', { productDefinitions: PRODUCTS, ...props });
      return Testing.synth(chart) as any[];
    };
    const objects = synth({});
    const rules = objects.find((o) => o.kind === 'ClusterRole').rules;
    expect(rules).toContainEqual({ apiGroups: ['greeter.example.com'], resources: ['greeters'], verbs: ['get', 'list', 'watch'] });
    expect(rules).toContainEqual({ apiGroups: ['greeter.example.com'], resources: ['greeters/status'], verbs: ['update', 'patch'] });
    expect(objects.find((o) => o.kind === 'Deployment').spec.template.spec.containers[0].args).toContain('--products=abi,vecodex,greeter');

    const greeterOnly = synth({ products: ['greeter'] }).find((o) => o.kind === 'ClusterRole').rules;
    expect(greeterOnly.slice(0, 2).map((r: any) => r.apiGroups)).toEqual([['greeter.example.com'], ['greeter.example.com']]);
    expect(greeterOnly.flatMap((r: any) => r.apiGroups)).not.toContain('abi.io');
    expect(() => synth({ products: ['greter'] })).toThrow('unknown product(s) "greter": expected any of abi, vecodex, greeter');
  });

  test('GIVEN a rendered Greeter whose Deployment rolled out WHEN the reconciler indexes its children and computes its status THEN it is Running and Ready, in its CRD status shape', () => {
    const rendered = yaml.loadAll(renderClusters(loadInstances(root, undefined, PRODUCTS)).get('dev/team/hello/manifests.yaml')!) as any[];
    const resource: KubeObject = { ...rendered.find((o) => o.kind === 'Greeter'), metadata: { name: 'hello', namespace: 'team', generation: 1 } };
    const index = new ChildIndex(PRODUCTS.map((p) => p.name));
    const childKinds: readonly string[] = CHILD_KINDS.map((c) => c.kind);
    const children = rendered.filter((o) => childKinds.includes(o.kind));
    expect(children.map((o) => o.kind)).toEqual(['Deployment', 'Service']);
    for (const child of children) {
      const observed = child.kind === 'Deployment' ? { ...child, metadata: { ...child.metadata, generation: 1 }, status: rolledOut(2) } : child;
      expect(index.upsert(child.kind as ChildKind, observed)).toEqual([resourceKey('greeter', 'team', 'hello')]);
    }

    const adapter = productAdapter(GREETER_PRODUCT);
    const facts = adapter.facts(resource);
    const { status } = computeStatus({
      resource, expected: facts.expected, enabledFeatures: facts.enabledFeatures, configHashAnnotation: adapter.configHashAnnotation,
      children: index.children(resourceKey('greeter', 'team', 'hello')), now: new Date('2026-01-01T00:00:00Z'),
    });
    expect(status.phase).toBe('Running');
    expect(status.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    const wire = adapter.toWireStatus(status);
    expect(wire).toMatchObject({ phase: 'Running', replicas: 2, readyReplicas: 2, endpoints: { http: 'http://hello.team.svc:8080' } });
    const declared = Object.keys((GREETER_PRODUCT.statusSchema as any).properties);
    expect(Object.keys(wire).filter((k) => !declared.includes(k))).toEqual([]);
  });
});
