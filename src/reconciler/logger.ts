/** Structured JSON logs, one object per line, filtered by level (--log-level). */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** How much the reconciler logs: `debug`, `info`, `warn` or `error` (--log-level). */
export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

export type LogFields = Record<string, unknown>;

export class Logger {
  private readonly threshold: number;

  constructor(level: LogLevel = 'info', private readonly write: (line: string) => void = (line) => process.stdout.write(line)) {
    this.threshold = LOG_LEVELS.indexOf(level);
  }

  public debug(msg: string, fields?: LogFields): void { this.log('debug', msg, fields); }
  public info(msg: string, fields?: LogFields): void { this.log('info', msg, fields); }
  public warn(msg: string, fields?: LogFields): void { this.log('warn', msg, fields); }
  public error(msg: string, fields?: LogFields): void { this.log('error', msg, fields); }

  public enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) >= this.threshold;
  }

  private log(level: LogLevel, msg: string, fields: LogFields = {}): void {
    if (!this.enabled(level)) return;
    const entry: LogFields = { ts: new Date().toISOString(), level, msg };
    for (const [key, value] of Object.entries(fields)) {
      entry[key] = value instanceof Error ? value.message : value;
    }
    this.write(`${JSON.stringify(entry)}\n`);
  }
}
