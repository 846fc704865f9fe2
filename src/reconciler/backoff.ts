/**
 * Exponential backoff with jitter for failed reconciles. The jitter spreads
 * retries of many resources that failed together (an API server restart)
 * so they do not return as one burst.
 */
export interface BackoffOptions {
  /** @default 200 */
  readonly baseMs?: number;
  /** @default 60_000 */
  readonly maxMs?: number;
}

/** Delay before retry number `failures + 1`: uniform in [d/2, d] with d = min(max, base·2^failures). */
export function backoffDelay(failures: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = options.baseMs ?? 200;
  const max = options.maxMs ?? 60_000;
  const ceiling = Math.min(max, base * 2 ** Math.min(failures, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
