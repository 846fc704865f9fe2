/**
 * Synthesis benchmark (`npm run bench`): for each N, generates N instances in
 * a temp dir, then times whole processes, interleaved and repeated (medians):
 *
 *   node0   `node -e 0` (process start, the unavoidable part)
 *   npx0    `npx --no-install -c true` (npm's own start-up, which every
 *           `npx cdk8s synth` pays before the CLI even loads)
 *   floor   bench/floor.ts: serialize + write the already-built objects with
 *           src/pipeline/yaml.ts, nothing else
 *   direct  `node lib/src/main.js` (the entry point cdk8s.yaml runs), with
 *           SYNTH_WORKERS=auto: inputs above the threshold render on several threads
 *   direct1 the same with SYNTH_WORKERS=1: everything on the main thread
 *   cli     `npx cdk8s synth -o OUT` (what users and CI run)
 *   naive   bench/naive.ts: a stock cdk8s app, every object in ONE chart
 *
 * Wall time is measured here; peak RSS by /usr/bin/time (max over the process
 * tree) when present. The floor's output is checked byte-for-byte against the
 * real synthesis. Everything is written below one temp dir, removed at the end
 * unless --keep; the JSON result goes to --out (default: that temp dir's
 * sibling bench-result-<date>.json in the OS temp dir).
 *
 * Options: --sizes sample,1,100,1000,5000 (sample: the repository's own
 *          instances/, read only)  --repeats N  --naive-repeats N
 *          --naive-timeout S  --timeout S  --out FILE  --update-md FILE
 *          --no-cli  --no-naive  --keep  --repo DIR (cwd of the runs: cdk8s.yaml)
 *          --lib DIR (compiled src/ and bench/; default: this file's build)
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateInstances, GeneratedTree } from './generate';
import { countObjects, objectsOfTree, readTree } from './objects-file';

export const RESULT_SCHEMA = 'cdk8s-abi-vecodex/synthesis-bench/v1';
export const VARIANTS = ['node0', 'npx0', 'floor', 'direct', 'direct1', 'cli', 'naive'] as const;
export type Variant = typeof VARIANTS[number];

export interface Options {
  /** Instance counts to generate; 'sample' is the repository's instances/ as they are. */
  sizes: Array<number | 'sample'>;
  repeats?: number;
  naiveRepeats?: number;
  naiveTimeoutS: number;
  timeoutS: number;
  out?: string;
  updateMd?: string;
  cli: boolean;
  naive: boolean;
  keep: boolean;
  repo: string;
  /** Compiled tree holding src/main.js and bench/*.js (bench/bench.sh builds one in a temp dir). */
  lib: string;
  log: (line: string) => void;
}

export interface VariantResult {
  runs: number;
  wallMs: number[];
  medianWallMs: number | null;
  /** Peak RSS of the process tree (KiB), median over runs; null without /usr/bin/time. */
  medianPeakRssKiB: number | null;
  maxPeakRssKiB: number | null;
  /** User + system CPU time of the process tree (ms), median; less sensitive than wall time to other load on a shared machine. */
  medianCpuMs: number | null;
  /**
   * User CPU time alone (ms), median. System time here is mostly file creation,
   * which this VM's ext4 makes 10-20x slower after repeated create/delete
   * cycles (BENCHMARKS.md), so user time is the steadier measure of our own work.
   */
  medianUserCpuMs: number | null;
  /** What the process reported about its own work (floor, naive), medians. */
  inProcess?: Record<string, number>;
  timedOut?: boolean;
  failed?: string;
}

export interface SizeResult {
  /** Generated instances, or 'sample' for the repository's instances/. */
  instances: number | 'sample';
  clusters: number;
  shapes: Record<string, number>;
  outputFiles: number;
  objects: number;
  kustomizations: number;
  outputBytes: number;
  /** floor, direct (several threads), direct1 (one thread) and cli wrote byte-identical trees. */
  identicalOutput: boolean;
  /** Runs repeated after a failure (see runOnce's caller). */
  retries: number;
  variants: Partial<Record<Variant, VariantResult>>;
  /** In-process phases of one synthesis (bench/phases.ts). */
  phases?: Record<string, number>;
  objectsPerSecond: { direct: number | null; cli: number | null; floor: number | null };
  ratios: Record<string, number | null>;
}

export interface BenchResult {
  schema: string;
  date: string;
  commit: string | null;
  machine: {
    nproc: number; availableParallelism?: number; memoryGiB: number; cpu: string; node: string; platform: string;
    loadavgAtStart: number[]; loadavgAtEnd?: number[];
  };
  vecodex: boolean;
  peakRssSource: string;
  sizes: SizeResult[];
  scaling?: { from: number; to: number; wallRatio: number | null; rssRatio: number | null; cpuRatio: number | null; instancesRatio: number };
  targets: Array<{ target: string; value: number | null; limit: number; met: boolean | null }>;
}

const TIME_BIN = '/usr/bin/time';

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a == null || b == null || b === 0 ? null : Math.round((a / b) * 1000) / 1000;
}

function treeHash(dir: string): string {
  const h = createHash('sha256');
  for (const rel of readTree(dir)) {
    h.update(rel).update('\0').update(fs.readFileSync(path.join(dir, rel))).update('\0');
  }
  return h.digest('hex');
}

/** Whether the pipeline (as built in lib/) renders VecodexSets. */
export function pipelineHasVecodex(lib: string): boolean {
  const kinds = path.join(lib, 'src/pipeline/instance-kinds.js');
  return fs.existsSync(kinds) && /vecodex/i.test(fs.readFileSync(kinds, 'utf8'));
}

interface Run {
  wallMs: number; rssKiB: number | null; cpuMs: number | null; userMs: number | null; stdout: string; timedOut: boolean; error?: string;
}

function runOnce(cmd: string, args: string[], opts: { cwd: string; env?: Record<string, string>; timeoutS: number; tmp: string }): Run {
  // A build in a temp dir finds the repository's packages through NODE_PATH.
  const nodePath = [path.join(opts.cwd, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
  const useTime = fs.existsSync(TIME_BIN);
  const rssFile = path.join(opts.tmp, `rss-${process.pid}.txt`);
  // timeout(1) signals its whole process group, so an npx -> cdk8s -> node
  // tree stops too; -k escalates to SIGKILL.
  const argv = ['-k', '5', String(opts.timeoutS), ...(useTime ? [TIME_BIN, '-f', '%M %U %S', '-o', rssFile] : []), cmd, ...args];
  const start = process.hrtime.bigint();
  const r = spawnSync('timeout', argv, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env, NODE_PATH: nodePath },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const timedOut = r.status === 124 || r.status === 137;
  let rssKiB: number | null = null;
  let cpuMs: number | null = null;
  let userMs: number | null = null;
  if (useTime && fs.existsSync(rssFile)) {
    const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
    const [rss, user, sys] = lines[lines.length - 1].split(' ').map(Number);
    rssKiB = Number.isFinite(rss) ? rss : null;
    cpuMs = Number.isFinite(user) && Number.isFinite(sys) ? Math.round((user + sys) * 1000) : null;
    userMs = Number.isFinite(user) ? Math.round(user * 1000) : null;
    fs.rmSync(rssFile, { force: true });
  }
  const error = timedOut ? undefined : r.error ? String(r.error) : r.status !== 0 ? `exit ${r.status}: ${(r.stderr ?? '').slice(-2000)}` : undefined;
  return { wallMs, rssKiB, cpuMs, userMs, stdout: r.stdout ?? '', timedOut, error };
}

function lastJsonLine(stdout: string): Record<string, number> | undefined {
  const line = stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  return line ? JSON.parse(line) : undefined;
}

function defaultRepeats(n: number | 'sample'): number {
  return n !== 'sample' && n >= 5000 ? 3 : 5;
}

function defaultNaiveRepeats(n: number | 'sample'): number {
  return n === 'sample' ? 3 : n >= 5000 ? 1 : n >= 1000 ? 2 : 3;
}

export function runBenchmark(options: Options): BenchResult {
  const { repo, log } = options;
  const benchDir = path.join(options.lib, 'bench');
  const main = path.join(options.lib, 'src/main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} does not exist: build first (bench/bench.sh does)`);
  const vecodex = pipelineHasVecodex(options.lib);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-synth-bench-'));
  const result: BenchResult = {
    schema: RESULT_SCHEMA,
    date: new Date().toISOString(),
    commit: gitCommit(repo),
    machine: {
      nproc: os.cpus().length,
      availableParallelism: os.availableParallelism(),
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadavgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    },
    vecodex,
    peakRssSource: fs.existsSync(TIME_BIN) ? '/usr/bin/time %M (max RSS over the process tree)' : 'unavailable',
    sizes: [],
    targets: [],
  };
  log(`bench: temp dir ${root}; VecodexSets ${vecodex ? 'included' : 'NOT registered yet: their slots are basic AbiInstances'}`);
  try {
    for (const n of options.sizes) {
      result.sizes.push(benchSize(n, path.join(root, n === 'sample' ? 'sample' : `n${n}`), { ...options, main, benchDir, vecodex }));
    }
  } finally {
    if (!options.keep) fs.rmSync(root, { recursive: true, force: true });
  }
  result.machine.loadavgAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  evaluateTargets(result);
  const out = options.out ?? path.join(os.tmpdir(), `cdk8s-synth-bench-${result.date.replace(/[:.]/g, '-')}.json`);
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  log(`bench: result written to ${out}`);
  if (options.updateMd) {
    updateMarkdown(options.updateMd, result, out);
    log(`bench: ${options.updateMd} updated`);
  }
  return result;
}

function benchSize(n: number | 'sample', dir: string, o: Options & { main: string; benchDir: string; vecodex: boolean }): SizeResult {
  const { log } = o;
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  const tree: GeneratedTree = n === 'sample' ? sampleTree(path.join(o.repo, 'instances')) : generateInstances(path.join(dir, 'instances'), { count: n, vecodex: o.vecodex });
  const env = { INSTANCES_DIR: tree.dir };

  // Untimed preparation: one synthesis, its objects for the references, and the phases.
  const refOut = path.join(dir, 'reference-out');
  const prep = runOnce('node', [o.main], { cwd: o.repo, env: { ...env, CDK8S_OUTDIR: refOut }, timeoutS: o.timeoutS, tmp });
  if (prep.error || prep.timedOut) throw new Error(`synthesis of ${n} generated instances failed: ${prep.error ?? 'timed out'}`);
  const objects = objectsOfTree(refOut);
  const objectsJson = path.join(dir, 'objects.json');
  fs.writeFileSync(objectsJson, JSON.stringify(objects));
  const counts = countObjects(objects);
  const refHash = treeHash(refOut);
  let outputBytes = 0;
  for (const rel of readTree(refOut)) outputBytes += fs.statSync(path.join(refOut, rel)).size;
  const phaseRun = runOnce('node', [path.join(o.benchDir, 'phases.js'), tree.dir, path.join(dir, 'phases-out')], { cwd: o.repo, timeoutS: o.timeoutS, tmp });
  const phases = phaseRun.error ? undefined : lastJsonLine(phaseRun.stdout);
  fs.rmSync(path.join(dir, 'phases-out'), { recursive: true, force: true });
  log(`bench: N=${n}: ${counts.objects} objects in ${objects.files.length} files (${(outputBytes / 1e6).toFixed(1)} MB)${phases ? `; phases load ${phases.loadMs.toFixed(0)} ms, render ${phases.renderMs.toFixed(0)} ms, write ${phases.writeMs.toFixed(0)} ms` : ''}`);

  const repeats = o.repeats ?? defaultRepeats(n);
  const naiveRepeats = o.naive ? (o.naiveRepeats ?? defaultNaiveRepeats(n)) : 0;
  const raw: Record<Variant, Run[]> = { node0: [], npx0: [], floor: [], direct: [], direct1: [], cli: [], naive: [] };
  let identical = true;
  let naiveGaveUp = false;
  let retries = 0;
  for (let r = 0; r < repeats; r++) {
    const plan: Array<[Variant, string, string[], Record<string, string>, number]> = [];
    const out = (v: Variant) => path.join(dir, `out-${v}`);
    plan.push(['node0', 'node', ['-e', '0'], {}, o.timeoutS]);
    if (o.cli) plan.push(['npx0', 'npx', ['--no-install', '-c', 'true'], {}, o.timeoutS]);
    plan.push(['floor', 'node', [path.join(o.benchDir, 'floor.js'), objectsJson, out('floor')], {}, o.timeoutS]);
    plan.push(['direct', 'node', [o.main], { ...env, SYNTH_WORKERS: 'auto', CDK8S_OUTDIR: out('direct') }, o.timeoutS]);
    plan.push(['direct1', 'node', [o.main], { ...env, SYNTH_WORKERS: '1', CDK8S_OUTDIR: out('direct1') }, o.timeoutS]);
    // The CLI as cdk8s.yaml configures it, with --app pointing at the same build.
    if (o.cli) plan.push(['cli', 'npx', ['--no-install', 'cdk8s', 'synth', '--app', `node ${o.main}`, '-o', out('cli')], { ...env, SYNTH_WORKERS: 'auto' }, o.timeoutS]);
    if (r < naiveRepeats && !naiveGaveUp) plan.push(['naive', 'node', [path.join(o.benchDir, 'naive.js'), objectsJson, out('naive')], {}, o.naiveTimeoutS]);
    for (const [variant, cmd, args, venv, timeoutS] of plan) {
      let run = runOnce(cmd, args, { cwd: o.repo, env: venv, timeoutS, tmp });
      // On a shared checkout another `npm ci` can swap node_modules under a
      // run: retry a failed run (not a timed-out one) twice, and say so.
      for (let attempt = 1; run.error && attempt <= 2; attempt++) {
        log(`bench: ${variant} at N=${n} failed (${run.error.split('\n')[0]}...); retry ${attempt} in 10 s`);
        retries++;
        spawnSync('sleep', ['10']);
        fs.rmSync(out(variant), { recursive: true, force: true });
        run = runOnce(cmd, args, { cwd: o.repo, env: venv, timeoutS, tmp });
      }
      raw[variant].push(run);
      if (run.error) throw new Error(`${variant} at N=${n} failed: ${run.error}`);
      if (variant === 'naive' && run.timedOut) naiveGaveUp = true;
      if (r === 0 && (variant === 'floor' || variant === 'direct' || variant === 'direct1' || variant === 'cli')) {
        const same = treeHash(out(variant)) === refHash;
        if (!same) log(`bench: WARNING: ${variant} output at N=${n} differs from the reference synthesis`);
        identical &&= same;
      }
      fs.rmSync(out(variant), { recursive: true, force: true });
    }
    log(`bench: N=${n} round ${r + 1}/${repeats}: ${plan.map(([v]) => { const x = raw[v][raw[v].length - 1]; return `${v} ${x.timedOut ? 'timeout' : `${x.wallMs.toFixed(0)} ms`}`; }).join(', ')}`);
  }

  const variants: Partial<Record<Variant, VariantResult>> = {};
  for (const v of VARIANTS) {
    const runs = raw[v];
    if (runs.length === 0) continue;
    const ok = runs.filter((x) => !x.timedOut);
    const rss = ok.map((x) => x.rssKiB).filter((x): x is number => x !== null);
    const inProcess: Record<string, number[]> = {};
    for (const x of ok) {
      const j = lastJsonLine(x.stdout);
      if (j) for (const [k, val] of Object.entries(j)) (inProcess[k] ??= []).push(val);
    }
    variants[v] = {
      runs: runs.length,
      wallMs: runs.map((x) => Math.round(x.wallMs)),
      medianWallMs: ok.length ? Math.round(median(ok.map((x) => x.wallMs))!) : null,
      medianPeakRssKiB: median(rss),
      maxPeakRssKiB: rss.length ? Math.max(...rss) : null,
      medianCpuMs: median(ok.map((x) => x.cpuMs).filter((x): x is number => x !== null)),
      medianUserCpuMs: median(ok.map((x) => x.userMs).filter((x): x is number => x !== null)),
      ...(Object.keys(inProcess).length
        ? { inProcess: Object.fromEntries(Object.entries(inProcess).map(([k, xs]) => [k, Math.round(median(xs)!)])) }
        : {}),
      ...(runs.some((x) => x.timedOut) ? { timedOut: true } : {}),
    };
  }
  const w = (v: Variant) => variants[v]?.medianWallMs ?? null;
  const floorWork = variants.floor?.inProcess?.inProcessMs ?? null;
  const ops = (ms: number | null) => (ms ? Math.round(counts.objects / (ms / 1000)) : null);
  const node0PlusFloorWork = w('node0') !== null && floorWork !== null ? w('node0')! + floorWork : null;
  return {
    instances: n,
    clusters: tree.clusters.length,
    shapes: tree.shapes,
    outputFiles: objects.files.length,
    objects: counts.objects,
    kustomizations: counts.kustomizations,
    outputBytes,
    identicalOutput: identical,
    retries,
    variants,
    phases,
    objectsPerSecond: { direct: ops(w('direct')), cli: ops(w('cli')), floor: ops(w('floor')) },
    ratios: {
      directOverFloor: ratio(w('direct'), w('floor')),
      cliOverFloor: ratio(w('cli'), w('floor')),
      /** The floor process minus its JSON parse: node -e 0 + serialize + write. */
      directOverNode0PlusFloorWork: ratio(w('direct'), node0PlusFloorWork),
      directOverNode0PlusFloor: ratio(w('direct'), w('node0') !== null && w('floor') !== null ? w('node0')! + w('floor')! : null),
      cliOverNode0PlusFloor: ratio(w('cli'), w('node0') !== null && w('floor') !== null ? w('node0')! + w('floor')! : null),
      cliOverNode0PlusFloorWork: ratio(w('cli'), node0PlusFloorWork),
      naiveOverDirect: ratio(w('naive'), w('direct')),
      naiveOverFloor: ratio(w('naive'), w('floor')),
      directCpuOverFloorCpu: ratio(variants.direct?.medianCpuMs, variants.floor?.medianCpuMs),
      directUserCpuOverFloorUserCpu: ratio(variants.direct?.medianUserCpuMs, variants.floor?.medianUserCpuMs),
      direct1UserCpuOverFloorUserCpu: ratio(variants.direct1?.medianUserCpuMs, variants.floor?.medianUserCpuMs),
      /** npm's start-up alone against the cli target's denominator: a lower bound of cliOverNode0PlusFloor. */
      npx0OverNode0PlusFloor: ratio(w('npx0'), w('node0') !== null && w('floor') !== null ? w('node0')! + w('floor')! : null),
      direct1OverFloor: ratio(w('direct1'), w('floor')),
      direct1CpuOverFloorCpu: ratio(variants.direct1?.medianCpuMs, variants.floor?.medianCpuMs),
      directOverDirect1: ratio(w('direct'), w('direct1')),
      cliCpuOverNode0PlusFloorCpu: ratio(
        variants.cli?.medianCpuMs,
        variants.node0?.medianCpuMs != null && variants.floor?.medianCpuMs != null ? variants.node0.medianCpuMs + variants.floor.medianCpuMs : null,
      ),
      directRssOverFloorRss: ratio(variants.direct?.medianPeakRssKiB, variants.floor?.medianPeakRssKiB),
    },
  };
}

/** The repository's own instances/, only read (outputs go to the temp dir). */
function sampleTree(dir: string): GeneratedTree {
  const clusters = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const files = clusters.flatMap((c) => readTree(path.join(dir, c)).map((f) => `${c}/${f}`)).filter((f) => /\.ya?ml$/.test(f) && !f.endsWith('/cluster.yaml'));
  return { dir, clusters, files, shapes: { basic: 0, production: 0, gpu: 0, vecodex: 0 } };
}

function evaluateTargets(result: BenchResult): void {
  const at = (n: number) => result.sizes.find((s) => s.instances === n);
  const s1k = at(1000);
  const s5k = at(5000);
  const smallest = result.sizes.find((s) => s.instances === 'sample') ?? result.sizes[0];
  if (s1k && s5k) {
    result.scaling = {
      from: 1000, to: 5000, instancesRatio: 5,
      wallRatio: ratio(s5k.variants.direct?.medianWallMs, s1k.variants.direct?.medianWallMs),
      rssRatio: ratio(s5k.variants.direct?.medianPeakRssKiB, s1k.variants.direct?.medianPeakRssKiB),
      cpuRatio: ratio(s5k.variants.direct?.medianCpuMs, s1k.variants.direct?.medianCpuMs),
    };
  }
  const check = (target: string, value: number | null | undefined, limit: number) =>
    result.targets.push({ target, value: value ?? null, limit, met: value == null ? null : value <= limit });
  if (smallest) {
    check(`cli at N=${smallest.instances}: wall / (node -e 0 + floor process)`, smallest.ratios.cliOverNode0PlusFloor, 2);
    check(`direct at N=${smallest.instances} (for comparison): wall / (node -e 0 + floor process)`, smallest.ratios.directOverNode0PlusFloor, 2);
    check(`cli at N=${smallest.instances}: wall / (node -e 0 + floor serialize+write work)`, smallest.ratios.cliOverNode0PlusFloorWork, 2);
    check(`lower bound of the cli ratio at N=${smallest.instances}: npx start-up alone (\`npx --no-install -c true\`) / (node -e 0 + floor process)`, smallest.ratios.npx0OverNode0PlusFloor, 2);
  }
  if (s1k) {
    check('direct at N=1000: wall / floor process', s1k.ratios.directOverFloor, 1.5);
    check('direct at N=1000: CPU / floor CPU', s1k.ratios.directCpuOverFloorCpu, 1.5);
    check('direct at N=1000, SYNTH_WORKERS=1 (for comparison): wall / floor process', s1k.ratios.direct1OverFloor, 1.5);
    check('cli at N=1000: wall / floor process', s1k.ratios.cliOverFloor, 1.5);
  }
  if (result.scaling) {
    check('direct wall N=5000 / N=1000', result.scaling.wallRatio, 5.5);
    check('direct CPU N=5000 / N=1000', result.scaling.cpuRatio, 5.5);
    check('direct peak RSS N=5000 / N=1000', result.scaling.rssRatio, 5.5);
  }
}

function gitCommit(repo: string): string | null {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const BEGIN = '<!-- synthesis-bench:begin (generated by npm run bench; edit outside these markers) -->';
const END = '<!-- synthesis-bench:end -->';

export function resultsMarkdown(result: BenchResult, jsonPath?: string): string {
  const sec = (ms: number | null | undefined) => (ms == null ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
  const mib = (kib: number | null | undefined) => (kib == null ? 'n/a' : `${Math.round(kib / 1024)} MiB`);
  const x = (r: number | null | undefined) => (r == null ? 'n/a' : `${r.toFixed(2)}×`);
  const m = result.machine;
  const lines = [
    BEGIN,
    `Run ${result.date.slice(0, 10)} at commit ${result.commit ?? '?'}: ${m.nproc} cores (${m.cpu}), ${m.memoryGiB} GiB, node ${m.node}, ${m.platform}; load average ${m.loadavgAtStart.join('/')} at start, ${m.loadavgAtEnd?.join('/') ?? '?'} at end. VecodexSets ${result.vecodex ? 'included' : 'not registered yet (their 25 % are basic AbiInstances)'}. Medians of interleaved repeats; peak RSS: ${result.peakRssSource}.${jsonPath ? ` JSON: \`${path.basename(jsonPath)}\`.` : ''}`,
    '',
    '| N | objects (files) | node -e 0 | floor | direct `node lib/src/main.js` | `npx cdk8s synth` | naive (one chart) | direct obj/s | direct / floor (CPU) | cli / floor | cli / (node0 + floor) | naive / direct | peak RSS direct / floor / naive |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const s of result.sizes) {
    const v = s.variants;
    const naive = v.naive?.timedOut && v.naive.medianWallMs == null ? 'timed out' : sec(v.naive?.medianWallMs);
    lines.push(`| ${s.instances} | ${s.objects} (${s.outputFiles}) | ${sec(v.node0?.medianWallMs)} | ${sec(v.floor?.medianWallMs)} | ${sec(v.direct?.medianWallMs)} | ${sec(v.cli?.medianWallMs)} | ${naive} | ${s.objectsPerSecond.direct ?? 'n/a'} | ${x(s.ratios.directOverFloor)} (${x(s.ratios.directCpuOverFloorCpu)}) | ${x(s.ratios.cliOverFloor)} | ${x(s.ratios.cliOverNode0PlusFloor)} | ${x(s.ratios.naiveOverDirect)} | ${mib(v.direct?.medianPeakRssKiB)} / ${mib(v.floor?.medianPeakRssKiB)} / ${mib(v.naive?.medianPeakRssKiB)} |`);
  }
  lines.push('', '| N | render threads (auto) | direct `SYNTH_WORKERS=1` | direct1 / floor (CPU) | direct / direct1 | peak RSS direct1 |', '|---:|---:|---:|---:|---:|---:|');
  for (const s of result.sizes) {
    const v = s.variants;
    lines.push(`| ${s.instances} | ${s.phases?.threads ?? 'n/a'} | ${sec(v.direct1?.medianWallMs)} | ${x(s.ratios.direct1OverFloor)} (${x(s.ratios.direct1CpuOverFloorCpu)}) | ${x(s.ratios.directOverDirect1)} | ${mib(v.direct1?.medianPeakRssKiB)} |`);
  }
  lines.push('', '| N | `npx --no-install -c true` | npx alone / (node0 + floor) | user CPU direct / floor | user CPU direct1 / floor |', '|---:|---:|---:|---:|---:|');
  for (const s of result.sizes) {
    const v = s.variants;
    lines.push(`| ${s.instances} | ${sec(v.npx0?.medianWallMs)} | ${x(s.ratios.npx0OverNode0PlusFloor)} | ${x(s.ratios.directUserCpuOverFloorUserCpu)} | ${x(s.ratios.direct1UserCpuOverFloorUserCpu)} |`);
  }
  lines.push('', '| N | load + validate | render (construct, toJson, YAML; auto threads) | write + swap | floor: JSON.parse / serialize + write | output identical to floor |', '|---:|---:|---:|---:|---:|:---:|');
  for (const s of result.sizes) {
    const p = s.phases;
    const f = s.variants.floor?.inProcess;
    lines.push(`| ${s.instances} | ${p ? `${Math.round(p.loadMs)} ms` : 'n/a'} | ${p ? `${Math.round(p.renderMs)} ms` : 'n/a'} | ${p ? `${Math.round(p.writeMs)} ms` : 'n/a'} | ${f ? `${f.parseMs} ms / ${f.inProcessMs} ms` : 'n/a'} | ${s.identicalOutput ? 'yes' : 'NO'} |`);
  }
  if (result.targets.length) {
    lines.push('', '| target | measured | limit | met |', '|---|---:|---:|:---:|');
    for (const t of result.targets) lines.push(`| ${t.target} | ${x(t.value)} | ${t.limit}× | ${t.met == null ? 'n/a' : t.met ? 'yes' : 'NO'} |`);
  }
  lines.push(END);
  return lines.join('\n');
}

/** Replaces the generated block inside `## Synthesis` (creating the file or the section if needed); nothing else changes. */
export function updateMarkdown(file: string, result: BenchResult, jsonPath?: string): void {
  const block = resultsMarkdown(result, jsonPath);
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const b = text.indexOf(BEGIN);
  const e = text.indexOf(END);
  if (b >= 0 && e > b) {
    text = text.slice(0, b) + block + text.slice(e + END.length);
  } else if (/^## Synthesis\s*$/m.test(text)) {
    const at = text.search(/^## Synthesis\s*$/m);
    const headingEnd = text.indexOf('\n', at) + 1;
    text = `${text.slice(0, headingEnd)}\n${block}\n${text.slice(headingEnd)}`;
  } else {
    text = `${text.replace(/\n*$/, '\n')}\n## Synthesis\n\n${block}\n`;
  }
  fs.writeFileSync(file, text);
}

export function parseArgs(argv: string[], log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Options {
  const o: Options = { sizes: ['sample', 1, 100, 1000, 5000], naiveTimeoutS: 240, timeoutS: 600, cli: true, naive: true, keep: false, repo: process.cwd(), lib: path.dirname(__dirname), log };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--sizes': o.sizes = next().split(',').map((s) => (s === 'sample' ? 'sample' : Number(s.replace(/_/g, '')))); break;
      case '--repeats': o.repeats = Number(next()); break;
      case '--naive-repeats': o.naiveRepeats = Number(next()); break;
      case '--naive-timeout': o.naiveTimeoutS = Number(next()); break;
      case '--timeout': o.timeoutS = Number(next()); break;
      case '--out': o.out = next(); break;
      case '--update-md': o.updateMd = next(); break;
      case '--repo': o.repo = path.resolve(next()); break;
      case '--lib': o.lib = path.resolve(next()); break;
      case '--no-cli': o.cli = false; break;
      case '--no-naive': o.naive = false; break;
      case '--keep': o.keep = true; break;
      default: throw new Error(`unknown option ${a}`);
    }
  }
  if (o.sizes.some((n) => n !== 'sample' && (!Number.isInteger(n) || n < 1))) throw new Error('--sizes: "sample" or positive integers, comma-separated');
  return o;
}

if (require.main === module) {
  const result = runBenchmark(parseArgs(process.argv.slice(2)));
  for (const t of result.targets) process.stderr.write(`target: ${t.target}: ${t.value ?? 'n/a'} (limit ${t.limit}) ${t.met == null ? 'n/a' : t.met ? 'met' : 'NOT MET'}\n`);
}
