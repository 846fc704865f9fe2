import { BUILT_IN_PRODUCTS } from '../../src/products/built-in-products';
import { clusterRoleRules, watchedResources } from '../../src/reconciler/watched-kinds';

describe('the watched-kinds table', () => {
  test('GIVEN the built-in products WHEN the informers are derived THEN they are the custom resources and the six child collections, children selected by part-of abi or vecodex', () => {
    const watched = watchedResources(BUILT_IN_PRODUCTS);
    expect(watched.resources).toEqual([
      { product: 'abi', name: 'AbiInstance', path: '/apis/abi.io/v1/abiinstances' },
      { product: 'vecodex', name: 'VecodexSet', path: '/apis/apps.vecodex.link/v1alpha1/vecodexsets' },
    ]);
    const selector = 'app.kubernetes.io/part-of in (abi,vecodex),app.kubernetes.io/instance';
    expect(watched.children).toEqual([
      { kind: 'Deployment', name: 'Deployment', path: '/apis/apps/v1/deployments', labelSelector: selector },
      { kind: 'StatefulSet', name: 'StatefulSet', path: '/apis/apps/v1/statefulsets', labelSelector: selector },
      { kind: 'HorizontalPodAutoscaler', name: 'HorizontalPodAutoscaler', path: '/apis/autoscaling/v2/horizontalpodautoscalers', labelSelector: selector },
      { kind: 'Service', name: 'Service', path: '/api/v1/services', labelSelector: selector },
      { kind: 'Ingress', name: 'Ingress', path: '/apis/networking.k8s.io/v1/ingresses', labelSelector: selector },
      { kind: 'PodDisruptionBudget', name: 'PodDisruptionBudget', path: '/apis/policy/v1/poddisruptionbudgets', labelSelector: selector },
    ]);
  });

  test('GIVEN one product WHEN the informers are derived THEN children are selected by that product only; GIVEN none THEN no child is watched', () => {
    const abiOnly = watchedResources(BUILT_IN_PRODUCTS.filter((p) => p.name === 'abi'));
    expect(new Set(abiOnly.children.map((c) => c.labelSelector))).toEqual(new Set(['app.kubernetes.io/part-of in (abi),app.kubernetes.io/instance']));
    expect(watchedResources([])).toEqual({ resources: [], children: [] });
  });

  test('GIVEN the built-in products WHEN the ClusterRole rules are derived THEN they read every watched collection, write only the status subresources, and record Events', () => {
    const read = ['get', 'list', 'watch'];
    expect(clusterRoleRules(BUILT_IN_PRODUCTS)).toEqual([
      { apiGroups: ['abi.io'], resources: ['abiinstances'], verbs: read },
      { apiGroups: ['abi.io'], resources: ['abiinstances/status'], verbs: ['update', 'patch'] },
      { apiGroups: ['apps.vecodex.link'], resources: ['vecodexsets'], verbs: read },
      { apiGroups: ['apps.vecodex.link'], resources: ['vecodexsets/status'], verbs: ['update', 'patch'] },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: read },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: read },
      { apiGroups: [''], resources: ['services'], verbs: read },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: read },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: read },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
    ]);
  });

  test('GIVEN any product set WHEN informers and rules are derived THEN every informer\'s collection is readable under the rules', () => {
    for (const products of [BUILT_IN_PRODUCTS, BUILT_IN_PRODUCTS.slice(0, 1), BUILT_IN_PRODUCTS.slice(1)]) {
      const rules = clusterRoleRules(products);
      const watched = watchedResources(products);
      const informers = [...watched.resources, ...watched.children];
      expect(informers.length).toBeGreaterThan(0);
      for (const informer of informers) {
        const [, , ...rest] = informer.path.split('/');
        const group = informer.path.startsWith('/api/') ? '' : rest[0];
        const resource = rest[rest.length - 1];
        expect(rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && ['list', 'watch'].every((v) => r.verbs.includes(v)))).toBe(true);
      }
    }
  });
});
