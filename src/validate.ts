/**
 * `npm run validate [-- [--format text|json] [PATH...]]`: every check synth
 * runs (schemas, rules, cross-file and render-time checks, profiles), through
 * the same functions (src/pipeline/render-repository.ts), writing nothing.
 *
 * PATHs (files or folders under the instances dir) choose what is REPORTED,
 * never what is checked: the checks always run on the whole instances dir,
 * because names must be unique per cluster, a profile applies to every file
 * of its cluster, and render-time checks run only once every file loads. So
 * the exit status always answers "would synth pass?" — 0: yes (warnings
 * allowed), 1: no, even when every problem is outside the given paths (they
 * are counted, not listed), 2: wrong arguments.
 *
 * Output: like synth's (warnings, then every error; stderr); with
 * `--format json` also one JSON object on stdout, with `--report FILE` in FILE
 * (problem-report.ts), plus `outside` counts when PATHs are given.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildReport, emitReport, parseReportOptions, ReportOptions, UsageError } from './pipeline/problem-report';
import { instancesDirFromEnv, renderRepository } from './pipeline/render-repository';
import { formatProblem, SpecProblem, SpecValidationError } from './pipeline/spec-error';

const USAGE = 'usage: npm run validate [-- [--format text|json] [--report FILE] [PATH...]]   (PATH: a file or folder under the instances dir)';

interface Options {
  readonly report: ReportOptions;
  readonly instancesDir: string;
  /** Absolute; empty: report everything. */
  readonly selected: readonly string[];
}

function parseArgs(args: readonly string[]): Options {
  const { rest, ...report } = parseReportOptions(args);
  const instancesDir = instancesDirFromEnv();
  const root = path.resolve(instancesDir);
  const selected: string[] = [];
  // `npm run` starts scripts in the package root; INIT_CWD is where it was typed.
  const base = process.env.npm_lifecycle_event === 'validate' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  for (const arg of rest) {
    if (arg.startsWith('-')) throw new UsageError(`${arg} is not an option of validate\n${USAGE}`);
    const full = path.resolve(base, arg);
    if (full !== root && !full.startsWith(root + path.sep)) {
      throw new UsageError(`${arg} is not under ${instancesDir}/: validate checks the instance specs there (set INSTANCES_DIR to check another folder)`);
    }
    if (!fs.existsSync(full)) throw new UsageError(`${arg} does not exist`);
    selected.push(full);
  }
  return { report, instancesDir, selected };
}

/** A problem of a selected file or folder, or of a folder a selected file is in (a bad cluster folder name). */
function isSelected(problem: SpecProblem, selected: readonly string[]): boolean {
  if (selected.length === 0) return true;
  const file = path.resolve(problem.file);
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(outer + path.sep);
  return selected.some((s) => within(file, s) || within(s, file));
}

async function main(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
  const { report: reportOptions, instancesDir, selected } = options;
  const warnings: SpecProblem[] = [];
  let errors: readonly SpecProblem[] = [];
  let fileCount = 0;
  try {
    fileCount = (await renderRepository(instancesDir, (w) => warnings.push(w))).size;
  } catch (err) {
    if (err instanceof SpecValidationError) {
      errors = err.problems;
    } else {
      // A crash is a failed synth too; its stack is for a bug report.
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      errors = [{ file: instancesDir, message: `synth would fail: ${err instanceof Error ? err.message : String(err)}` }];
    }
  }
  const shownErrors = errors.filter((p) => isSelected(p, selected));
  const shownWarnings = warnings.filter((p) => isSelected(p, selected));
  const outside = { errors: errors.length - shownErrors.length, warnings: warnings.length - shownWarnings.length };

  // As synth prints them, in every format: the warnings, then every error in one block.
  for (const w of shownWarnings) process.stderr.write(`warning: ${formatProblem(w)}\n`);
  if (shownErrors.length > 0) process.stderr.write(`error: ${new SpecValidationError(shownErrors).message}\n`);
  if (outside.errors + outside.warnings > 0) {
    process.stderr.write(`${outside.errors} error(s) and ${outside.warnings} warning(s) in files not given: run \`npm run validate\` without paths to see them\n`);
  }
  emitReport(reportOptions, () => {
    const report = buildReport(shownErrors, shownWarnings);
    return selected.length > 0 ? { ...report, outside } : report;
  });
  if (errors.length > 0) {
    process.stderr.write(`${instancesDir}: synth would fail (${errors.length} problem(s)); nothing was written\n`);
  } else {
    // stdout is the report's in JSON format.
    (reportOptions.format === 'json' ? process.stderr : process.stdout)
      .write(`${instancesDir}: valid, ${warnings.length} warning(s); synth would write ${fileCount} files; nothing was written\n`);
  }
  return errors.length > 0 ? 1 : 0;
}

// A rejection is a bug, reported by Node's unhandled-rejection exit (stack on stderr, exit code 1).
void main().then((code) => { process.exitCode = code; });
