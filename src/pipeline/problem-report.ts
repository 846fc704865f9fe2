/**
 * Problems and warnings of a run, for people (text on stderr, as synth always
 * printed them, in every format) and for machines (`--format json`: one JSON
 * object on stdout, and/or `--report FILE`; every entry located down to line
 * and column, for CI annotations, see scripts/github-annotations.ts).
 */
import * as fs from 'fs';
import { FieldLocator } from './field-location';
import { SpecProblem } from './spec-error';

type Severity = 'error' | 'warning';

type ReportFormat = 'text' | 'json';
const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json'];

/** One entry of the JSON report. Optional fields are left out when unknown. */
export interface ReportedProblem {
  readonly file: string;
  readonly document?: number;
  /** e.g. `AbiInstance team/search`. */
  readonly resource?: string;
  /** Dotted field path, e.g. `spec.replicas`. */
  readonly path?: string;
  readonly severity: Severity;
  readonly message: string;
  /** 1-based line and column of the field (of its nearest existing ancestor when it is missing). */
  readonly line?: number;
  readonly column?: number;
}

export interface ProblemReport {
  readonly errors: number;
  readonly warnings: number;
  readonly problems: readonly ReportedProblem[];
  /** `npm run validate PATH...`: what was found outside the given paths (counted, not listed). */
  readonly outside?: { readonly errors: number; readonly warnings: number };
}

/** Errors first, then warnings, each in the order the pipeline found them, located in their files. */
export function buildReport(errors: readonly SpecProblem[], warnings: readonly SpecProblem[]): ProblemReport {
  const locators = new Map<string, FieldLocator | undefined>();
  const locatorOf = (file: string) => {
    if (!locators.has(file)) locators.set(file, readLocator(file));
    return locators.get(file);
  };
  const located = (p: SpecProblem, severity: Severity): ReportedProblem => {
    const where = locatorOf(p.file)?.locate(p.document, p.path);
    return {
      file: p.file,
      ...(p.document !== undefined ? { document: p.document } : {}),
      ...(p.resource !== undefined ? { resource: p.resource } : {}),
      ...(p.path !== undefined ? { path: p.path } : {}),
      severity,
      message: p.message,
      ...(where ?? {}),
    };
  };
  return {
    errors: errors.length,
    warnings: warnings.length,
    problems: [...errors.map((p) => located(p, 'error')), ...warnings.map((p) => located(p, 'warning'))],
  };
}

/** A cluster folder or the instances dir itself has no lines; nor has a file that vanished. */
function readLocator(file: string): FieldLocator | undefined {
  try {
    return fs.statSync(file).isFile() ? new FieldLocator(fs.readFileSync(file, 'utf8')) : undefined;
  } catch {
    return undefined;
  }
}

function reportJson(report: ProblemReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export interface ReportOptions {
  readonly format: ReportFormat;
  /** Also write the JSON report to this file. */
  readonly reportFile?: string;
}

/**
 * `--format FORMAT` (or `--format=FORMAT`, else SYNTH_FORMAT, else text) and
 * `--report FILE` (else SYNTH_REPORT) from args; returns the other arguments too.
 * The variables are for `npx cdk8s synth`, which passes the app no arguments
 * and swallows its stdout, so there only SYNTH_REPORT=FILE gets the JSON out.
 */
export function parseReportOptions(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ReportOptions & { rest: string[] } {
  let format: string | undefined = env.SYNTH_FORMAT || undefined;
  let reportFile: string | undefined = env.SYNTH_REPORT || undefined;
  const rest: string[] = [];
  const value = (i: number, name: string) => {
    if (i >= args.length || args[i].startsWith('--')) throw new UsageError(`${name} needs a value`);
    return args[i];
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--format') format = value(++i, '--format');
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
    else if (arg === '--report') reportFile = value(++i, '--report');
    else if (arg.startsWith('--report=')) reportFile = arg.slice('--report='.length);
    else rest.push(arg);
  }
  format ??= 'text';
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format ${format} (or SYNTH_FORMAT=${format}) is not a report format: use ${REPORT_FORMATS.join(' or ')}`);
  }
  return { format: format as ReportFormat, reportFile, rest };
}

/**
 * The report where the options send it: JSON on stdout (--format json) and/or
 * to the report file; built (files read for lines) only when it goes somewhere.
 */
export function emitReport(options: ReportOptions, report: () => ProblemReport): void {
  if (options.format !== 'json' && !options.reportFile) return;
  const json = reportJson(report());
  if (options.format === 'json') process.stdout.write(json);
  if (options.reportFile) fs.writeFileSync(options.reportFile, json);
}

/** Wrong command-line arguments: exit 2, as command-line tools do. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
