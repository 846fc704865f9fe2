import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { loadInstances } from '../../src/pipeline/load-instances';
import { formatProblem, SpecProblem, SpecValidationError } from '../../src/pipeline/spec-error';
import { imagePullPolicy, imageVersionLabel, isFloatingImage, parseImageReference } from '../../src/shared/image-policy';
import { VecodexSetChart } from '../../src/vecodex/vecodex-set-chart';
import { abiDoc, renderAbi } from '../support/abi-samples';
import { loadVecodex, renderVecodex } from '../vecodex/support';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('image references: pinned or floating', () => {
  test.each([
    ['nginx', { repository: 'nginx' }, true, undefined],
    ['nginx:latest', { repository: 'nginx', tag: 'latest' }, true, 'latest'],
    ['localhost:5000/team/app', { repository: 'localhost:5000/team/app' }, true, undefined],
    ['localhost:5000/team/app:1.2', { repository: 'localhost:5000/team/app', tag: '1.2' }, false, '1.2'],
    [`ghcr.io/abi/abi@${DIGEST}`, { repository: 'ghcr.io/abi/abi', digest: DIGEST }, false, 'sha256-0123456789ab'],
    [`ghcr.io/abi/abi:latest@${DIGEST}`, { repository: 'ghcr.io/abi/abi', tag: 'latest', digest: DIGEST }, false, 'latest'],
    [`ghcr.io/abi/abi:v1.0.0@${DIGEST}`, { repository: 'ghcr.io/abi/abi', tag: 'v1.0.0', digest: DIGEST }, false, 'v1.0.0'],
  ])('GIVEN %s WHEN parsed THEN %j, floating %s, version label %s', (image, ref, floating, label) => {
    expect(parseImageReference(image)).toEqual({ digest: undefined, ...ref });
    expect(isFloatingImage(image)).toBe(floating);
    expect(imagePullPolicy(image)).toBe(floating ? 'Always' : 'IfNotPresent');
    expect(imageVersionLabel(image)).toBe(label);
  });

  test('GIVEN an explicit pull policy WHEN resolved THEN it wins over the default', () => {
    expect(imagePullPolicy('nginx:latest', 'IfNotPresent')).toBe('IfNotPresent');
    expect(imagePullPolicy('nginx:1.27', 'Always')).toBe('Always');
  });
});

const containersOf = (objects: any[]) => objects.filter((o) => o.spec?.template?.spec)
  .flatMap((o) => [...(o.spec.template.spec.initContainers ?? []), ...o.spec.template.spec.containers]);

describe('image policy in rendered pods', () => {
  test('GIVEN an AbiInstance with no image WHEN rendered THEN the default is a versioned tag pulled IfNotPresent, and labelled with it', () => {
    const objects = renderAbi(abiDoc({ replicas: 1 }));
    const [server] = containersOf(objects);
    expect(server).toMatchObject({ image: 'ghcr.io/abi/abi:v1.0.0', imagePullPolicy: 'IfNotPresent' });
    expect(objects.every((o: any) => o.metadata.labels?.['app.kubernetes.io/version'] === 'v1.0.0' || o.kind === 'AbiInstance')).toBe(true);
  });

  test.each([
    [{ tag: 'latest' }, 'ghcr.io/abi/abi:latest', 'Always', 'latest'],
    [{ tag: 'latest', pullPolicy: 'IfNotPresent' }, 'ghcr.io/abi/abi:latest', 'IfNotPresent', 'latest'],
    [{ digest: DIGEST }, `ghcr.io/abi/abi@${DIGEST}`, 'IfNotPresent', 'sha256-0123456789ab'],
    [{ tag: 'v2.1.0', digest: DIGEST }, `ghcr.io/abi/abi:v2.1.0@${DIGEST}`, 'IfNotPresent', 'v2.1.0'],
  ])('GIVEN AbiInstance image %j WHEN rendered THEN it pulls %s with %s and version label %s', (image, reference, policy, label) => {
    const objects = renderAbi(abiDoc({ replicas: 1, image }));
    expect(containersOf(objects)[0]).toMatchObject({ image: reference, imagePullPolicy: policy });
    expect((objects.find((o: any) => o.kind === 'StatefulSet') as any).metadata.labels['app.kubernetes.io/version']).toBe(label);
  });

  test('GIVEN the upstream VecodexSet sample (:latest images) WHEN rendered THEN its containers pull Always, the pinned etcd and MinIO IfNotPresent', () => {
    const containers = containersOf(renderVecodex('instances/dev/vecodex-search-cluster.yaml'));
    expect(containers.length).toBeGreaterThan(5);
    for (const c of containers) expect(c.imagePullPolicy).toBe(c.image.endsWith(':latest') ? 'Always' : 'IfNotPresent');
  });

  test('GIVEN VecodexSet images by digest, with and without a tag WHEN rendered THEN pods pull them as written and the version label holds no digest', () => {
    const doc = loadVecodex('instances/dev/vecodex-search-cluster.yaml');
    const spec: any = {
      ...doc.spec,
      writer: { ...doc.spec.writer, image: `ghcr.io/ivan-digital/vecodex/app@${DIGEST}` },
      searcher: { ...doc.spec.searcher, image: `ghcr.io/ivan-digital/vecodex/app:v0.3@${DIGEST}`, imagePullPolicy: 'Always' },
    };
    const objects = new VecodexSetChart(new App({ outdir: '/dev/null' }), 'test', { metadata: { name: 'd', namespace: 'default' }, spec }).toJson();
    const byName = (name: string) => objects.find((o: any) => o.kind === 'Deployment' && o.metadata.name === name);
    expect(byName('d-writer').spec.template.spec.containers[0]).toMatchObject({ image: `ghcr.io/ivan-digital/vecodex/app@${DIGEST}`, imagePullPolicy: 'IfNotPresent' });
    expect(byName('d-writer').metadata.labels['app.kubernetes.io/version']).toBe('sha256-0123456789ab');
    expect(byName('d-searcher').spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
    expect(byName('d-searcher').metadata.labels['app.kubernetes.io/version']).toBe('v0.3');
  });
});

/** Writes files under a fresh instances dir; the warnings and (formatted) errors of loading it. */
function load(files: Record<string, string>): { warnings: string[]; errors: string[] } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'image-policy-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    const warnings: SpecProblem[] = [];
    try {
      loadInstances(root, (w) => warnings.push(w));
    } catch (err) {
      if (err instanceof SpecValidationError) return { warnings: warnings.map(formatProblem), errors: err.problems.map(formatProblem) };
      throw err;
    }
    return { warnings: warnings.map(formatProblem), errors: [] };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const abiFile = (image: string) => `apiVersion: abi.io/v1\nkind: AbiInstance\nmetadata:\n  name: a\nspec:\n  replicas: 1\n  image:\n${image}`;
const vecodexFile = fs.readFileSync(path.join(__dirname, '..', '..', 'instances', 'dev', 'vecodex-search-cluster.yaml'), 'utf8');
const pinnedProfile = 'apiVersion: cdk8s-abi-vecodex/v1alpha1\nkind: ClusterProfile\nspec:\n  imagePolicy: pinned\n';

describe('image policy at synth', () => {
  test('GIVEN floating images and the default profile WHEN loaded THEN synth warns per image field and goes on', () => {
    const { warnings, errors } = load({ 'c/a.yaml': abiFile('    tag: latest\n'), 'c/v.yaml': vecodexFile });
    expect(errors).toEqual([]);
    const floating = warnings.filter((w) => w.includes('a floating reference'));
    expect(floating).toEqual([
      expect.stringMatching(/a\.yaml: document 1: AbiInstance default\/a: spec\.image\.tag: is "ghcr\.io\/abi\/abi:latest", a floating reference/),
      expect.stringMatching(/v\.yaml: document 1: VecodexSet .*: spec\.coordinator\.image: is ".*:latest", a floating reference/),
      expect.stringMatching(/spec\.writer\.image: /),
      expect.stringMatching(/spec\.searcher\.image: /),
    ]);
  });

  test('GIVEN pinned images WHEN loaded THEN there is no image warning', () => {
    const { warnings } = load({ 'c/a.yaml': abiFile(`    digest: ${DIGEST}\n`) });
    expect(warnings.filter((w) => w.includes('floating'))).toEqual([]);
  });

  test('GIVEN a profile with imagePolicy: pinned WHEN floating images are loaded THEN each is an error naming file and field, and no warning', () => {
    const { warnings, errors } = load({ 'c/cluster.yaml': pinnedProfile, 'c/a.yaml': abiFile('    tag: latest\n'), 'c/v.yaml': vecodexFile });
    expect(warnings.filter((w) => w.includes('floating'))).toEqual([]);
    expect(errors.filter((e) => e.includes('imagePolicy: pinned'))).toEqual([
      expect.stringMatching(/a\.yaml: document 1: AbiInstance default\/a: spec\.image\.tag: is "ghcr\.io\/abi\/abi:latest", a floating reference.*imagePolicy: pinned/),
      expect.stringMatching(/v\.yaml: .*spec\.coordinator\.image: /),
      expect.stringMatching(/spec\.writer\.image: /),
      expect.stringMatching(/spec\.searcher\.image: /),
    ]);
  });

  test('GIVEN a profile with imagePolicy: pinned and pinned images WHEN loaded THEN it loads', () => {
    expect(load({ 'c/cluster.yaml': pinnedProfile, 'c/a.yaml': abiFile('    tag: v1.2.3\n') }).errors).toEqual([]);
  });

  test('GIVEN an AbiInstanceChart used from code under imagePolicy: pinned WHEN the image floats THEN it throws', () => {
    expect(() => renderAbi(abiDoc({ replicas: 1, image: { tag: 'latest' } }), { cluster: { imagePolicy: 'pinned' } })).toThrow(/spec\.image\.tag: is "ghcr\.io\/abi\/abi:latest"/);
  });
});
