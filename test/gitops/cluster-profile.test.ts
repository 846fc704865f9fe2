import * as fs from 'fs';
import * as path from 'path';
import { synthesizeRepository } from '../../src/pipeline/synthesize';
import { reconcilerImage, resolveClusterProfile } from '../../src/shared/cluster-profile';
import { copyFixture } from './fixtures';

describe('cluster profile: GitOps, registry and reconciler fields', () => {
  test('GIVEN no profile WHEN resolved THEN defaults apply and no repository is guessed', () => {
    const p = resolveClusterProfile();
    expect(p.gitops).toMatchObject({ repoURL: undefined, revision: 'main', path: 'dist', argocd: { namespace: 'argocd' }, flux: { namespace: 'flux-system', healthCheck: 'cel' } });
    expect(p.reconciler).toEqual({ image: reconcilerImage(), namespace: 'cdk8s-abi-vecodex-system', enabled: true });
    expect(p.imagePullSecrets).toEqual([]);
    expect(resolveClusterProfile({ imageRegistry: 'mirror.example.com/x' }).reconciler.image).toBe('mirror.example.com/x/cdk8s-abi-vecodex/status-reconciler:0.1.0');
    // Charts resolve what the pipeline already resolved.
    expect(resolveClusterProfile(p)).toEqual(p);
  });

  test('GIVEN each spelling of a repository path WHEN resolved THEN it is the folder names alone, the root being empty', () => {
    const cases: Array<[string, string]> = [['dist', 'dist'], ['./dist/', 'dist'], ['/deploy/rendered/', 'deploy/rendered'], ['.', ''], ['./', ''], ['/', '']];
    expect(cases.length).toBeGreaterThan(0);
    for (const [given, resolved] of cases) {
      expect({ given, path: resolveClusterProfile({ gitops: { path: given } }).gitops.path }).toEqual({ given, path: resolved });
    }
    // At the repository root the sources and paths start at the cluster folder.
    const dir = copyFixture();
    try {
      const file = path.join(dir, 'beta', 'cluster.yaml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^(\s+)path: deploy\/rendered$/m, '$1path: .'));
      const out = synthesizeRepository(dir);
      const source = out.get('beta/flux/gitrepository.yaml')!;
      expect(source).toContain('    /*\n    !/beta/\n    /beta/*\n    !/beta/flux/\n');
      expect(out.get('beta/flux/kustomizations.yaml')).toContain('path: ./beta/platform\n');
      expect(out.get('beta/argocd/applications.yaml')).toContain('path: beta/platform\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN bad GitOps fields WHEN synthesized THEN every problem names the profile file and the field', () => {
    const dir = copyFixture();
    try {
      const file = path.join(dir, 'alpha', 'cluster.yaml');
      fs.writeFileSync(file, [
        'apiVersion: cdk8s-abi-vecodex/v1alpha1', 'kind: ClusterProfile', 'spec:', '  gitops:',
        '    repoURL: git@github.com:acme/fleet.git', '    flux:', '      interval: often', '    argocd:', '      project: x', '',
      ].join('\n'));
      expect(() => synthesizeRepository(dir)).toThrow(/cluster\.yaml: document 1: ClusterProfile: spec\.gitops\.repoURL/);
      let message = '';
      try { synthesizeRepository(dir); } catch (err) { message = (err as Error).message; }
      expect(message).toContain('spec.gitops.flux.interval');
      expect(message).toContain('spec.gitops.argocd.project');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cluster profile: image and network policy fields', () => {
  test('GIVEN no profile WHEN resolved THEN floating images warn and NetworkPolicies are on, with the documented namespaces and open egress', () => {
    const p = resolveClusterProfile();
    expect(p.imagePolicy).toBe('warn');
    expect(p.networkPolicy).toEqual({ enabled: true, ingressNamespace: 'ingress-nginx', monitoringNamespace: 'monitoring', egress: 'open' });
    expect(resolveClusterProfile(p)).toEqual(p);
  });

  test('GIVEN bad image and network policy fields WHEN synthesized THEN every problem names the profile file and the field', () => {
    const dir = copyFixture();
    try {
      fs.writeFileSync(path.join(dir, 'alpha', 'cluster.yaml'), [
        'apiVersion: cdk8s-abi-vecodex/v1alpha1', 'kind: ClusterProfile', 'spec:', '  imagePolicy: strict', '  networkPolicy:',
        '    ingressNamespace: Ingress_NGINX', '    egress: closed', '    monitoring: prometheus', '',
      ].join('\n'));
      let message = '';
      try { synthesizeRepository(dir); } catch (err) { message = (err as Error).message; }
      for (const field of ['spec.imagePolicy', 'spec.networkPolicy.ingressNamespace', 'spec.networkPolicy.egress', 'spec.networkPolicy.monitoring']) {
        expect(message).toMatch(new RegExp(`cluster\\.yaml: document 1: ClusterProfile: ${field.replace(/\./g, '\\.')}`));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
