/**
 * The synth entry point: `npx cdk8s synth` (cdk8s.yaml's app) and `npm run synth`.
 * Renders instances/ (or INSTANCES_DIR) into dist/ (or CDK8S_OUTDIR, which
 * `cdk8s synth -o DIR` sets). Invalid input, or any failure before the output
 * is written (in a render worker too): the problem on stderr, exit 1, and the
 * output directory left as it was.
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
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
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
  emitReport(options, () => buildReport([], warnings));
  // stdout is the report's in JSON format.
  (options.format === 'json' ? process.stderr : process.stdout).write(`rendered ${instancesDir} into ${outdir} (${files.size} files)\n`);
  return 0;
}

/**
 * What happened to the output directory on failure. This app never writes it
 * then, but `cdk8s synth` deletes it before it starts the app (and sets
 * CDK8S_RECORD_CONSTRUCT_METADATA for the app, which is how we know).
 */
function untouchedNote(outdir: string, existed: boolean): string {
  if (existed) return `${outdir} was left untouched.`;
  if (process.env.CDK8S_RECORD_CONSTRUCT_METADATA !== undefined) {
    return `nothing was written to ${outdir}, but the cdk8s CLI removed it before running this app: restore it with \`git checkout -- ${outdir}\`; \`npm run synth\` keeps it on failure.`;
  }
  return `nothing was written to ${outdir}.`;
}

// A rejection is a bug, reported by Node's unhandled-rejection exit (stack on stderr, exit code 1).
void main().then((code) => { process.exitCode = code; });
