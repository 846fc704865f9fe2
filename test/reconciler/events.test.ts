import { EventRecorder, EventRest, EventSpec } from '../../src/reconciler/events';
import { RestResponse } from '../../src/reconciler/kube-rest';

/** An API server stand-in that stores Events and answers like the real one (201 on create, 200/404 on patch). */
class FakeEvents implements EventRest {
  public readonly stored = new Map<string, any>();
  public readonly calls: string[] = [];
  private next = 0;
  public async request(method: string, path: string, body?: any): Promise<RestResponse> {
    this.calls.push(`${method} ${path}`);
    if (method === 'POST') {
      const name = `${body.metadata.generateName}${(this.next++).toString(16)}`;
      const event = { ...body, metadata: { ...body.metadata, name } };
      this.stored.set(name, event);
      return { status: 201, body: event };
    }
    const name = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
    const existing = this.stored.get(name);
    if (!existing) return { status: 404, body: { message: 'not found' } };
    Object.assign(existing, body);
    return { status: 200, body: existing };
  }
}

const T0 = new Date('2026-03-01T10:00:00Z');
const spec = (message = 'phase Running → Updating: demo: rolling out'): EventSpec => ({
  involvedObject: { apiVersion: 'abi.io/v1', kind: 'AbiInstance', name: 'demo', namespace: 'team-a', uid: 'u1', resourceVersion: '7' },
  type: 'Normal',
  reason: 'Updating',
  message,
});

describe('EventRecorder', () => {
  test('GIVEN the same transition three times WHEN recorded THEN one Event with count 3, first and last timestamps kept apart', async () => {
    const rest = new FakeEvents();
    let now = T0;
    const recorder = new EventRecorder(rest, 'reconciler', 'pod-1', 10, () => now);
    expect(await recorder.record(spec())).toBe('created');
    now = new Date(T0.getTime() + 60_000);
    // A later resourceVersion of the same object is still the same Event (client-go's key ignores it).
    expect(await recorder.record({ ...spec(), involvedObject: { ...spec().involvedObject, resourceVersion: '9' } })).toBe('aggregated');
    now = new Date(T0.getTime() + 120_000);
    expect(await recorder.record(spec())).toBe('aggregated');
    expect(rest.stored.size).toBe(1);
    const [event] = [...rest.stored.values()];
    expect(event).toMatchObject({ count: 3, firstTimestamp: '2026-03-01T10:00:00Z', lastTimestamp: '2026-03-01T10:02:00Z', reason: 'Updating', reportingInstance: 'pod-1' });
    expect(rest.calls.map((c) => c.split(' ')[0])).toEqual(['POST', 'PATCH', 'PATCH']);
  });

  test('GIVEN a different message, reason or object WHEN recorded THEN a separate Event', async () => {
    const rest = new FakeEvents();
    const recorder = new EventRecorder(rest, 'reconciler', 'pod-1');
    await recorder.record(spec());
    await recorder.record(spec('phase Running → Updating: demo: spec not yet observed by the controller'));
    await recorder.record({ ...spec(), reason: 'Failed', type: 'Warning' });
    await recorder.record({ ...spec(), involvedObject: { ...spec().involvedObject, name: 'other', uid: 'u2' } });
    expect(rest.stored.size).toBe(4);
    expect([...rest.stored.values()].every((e) => e.count === 1)).toBe(true);
  });

  test('GIVEN the Event expired on the server WHEN the transition repeats THEN a new Event is created and later repeats aggregate into it', async () => {
    const rest = new FakeEvents();
    const recorder = new EventRecorder(rest, 'reconciler', 'pod-1');
    await recorder.record(spec());
    rest.stored.clear();
    expect(await recorder.record(spec())).toBe('created');
    expect(await recorder.record(spec())).toBe('aggregated');
    expect([...rest.stored.values()].map((e) => e.count)).toEqual([2]);
  });

  test('GIVEN more distinct Events than the cache holds WHEN the oldest repeats THEN it is created anew (bounded memory)', async () => {
    const rest = new FakeEvents();
    const recorder = new EventRecorder(rest, 'reconciler', 'pod-1', 2);
    await recorder.record(spec('a'));
    await recorder.record(spec('b'));
    await recorder.record(spec('a'));
    await recorder.record(spec('c'));
    // 'b' was least recently used and is forgotten; 'a' was refreshed and still aggregates.
    expect(await recorder.record(spec('a'))).toBe('aggregated');
    expect(await recorder.record(spec('b'))).toBe('created');
  });

  test('GIVEN the server refuses the patch with 403 WHEN recorded THEN the error surfaces', async () => {
    const recorder = new EventRecorder({ request: async (method) => (method === 'POST' ? { status: 201, body: { metadata: { name: 'x' } } } : { status: 403, body: { message: 'forbidden' } }) }, 'r', 'p');
    await recorder.record(spec());
    await expect(recorder.record(spec())).rejects.toThrow('HTTP 403 forbidden');
  });
});
