/**
 * Turns a `--format json` report of validate or synth (src/pipeline/problem-report.ts)
 * into GitHub Actions workflow commands, so each problem shows on its line of
 * the pull request's diff:
 *
 *   ::error file=instances/prod/a.yaml,line=12,col=5,title=AbiInstance team/a spec.replicas::must be <= 100
 *
 * and, when GITHUB_STEP_SUMMARY is set (always, on a runner), every problem in
 * a table on the job's summary page.
 *
 * Usage: node lib/scripts/github-annotations.js [REPORT.json]   (default: stdin)
 * Exit 0 when the report was read (the validate step's own status fails the
 * job), 1 when there is no readable report (validate crashed before writing one).
 * https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ProblemReport, ReportedProblem } from '../src/pipeline/problem-report';

/** Data (the message) escapes %, CR and LF; property values also : and , (as @actions/core does). */
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function annotation(p: ReportedProblem, cwd = process.cwd()): string {
  // Annotations name files relative to the repository root (the job's working directory).
  const file = path.isAbsolute(p.file) ? path.relative(cwd, p.file) : p.file;
  const properties: Array<[string, string | number | undefined]> = [
    ['file', file],
    ['line', p.line],
    ['col', p.column],
    ['title', [p.resource, p.path].filter(Boolean).join(' ') || undefined],
  ];
  const props = properties.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  const where = p.document !== undefined ? `document ${p.document}: ` : '';
  return `::${p.severity === 'warning' ? 'warning' : 'error'} ${props}::${escapeData(`${where}${p.path ? `${p.path}: ` : ''}${p.message}`)}`;
}

export function annotations(report: ProblemReport, cwd = process.cwd()): string[] {
  return report.problems.map((p) => annotation(p, cwd));
}

/**
 * Every problem as a Markdown table, for the job summary: GitHub shows at most
 * 10 error and 10 warning annotations per step, the summary shows them all.
 */
export function summaryTable(report: ProblemReport, cwd = process.cwd()): string {
  if (report.problems.length === 0) return '### Instance specs\n\nNo problems.\n';
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const rows = report.problems.map((p) => {
    const file = path.isAbsolute(p.file) ? path.relative(cwd, p.file) : p.file;
    const where = `${file}${p.line !== undefined ? `:${p.line}` : ''}${p.document !== undefined ? ` (document ${p.document})` : ''}`;
    return `| ${p.severity} | ${cell(where)} | ${cell([p.resource, p.path].filter(Boolean).join(' '))} | ${cell(p.message)} |`;
  });
  return [`### Instance specs: ${report.errors} error(s), ${report.warnings} warning(s)`, '', '| | where | field | problem |', '|---|---|---|---|', ...rows, ''].join('\n');
}

function main(): number {
  const source = process.argv[2];
  let report: ProblemReport;
  try {
    report = JSON.parse(fs.readFileSync(source ?? 0, 'utf8'));
    if (!Array.isArray(report.problems)) throw new Error('no "problems" list');
  } catch (err) {
    process.stdout.write(`::error title=validate::no problem report could be read from ${source ?? 'stdin'} (${err instanceof Error ? err.message : String(err)}); see the step's log\n`);
    return 1;
  }
  for (const line of annotations(report)) process.stdout.write(`${line}\n`);
  if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${summaryTable(report)}\n`);
  process.stdout.write(`${report.errors} error(s), ${report.warnings} warning(s)\n`);
  return 0;
}

if (require.main === module) process.exitCode = main();
