import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { annotation, summaryTable } from '../../scripts/github-annotations';
import { abi, instancesDir, REPO_ROOT, runNode } from './support';

const ANNOTATE = 'lib/scripts/github-annotations.js';
const TRACING = '  replicas: 1\n  config:\n    tracing: true\n    jaegerEndpoint: http://jaeger:14268/api/traces\n';

/** The runner's scratch dir, outside the repository (and so outside the instances dir). */
const runnerTemp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'runner-temp-'));

const workflow = yaml.load(fs.readFileSync(path.join(REPO_ROOT, '.github/workflows/gitops.yaml'), 'utf8')) as any;
const steps: Array<{ name?: string; run?: string }> = workflow.jobs.render.steps;
const validateStep = steps.find((s) => s.run?.includes('npm run -s validate'));

describe('validate problems as GitHub annotations', () => {
  test('GIVEN real validate output for an error and a warning WHEN converted THEN each becomes an ::error/::warning on its file and line', () => {
    const root = instancesDir({ 'c1/multi.yaml': `${abi(TRACING, 'a')}---\n${abi('  replicas: 101\n', 'b')}` });
    const validate = runNode('lib/src/validate.js', ['--format', 'json'], { INSTANCES_DIR: root });
    expect(validate.status).toBe(1);
    const report = path.join(root, 'problems.json');
    fs.writeFileSync(report, validate.stdout);
    const summary = path.join(root, 'summary.md');
    const result = runNode(ANNOTATE, [report], { GITHUB_STEP_SUMMARY: summary }, root);
    expect(result.status).toBe(0);
    expect(fs.readFileSync(summary, 'utf8').split('\n')).toEqual(expect.arrayContaining([
      '### Instance specs: 1 error(s), 1 warning(s)',
      '| error | c1/multi.yaml:18 (document 2) | AbiInstance team/b spec.replicas | must be <= 100 |',
      expect.stringMatching(/^\| warning \| c1\/multi\.yaml:9 \(document 1\) \| AbiInstance team\/a spec\.config\.tracing \| is true, but/),
    ]));
    expect(result.stdout.split('\n')).toEqual([
      '::error file=c1/multi.yaml,line=18,col=3,title=AbiInstance team/b spec.replicas::document 2: spec.replicas: must be <= 100',
      expect.stringMatching(/^::warning file=c1\/multi\.yaml,line=9,col=5,title=AbiInstance team\/a spec\.config\.tracing::document 1: spec\.config\.tracing: is true, but/),
      '1 error(s), 1 warning(s)',
      '',
    ]);
  });

  test('GIVEN a problem with a newline, a percent sign, commas and colons WHEN converted THEN they are escaped as workflow commands require', () => {
    const line = annotation({ file: 'instances/a,b.yaml', document: 1, resource: 'AbiInstance ns/a', path: 'spec.x', severity: 'error', message: '100% wrong:\nsee docs', line: 3, column: 1 });
    expect(line).toBe('::error file=instances/a%2Cb.yaml,line=3,col=1,title=AbiInstance ns/a spec.x::document 1: spec.x: 100%25 wrong:%0Asee docs');
  });

  test('GIVEN a message with a pipe WHEN tabulated for the job summary THEN the table keeps its columns', () => {
    const table = summaryTable({ errors: 1, warnings: 0, problems: [{ file: 'instances/a.yaml', severity: 'error', message: 'use a | b\nor c' }] });
    expect(table).toContain('| error | instances/a.yaml |  | use a \\| b or c |');
    expect(summaryTable({ errors: 0, warnings: 0, problems: [] })).toContain('No problems.');
  });

  test('GIVEN a file-level problem without line WHEN converted THEN it names the file only', () => {
    expect(annotation({ file: 'instances/stray.yaml', severity: 'error', message: 'is outside any cluster folder' })).toBe('::error file=instances/stray.yaml::is outside any cluster folder');
  });

  test('GIVEN no readable report (validate crashed) WHEN converted THEN it fails with an annotation saying so', () => {
    const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'annotate-')), 'problems.json');
    fs.writeFileSync(empty, '');
    const result = runNode(ANNOTATE, [empty]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^::error title=validate::no problem report could be read/);
  });
});

describe('the GitOps workflow template validates before it synthesizes', () => {
  test('GIVEN the workflow WHEN read THEN a validate step with the JSON report and annotations runs before synth', () => {
    expect(validateStep).toBeDefined();
    const index = steps.indexOf(validateStep!);
    expect(index).toBeLessThan(steps.findIndex((s) => s.run?.startsWith('npm run synth')));
    expect(validateStep!.run).toContain('--format json');
    expect(validateStep!.run).toContain(`node ${ANNOTATE}`);
  });

  test('GIVEN a bad spec WHEN the validate step\'s script runs as the runner runs it THEN it fails the step and prints the annotation', () => {
    const root = instancesDir({ 'c1/a.yaml': abi('  replicas: 1\n  bogus: true\n') });
    const result = spawnSync('bash', ['-e', '-c', validateStep!.run!], {
      cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, RUNNER_TEMP: runnerTemp(), INSTANCES_DIR: root },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`::error file=${path.relative(REPO_ROOT, path.join(root, 'c1/a.yaml'))},line=8,col=3,title=AbiInstance team/a spec.bogus::document 1: spec.bogus: is not a known field`);
  });

  test('GIVEN valid specs WHEN the validate step\'s script runs THEN it passes', () => {
    const root = instancesDir({ 'c1/a.yaml': abi('  replicas: 1\n') });
    const result = spawnSync('bash', ['-e', '-c', validateStep!.run!], {
      cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, RUNNER_TEMP: runnerTemp(), INSTANCES_DIR: root },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('0 error(s), 0 warning(s)');
  });
});
