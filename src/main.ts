/**
 * The synth entry point: `npx cdk8s synth` (cdk8s.yaml's app) and `npm run synth`.
 * Renders instances/ (or INSTANCES_DIR) into dist/ (or CDK8S_OUTDIR, which
 * `cdk8s synth -o DIR` sets). Invalid input, or any failure before the output
 * is written (in a render worker too): the problem on stderr, exit 1, and the
 * output directory left as it was.
 *
 * The cdk8s CLI deletes its output directory before it starts the app, so
 * cdk8s.yaml points it at a scratch name (`output: .cdk8s.out`): when
 * CDK8S_OUTDIR is that name this app writes dist/ itself, in one swap, and then
 * links the scratch name to dist/ for the CLI to list what was written. A
 * failed `npx cdk8s synth` so leaves dist/ as it was.
 *
 * Problems and warnings go to stderr as text; `--format json` (SYNTH_FORMAT=json)
 * also prints them as one JSON object on stdout, each with its line
 * (problem-report.ts), and `--report FILE` (SYNTH_REPORT=FILE) writes that
 * object to FILE: the way to get it from `npx cdk8s synth`, which passes no
 * arguments and swallows the app's stdout.
 * The checks themselves are src/pipeline/render-repository.ts, shared with
 * `npm run validate` (src/validate.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { buildReport, emitReport, parseReportOptions, ReportOptions, UsageError } from './pipeline/problem-report';
import { instancesDirFromEnv, renderRepository } from './pipeline/render-repository';
import { formatProblem, SpecProblem, SpecValidationError } from './pipeline/spec-error';
import { writeOutputTree } from './pipeline/write-output';

async function main(): Promise<number> {
  let options: ReportOptions;
  try {
    options = parseReportOptions(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    return 2;
  }
  const instancesDir = instancesDirFromEnv();
  const requested = process.env.CDK8S_OUTDIR;
  const viaCliScratch = requested !== undefined && isCliScratchDir(requested);
  const outdir = requested === undefined || viaCliScratch ? DEFAULT_OUTDIR : requested;
  const outdirExisted = fs.existsSync(outdir);
  const warnings: SpecProblem[] = [];
  const onWarning = (w: SpecProblem) => {
    warnings.push(w);
    process.stderr.write(`warning: ${formatProblem(w)}\n`);
  };
  let files;
  try {
    files = await renderRepository(instancesDir, onWarning);
  } catch (err) {
    const message = err instanceof SpecValidationError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`error: ${message}\n${untouchedNote(outdir, outdirExisted)}\n`);
    const errors = err instanceof SpecValidationError ? err.problems : [{ file: instancesDir, message: `synth failed: ${err instanceof Error ? err.message : String(err)}` }];
    emitReport(options, () => buildReport(errors, warnings));
    return 1;
  }
  try {
    writeOutputTree(outdir, files);
  } catch (err) {
    // An I/O failure is a problem with the output path, not a crash: one line, no stack.
    const reason = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: cannot write the output to ${outdir}: ${reason}\n${outdirExisted ? `${outdir} was left as it was.` : `nothing was written to ${outdir}.`}\n`);
    emitReport(options, () => buildReport([{ file: outdir, message: `cannot write the output: ${reason}` }], warnings));
    return 1;
  }
  if (viaCliScratch) linkCliScratchDir(requested, outdir);
  emitReport(options, () => buildReport([], warnings));
  // stdout is the report's in JSON format.
  (options.format === 'json' ? process.stderr : process.stdout).write(`rendered ${instancesDir} into ${outdir} (${files.size} files)\n`);
  return 0;
}

const DEFAULT_OUTDIR = 'dist';

/** Whether `dir` is the scratch `output` of cdk8s.yaml (in the working directory, where the CLI reads it). */
function isCliScratchDir(dir: string): boolean {
  let config: unknown;
  try {
    config = yaml.load(fs.readFileSync('cdk8s.yaml', 'utf8'));
  } catch {
    return false;
  }
  const output = (config as { output?: unknown } | undefined)?.output;
  return typeof output === 'string' && output !== DEFAULT_OUTDIR && path.resolve(output) === path.resolve(dir);
}

/** The CLI lists (and on its next run deletes) the scratch name: a link to what was written, never the output itself. */
function linkCliScratchDir(scratch: string, outdir: string): void {
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.symlinkSync(path.relative(path.dirname(path.resolve(scratch)), path.resolve(outdir)), scratch, 'dir');
}

/**
 * What happened to the output directory on failure. This app never writes it
 * then, but `cdk8s synth` deletes it before it starts the app (and sets
 * CDK8S_RECORD_CONSTRUCT_METADATA for the app, which is how we know).
 */
function untouchedNote(outdir: string, existed: boolean): string {
  if (existed) return `${outdir} was left untouched.`;
  if (process.env.CDK8S_RECORD_CONSTRUCT_METADATA !== undefined) {
    return `nothing was written to ${outdir}, but the cdk8s CLI removed it before running this app (\`-o\` names the directory it deletes): `
      + `restore it with \`git checkout -- ${outdir}\`; plain \`npx cdk8s synth\` and \`npm run synth\` keep it on failure.`;
  }
  return `nothing was written to ${outdir}.`;
}

// A rejection is a bug, reported by Node's unhandled-rejection exit (stack on stderr, exit code 1).
void main().then((code) => { process.exitCode = code; });
