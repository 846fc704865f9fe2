/**
 * `npm run bench:validate`: how long `npm run validate` takes, i.e. whether
 * it is fast enough for a pre-commit hook. For each N, generates N instances
 * (bench/generate.ts, the synthesis benchmark's mix) and times whole
 * processes, interleaved and repeated (medians):
 *
 *   node0      `node -e 0`
 *   validate   `node lib/src/validate.js` (what `npm run validate` runs), auto threads
 *   validate1  the same with SYNTH_WORKERS=1
 *   path       validate with one file as PATH (what a pre-commit hook passes)
 *   broken     validate with 1 % of the files invalid (stops after loading, as synth does)
 *   json       validate --format json on the broken tree (locates every problem's line)
 *   synth      `node lib/src/main.js` into a temp dir, for comparison
 *
 * Options: --sizes 100,1000  --repeats N  --update-md FILE (rewrites the
 * block between the validate-bench markers). Everything is written below one
 * temp dir, removed at the end.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateInstances } from './generate';

const LIB = path.join(__dirname, '..');
const VALIDATE = path.join(LIB, 'src/validate.js');
const SYNTH = path.join(LIB, 'src/main.js');
const TIME_BIN = '/usr/bin/time';
const VARIANTS = ['node0', 'validate', 'validate1', 'path', 'broken', 'json', 'synth'] as const;
type Variant = typeof VARIANTS[number];

interface Run { wallMs: number; peakRssKiB?: number; status: number | null }

function run(args: string[], env: Record<string, string>): Run {
  const timed = fs.existsSync(TIME_BIN);
  const argv = timed ? [TIME_BIN, '-f', '%M', process.execPath, ...args] : [process.execPath, ...args];
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const rss = timed ? Number(r.stderr.trim().split('\n').pop()) : undefined;
  return { wallMs, peakRssKiB: Number.isFinite(rss) ? rss : undefined, status: r.status };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function main(): void {
  const args = process.argv.slice(2);
  const option = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const sizes = (option('--sizes') ?? '100,1000').split(',').map(Number);
  const repeats = Number(option('--repeats') ?? '5');
  const updateMd = option('--update-md');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-bench-'));
  const rows: string[] = [];
  try {
    for (const n of sizes) {
      const dir = path.join(work, `n${n}`, 'instances');
      const tree = generateInstances(dir, { count: n, vecodex: true });
      const brokenDir = path.join(work, `n${n}-broken`, 'instances');
      const broken = generateInstances(brokenDir, { count: n, vecodex: true });
      const brokenCount = Math.max(1, Math.round(n / 100));
      broken.files.slice(0, brokenCount).forEach((rel) => fs.appendFileSync(path.join(brokenDir, rel), '  bogus: true\n'));
      const out = path.join(work, `n${n}-out`);
      const commands: Record<Variant, () => Run> = {
        node0: () => run(['-e', '0'], {}),
        validate: () => run([VALIDATE], { INSTANCES_DIR: dir }),
        validate1: () => run([VALIDATE], { INSTANCES_DIR: dir, SYNTH_WORKERS: '1' }),
        path: () => run([VALIDATE, path.join(dir, tree.files[0])], { INSTANCES_DIR: dir }),
        broken: () => run([VALIDATE], { INSTANCES_DIR: brokenDir }),
        json: () => run([VALIDATE, '--format', 'json'], { INSTANCES_DIR: brokenDir }),
        synth: () => run([SYNTH], { INSTANCES_DIR: dir, CDK8S_OUTDIR: out }),
      };
      const results: Record<Variant, Run[]> = Object.fromEntries(VARIANTS.map((v) => [v, []])) as unknown as Record<Variant, Run[]>;
      for (let round = 0; round < repeats; round++) {
        for (const v of VARIANTS) {
          const r = commands[v]();
          const expected = v === 'broken' || v === 'json' ? 1 : 0;
          if (r.status !== expected) throw new Error(`${v} at N=${n} exited ${r.status}, expected ${expected}`);
          results[v].push(r);
        }
        process.stderr.write(`N=${n} round ${round + 1}/${repeats} done\n`);
      }
      const wall = (v: Variant) => median(results[v].map((r) => r.wallMs));
      const rss = (v: Variant) => median(results[v].map((r) => r.peakRssKiB ?? NaN)) / 1024;
      const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
      rows.push(`| ${n} | ${s(wall('node0'))} | ${s(wall('validate'))} | ${s(wall('validate1'))} | ${s(wall('path'))} | ${s(wall('broken'))} (${brokenCount} bad) | ${s(wall('json'))} | ${s(wall('synth'))} | ${(wall('validate') / wall('synth')).toFixed(2)}× | ${rss('validate').toFixed(0)} MiB |`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const load = os.loadavg().map((x) => x.toFixed(2)).join('/');
  const block = [
    `Run ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}; load average ${load} at end. Medians of ${repeats} interleaved rounds.`,
    '',
    '| N | node -e 0 | validate | validate, `SYNTH_WORKERS=1` | validate one PATH | validate, 1 % broken | `--format json`, 1 % broken | synth (writes) | validate / synth | peak RSS validate |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
  process.stdout.write(`${block}\n`);
  if (updateMd) {
    const begin = '<!-- validate-bench:begin (generated by npm run bench:validate; edit outside these markers) -->';
    const end = '<!-- validate-bench:end -->';
    const md = fs.readFileSync(updateMd, 'utf8');
    const i = md.indexOf(begin);
    const j = md.indexOf(end);
    if (i < 0 || j < i) throw new Error(`${updateMd} has no validate-bench markers`);
    fs.writeFileSync(updateMd, `${md.slice(0, i + begin.length)}\n${block}\n${md.slice(j)}`);
  }
}

main();
