import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { treeAtRef } from '../../scripts/rendered-diff';
import { fieldChanges, formatRenderedDiff, objectsByKey, renderedDiff } from '../../src/gitops/rendered-diff';
import { synthesizeRepository } from '../../src/pipeline/synthesize';
import { writeOutputTree } from '../../src/pipeline/write-output';
import { copyFixture, twoClusters } from './fixtures';

describe('npm run diff (rendered change per object)', () => {
  test('GIVEN a spec edit, a removed and an added instance WHEN diffed THEN objects are listed as added, changed with field paths, and removed', () => {
    const dir = copyFixture();
    try {
      const scaled = path.join(dir, 'beta', 'scaled.yaml');
      const doc = yaml.load(fs.readFileSync(scaled, 'utf8')) as any;
      doc.spec.autoscaling.maxReplicas = 8;
      fs.writeFileSync(scaled, yaml.dump(doc));
      fs.renameSync(path.join(dir, 'beta', 'nested', 'extra.yaml'), path.join(dir, 'alpha', 'extra.yaml'));
      const diff = renderedDiff(twoClusters(), synthesizeRepository(dir));

      expect(diff.added).toContain('alpha: AbiInstance team-b/extra (abi.io/v1)');
      expect(diff.removed).toContain('beta: AbiInstance team-b/extra (abi.io/v1)');
      const hpa = diff.changed.find((c) => c.object === 'beta: HorizontalPodAutoscaler team-b/scaled (autoscaling/v2)');
      expect(hpa?.fields).toEqual([{ path: 'spec.maxReplicas', before: 5, after: 8 }]);
      expect(diff.changed.map((c) => c.object)).toContain('beta: kustomize beta/team-b/kustomization.yaml');
      const md = formatRenderedDiff(diff, 'Rendered changes');
      expect(md).toContain('  - spec.maxReplicas: 5\n  + spec.maxReplicas: 8');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN identical trees WHEN diffed THEN there is no change', () => {
    expect(formatRenderedDiff(renderedDiff(twoClusters(), twoClusters()), 'x')).toBe('### x\n\nNo rendered change.\n');
  });

  test('GIVEN named list items WHEN compared THEN they match by name, not position', () => {
    const before = { containers: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y:1' }] };
    const after = { containers: [{ name: 'b', image: 'y:2' }, { name: 'a', image: 'x:1' }] };
    expect(fieldChanges(before, after, '')).toEqual([{ path: 'containers[b].image', before: 'y:1', after: 'y:2' }]);
  });

  test('GIVEN a git ref WHEN its committed output is read THEN the files under the output dir come back relative to it', () => {
    const repo = copyFixture();
    try {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
      git('init', '-q');
      writeOutputTree(path.join(repo, 'dist'), twoClusters());
      git('add', 'dist');
      git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'render');
      fs.rmSync(path.join(repo, 'dist'), { recursive: true });
      const tree = treeAtRef('HEAD', 'dist', repo);
      expect([...tree.keys()].sort()).toEqual([...twoClusters().keys()].sort());
      expect(renderedDiff(tree, twoClusters()).changed).toEqual([]);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  describe('changes the API server refuses, or that strand data', () => {
    /** The fixture's change when `edit` changes the spec of `basic` (alpha/apps.yaml; default ReadWriteOnce storage: a StatefulSet). */
    const withBasic = (edit: (spec: any) => void) => renderedDiff(twoClusters(), renderWithBasic(edit));
    const renderWithBasic = (edit: (spec: any) => void) => {
      const dir = copyFixture();
      try {
        const file = path.join(dir, 'alpha', 'apps.yaml');
        const docs = yaml.loadAll(fs.readFileSync(file, 'utf8')) as any[];
        edit(docs.find((d) => d.metadata.name === 'basic').spec);
        fs.writeFileSync(file, docs.map((d) => yaml.dump(d)).join('---\n'));
        return synthesizeRepository(dir);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };

    test('GIVEN a larger storage size on a StatefulSet instance WHEN diffed THEN the review is told the update will be refused and how to do it', () => {
      const diff = withBasic((spec) => { spec.storage = { size: '20Gi' }; });
      expect(diff.hazards).toEqual([{
        object: 'alpha: StatefulSet default/basic (apps/v1)',
        message: expect.stringMatching(/^changes spec\.volumeClaimTemplates, which the API server refuses to update on a StatefulSet: the sync fails until the StatefulSet is deleted with `kubectl delete statefulset <name> --cascade=orphan`/),
      }]);
      expect(formatRenderedDiff(diff, 'x')).toContain('**Needs attention before merging**\n\n- `alpha: StatefulSet default/basic (apps/v1)` changes spec.volumeClaimTemplates');
    });

    test('GIVEN ReadWriteMany instead of ReadWriteOnce WHEN diffed THEN the new Deployment is flagged: the StatefulSet\'s data stays on its claims', () => {
      const diff = withBasic((spec) => { spec.storage = { accessModes: ['ReadWriteMany'] }; });
      expect(diff.removed).toContain('alpha: StatefulSet default/basic (apps/v1)');
      expect(diff.hazards).toEqual([{ object: 'alpha: Deployment default/basic (apps/v1)', message: expect.stringContaining('replaces the StatefulSet of the same name: its pods start on other volumes') }]);
    });

    test('GIVEN ReadWriteMany back to ReadWriteOnce WHEN diffed THEN the StatefulSet is flagged, and the dropped shared claim is kept (prune-protected), and the review is told so', () => {
      const before = renderWithBasic((spec) => { spec.storage = { accessModes: ['ReadWriteMany'] }; });
      const claim = 'alpha: PersistentVolumeClaim default/basic-data (v1)';
      expect((objectsByKey(before).get(claim) as any).metadata.annotations).toEqual({
        'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
        'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      });
      const diff = renderedDiff(before, twoClusters());
      expect(diff.removed).toContain(claim);
      expect(diff.hazards).toEqual(expect.arrayContaining([
        { object: 'alpha: StatefulSet default/basic (apps/v1)', message: expect.stringContaining('replaces the Deployment of the same name') },
        { object: claim, message: expect.stringMatching(/^is no longer rendered: it stays in the cluster \(pruning is disabled on it\)/) },
      ]));
    });

    test('GIVEN an unprotected claim that leaves the output WHEN diffed THEN the review is told it will be pruned with its data', () => {
      const claim = yaml.dump({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'ns' }, spec: {} });
      expect(renderedDiff(new Map([['c/a.yaml', claim]]), new Map()).hazards).toEqual([{ object: 'c: PersistentVolumeClaim ns/data (v1)', message: expect.stringContaining('Argo CD and Flux prune it') }]);
    });

    test('GIVEN an ordinary change (replicas, image) WHEN diffed THEN nothing needs attention', () => {
      const diff = withBasic((spec) => { spec.replicas = 3; spec.image = { tag: 'v2' }; });
      expect(diff.changed.map((c) => c.object)).toContain('alpha: StatefulSet default/basic (apps/v1)');
      expect(diff.hazards).toEqual([]);
      expect(formatRenderedDiff(diff, 'x')).not.toContain('Needs attention');
    });

    test('GIVEN claims and selectors that change WHEN diffed THEN shrinking, growing, access modes and selectors are each flagged', () => {
      const claim = (storage: string, mode = 'ReadWriteOnce') => yaml.dump({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'ns' }, spec: { accessModes: [mode], resources: { requests: { storage } } } });
      const deployment = (app: string) => yaml.dump({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'ns' }, spec: { selector: { matchLabels: { app } } } });
      const tree = (files: Record<string, string>) => new Map(Object.entries(files));
      const messages = (before: Record<string, string>, after: Record<string, string>) =>
        renderedDiff(tree(before), tree(after)).hazards.map((h) => h.message);
      expect(messages({ 'c/a.yaml': claim('10Gi') }, { 'c/a.yaml': claim('5Gi') })).toEqual(['shrinks from 10Gi to 5Gi: claims never shrink, the sync fails']);
      expect(messages({ 'c/a.yaml': claim('10Gi') }, { 'c/a.yaml': claim('20Gi') })).toEqual([expect.stringMatching(/^grows from 10Gi to 20Gi: only a StorageClass with allowVolumeExpansion/)]);
      expect(messages({ 'c/a.yaml': claim('10Gi') }, { 'c/a.yaml': claim('10Gi', 'ReadWriteMany') })).toEqual([expect.stringMatching(/^changes spec\.accessModes, which the API server refuses to update on a PersistentVolumeClaim/)]);
      expect(messages({ 'c/a.yaml': deployment('a') }, { 'c/a.yaml': deployment('b') })).toEqual([expect.stringMatching(/^changes spec\.selector, which the API server refuses to update on a Deployment/)]);
      const strategy = (type?: string) => yaml.dump({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'ns' }, spec: { ...(type ? { strategy: { type } } : {}) } });
      expect(messages({ 'c/a.yaml': strategy() }, { 'c/a.yaml': strategy('Recreate') })).toEqual([expect.stringMatching(/^switches spec\.strategy\.type to Recreate: a server-side apply .* leaves the defaulted spec\.strategy\.rollingUpdate in place/)]);
      expect(messages({ 'c/a.yaml': strategy('Recreate') }, { 'c/a.yaml': strategy('RollingUpdate') })).toEqual([]);
      const statefulSet = (serviceName: string) => yaml.dump({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db-etcd', namespace: 'ns' }, spec: { serviceName } });
      expect(messages({ 'c/a.yaml': statefulSet('db-etcd') }, { 'c/a.yaml': statefulSet('db-etcd-headless') })).toEqual([
        expect.stringMatching(/^changes spec\.serviceName, which the API server refuses to update on a StatefulSet: .*`kubectl delete statefulset <name> --cascade=orphan`.*adopts them/),
      ]);
    });
  });
});
