import { App } from 'cdk8s';
import { VecodexSetChart } from '../../src/vecodex/vecodex-set-chart';
import { loadVecodex, renderVecodex } from './support';

/** The upstream sample with the seed README's registry-less images for the three components. */
function renderSeedImages(cluster: object = {}): any[] {
  const doc = loadVecodex('instances/dev/vecodex-search-cluster.yaml');
  const spec: any = { ...doc.spec };
  for (const c of ['coordinator', 'writer', 'searcher']) spec[c] = { ...spec[c], image: `vecodex-${c}-image:latest` };
  return new VecodexSetChart(new App({ outdir: '/dev/null' }), 'test', { metadata: { name: doc.name, namespace: doc.namespace }, spec, cluster }).toJson();
}

const podSpecs = (objects: any[]) => objects.filter((o) => o.spec?.template?.spec).map((o) => ({ name: `${o.kind}/${o.metadata.name}`, pod: o.spec.template.spec }));

describe('cluster image policy on a VecodexSet', () => {
  test('GIVEN a profile with a mirror and pull Secrets WHEN rendered THEN every pod pulls registry-less images from the mirror with the Secrets', () => {
    const plain = renderSeedImages();
    const mirrored = renderSeedImages({ imageRegistry: 'mirror.example.com/hub', imagePullSecrets: ['mirror-creds'] });
    const images = podSpecs(mirrored).flatMap(({ pod }) => pod.containers.map((c: any) => c.image));
    expect(images).toContain('mirror.example.com/hub/vecodex-writer-image:latest');
    expect(images).toContain('quay.io/coreos/etcd:v3.5.21');
    const before = new Map(podSpecs(plain).map((p) => [p.name, p.pod]));
    expect(podSpecs(mirrored).length).toBeGreaterThan(3);
    for (const { name, pod } of podSpecs(mirrored)) {
      expect(pod.imagePullSecrets).toEqual([{ name: 'mirror-creds' }]);
      const containers = [...(pod.initContainers ?? []), ...pod.containers];
      const original = [...(before.get(name).initContainers ?? []), ...before.get(name).containers];
      containers.forEach((c: any, i: number) => {
        const image: string = original[i].image;
        const namesRegistry = image.includes('/') && /[.:]|^localhost$/.test(image.split('/')[0]);
        expect(c.image).toBe(namesRegistry ? image : `mirror.example.com/hub/${image}`);
      });
    }
  });

  test('GIVEN no image policy WHEN rendered THEN pods carry no pull Secrets', () => {
    const pods = podSpecs(renderVecodex('instances/dev/vecodex-search-cluster.yaml'));
    expect(pods.length).toBeGreaterThan(0);
    for (const { pod } of pods) {
      expect(pod.imagePullSecrets).toBeUndefined();
    }
  });
});
