import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { checkDist } from '../../scripts/check-dist';
import { readTree } from '../../src/gitops/output-drift';
import { synthesizeRepository } from '../../src/pipeline/synthesize';
import { writeOutputTree } from '../../src/pipeline/write-output';
import { copyFixture, twoClusters, wiringDocuments } from './fixtures';

function withFixture(fn: (dir: string) => void): void {
  const dir = copyFixture();
  try {
    fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('determinism', () => {
  test('GIVEN the same input WHEN rendered twice THEN the output is byte-identical', () => {
    const again = synthesizeRepository(path.join(__dirname, '..', 'fixtures', 'gitops', 'two-clusters'));
    expect([...again.entries()]).toEqual([...twoClusters().entries()]);
  });

  test('GIVEN files renamed and moved and documents reordered WHEN rendered THEN the output is byte-identical', () => withFixture((dir) => {
    const apps = path.join(dir, 'alpha', 'apps.yaml');
    const docs = (yaml.loadAll(fs.readFileSync(apps, 'utf8')) as unknown[]).reverse();
    fs.rmSync(apps);
    // Split across files whose names sort the other way round, one in a subfolder.
    fs.mkdirSync(path.join(dir, 'alpha', 'aa', 'zz'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'alpha', 'zz.yaml'), yaml.dump(docs[0]));
    fs.writeFileSync(path.join(dir, 'alpha', 'aa', 'zz', 'a.yml'), docs.slice(1).map((d) => yaml.dump(d)).join('---\n'));
    fs.renameSync(path.join(dir, 'alpha', 'vecodex.yaml'), path.join(dir, 'alpha', '0-vecodex.yaml'));
    fs.renameSync(path.join(dir, 'beta', 'nested', 'extra.yaml'), path.join(dir, 'beta', 'a-extra.yaml'));
    const shuffled = synthesizeRepository(dir);
    expect([...shuffled.keys()].sort()).toEqual([...twoClusters().keys()].sort());
    for (const [file, text] of twoClusters()) expect({ file, text: shuffled.get(file) }).toEqual({ file, text });
  }));
});

describe('removal', () => {
  test('GIVEN a rendered output WHEN an instance spec is deleted and synth runs again THEN its folder and every reference to it are gone', () => withFixture((dir) => {
    const out = path.join(dir, '..', `${path.basename(dir)}-out`);
    try {
      writeOutputTree(out, synthesizeRepository(dir));
      expect(fs.existsSync(path.join(out, 'beta', 'team-b', 'extra', 'manifests.yaml'))).toBe(true);
      fs.rmSync(path.join(dir, 'beta', 'nested', 'extra.yaml'));
      writeOutputTree(out, synthesizeRepository(dir));
      expect(fs.existsSync(path.join(out, 'beta', 'team-b', 'extra'))).toBe(false);
      const tree = readTree(out);
      expect(yaml.load(tree.get('beta/team-b/kustomization.yaml')!)).toEqual(expect.objectContaining({ resources: ['_namespace', 'scaled'] }));
      const fluxNames = wiringDocuments(tree, 'beta', 'flux').filter((d) => d.kind === 'Kustomization').map((k) => k.metadata.name);
      expect(fluxNames).toContain('abi-vecodex-beta-team-b-scaled');
      expect(fluxNames).not.toContain('abi-vecodex-beta-team-b-extra');
      expect(wiringDocuments(tree, 'beta', 'argocd').filter((d) => d.kind === 'Application').map((a) => a.metadata.name)).not.toContain('abi-vecodex-beta-team-b-extra');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }));

  test('GIVEN the last instances of a namespace WHEN deleted THEN the namespace folder, its Application and its Flux Kustomization are gone', () => withFixture((dir) => {
    const apps = path.join(dir, 'alpha', 'apps.yaml');
    const kept = (yaml.loadAll(fs.readFileSync(apps, 'utf8')) as any[]).filter((d) => d.metadata.namespace !== 'team-a');
    fs.writeFileSync(apps, kept.map((d) => yaml.dump(d)).join('---\n'));
    const files = synthesizeRepository(dir);
    expect([...files.keys()].filter((f) => f.startsWith('alpha/team-a/'))).toEqual([]);
    expect((yaml.load(files.get('alpha/kustomization.yaml')!) as any).resources).toEqual(['platform', 'default']);
    expect(wiringDocuments(files, 'alpha', 'argocd').filter((d) => d.kind === 'Application').map((a) => a.metadata.name)).not.toContain('abi-vecodex-alpha-team-a');
    expect(wiringDocuments(files, 'alpha', 'flux').filter((d) => d.kind === 'Kustomization').map((k) => k.metadata.name)).not.toContain('abi-vecodex-alpha-team-a');
  }));
});

describe('npm run check (drift guard)', () => {
  test('GIVEN committed output WHEN it matches, is edited, lacks a file or has a stale one THEN check passes only when it matches and lists each file', () => withFixture((dir) => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'check-out-'));
    try {
      writeOutputTree(out, synthesizeRepository(dir));
      expect(checkDist(dir, out)).toEqual({ ok: true, report: expect.stringContaining('up to date') });

      fs.appendFileSync(path.join(out, 'alpha', 'team-a', '_namespace', 'namespace.yaml'), '# hand edit\n');
      fs.rmSync(path.join(out, 'beta', 'flux', 'gitrepository.yaml'));
      fs.mkdirSync(path.join(out, 'alpha', 'team-a', 'removed'));
      fs.writeFileSync(path.join(out, 'alpha', 'team-a', 'removed', 'manifests.yaml'), 'kind: ConfigMap\n');
      const result = checkDist(dir, out);
      expect(result.ok).toBe(false);
      expect(result.report).toContain(`changed: ${out}/alpha/team-a/_namespace/namespace.yaml`);
      expect(result.report).toContain(`missing: ${out}/beta/flux/gitrepository.yaml`);
      expect(result.report).toContain(`stale:   ${out}/alpha/team-a/removed/manifests.yaml`);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }));
});
