import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { gitOpsNames, MAX_GITOPS_OBJECT_NAME } from '../../src/gitops/gitops-names';
import { byShard, MAX_INSTANCES_PER_SHARD, SHARDS_PER_NAMESPACE, shardOf } from '../../src/gitops/instance-shards';
import { SpecValidationError } from '../../src/pipeline/spec-error';
import { synthesizeRepository } from '../support/rendered';

const names = (n: number, prefix = 'abi') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** Renders cluster "dev" with basic AbiInstances, by namespace. */
function synthFleet(byNamespace: Record<string, readonly string[]>): ReadonlyMap<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shards-'));
  try {
    fs.mkdirSync(path.join(dir, 'dev'));
    fs.writeFileSync(path.join(dir, 'dev', 'cluster.yaml'), yaml.dump({
      apiVersion: 'cdk8s-abi-vecodex/v1alpha1', kind: 'ClusterProfile', metadata: { name: 'dev' },
      spec: { gitops: { repoURL: 'https://git.example.com/fleet.git' } },
    }));
    const docs = Object.entries(byNamespace).flatMap(([namespace, instances]) => instances.map((name) =>
      yaml.dump({ apiVersion: 'abi.io/v1', kind: 'AbiInstance', metadata: { name, namespace }, spec: { replicas: 1 } })));
    fs.writeFileSync(path.join(dir, 'dev', 'fleet.yaml'), docs.join('---\n'));
    return synthesizeRepository(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('GitOps shards', () => {
  test('GIVEN a synthesized namespace WHEN instances are added and removed THEN every other shard\'s files are byte-identical and no instance changes shard folder', () => {
    const before = names(60);
    const removed = before[7];
    const added = names(5, 'new');
    const after = [...before.filter((n) => n !== removed), ...added];
    const treeBefore = synthFleet({ apps: before });
    const treeAfter = synthFleet({ apps: after });
    const touched = new Set([removed, ...added].map(shardOf));
    const shardFiles = (tree: ReadonlyMap<string, string>) => [...tree.keys()].filter((f) => /\/(argocd|flux)\/apps\/shard-[0-9a-f]\//.test(f));
    const untouched = shardFiles(treeBefore).filter((f) => !touched.has(f.match(/shard-([0-9a-f])\//)![1]));
    expect(untouched.length).toBeGreaterThan(0);
    for (const file of untouched) expect(treeAfter.get(file)).toBe(treeBefore.get(file));
    // Each kept instance's Application is still listed by the same shard folder.
    const listedIn = (tree: ReadonlyMap<string, string>, instance: string) => shardFiles(tree)
      .filter((f) => f.endsWith('/applications.yaml') && tree.get(f)!.includes(`name: ${gitOpsNames('dev').instance('apps', instance)}\n`));
    const kept = before.filter((n) => n !== removed);
    expect(kept.length).toBe(59);
    for (const instance of kept) {
      expect(listedIn(treeBefore, instance)).toHaveLength(1);
      expect(listedIn(treeAfter, instance)).toEqual(listedIn(treeBefore, instance));
    }
  }, 120_000);

  test('GIVEN namespace "x--shard-f" and an instance of namespace "x" in shard f WHEN synthesized THEN synth refuses, naming both namespaces and the fix', () => {
    const inShardF = names(100, 'i').find((n) => shardOf(n) === 'f')!;
    let error: unknown;
    try { synthFleet({ 'x': [inShardF], 'x--shard-f': ['other'] }); } catch (err) { error = err; }
    expect(error).toBeInstanceOf(SpecValidationError);
    const messages = (error as SpecValidationError).problems.map((p) => p.message);
    expect(messages).toContainEqual(expect.stringMatching(/namespace x--shard-f and the shard f of namespace x both get .* name "abi-vecodex-dev-x--shard-f"; rename one of the namespaces/));
  }, 60_000);

  test('GIVEN 5,000 instances in one namespace WHEN sharded THEN every shard is used and none exceeds the bound', () => {
    const shards = byShard(names(5000), (n) => n);
    expect(shards.map((s) => s.shard)).toEqual([...'0123456789abcdef']);
    expect(shards.length).toBe(SHARDS_PER_NAMESPACE);
    const sizes = shards.map((s) => s.items.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_INSTANCES_PER_SHARD);
  });

  test('GIVEN long cluster and namespace names WHEN a shard is named THEN the name is a DNS label within the label-value limit, distinct per shard', () => {
    const long = gitOpsNames('c'.repeat(40));
    const got = [...'0123456789abcdef'].map((d) => long.shard('n'.repeat(20), d));
    for (const name of got) {
      expect(name.length).toBeLessThanOrEqual(MAX_GITOPS_OBJECT_NAME);
      expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
    expect(new Set(got).size).toBe(16);
    expect(gitOpsNames('dev').shard('apps', 'a')).toBe('abi-vecodex-dev-apps--shard-a');
  });

  test('GIVEN more instances in one shard than the bound WHEN synthesized THEN synth refuses the namespace, naming it and the shard', () => {
    const crowded: string[] = [];
    for (let i = 0; crowded.length <= MAX_INSTANCES_PER_SHARD; i++) if (shardOf(`x${i}`) === '0') crowded.push(`x${i}`);
    let error: unknown;
    try { synthFleet({ crowd: crowded }); } catch (err) { error = err; }
    expect(error).toBeInstanceOf(SpecValidationError);
    const problems = (error as SpecValidationError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'metadata.namespace', message: expect.stringContaining(`${MAX_INSTANCES_PER_SHARD + 1} of them fall into GitOps shard 0`) });
  }, 120_000);
});
