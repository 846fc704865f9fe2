import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { treeAtRef } from '../../scripts/rendered-diff';
import { fieldChanges, formatRenderedDiff, renderedDiff } from '../../src/gitops/rendered-diff';
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
});
