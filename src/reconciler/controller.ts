/**
 * The thin I/O loop around computeStatus: informers keep a cache of the
 * custom resources and their labelled children, events coalesce per custom
 * resource in a work queue, and workers (only while leading) compute the
 * status and write it when, and only when, it differs from the stored one.
 */
import * as k8s from '@kubernetes/client-node';
import { backoffDelay } from './backoff';
import { ChildIndex, parseResourceKey, resourceKey } from './child-index';
import { computeStatus } from './compute-status';
import { EventRecorder } from './events';
import { KubeObject } from './kube-object';
import { ApiError, KubeRest } from './kube-rest';
import { Logger } from './logger';
import { ReconcilerMetrics } from './metrics';
import { ProductAdapter } from './products';
import { sameStatus } from './status-equality';
import { WatchedResource, watchedResources } from './watched-kinds';
import { WorkQueue } from './work-queue';

const COMPONENT_NAME = 'cdk8s-abi-vecodex-status-reconciler';

export interface ControllerOptions {
  readonly adapters: readonly ProductAdapter[];
  /** @default 4 */
  readonly workers?: number;
  /** Every custom resource is re-queued this often, as a safety net. @default 300 */
  readonly resyncSeconds?: number;
  /** @default 300 */
  readonly missingChildrenTimeoutSeconds?: number;
  /** @default 1800 */
  readonly noReadyReplicasTimeoutSeconds?: number;
  /** Identity reported on Events. @default COMPONENT_NAME */
  readonly instance?: string;
}

/**
 * reconcile_total's result label. `deleted`: the custom resource was deleted
 * (its informer said so, or the status write found it gone). `absent`: a
 * child's event named a custom resource that is not in the cache and was
 * never deleted while we watched (a child that arrives before its resource,
 * or one whose resource does not exist): nothing to do, nothing deleted.
 */
type Result = 'written' | 'unchanged' | 'deleted' | 'absent' | 'conflict' | 'error' | 'skipped';

interface TrackedInformer {
  readonly name: string;
  readonly informer: k8s.Informer<k8s.KubernetesObject> & k8s.ObjectCache<k8s.KubernetesObject>;
  synced: boolean;
  /** The list returned 404: the CRD is not installed (yet). */
  absent: boolean;
  failures: number;
}

export class StatusController {
  public readonly queue = new WorkQueue();
  public readonly metrics = new ReconcilerMetrics(() => this.queue.depth);
  private readonly index: ChildIndex;
  private readonly informers: TrackedInformer[] = [];
  private readonly resources = new Map<string, TrackedInformer>();
  /** The object our last write returned, until the informer catches up with it (avoids a 409 on stale cache). */
  private readonly written = new Map<string, { fromVersion: string; obj: KubeObject }>();
  /** Custom resources whose deletion the informer reported and no reconcile has accounted for yet. */
  private readonly deleted = new Set<string>();
  private readonly workerLoops: Promise<void>[] = [];
  private readonly events: EventRecorder;
  private resyncTimer?: NodeJS.Timeout;
  private leading = false;
  private stopping = false;

  constructor(
    private readonly kc: k8s.KubeConfig,
    private readonly rest: KubeRest,
    private readonly log: Logger,
    private readonly options: ControllerOptions,
  ) {
    this.events = new EventRecorder(rest, COMPONENT_NAME, options.instance ?? COMPONENT_NAME);
    this.index = new ChildIndex(options.adapters.map((a) => a.name));
  }

  /** Ready once every informer has listed once (a missing CRD counts as listed). */
  public get ready(): boolean {
    return this.informers.every((i) => i.synced);
  }

  public async start(): Promise<void> {
    const watched = watchedResources(this.options.adapters);
    for (const resource of watched.resources) {
      const { product } = resource;
      const tracked = this.track(resource);
      this.resources.set(product, tracked);
      const enqueue = (obj: k8s.KubernetesObject) =>
        this.queue.add(resourceKey(product, obj.metadata?.namespace ?? 'default', obj.metadata?.name ?? ''));
      tracked.informer.on('add', enqueue);
      tracked.informer.on('update', enqueue);
      tracked.informer.on('delete', (obj) => {
        const key = resourceKey(product, obj.metadata?.namespace ?? 'default', obj.metadata?.name ?? '');
        this.written.delete(key);
        this.deleted.add(key);
        this.queue.add(key);
      });
    }
    for (const child of watched.children) {
      const kind = child.kind;
      const tracked = this.track(child);
      const upsert = (obj: k8s.KubernetesObject) => this.index.upsert(kind, obj as KubeObject).forEach((key) => this.queue.add(key));
      tracked.informer.on('add', upsert);
      tracked.informer.on('update', upsert);
      tracked.informer.on('delete', (obj) => this.index.remove(kind, obj as KubeObject).forEach((key) => this.queue.add(key)));
    }
    await Promise.all(this.informers.map((i) => this.startInformer(i)));
    const workers = this.options.workers ?? 4;
    for (let i = 0; i < workers; i++) this.workerLoops.push(this.work());
    const resync = (this.options.resyncSeconds ?? 300) * 1000;
    this.resyncTimer = setInterval(() => this.enqueueAll(), resync);
    this.resyncTimer.unref();
  }

  /** Called by leader election. Followers keep their caches warm but never write. */
  public setLeading(leading: boolean): void {
    this.leading = leading;
    this.metrics.leader.set(leading ? 1 : 0);
    if (leading) this.enqueueAll();
  }

  public async stop(): Promise<void> {
    this.stopping = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.queue.shutDown();
    await Promise.all(this.workerLoops);
    await Promise.all(this.informers.map((i) => i.informer.stop()));
  }

  private enqueueAll(): void {
    for (const [product, tracked] of this.resources) {
      for (const obj of tracked.informer.list()) {
        this.queue.add(resourceKey(product, obj.metadata?.namespace ?? 'default', obj.metadata?.name ?? ''));
      }
    }
  }

  private track({ name, path, labelSelector }: WatchedResource): TrackedInformer {
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    let tracked: TrackedInformer;
    const list = async (): Promise<k8s.KubernetesListObject<k8s.KubernetesObject>> => {
      const res = await this.rest.request('GET', `${path}${query}`);
      if (res.status === 404) {
        // No CRD (e.g. VecodexSet not installed): an empty list, so the cache is
        // consistent; the watch that follows fails and we retry with backoff.
        tracked.absent = true;
        setImmediate(() => { tracked.synced = true; });
        return { apiVersion: 'v1', kind: 'List', metadata: {}, items: [] } as any;
      }
      if (res.status !== 200) throw new ApiError(res.status, res.body, `list ${name}`);
      tracked.absent = false;
      tracked.failures = 0;
      // ListWatch adds the items right after this promise resolves; mark synced after that.
      setImmediate(() => { tracked.synced = true; });
      return res.body;
    };
    const informer = k8s.makeInformer<k8s.KubernetesObject>(this.kc, path, list, labelSelector);
    tracked = { name, informer, synced: false, absent: false, failures: 0 };
    // 'connect' fires before every attempt, so only data proves the watch healthy again.
    const healthy = () => { tracked.failures = 0; };
    informer.on('add', healthy);
    informer.on('update', healthy);
    informer.on('delete', healthy);
    informer.on('error', (err) => this.onInformerError(tracked, err));
    this.informers.push(tracked);
    return tracked;
  }

  private async startInformer(tracked: TrackedInformer): Promise<void> {
    try {
      await tracked.informer.start();
    } catch (err) {
      this.onInformerError(tracked, err);
    }
  }

  /**
   * client-node's ListWatch stops on any watch or list error; restart it with
   * backoff, which is how watches survive an API server restart.
   */
  private onInformerError(tracked: TrackedInformer, err: unknown): void {
    if (this.stopping) return;
    const delay = backoffDelay(tracked.failures++, { baseMs: 500, maxMs: 30_000 });
    const level = tracked.absent ? 'debug' : 'warn';
    this.log[level]('watch failed, restarting', { informer: tracked.name, error: describe(err), retryInMs: delay });
    this.metrics.watchRestarts.inc({ informer: tracked.name });
    setTimeout(() => { if (!this.stopping) void this.startInformer(tracked); }, delay).unref();
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      const started = process.hrtime.bigint();
      let result: Result = 'error';
      try {
        result = await this.reconcile(key);
        if (result === 'conflict') {
          // Our cache was stale: retry soon, once the watch has delivered the newer object.
          this.queue.addRateLimited(key);
        } else {
          this.queue.forget(key);
        }
      } catch (err) {
        const retryInMs = this.queue.addRateLimited(key);
        this.metrics.errors.inc({ product: parseResourceKey(key).product });
        this.log.error('reconcile failed', { key, error: describe(err), retryInMs, failures: this.queue.failureCount(key) });
      } finally {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.metrics.duration.observe(seconds);
        this.metrics.reconciles.inc({ product: parseResourceKey(key).product, result });
        this.log.debug('reconciled', { key, result, seconds });
        this.queue.done(key);
      }
    }
  }

  private async reconcile(key: string): Promise<Result> {
    if (!this.leading) {
      // A standby counts nothing; a deletion it saw must not wait in the set for ever.
      this.deleted.delete(key);
      return 'skipped';
    }
    const { product, namespace, name } = parseResourceKey(key);
    const adapter = this.options.adapters.find((a) => a.name === product);
    const tracked = this.resources.get(product);
    if (!adapter || !tracked) return 'skipped';
    let obj = tracked.informer.get(name, namespace) as KubeObject | undefined;
    if (!obj) {
      this.written.delete(key);
      return this.deleted.delete(key) ? 'deleted' : 'absent';
    }
    // Re-created under the same name: its earlier deletion is accounted for by this reconcile.
    this.deleted.delete(key);
    const mine = this.written.get(key);
    if (mine && mine.fromVersion === obj.metadata.resourceVersion) obj = mine.obj;
    else this.written.delete(key);

    const facts = adapter.facts(obj);
    const { status, requeueAfterSeconds } = computeStatus({
      resource: obj,
      expected: facts.expected,
      enabledFeatures: facts.enabledFeatures,
      configHashAnnotation: adapter.configHashAnnotation,
      children: this.index.children(key),
      now: new Date(),
      missingChildrenTimeoutSeconds: this.options.missingChildrenTimeoutSeconds,
      noReadyReplicasTimeoutSeconds: this.options.noReadyReplicasTimeoutSeconds,
    });
    if (requeueAfterSeconds !== undefined) this.queue.addAfter(key, requeueAfterSeconds * 1000);
    const wire = adapter.toWireStatus(status);
    if (sameStatus(obj.status, wire)) return 'unchanged';

    // PUT on /status with the cached resourceVersion: a concurrent change is a 409, never a lost update.
    const path = `/apis/${adapter.group}/${adapter.version}/namespaces/${encodeURIComponent(namespace)}/${adapter.plural}/${encodeURIComponent(name)}/status`;
    const res = await this.rest.request('PUT', path, { ...obj, status: wire });
    if (res.status === 404) {
      this.written.delete(key);
      return 'deleted';
    }
    if (res.status === 409) return 'conflict';
    if (res.status !== 200) throw new ApiError(res.status, res.body, `PUT ${path}`);
    this.metrics.statusWrites.inc({ product });
    this.written.set(key, { fromVersion: obj.metadata.resourceVersion ?? '', obj: res.body });
    const before = obj.status?.phase as string | undefined;
    this.log.info('status written', { key, phase: status.phase, previousPhase: before, ready: `${status.readyReplicas}/${status.replicas}`, health: status.health.status });
    if (before !== status.phase) {
      await this.emitPhaseEvent(adapter, obj, { written: res.body, from: before, to: status.phase, detail: status.health.message ?? '' });
    }
    return 'written';
  }

  /** Best effort: an Event that cannot be written must not fail (and repeat) the status write. */
  private async emitPhaseEvent(adapter: ProductAdapter, obj: KubeObject, change: PhaseChange): Promise<void> {
    const { written, from, to, detail } = change;
    const namespace = obj.metadata.namespace ?? 'default';
    try {
      const result = await this.events.record({
        involvedObject: {
          apiVersion: adapter.apiVersion,
          kind: adapter.kind,
          name: obj.metadata.name,
          namespace,
          uid: obj.metadata.uid,
          resourceVersion: written.metadata?.resourceVersion,
        },
        reason: to,
        message: `phase ${from ?? '(none)'} → ${to}${detail ? `: ${detail}` : ''}`,
        type: to === 'Failed' ? 'Warning' : 'Normal',
      });
      this.metrics.events.inc({ reason: to, result });
    } catch (err) {
      this.log.warn('could not emit event', { error: describe(err), object: `${namespace}/${obj.metadata.name}` });
    }
  }
}

/** A phase transition as written: the object the API server returned, and the health message behind it. */
interface PhaseChange {
  readonly written: KubeObject;
  readonly from: string | undefined;
  readonly to: string;
  readonly detail: string;
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  try { return JSON.stringify(err); } catch { return String(err); }
}
