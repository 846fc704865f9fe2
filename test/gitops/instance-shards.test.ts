import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { gitOpsNames, MAX_GITOPS_OBJECT_NAME } from '../../src/gitops/gitops-names';
import { byShard, MAX_INSTANCES_PER_SHARD, SHARDS_PER_NAMESPACE, shardOf } from '../../src/gitops/instance-shards';
import { SpecValidationError } from '../../src/pipeline/spec-error';
import { synthesizeRepository } from '../support/rendered';

const names = (n: number, prefix = 'abi') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('GitOps shards', () => {
  test('GIVEN a namespace WHEN instances are added or removed THEN no other instance changes shard', () => {
    const before = names(1000);
    const shardsBefore = new Map(before.map((n) => [n, shardOf(n)]));
    const after = [...before.slice(0, 400), ...before.slice(401), ...names(300, 'new')];
    const moved = after.filter((n) => shardsBefore.has(n) && shardsBefore.get(n) !== shardOf(n));
    expect(after.length).toBe(1299);
    expect(moved).toEqual([]);
  });

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
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shards-'));
    try {
      fs.mkdirSync(path.join(dir, 'dev'));
      fs.writeFileSync(path.join(dir, 'dev', 'cluster.yaml'), yaml.dump({
        apiVersion: 'cdk8s-abi-vecodex/v1alpha1', kind: 'ClusterProfile', metadata: { name: 'dev' },
        spec: { gitops: { repoURL: 'https://git.example.com/fleet.git' } },
      }));
      fs.writeFileSync(path.join(dir, 'dev', 'many.yaml'), crowded.map((name) => yaml.dump({ apiVersion: 'abi.io/v1', kind: 'AbiInstance', metadata: { name, namespace: 'crowd' }, spec: { replicas: 1 } })).join('---\n'));
      let error: unknown;
      try { synthesizeRepository(dir); } catch (err) { error = err; }
      expect(error).toBeInstanceOf(SpecValidationError);
      const problems = (error as SpecValidationError).problems;
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ path: 'metadata.namespace', message: expect.stringContaining(`${MAX_INSTANCES_PER_SHARD + 1} of them fall into GitOps shard 0`) });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
