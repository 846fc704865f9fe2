/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's rules:
 * a lease is free when its holder is empty or it has not been renewed for
 * leaseDuration as measured on OUR clock since we last saw it change (so clock
 * skew between replicas does not matter); the leader gives up when it cannot
 * renew within renewDeadline; optimistic concurrency (resourceVersion) makes
 * two simultaneous takeovers impossible.
 *
 * Losing the lease is final for this elector (as with client-go's
 * RunOrDie): it stops campaigning and reports `leading = false` once. The
 * process is expected to exit then (main.ts does), so the pod restarts into
 * a clean standby instead of carrying on with state from its leading days.
 */
import { KubeRest } from './kube-rest';
import { Logger } from './logger';

export interface LeaderElectionOptions {
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  /** @default 15 */
  readonly leaseDurationSeconds?: number;
  /** @default 10 */
  readonly renewDeadlineSeconds?: number;
  /** @default 2 */
  readonly retryPeriodSeconds?: number;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export class LeaderElector {
  private leading = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  /** Fires renewDeadline after the last successful renewal, even while a renewal request hangs. */
  private watchdog?: NodeJS.Timeout;
  private observed?: { record: string; at: number };
  /** The attempt now talking to the API server, if any: stop() lets it land before releasing. */
  private attempt?: Promise<void>;
  /** Our last acquire or renew succeeded (and the lease was not lost since): the lease is ours to release. */
  private holdsLease = false;
  private lastRenew = 0;
  private readonly duration: number;
  private readonly renewDeadline: number;
  private readonly retry: number;

  constructor(
    private readonly rest: KubeRest,
    private readonly options: LeaderElectionOptions,
    private readonly log: Logger,
    private readonly onChange: (leading: boolean) => void,
  ) {
    this.duration = options.leaseDurationSeconds ?? 15;
    this.renewDeadline = options.renewDeadlineSeconds ?? 10;
    this.retry = options.retryPeriodSeconds ?? 2;
  }

  public get isLeader(): boolean {
    return this.leading;
  }

  public start(): void {
    this.stopped = false;
    this.scheduleTick(0);
  }

  /** Stops campaigning; if we hold the lease, releases it so a standby takes over at once. */
  public async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.watchdog) clearTimeout(this.watchdog);
    // A renewal already sent would land after the release and hold the lease
    // for a whole leaseDuration. It is waited for until the renew deadline at
    // most: past that we count the lease lost anyway (a stopped elector sends
    // nothing new, see tryAcquireOrRenew).
    const waitMs = this.leading ? Math.max(0, this.lastRenew + this.renewDeadline * 1000 - Date.now()) : this.renewDeadline * 1000;
    this.setLeading(false);
    let deadline: NodeJS.Timeout | undefined;
    await Promise.race([this.attempt, new Promise<void>((resolve) => { deadline = setTimeout(resolve, waitMs); })]);
    clearTimeout(deadline);
    if (this.holdsLease) await this.release();
  }

  private async release(): Promise<void> {
    try {
      for (let attempt = 1; attempt <= 3; attempt++) {
        const lease = await this.rest.request('GET', this.path());
        if (lease.status !== 200 || lease.body.spec?.holderIdentity !== this.options.identity) return;
        const now = microTime(new Date());
        const released = await this.rest.request('PUT', this.path(), {
          ...lease.body,
          spec: { ...lease.body.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now, acquireTime: now },
        });
        if (released.status === 200) return;
        if (released.status !== 409) throw new Error(`updating lease: HTTP ${released.status}`);
      }
      throw new Error('the lease changed under every release attempt (HTTP 409, 3 times)');
    } catch (err) {
      this.log.warn('could not release the leader lease', { error: err as Error });
    }
  }

  private scheduleTick(ms: number): void {
    this.timer = setTimeout(() => {
      this.attempt = this.tick();
    }, ms);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      const acquired = await this.tryAcquireOrRenew();
      this.holdsLease = acquired;
      if (this.stopped) return;
      if (acquired) {
        this.lastRenew = Date.now();
        this.armWatchdog();
        this.setLeading(true);
      } else if (this.leading) {
        // Someone else holds the lease now: we must stop writing at once.
        this.lose('another replica holds the lease');
      }
    } catch (err) {
      this.log.warn('leader election attempt failed', { error: err as Error });
      if (this.leading && !this.stopped && Date.now() - this.lastRenew > this.renewDeadline * 1000) this.lose('could not renew the lease within the renew deadline');
    }
    if (!this.stopped) this.scheduleTick(this.retry * 1000);
  }

  /**
   * A renewal that hangs (API server unreachable, request timeout longer than
   * the lease) must not let us lead past renewDeadline: by leaseDuration a
   * standby may take over, and two writers is what election exists to prevent.
   */
  private armWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    const remaining = this.lastRenew + this.renewDeadline * 1000 - Date.now();
    this.watchdog = setTimeout(() => {
      if (!this.leading || this.stopped) return;
      if (Date.now() - this.lastRenew >= this.renewDeadline * 1000) this.lose('could not renew the lease within the renew deadline');
      // Node's timers can fire a millisecond before Date.now() reaches the
      // deadline; without re-arming, a hung renewal would then lead for ever.
      else this.armWatchdog();
    }, Math.max(remaining, 1));
    this.watchdog.unref();
  }

  /** Involuntary loss: final, see the class comment. */
  private lose(reason: string): void {
    this.stopped = true;
    this.holdsLease = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.watchdog) clearTimeout(this.watchdog);
    this.log.error('leader lease lost', { reason, lease: `${this.options.namespace}/${this.options.name}`, identity: this.options.identity });
    this.setLeading(false);
  }

  /** true: we hold the lease now; false: someone else does. Throws on transport errors and conflicts. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = new Date();
    const res = await this.rest.request('GET', this.path());
    // Stopped while reading: write nothing, or a lease just released would be taken back.
    if (this.stopped) return res.status === 200 && res.body.spec?.holderIdentity === this.options.identity;
    if (res.status === 404) {
      const created = await this.rest.request('POST', this.collectionPath(), {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.options.name, namespace: this.options.namespace },
        spec: this.spec({}, now, true),
      });
      if (created.status === 201) return true;
      if (created.status === 409) return false;
      throw new Error(`creating lease: HTTP ${created.status}`);
    }
    if (res.status !== 200) throw new Error(`reading lease: HTTP ${res.status}`);
    const lease = res.body;
    const spec: LeaseSpec = lease.spec ?? {};
    const record = JSON.stringify([spec.holderIdentity, spec.renewTime, spec.leaseDurationSeconds]);
    if (this.observed?.record !== record) this.observed = { record, at: Date.now() };
    const holder = spec.holderIdentity ?? '';
    const ours = holder === this.options.identity;
    const expired = this.observed.at + (spec.leaseDurationSeconds ?? this.duration) * 1000 < Date.now();
    if (holder !== '' && !ours && !expired) return false;
    const updated = await this.rest.request('PUT', this.path(), { ...lease, spec: this.spec(spec, now, !ours) });
    if (updated.status === 200) {
      this.observed = { record: JSON.stringify([this.options.identity, updated.body.spec?.renewTime, this.duration]), at: Date.now() };
      return true;
    }
    if (updated.status === 409) return false;
    throw new Error(`updating lease: HTTP ${updated.status}`);
  }

  private spec(old: LeaseSpec, now: Date, acquiring: boolean): LeaseSpec {
    const t = microTime(now);
    return {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: this.duration,
      acquireTime: acquiring ? t : old.acquireTime ?? t,
      renewTime: t,
      leaseTransitions: (old.leaseTransitions ?? 0) + (acquiring && old.holderIdentity ? 1 : 0),
    };
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.log.info(leading ? 'became leader' : 'lost leadership', { lease: `${this.options.namespace}/${this.options.name}`, identity: this.options.identity });
    this.onChange(leading);
  }

  private collectionPath(): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(this.options.namespace)}/leases`;
  }

  private path(): string {
    return `${this.collectionPath()}/${encodeURIComponent(this.options.name)}`;
  }
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
