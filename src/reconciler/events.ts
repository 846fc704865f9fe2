/**
 * Kubernetes Events with client-go's recorder semantics (EventCorrelator's
 * eventLogger): an Event identical to one this process already wrote
 * (same involved object, reason, type, message and source) is not created
 * again; the existing one is PATCHed with count + 1 and a new lastTimestamp.
 * An instance that flaps Running ⇄ Updating therefore shows one Event
 * "(x7 over 3h)" in `kubectl describe` instead of filling etcd.
 *
 * Like client-go, the memory of written Events is per process and bounded
 * (an LRU); after a restart, or once the Event expired on the server (404 on
 * the patch), a fresh Event is created.
 */
import { timestamp } from './conditions';
import { ApiError, RestResponse } from './kube-rest';

/**
 * The access EventRecorder needs: it POSTs and PATCHes core/v1 Events; the
 * events.k8s.io group is the same objects under their newer API.
 */
export const EVENT_RBAC_RULE = { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] };

export interface EventRest {
  request(method: string, path: string, body?: unknown, contentType?: string): Promise<RestResponse>;
}

interface InvolvedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
}

export interface EventSpec {
  readonly involvedObject: InvolvedObject;
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

export type RecordResult = 'created' | 'aggregated';

interface Remembered {
  readonly name: string;
  count: number;
}

/** client-go's default cache size (maxLruCacheEntries). */
const DEFAULT_CACHE_SIZE = 4096;

export class EventRecorder {
  /** Insertion-ordered: re-inserting on use makes the first key the least recently used. */
  private readonly cache = new Map<string, Remembered>();

  constructor(
    private readonly rest: EventRest,
    private readonly component: string,
    private readonly instance: string,
    private readonly cacheSize = DEFAULT_CACHE_SIZE,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Writes the Event; throws ApiError when the server refuses (the caller decides whether that matters). */
  public async record(spec: EventSpec): Promise<RecordResult> {
    const message = spec.message.slice(0, 1024);
    const key = JSON.stringify([spec.involvedObject.apiVersion, spec.involvedObject.kind, spec.involvedObject.namespace,
      spec.involvedObject.name, spec.involvedObject.uid ?? '', spec.type, spec.reason, message, this.component]);
    const now = timestamp(this.clock());
    const namespace = spec.involvedObject.namespace;
    const known = this.cache.get(key);
    if (known) {
      this.cache.delete(key);
      const count = known.count + 1;
      // A merge patch of two scalars, exactly what client-go's recorder sends (as a strategic merge patch).
      const res = await this.rest.request('PATCH', `/api/v1/namespaces/${encodeURIComponent(namespace)}/events/${encodeURIComponent(known.name)}`,
        { count, lastTimestamp: now }, 'application/merge-patch+json');
      if (res.status === 200) {
        this.remember(key, { name: known.name, count });
        return 'aggregated';
      }
      // 404: the Event expired (the API server's event TTL) or was deleted; start a new series.
      if (res.status !== 404) throw new ApiError(res.status, res.body, `patch event ${namespace}/${known.name}`);
    }
    const res = await this.rest.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { generateName: `${spec.involvedObject.name}.`, namespace },
      involvedObject: spec.involvedObject,
      reason: spec.reason,
      message,
      type: spec.type,
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.instance,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
    if (res.status !== 201) throw new ApiError(res.status, res.body, 'create event');
    this.remember(key, { name: res.body.metadata.name, count: 1 });
    return 'created';
  }

  private remember(key: string, entry: Remembered): void {
    this.cache.set(key, entry);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
  }
}
