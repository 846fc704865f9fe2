/**
 * `npm run validate` through its real entry point (lib/src/validate.js, as the
 * npm script runs it), in a scratch repository: exit codes, messages, JSON
 * report with lines, PATH semantics, and that it writes nothing.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesizeRepository } from '../../src/pipeline/synthesize';
import { abi, PROFILE, REPO_ROOT, runNode, snapshotTree } from './support';

const VALIDATE = 'lib/src/validate.js';
const SYNTH = 'lib/src/main.js';

/** A scratch repository: instances/ with these files, and a committed-looking dist/. */
function scratchRepo(files: Record<string, string>): string {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-repo-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(repo, 'instances', rel)), { recursive: true });
    fs.writeFileSync(path.join(repo, 'instances', rel), text);
  }
  fs.mkdirSync(path.join(repo, 'dist'));
  fs.writeFileSync(path.join(repo, 'dist', 'previous.yaml'), 'kept: true\n');
  return repo;
}

const copyOfRepositoryInstances = (): Record<string, string> => Object.fromEntries(
  fs.readdirSync(path.join(REPO_ROOT, 'instances'), { recursive: true, encoding: 'utf8' })
    .filter((rel) => rel.endsWith('.yaml'))
    .map((rel) => [rel, fs.readFileSync(path.join(REPO_ROOT, 'instances', rel), 'utf8')]),
);

/** The "  - ..." problem lines of synth's or validate's error block. */
const problemLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('  - '));

const TRACING = '  replicas: 1\n  config:\n    tracing: true\n    jaegerEndpoint: http://jaeger:14268/api/traces\n';

// Line 14 of document 2 is "  replicas: 101"; line 5 of document 1 "  config:"... see the file.
const MULTI = `${abi(TRACING, 'a')}---\n${abi('  image:\n    tag: v1\n  replicas: 101\n', 'b')}`;
// 1 apiVersion, 2 kind, 3 metadata, 4 name, 5 namespace, 6 spec, 7 replicas, 8 config, 9 tracing, 10 jaegerEndpoint,
// 11 ---, 12 apiVersion, 13 kind, 14 metadata, 15 name, 16 namespace, 17 spec, 18 image, 19 tag, 20 replicas: 101

describe('npm run validate', () => {
  test('GIVEN the repository\'s own instances WHEN validated THEN it exits 0, says synth would pass, prints the warnings, and writes nothing', () => {
    const repo = scratchRepo(copyOfRepositoryInstances());
    const before = snapshotTree(repo);
    const result = runNode(VALIDATE, [], { CDK8S_OUTDIR: path.join(repo, 'out'), INSTANCES_DIR: undefined }, repo);
    expect(result.status).toBe(0);
    const files = synthesizeRepository(path.join(REPO_ROOT, 'instances')).size;
    expect(result.stdout).toMatch(new RegExp(`^instances: valid, \\d+ warning\\(s\\); synth would write ${files} files; nothing was written\n$`));
    expect(result.stderr).toContain('warning: instances/prod/abi-production.yaml: document 1: AbiInstance abi/abi-production: spec.config.tracing: is true');
    expect(snapshotTree(repo)).toEqual(before);
    expect(fs.existsSync(path.join(repo, 'out'))).toBe(false);
  });

  test('GIVEN problems of every stage (schema, rules, cross-file, profile, reserved namespace) WHEN validated THEN it exits 1 with exactly synth\'s messages, and writes nothing', () => {
    const repo = scratchRepo({
      'c1/cluster.yaml': `${PROFILE}spec:\n  podSecurityLevel: strict\n`,
      'c1/a.yaml': abi('  replicas: 1\n  bogus: true\n', 'a'),
      'c1/b.yaml': abi('  replicas: 5\n  autoscaling:\n    enabled: true\n    minReplicas: 5\n    maxReplicas: 3\n', 'b'),
      'c2/x.yaml': abi('  replicas: 1\n', 'same'),
      'c2/y.yaml': abi('  replicas: 1\n', 'same'),
      'c2/z.yaml': abi('  replicas: 1\n', 'z', 'platform'),
    });
    const before = snapshotTree(repo);
    const validate = runNode(VALIDATE, [], { INSTANCES_DIR: undefined }, repo);
    expect(validate.status).toBe(1);
    expect(snapshotTree(repo)).toEqual(before);
    const synth = runNode(SYNTH, [], { INSTANCES_DIR: undefined, CDK8S_OUTDIR: path.join(repo, 'dist') }, repo);
    expect(synth.status).toBe(1);
    expect(problemLines(validate.stderr)).toEqual(problemLines(synth.stderr));
    expect(problemLines(validate.stderr)).toEqual(expect.arrayContaining([
      expect.stringContaining('instances/c1/a.yaml: document 1: AbiInstance team/a: spec.bogus: is not a known field'),
      expect.stringContaining('instances/c1/b.yaml: document 1: AbiInstance team/b: spec.autoscaling.minReplicas:'),
      expect.stringContaining('instances/c1/cluster.yaml: document 1: ClusterProfile: spec.podSecurityLevel: must be one of'),
      expect.stringContaining('instances/c2/y.yaml: document 1: AbiInstance team/same: metadata.name: duplicates AbiInstance team/same in instances/c2/x.yaml'),
      expect.stringContaining('instances/c2/z.yaml: document 1: AbiInstance platform/z: metadata.namespace: "platform" is reserved'),
    ]));
    expect(validate.stderr).toContain('instances: synth would fail (5 problem(s)); nothing was written');
  });

  test('GIVEN a multi-document file with an error in document 2 and a warning in document 1 WHEN validated with --format json THEN each entry has its file, document, path, severity, message, line and column', () => {
    const repo = scratchRepo({ 'c1/multi.yaml': MULTI });
    const result = runNode(VALIDATE, ['--format', 'json'], { INSTANCES_DIR: undefined }, repo);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toEqual({
      errors: 1,
      warnings: 1,
      problems: [
        { file: 'instances/c1/multi.yaml', document: 2, resource: 'AbiInstance team/b', path: 'spec.replicas', severity: 'error', message: 'must be <= 100', line: 20, column: 3 },
        { file: 'instances/c1/multi.yaml', document: 1, resource: 'AbiInstance team/a', path: 'spec.config.tracing', severity: 'warning', message: expect.stringContaining('is true, but the binary reads neither'), line: 9, column: 5 },
      ],
    });
    expect(MULTI.split('\n')[20 - 1]).toBe('  replicas: 101');
    expect(MULTI.split('\n')[9 - 1]).toBe('    tracing: true');
  });

  test('GIVEN --report FILE WHEN validated THEN FILE holds the JSON report, the text stays on stderr, and nothing else is written', () => {
    const repo = scratchRepo({ 'c1/multi.yaml': MULTI });
    const before = snapshotTree(repo);
    const reportFile = path.join(os.tmpdir(), `validate-report-${process.pid}.json`);
    const result = runNode(VALIDATE, ['--report', reportFile], { INSTANCES_DIR: undefined }, repo);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(problemLines(result.stderr)).toEqual([expect.stringContaining('spec.replicas: must be <= 100')]);
    expect(JSON.parse(fs.readFileSync(reportFile, 'utf8'))).toMatchObject({ errors: 1, warnings: 1 });
    expect(snapshotTree(repo)).toEqual(before);
    fs.rmSync(reportFile);
  });

  test('GIVEN a file that is not valid YAML WHEN validated with --format json THEN the entry points at the syntax error', () => {
    const repo = scratchRepo({ 'c1/broken.yaml': 'apiVersion: abi.io/v1\nkind: AbiInstance\nmetadata: {name: bad\nspec: {}\n' });
    const report = JSON.parse(runNode(VALIDATE, ['--format=json'], { INSTANCES_DIR: undefined }, repo).stdout);
    expect(report.problems).toEqual([expect.objectContaining({ file: 'instances/c1/broken.yaml', severity: 'error', message: expect.stringContaining('is not valid YAML'), line: expect.any(Number) })]);
    expect(report.problems[0].line).toBeGreaterThanOrEqual(3);
  });

  describe('PATH arguments choose what is reported, never what is checked', () => {
    const files = { 'c1/good.yaml': abi('  replicas: 1\n', 'good'), 'c1/bad.yaml': abi('  replicas: x\n', 'bad'), 'c2/other.yaml': abi(TRACING, 'other') };

    test('GIVEN the bad file WHEN validated THEN only its problems are listed, and the other file\'s warning is counted', () => {
      const repo = scratchRepo(files);
      const result = runNode(VALIDATE, ['--format', 'json', 'instances/c1/bad.yaml'], { INSTANCES_DIR: undefined }, repo);
      expect(result.status).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report.problems.map((p: { file: string; path: string }) => `${p.file} ${p.path}`)).toEqual(['instances/c1/bad.yaml spec.replicas']);
      expect(report.outside).toEqual({ errors: 0, warnings: 1 });
    });

    test('GIVEN only a good file while another is bad WHEN validated THEN nothing is listed but it still fails: synth would', () => {
      const repo = scratchRepo(files);
      const result = runNode(VALIDATE, ['instances/c1/good.yaml'], { INSTANCES_DIR: undefined }, repo);
      expect(result.status).toBe(1);
      expect(problemLines(result.stderr)).toEqual([]);
      expect(result.stderr).toContain('1 error(s) and 1 warning(s) in files not given: run `npm run validate` without paths to see them');
    });

    test('GIVEN a cluster folder WHEN validated THEN the problems of its files are listed', () => {
      const repo = scratchRepo(files);
      const result = runNode(VALIDATE, ['instances/c1'], { INSTANCES_DIR: undefined }, repo);
      expect(result.status).toBe(1);
      expect(problemLines(result.stderr)).toEqual([expect.stringContaining('instances/c1/bad.yaml: document 1: AbiInstance team/bad: spec.replicas: must be of type integer')]);
    });

    test('GIVEN `npm run validate` typed in a cluster folder WHEN given a file name THEN it is that folder\'s file (npm starts scripts in the package root)', () => {
      const repo = scratchRepo(files);
      const result = runNode(VALIDATE, ['bad.yaml'], { INSTANCES_DIR: undefined, npm_lifecycle_event: 'validate', INIT_CWD: path.join(repo, 'instances/c1') }, repo);
      expect(result.status).toBe(1);
      expect(problemLines(result.stderr)).toEqual([expect.stringContaining('instances/c1/bad.yaml: document 1')]);
    });

    test.each([
      ['a file outside the instances dir', ['README.md'], 'is not under instances/'],
      ['a file that does not exist', ['instances/c1/nope.yaml'], 'does not exist'],
      ['an unknown option', ['--fix'], 'is not an option of validate'],
      ['an unknown format', ['--format', 'xml'], 'is not a report format'],
    ])('GIVEN %s WHEN validated THEN it exits 2 saying why, having checked nothing', (_what, args, words) => {
      const repo = scratchRepo(files);
      fs.writeFileSync(path.join(repo, 'README.md'), '# repo\n');
      const result = runNode(VALIDATE, args, { INSTANCES_DIR: undefined }, repo);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(words);
      expect(result.stdout).toBe('');
    });
  });
});

describe('synth --format json', () => {
  test.each([
    ['--format json', ['--format', 'json'], {}],
    ['SYNTH_FORMAT=json (for npx cdk8s synth, which passes no arguments)', [], { SYNTH_FORMAT: 'json' }],
  ])('GIVEN valid specs with a warning WHEN synthesized with %s THEN stdout is the JSON report, the warning has its line, and the output is written', (_how, args, env) => {
    const repo = scratchRepo({ 'c1/a.yaml': abi(TRACING, 'a') });
    const result = runNode(SYNTH, args, { ...env, INSTANCES_DIR: undefined, CDK8S_OUTDIR: path.join(repo, 'dist') }, repo);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      errors: 0,
      warnings: 1,
      problems: [expect.objectContaining({ file: 'instances/c1/a.yaml', document: 1, path: 'spec.config.tracing', severity: 'warning', line: 9, column: 5 })],
    });
    expect(result.stderr).toContain('rendered instances into');
    expect(fs.existsSync(path.join(repo, 'dist/c1/team/a/manifests.yaml'))).toBe(true);
  });

  test('GIVEN an invalid spec WHEN synthesized with --format json THEN it exits 1 with the errors as JSON and leaves the output untouched', () => {
    const repo = scratchRepo({ 'c1/a.yaml': abi('  replicas: 1\n  bogus: true\n', 'a') });
    const result = runNode(SYNTH, ['--format', 'json'], { INSTANCES_DIR: undefined, CDK8S_OUTDIR: path.join(repo, 'dist') }, repo);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).problems).toEqual([expect.objectContaining({ path: 'spec.bogus', severity: 'error', line: 8, column: 3 })]);
    expect(result.stderr).toContain('was left untouched');
    expect(result.stderr).toContain('spec.bogus: is not a known field');
    expect(fs.readdirSync(path.join(repo, 'dist'))).toEqual(['previous.yaml']);
  });

  test('GIVEN an invalid spec WHEN `npx cdk8s synth` runs with SYNTH_REPORT=FILE (the CLI swallows the app\'s stdout) THEN FILE holds the JSON report', () => {
    const repo = scratchRepo({ 'c1/a.yaml': abi('  replicas: 1\n  bogus: true\n', 'a') });
    const reportFile = path.join(repo, 'problems.json');
    const result = runNode('node_modules/cdk8s-cli/bin/cdk8s', ['synth', '--no-check-upgrade', '-o', path.join(repo, 'out')], {
      INSTANCES_DIR: path.join(repo, 'instances'), SYNTH_REPORT: reportFile,
    });
    expect(result.status).not.toBe(0);
    expect(JSON.parse(fs.readFileSync(reportFile, 'utf8'))).toEqual({
      errors: 1, warnings: 0,
      problems: [expect.objectContaining({ file: path.join(repo, 'instances/c1/a.yaml'), path: 'spec.bogus', severity: 'error', line: 8, column: 3 })],
    });
  }, 60_000);
});
