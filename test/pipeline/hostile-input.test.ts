import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { formatBytes, INPUT_LIMITS } from '../../src/pipeline/input-limits';
import { synthesizeRepository } from '../../src/pipeline/synthesize';
import { abi, expectRefused, previousOutput, problemsOf, runSynth, workspace } from './support';

/** A "billion laughs": nine levels of nine aliases each, 9^9 strings once expanded. */
function aliasBomb(): string {
  const lines = ['lols:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const levels = 'abcdefghi';
  for (let i = 1; i < levels.length; i++) lines.push(`  ${levels[i]}: &${levels[i]} [${Array(9).fill(`*${levels[i - 1]}`).join(',')}]`);
  return lines.join('\n') + '\n';
}
const BOMB_AT = '*i';

interface HostileCase {
  /** What the input is. */
  readonly name: string;
  /** Writes the hostile input under the instances dir `root` (beside c1/ok.yaml, a valid instance). */
  readonly setup: (root: string, base: string) => void;
  /** The path (relative to root) the problem must name. */
  readonly file: string;
  readonly document?: number;
  /** Words the problem must contain. */
  readonly words: string;
}

const CASES: HostileCase[] = [
  {
    name: 'an alias bomb used as kind',
    setup: (root) => write(root, 'c1/bomb.yaml', `apiVersion: abi.io/v1\n${aliasBomb()}kind: ${BOMB_AT}\nmetadata: {name: x, namespace: team}\nspec: {replicas: 1}\n`),
    file: 'c1/bomb.yaml', document: 1, words: 'YAML aliases expand too much',
  },
  {
    name: 'an alias bomb used as metadata.name',
    setup: (root) => write(root, 'c1/bomb.yaml', `apiVersion: abi.io/v1\nkind: AbiInstance\n${aliasBomb()}metadata: {name: ${BOMB_AT}, namespace: team}\nspec: {replicas: 1}\n`),
    file: 'c1/bomb.yaml', document: 1, words: 'YAML aliases expand too much',
  },
  {
    name: 'an alias bomb used as metadata.namespace, in the second document',
    setup: (root) => write(root, 'c1/bomb.yaml', `${abi('y')}---\napiVersion: abi.io/v1\nkind: AbiInstance\n${aliasBomb()}metadata: {name: x, namespace: ${BOMB_AT}}\nspec: {replicas: 1}\n`),
    file: 'c1/bomb.yaml', document: 2, words: 'YAML aliases expand too much',
  },
  {
    name: 'a 20 MiB file',
    setup: (root) => write(root, 'c1/huge.yaml', abi('huge', 'team', `  replicas: 1\n  llm:\n    model: "${'x'.repeat(20 * 1024 * 1024)}"\n`)),
    file: 'c1/huge.yaml', words: `is too large: 20 MiB, more than the ${formatBytes(INPUT_LIMITS.fileBytes)} a spec file may have`,
  },
  {
    name: 'a document that expands past what Kubernetes stores, through aliases of a long string',
    setup: (root) => write(root, 'c1/wide.yaml', `${abi('wide', 'team', `  replicas: 1\n  llm:\n    model: &m "${'x'.repeat(200_000)}"\n`)}extra: [${Array(10).fill('*m').join(', ')}]\n`),
    file: 'c1/wide.yaml', document: 1, words: 'is too large: it expands to more than 1.5 MiB of JSON',
  },
  {
    name: 'flow collections nested 100,000 deep',
    setup: (root) => write(root, 'c1/deep.yaml', `${abi('deep')}extra: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`),
    file: 'c1/deep.yaml', words: `nests mappings and lists more than ${INPUT_LIMITS.nestingDepth} levels deep (at line 8`,
  },
  {
    name: 'block sequences nested 10,000 deep',
    setup: (root) => write(root, 'c1/deep.yaml', `${'- '.repeat(10_000)}x\n`),
    file: 'c1/deep.yaml', words: `nests mappings and lists more than ${INPUT_LIMITS.nestingDepth} levels deep`,
  },
  {
    name: '60,000 documents in one file',
    setup: (root) => write(root, 'c1/many.yaml', '---\n'.repeat(60_000)),
    file: 'c1/many.yaml', words: `holds more than ${INPUT_LIMITS.documentsPerFile} YAML documents`,
  },
  {
    name: 'a 200,000-character string as kind',
    setup: (root) => write(root, 'c1/long.yaml', `apiVersion: abi.io/v1\nkind: "${'K'.repeat(200_000)}"\nmetadata: {name: x}\n`),
    file: 'c1/long.yaml', document: 1, words: `kind "${'K'.repeat(64)}"… (200000 characters) is not rendered here`,
  },
  {
    name: 'a mapping as apiVersion',
    setup: (root) => write(root, 'c1/odd.yaml', 'apiVersion: {group: abi.io}\nkind: AbiInstance\nmetadata: {name: x}\n'),
    file: 'c1/odd.yaml', document: 1, words: 'kind: apiVersion a mapping kind "AbiInstance" is not rendered here',
  },
  {
    name: 'a list as metadata.namespace',
    setup: (root) => write(root, 'c1/odd.yaml', 'apiVersion: abi.io/v1\nkind: AbiInstance\nmetadata: {name: x, namespace: [a, b]}\nspec: {replicas: 1}\n'),
    file: 'c1/odd.yaml', document: 1, words: 'metadata.namespace: a list of 2 item(s) is not a valid namespace',
  },
  {
    name: 'a symlink loop',
    setup: (root) => fs.symlinkSync('loop.yaml', path.join(root, 'c1/loop.yaml')),
    file: 'c1/loop.yaml', words: 'is a symlink loop',
  },
  {
    name: 'a dangling symlink',
    setup: (root) => fs.symlinkSync('missing.yaml', path.join(root, 'c1/dangling.yaml')),
    file: 'c1/dangling.yaml', words: 'is a dangling symlink: its target missing.yaml does not exist',
  },
  {
    name: 'a cluster.yaml that is a dangling symlink',
    setup: (root) => fs.symlinkSync('profiles/missing.yaml', path.join(root, 'c1/cluster.yaml')),
    file: 'c1/cluster.yaml', words: 'is a dangling symlink: its target profiles/missing.yaml does not exist',
  },
  {
    name: 'an alias bomb in cluster.yaml',
    setup: (root) => write(root, 'c1/cluster.yaml', `apiVersion: cdk8s-abi-vecodex/v1alpha1\nkind: ClusterProfile\n${aliasBomb()}spec: {ingressClassName: ${BOMB_AT}}\n`),
    file: 'c1/cluster.yaml', document: 1, words: 'YAML aliases expand too much',
  },
  {
    name: 'a *.yaml symlink to a folder',
    setup: (root) => { fs.mkdirSync(path.join(root, 'c1/real')); fs.symlinkSync('real', path.join(root, 'c1/linked.yaml')); },
    file: 'c1/linked.yaml', words: 'is a symlink to a folder: symlinked folders are not followed',
  },
  {
    name: 'a symlinked cluster folder',
    setup: (root) => fs.symlinkSync('c1', path.join(root, 'c2')),
    file: 'c2', words: 'is a symlink to a folder: symlinked folders are not followed',
  },
  {
    name: 'a symlink to a spec outside the instances dir',
    setup: (root, base) => { fs.writeFileSync(path.join(base, 'outside.yaml'), abi('outside')); fs.symlinkSync(path.join(base, 'outside.yaml'), path.join(root, 'c1/outside.yaml')); },
    file: 'c1/outside.yaml', words: 'outside the instances directory',
  },
  {
    name: 'a FIFO named x.yaml',
    setup: (root) => execFileSync('mkfifo', [path.join(root, 'c1/x.yaml')]),
    file: 'c1/x.yaml', words: 'is a FIFO (named pipe), not a regular file: it is not read',
  },
  {
    name: 'a symlink to a FIFO',
    setup: (root) => { execFileSync('mkfifo', [path.join(root, 'c1/pipe')]); fs.symlinkSync('pipe', path.join(root, 'c1/y.yaml')); },
    file: 'c1/y.yaml', words: 'is a FIFO (named pipe), not a regular file: it is not read',
  },
  {
    name: 'a spec named *.json',
    setup: (root) => write(root, 'c1/more.json', JSON.stringify({ apiVersion: 'abi.io/v1', kind: 'AbiInstance', metadata: { name: 'j' }, spec: { replicas: 1 } })),
    file: 'c1/more.json', words: 'is not read: spec files end in .yaml or .yml; rename it to more.yaml (JSON is YAML, so renaming is enough)',
  },
  {
    name: 'a spec named *.YAML',
    setup: (root) => write(root, 'c1/sub/MORE.YAML', abi('upper')),
    file: 'c1/sub/MORE.YAML', words: 'rename it to MORE.yaml',
  },
  {
    name: 'a file that is not UTF-8',
    setup: (root) => fs.writeFileSync(path.join(root, 'c1/latin1.yaml'), Buffer.from([0x6b, 0x3a, 0x20, 0xe9, 0x0a])),
    file: 'c1/latin1.yaml', words: 'is not UTF-8 text',
  },
];

describe('hostile input: synth refuses it with a problem naming the file, exits 1 and leaves the output as it was', () => {
  test('GIVEN the cases THEN there are some', () => expect(CASES.length).toBeGreaterThan(15));

  test.each(CASES.map((c) => [c.name, c] as const))('GIVEN %s WHEN synth runs THEN it is refused with the file named', (_name, c) => {
    const { base, root } = workspace({ 'c1/ok.yaml': abi('ok') });
    try {
      c.setup(root, base);
      const { outdir, untouched } = previousOutput(base);
      const run = runSynth(root, outdir);
      expectRefused(run, untouched);
      const where = `${path.join(root, c.file)}: ${c.document !== undefined ? `document ${c.document}: ` : ''}`;
      const line = run.stderr.split('\n').find((l) => l.includes(c.words));
      expect(line).toBeDefined();
      expect(line).toContain(where);
      // Values are shown cut short: no line of the report is huge.
      expect(Math.max(...run.stderr.split('\n').map((l) => l.length))).toBeLessThan(2000);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('unreadable files and folders (as a non-root user)', () => {
  const root = process.getuid?.() === 0;
  const setpriv = spawnSync('setpriv', ['--version']).status === 0;
  // Root reads everything, so as root the run drops to nobody; without setpriv that cannot be tested.
  const runnable = !root || setpriv;
  if (!runnable) console.warn('*** setpriv is missing: SKIPPING the unreadable-file tests (root reads every file) ***');
  const uid = root ? 65534 : undefined;
  const cases: Array<[string, (root: string) => void, string]> = [
    ['a file without read permission', (r) => { write(r, 'c1/secret.yaml', abi('secret')); fs.chmodSync(path.join(r, 'c1/secret.yaml'), 0o000); }, 'c1/secret.yaml'],
    ['a folder without read permission', (r) => { write(r, 'c1/closed/a.yaml', abi('closed')); fs.chmodSync(path.join(r, 'c1/closed'), 0o000); }, 'c1/closed'],
  ];
  (runnable ? test.each(cases) : test.skip.each(cases))('GIVEN %s WHEN synth runs THEN it is refused with the path named', (_name, setup, file) => {
    const { base, root: dir } = workspace({ 'c1/ok.yaml': abi('ok') });
    try {
      // mkdtemp makes the base private; the other user must reach the instances dir.
      fs.chmodSync(base, 0o755);
      setup(dir);
      const { outdir, untouched } = previousOutput(base);
      const run = runSynth(dir, outdir, { uid });
      expectRefused(run, untouched);
      expect(run.stderr).toContain(`${path.join(dir, file)}: cannot be read: permission denied`);
    } finally {
      for (const p of [path.join(dir, 'c1/closed'), path.join(dir, 'c1/secret.yaml')]) if (fs.existsSync(p)) fs.chmodSync(p, 0o755);
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('what is read', () => {
  test('GIVEN a spec symlinked from another cluster folder WHEN synthesized THEN it renders in both clusters, and README files are ignored', () => {
    const { base, root } = workspace({ 'c1/a.yaml': abi('a'), 'c1/README.md': '# notes\n' });
    try {
      fs.mkdirSync(path.join(root, 'c2'));
      fs.symlinkSync('../c1/a.yaml', path.join(root, 'c2/a.yaml'));
      const files = synthesizeRepository(root);
      expect(files.get('c2/team/a/manifests.yaml')).toBe(files.get('c1/team/a/manifests.yaml'));
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  test('GIVEN YAML anchors and merge keys used to share a block WHEN loaded THEN they are expanded as before', () => {
    const { base, root } = workspace({
      'c1/a.yaml': `${abi('a', 'team', '  replicas: 1\n  resources:\n    requests: &r {cpu: 100m, memory: 1Gi}\n    limits:\n      <<: *r\n      memory: 2Gi\n')}`,
    });
    try {
      expect(problemsOf(root)).toEqual([]);
      const manifests = synthesizeRepository(root).get('c1/team/a/manifests.yaml')!;
      expect(manifests).toMatch(/limits:\n\s+cpu: 100m\n\s+memory: 2Gi\n/);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  test('GIVEN a custom YAML tag WHEN loaded THEN it is refused, not read as the plain value', () => {
    const { base, root } = workspace({ 'c1/a.yaml': abi('a', 'team', '  replicas: 1\n  image: {tag: !Ref version}\n') });
    try {
      expect(problemsOf(root)).toEqual([expect.stringContaining(`${path.join(root, 'c1/a.yaml')}: document 1: is not valid here at line 8, column 16: Unresolved tag: !Ref`)]);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  test('GIVEN a %YAML 1.1 directive WHEN loaded THEN values keep their YAML 1.2 meaning (yes stays a string)', () => {
    const { base, root } = workspace({ 'c1/a.yaml': `%YAML 1.1\n---\n${abi('a', 'team', '  replicas: 1\n  image: {tag: yes}\n')}` });
    try {
      expect(problemsOf(root)).toEqual([]);
      expect(synthesizeRepository(root).get('c1/team/a/manifests.yaml')).toContain('image: ghcr.io/abi/abi:yes');
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  test('GIVEN a key twice in one mapping WHEN loaded THEN it is refused with its line', () => {
    const { base, root } = workspace({ 'c1/a.yaml': `${abi('a')}  replicas: 2\n` });
    try {
      expect(problemsOf(root)).toEqual([expect.stringContaining(`${path.join(root, 'c1/a.yaml')}: document 1: is not valid YAML at line 8, column 3: the key "replicas" appears twice in one mapping`)]);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});

function write(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}
