import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { boundedName, gitOpsNames, MAX_GITOPS_OBJECT_NAME } from '../../src/gitops/gitops-names';
import { SpecValidationError } from '../../src/pipeline/spec-error';
import { synthesizeRepository } from '../support/rendered';

describe('GitOps object names', () => {
  test('GIVEN an instance whose <root>-<namespace>-<name> fits THEN it is used as is', () => {
    expect(gitOpsNames('dev').instance('default', 'my-abi')).toBe('abi-vecodex-dev-default-my-abi');
  });

  test('GIVEN names that exceed the label-value limit Flux needs THEN the name is cut, hashed, stable and distinct per instance', () => {
    const names = gitOpsNames('production-eu-west');
    const ns = 'a'.repeat(40);
    const cases = ['b'.repeat(50), `${'b'.repeat(49)}c`, 'short'];
    const got = cases.map((name) => names.instance(ns, name));
    expect(got.length).toBe(3);
    for (const name of got) {
      expect(name.length).toBeLessThanOrEqual(MAX_GITOPS_OBJECT_NAME);
      expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
    expect(new Set(got).size).toBe(3);
    expect(names.instance(ns, cases[0])).toBe(got[0]);
    expect(boundedName('x'.repeat(MAX_GITOPS_OBJECT_NAME))).toBe('x'.repeat(MAX_GITOPS_OBJECT_NAME));
  });

  test('GIVEN namespace a-b with instance c and namespace a with instance b-c WHEN synthesized THEN synth names both files and refuses the shared name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'names-'));
    try {
      fs.mkdirSync(path.join(dir, 'dev'));
      fs.writeFileSync(path.join(dir, 'dev', 'cluster.yaml'), yaml.dump({
        apiVersion: 'cdk8s-abi-vecodex/v1alpha1', kind: 'ClusterProfile', metadata: { name: 'dev' },
        spec: { gitops: { repoURL: 'https://git.example.com/fleet.git' } },
      }));
      const abi = (namespace: string, name: string) => yaml.dump({ apiVersion: 'abi.io/v1', kind: 'AbiInstance', metadata: { name, namespace }, spec: { replicas: 1 } });
      fs.writeFileSync(path.join(dir, 'dev', 'one.yaml'), abi('a-b', 'c'));
      fs.writeFileSync(path.join(dir, 'dev', 'two.yaml'), abi('a', 'b-c'));
      let error: unknown;
      try { synthesizeRepository(dir); } catch (err) { error = err; }
      expect(error).toBeInstanceOf(SpecValidationError);
      const problems = (error as SpecValidationError).problems;
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ path: 'metadata.name', message: expect.stringContaining('"abi-vecodex-dev-a-b-c"') });
      expect(problems[0].file).toMatch(/(one|two)\.yaml$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
