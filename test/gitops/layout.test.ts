import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { RESERVED_FOLDERS } from '../../src/gitops/gitops-names';
import { SpecValidationError } from '../../src/pipeline/spec-error';
import { synthesizeRepository } from '../../src/pipeline/synthesize';
import { copyFixture, twoClusters } from './fixtures';
import { filesReachedBy, foldersOf, kustomizeBuild } from './kustomize';

describe('GitOps layout of a two-cluster repository', () => {
  const files = twoClusters();

  test('GIVEN two clusters WHEN synthesized THEN the file layout is as documented', () => {
    expect([...files.keys()].sort()).toMatchSnapshot();
  });

  test('GIVEN the output WHEN listing folders THEN every folder has a kustomization.yaml and builds on its own', () => {
    const folders = foldersOf(files);
    expect(folders).toContain('alpha/team-a/chat');
    for (const folder of folders) {
      expect(files.has(`${folder}/kustomization.yaml`)).toBe(true);
      expect(() => kustomizeBuild(files, folder)).not.toThrow();
    }
  });

  test.each(['alpha', 'beta'])('GIVEN cluster %s WHEN its folder is built THEN it holds the platform and every instance, and nothing of Argo CD or Flux', (cluster) => {
    const objects = kustomizeBuild(files, cluster);
    const kinds = new Set(objects.map((o) => o.kind));
    expect(kinds).toContain('CustomResourceDefinition');
    expect(kinds).toContain('AbiInstance');
    for (const gitopsKind of ['Application', 'AppProject', 'GitRepository', 'Kustomization']) expect(kinds).not.toContain(gitopsKind);
    const root = yaml.load(files.get(`${cluster}/kustomization.yaml`)!) as { resources: string[] };
    expect(root.resources[0]).toBe('platform');
    expect(root.resources).not.toContain('argocd');
    expect(root.resources).not.toContain('flux');
  });

  test('GIVEN alpha WHEN built THEN instances from every file and document are there, in their namespaces', () => {
    const crs = kustomizeBuild(files, 'alpha').filter((o) => o.kind === 'AbiInstance' || o.kind === 'VecodexSet');
    expect(crs.map((o) => `${o.kind} ${o.metadata.namespace ?? 'default'}/${o.metadata.name}`).sort()).toEqual([
      'AbiInstance default/basic', 'AbiInstance team-a/chat', 'AbiInstance team-a/search', 'VecodexSet default/vecodexset-sample',
    ]);
  });

  test('GIVEN every synced folder WHEN read THEN each file is reached by the cluster build and each document is a Kubernetes object (Flux applies every YAML under a path)', () => {
    for (const cluster of ['alpha', 'beta']) {
      const reached = filesReachedBy(files, cluster);
      const synced = [...files.keys()].filter((f) => f.startsWith(`${cluster}/`) && !f.startsWith(`${cluster}/argocd/`) && !f.startsWith(`${cluster}/flux/`));
      expect(synced.filter((f) => !reached.has(f))).toEqual([]);
      for (const file of synced) {
        for (const doc of yaml.loadAll(files.get(file)!) as any[]) {
          expect(typeof doc.apiVersion).toBe('string');
          expect(typeof doc.kind).toBe('string');
          if (doc.kind !== 'Kustomization') expect(typeof doc.metadata.name).toBe('string');
          // An instance spec file would carry no rendered children; a cluster profile is no Kubernetes kind.
          expect(doc.kind).not.toBe('ClusterProfile');
        }
      }
    }
  });

  test.each(RESERVED_FOLDERS.map((f) => [f]))('GIVEN a namespace named %s like a layout folder WHEN synthesized THEN the run fails naming the file, the field and the reason', (folder) => {
    const dir = copyFixture();
    try {
      fs.writeFileSync(path.join(dir, 'alpha', 'bad.yaml'), `apiVersion: abi.io/v1\nkind: AbiInstance\nmetadata:\n  name: x\n  namespace: ${folder}\nspec:\n  replicas: 1\n`);
      expect(synthesisError(dir).message).toContain(`${path.join(dir, 'alpha', 'bad.yaml')}: document 1: AbiInstance ${folder}/x: metadata.namespace: "${folder}" is reserved in cluster "alpha": dist/alpha/${folder}/ holds the `);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    ['a-typo.yaml', 'b-flux.yaml'],
    ['b-typo.yaml', 'a-flux.yaml'],
  ])('GIVEN a reserved namespace and a schema error in another file (%s, %s) WHEN synthesized THEN both are reported in one run, in file order', (typoFile, fluxFile) => {
    const dir = copyFixture();
    try {
      fs.writeFileSync(path.join(dir, 'alpha', typoFile), 'apiVersion: abi.io/v1\nkind: AbiInstance\nmetadata:\n  name: typo\nspec:\n  replicas: 1\n  replica: 2\n');
      fs.writeFileSync(path.join(dir, 'alpha', fluxFile), 'apiVersion: abi.io/v1\nkind: AbiInstance\nmetadata:\n  name: y\n  namespace: flux\nspec:\n  replicas: 1\n---\napiVersion: abi.io/v1\nkind: AbiInstance\nmetadata:\n  name: x\n  namespace: platform\nspec:\n  replicas: 1\n');
      const problems = synthesisError(dir).problems.map((p) => `${path.basename(p.file)}#${p.document} ${p.path}`);
      const typo = [`${typoFile}#1 spec.replica`];
      const flux = [`${fluxFile}#1 metadata.namespace`, `${fluxFile}#2 metadata.namespace`];
      expect(problems).toEqual(typoFile < fluxFile ? [...typo, ...flux] : [...flux, ...typo]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN one file whose first document is in a reserved namespace and also has a typo, and whose second has a typo WHEN synthesized THEN every problem is reported, in document order', () => {
    const dir = copyFixture();
    try {
      const abi = (name: string, namespace: string) => `apiVersion: abi.io/v1\nkind: AbiInstance\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  replicas: 1\n  replica: 2\n`;
      fs.writeFileSync(path.join(dir, 'alpha', 'mixed.yaml'), `${abi('x', 'flux')}---\n${abi('y', 'team-c')}`);
      const problems = synthesisError(dir).problems.map((p) => `${path.basename(p.file)}#${p.document} ${p.path}`);
      expect(problems).toEqual(['mixed.yaml#1 metadata.namespace', 'mixed.yaml#1 spec.replica', 'mixed.yaml#2 spec.replica']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // Rendering the reconciler's Namespace a second time under <namespace>/ would
  // break `kubectl kustomize dist/<cluster>` and give it two GitOps owners.
  test('GIVEN an instance in the reconciler namespace WHEN synthesized THEN synth rejects it or the cluster still builds', () => {
    const dir = copyFixture();
    try {
      fs.writeFileSync(path.join(dir, 'alpha', 'sys.yaml'), 'apiVersion: abi.io/v1\nkind: AbiInstance\nmetadata:\n  name: x\n  namespace: cdk8s-abi-vecodex-system\nspec:\n  replicas: 1\n');
      let out: Map<string, string>;
      try {
        out = synthesizeRepository(dir);
      } catch (err) {
        expect(err).toBeInstanceOf(SpecValidationError);
        expect((err as Error).message).toContain('metadata.namespace');
        return;
      }
      expect(() => kustomizeBuild(out, 'alpha')).not.toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN a cluster profile without gitops.repoURL WHEN synthesized THEN no Argo CD or Flux objects are rendered', () => {
    const dir = copyFixture();
    try {
      fs.rmSync(path.join(dir, 'alpha', 'cluster.yaml'));
      const out = synthesizeRepository(dir);
      expect([...out.keys()].filter((f) => f.startsWith('alpha/argocd/') || f.startsWith('alpha/flux/'))).toEqual([]);
      expect(out.has('beta/argocd/applications.yaml')).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The SpecValidationError synthesizing `dir` must throw. */
function synthesisError(dir: string): SpecValidationError {
  try {
    synthesizeRepository(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(SpecValidationError);
    return err as SpecValidationError;
  }
  throw new Error(`synthesizing ${dir} succeeded; a SpecValidationError was expected`);
}
