import { KubeRest, RestResponse } from '../../src/reconciler/kube-rest';
import { LeaderElector } from '../../src/reconciler/leader-election';
import { Logger } from '../../src/reconciler/logger';

/**
 * One Lease on a stand-in API server, with resourceVersion checks; `hang` makes
 * every later request hang forever; `putDelayMs` makes each PUT reach the
 * server that much later (checked against the lease as it is then).
 */
class FakeLeases {
  public lease?: any;
  public hang = false;
  public putDelayMs = 0;
  public putsInFlight = 0;
  /** When set, each GET waits until released from here, then reads the lease as it is at that moment. */
  public heldGets?: Array<() => void>;
  public puts = 0;
  public requests = 0;
  private version = 0;
  public async request(method: string, _path: string, body?: any): Promise<RestResponse> {
    this.requests++;
    if (this.hang) return new Promise(() => undefined);
    if (method === 'GET') {
      const held = this.heldGets;
      if (held) await new Promise<void>((release) => held.push(release));
      return this.lease ? { status: 200, body: structuredClone(this.lease) } : { status: 404, body: {} };
    }
    if (method === 'PUT') this.puts++;
    if (method === 'PUT' && this.putDelayMs > 0) {
      this.putsInFlight++;
      await new Promise((r) => setTimeout(r, this.putDelayMs));
      this.putsInFlight--;
    }
    if (method === 'POST') {
      if (this.lease) return { status: 409, body: {} };
      return this.store(body, 201);
    }
    if (body.metadata.resourceVersion !== this.lease?.metadata.resourceVersion) return { status: 409, body: {} };
    return this.store(body, 200);
  }
  /** Another writer takes the lease (an intruder, or a replica that saw it expire). */
  public takeOver(holder: string): void {
    const spec = { ...this.lease.spec, holderIdentity: holder, renewTime: new Date().toISOString(), leaseDurationSeconds: 60 };
    this.store({ ...this.lease, spec }, 200);
  }
  private store(body: any, status: number): RestResponse {
    this.lease = { ...body, metadata: { ...body.metadata, resourceVersion: String(++this.version) } };
    return { status, body: structuredClone(this.lease) };
  }
}

function elector(rest: FakeLeases, changes: boolean[], logs: string[]) {
  const log = new Logger('debug', (line) => logs.push(line));
  return new LeaderElector(rest as unknown as KubeRest, {
    namespace: 'ns', name: 'lease', identity: 'me', leaseDurationSeconds: 3, renewDeadlineSeconds: 0.3, retryPeriodSeconds: 0.05,
  }, log, (leading) => changes.push(leading));
}

/** Waits for `ok`, and fails (instead of polling on after the test has timed out) past `ms`. */
const until = async (ok: () => boolean, ms = 4_000) => {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('LeaderElector', () => {
  test('GIVEN a leader WHEN another identity overwrites the lease THEN it reports the loss once, logs it, and stops campaigning', async () => {
    const rest = new FakeLeases();
    const changes: boolean[] = [];
    const logs: string[] = [];
    const e = elector(rest, changes, logs);
    e.start();
    await until(() => changes.length === 1);
    expect(changes).toEqual([true]);
    rest.takeOver('intruder');
    await until(() => changes.length === 2);
    expect(changes).toEqual([true, false]);
    expect(logs.some((l) => JSON.parse(l).msg === 'leader lease lost' && JSON.parse(l).reason === 'another replica holds the lease')).toBe(true);
    const requests = rest.requests;
    await new Promise((r) => setTimeout(r, 200));
    expect(rest.requests).toBe(requests);
    expect(rest.lease.spec.holderIdentity).toBe('intruder');
    await e.stop();
  });

  test('GIVEN a leader WHEN a renewal hangs past the renew deadline THEN it stops leading without waiting for the request', async () => {
    const rest = new FakeLeases();
    const changes: boolean[] = [];
    const logs: string[] = [];
    const e = elector(rest, changes, logs);
    e.start();
    await until(() => changes.length === 1);
    rest.hang = true;
    await until(() => changes.length === 2);
    expect(changes).toEqual([true, false]);
    expect(logs.some((l) => JSON.parse(l).reason === 'could not renew the lease within the renew deadline')).toBe(true);
    await e.stop();
  });

  test('GIVEN a leader whose renewal hangs WHEN the watchdog timer fires before Date.now() reaches the deadline THEN it still stops leading', async () => {
    const rest = new FakeLeases();
    const changes: boolean[] = [];
    const logs: string[] = [];
    const e = elector(rest, changes, logs);
    e.start();
    await until(() => changes.length === 1);
    // Node's timers and Date.now() can disagree by a millisecond or so; a wall
    // clock 5 ms behind the timers makes that disagreement certain.
    const realNow = Date.now.bind(Date);
    const lagging = jest.spyOn(Date, 'now').mockImplementation(() => realNow() - 5);
    try {
      rest.hang = true;
      await until(() => changes.length === 2);
      expect(changes).toEqual([true, false]);
    } finally {
      lagging.mockRestore();
      await e.stop();
    }
  }, 5_000);

  test('GIVEN a leader WHEN stopped THEN it releases the lease (empty holder) and does not report an involuntary loss', async () => {
    const rest = new FakeLeases();
    const changes: boolean[] = [];
    const logs: string[] = [];
    const e = elector(rest, changes, logs);
    e.start();
    await until(() => changes.length === 1);
    await e.stop();
    expect(changes).toEqual([true, false]);
    expect(rest.lease.spec.holderIdentity).toBe('');
    expect(logs.some((l) => JSON.parse(l).msg === 'leader lease lost')).toBe(false);
  });

  test('GIVEN a leader with a renewal in flight WHEN stopped THEN the renewal does not take the lease back after the release', async () => {
    const rest = new FakeLeases();
    const changes: boolean[] = [];
    const e = elector(rest, changes, []);
    e.start();
    await until(() => changes.length === 1);
    rest.putDelayMs = 50;
    await until(() => rest.putsInFlight === 1);
    await e.stop();
    await until(() => rest.putsInFlight === 0);
    // Released at once: a standby need not wait out the lease duration.
    expect(rest.lease.spec.holderIdentity).toBe('');
    expect(changes).toEqual([true, false]);
  });

  test('GIVEN a leader whose lease read hangs past the renew deadline WHEN stopped, and the read then returns the released lease THEN it writes nothing more', async () => {
    const rest = new FakeLeases();
    const changes: boolean[] = [];
    const e = elector(rest, changes, []);
    e.start();
    await until(() => changes.length === 1);
    const held: Array<() => void> = [];
    rest.heldGets = held;
    await until(() => held.length === 1);
    rest.heldGets = undefined;
    await e.stop();
    expect(rest.lease.spec.holderIdentity).toBe('');
    const puts = rest.puts;
    held[0]();
    await new Promise((r) => setTimeout(r, 100));
    expect(rest.puts).toBe(puts);
    expect(rest.lease.spec.holderIdentity).toBe('');
    expect(changes).toEqual([true, false]);
  });
});
