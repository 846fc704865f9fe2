import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

describe('CI workflow template', () => {
  const workflow = yaml.load(fs.readFileSync(path.join(__dirname, '..', '..', '.github', 'workflows', 'gitops.yaml'), 'utf8')) as any;
  const steps: Array<{ name?: string; run?: string; if?: string; env?: Record<string, string> }> = workflow.jobs.render.steps;
  const scripts = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).scripts as Record<string, string>;

  test('GIVEN the workflow WHEN read THEN it installs, tests, synthesizes, checks drift and diffs, in that order', () => {
    const runs = steps.map((s) => s.run ?? '').filter(Boolean);
    const order = ['npm ci', 'npm test', 'npm run synth', 'npm run check', 'npm run -s diff'].map((cmd) => runs.findIndex((r) => r.startsWith(cmd)));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test('GIVEN the synth step before the drift check WHEN it runs THEN it renders outside dist/, so the check still compares the committed dist/', () => {
    const synth = steps.find((s) => s.run?.startsWith('npm run synth'))!;
    const outdir = synth.env?.CDK8S_OUTDIR;
    expect(outdir).toBeDefined();
    expect(outdir).not.toMatch(/^(\.\/)?dist\/?$/);
    const check = steps.find((s) => s.run?.startsWith('npm run check'))!;
    expect(check.env?.CDK8S_OUTDIR).toBeUndefined();
  });

  test('GIVEN the npm scripts the workflow calls WHEN looked up THEN each exists', () => {
    for (const name of ['test', 'synth', 'check', 'diff']) expect(scripts[name]).toBeDefined();
  });

  test('GIVEN a pull request WHEN the diff steps run THEN only then, against the base branch, posting a comment', () => {
    const diff = steps.find((s) => s.run?.includes('npm run -s diff'))!;
    expect(diff.if).toBe("github.event_name == 'pull_request'");
    expect(diff.run).toContain('origin/${{ github.base_ref }}');
    expect(steps.some((s) => s.run?.includes('gh pr comment') && s.if === diff.if)).toBe(true);
  });
});
