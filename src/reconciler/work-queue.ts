/**
 * A work queue with client-go's semantics, cut down to what the reconciler
 * needs: a key is queued at most once however many events arrive for it
 * (events coalesce per custom resource), a key is never processed by two
 * workers at once (an event during processing re-queues it after `done`),
 * and failed keys come back after an exponential backoff with jitter.
 */
import { backoffDelay, BackoffOptions } from './backoff';

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly waiters: Array<() => void> = [];
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private shuttingDown = false;

  constructor(private readonly backoff: BackoffOptions = {}) {}

  /** Keys waiting to be processed (not counting delayed ones). */
  public get depth(): number {
    return this.queue.length;
  }

  public add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (!this.processing.has(key)) {
      this.queue.push(key);
      this.waiters.shift()?.();
    }
  }

  /** Adds the key after a delay; an earlier pending delay for the same key wins. */
  public addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = Date.now() + delayMs;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  /** Re-adds a key that failed, after a backoff that grows with its consecutive failures. */
  public addRateLimited(key: string): number {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    const delay = backoffDelay(failures, this.backoff);
    this.addAfter(key, delay);
    return delay;
  }

  /** Clears a key's failure count after it succeeded (or stopped mattering). */
  public forget(key: string): void {
    this.failures.delete(key);
  }

  public failureCount(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Waits for the next key; undefined once the queue is shut down and drained. */
  public async get(): Promise<string | undefined> {
    while (this.queue.length === 0 && !this.shuttingDown) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    const key = this.queue.shift();
    if (key === undefined) return undefined;
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  public done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.waiters.shift()?.();
    }
  }

  /** Stops accepting keys; pending `get` calls return the remaining keys, then undefined. */
  public shutDown(): void {
    this.shuttingDown = true;
    this.timers.forEach((t) => clearTimeout(t.timer));
    this.timers.clear();
    this.queue.length = 0;
    this.dirty.clear();
    this.waiters.splice(0).forEach((wake) => wake());
  }
}
