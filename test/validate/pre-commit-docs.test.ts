/**
 * The pre-commit hooks the README documents, run as their hosts run them:
 * pre-commit's `local` hook appends the staged file names to `entry`; a plain
 * git hook runs its line with no arguments. Both must stop a commit with a bad
 * spec and let a good one through.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { abi, instancesDir, REPO_ROOT } from './support';

const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const preCommitConfig = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => yaml.load(m[1]) as any).find((doc) => doc?.repos?.[0]?.repo === 'local');
const hook = preCommitConfig?.repos[0].hooks[0];
const gitHookLine = /the line `([^`]+)` in an executable\s+`\.git\/hooks\/pre-commit`/.exec(readme)?.[1];

function run(command: string, instances: string) {
  return spawnSync('sh', ['-c', command], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, INSTANCES_DIR: instances } });
}

describe('the pre-commit hooks of the README', () => {
  const good = () => instancesDir({ 'c1/a.yaml': abi('  replicas: 1\n') }, 'hook-');
  const bad = () => instancesDir({ 'c1/a.yaml': abi('  replicas: 1\n'), 'c1/b.yaml': abi('  replicas: "3"\n', 'b') }, 'hook-');

  test('GIVEN the README WHEN read THEN it documents a pre-commit local hook over instance files and a plain git hook line', () => {
    expect(hook).toMatchObject({ language: 'system', files: expect.any(String) });
    expect(new RegExp(hook.files).test('instances/prod/abi.yaml')).toBe(true);
    expect(new RegExp(hook.files).test('src/main.ts')).toBe(false);
    expect(gitHookLine).toBeDefined();
  });

  test('GIVEN a staged bad spec WHEN the pre-commit entry runs with the staged file names THEN it fails naming the field', () => {
    const root = bad();
    const result = run(`${hook.entry} ${path.join(root, 'c1/b.yaml')} ${path.join(root, 'c1/a.yaml')}`, root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('c1/b.yaml: document 1: AbiInstance team/b: spec.replicas: must be of type integer');
  });

  test('GIVEN only good specs WHEN the pre-commit entry runs THEN it passes', () => {
    const root = good();
    expect(run(`${hook.entry} ${path.join(root, 'c1/a.yaml')}`, root).status).toBe(0);
  });

  test('GIVEN a bad spec WHEN the git hook line runs THEN it fails; with good specs it passes', () => {
    expect(run(gitHookLine!, bad()).status).toBe(1);
    expect(run(gitHookLine!, good()).status).toBe(0);
  });
});
