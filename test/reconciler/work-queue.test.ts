import { backoffDelay } from '../../src/reconciler/backoff';
import { ChildIndex, ownerKeyOf } from '../../src/reconciler/child-index';
import { selects } from '../../src/reconciler/disruption-budgets';
import { parseOptions } from '../../src/reconciler/options';
import { WorkQueue } from '../../src/reconciler/work-queue';
import { disruptionBudget, workload } from './fixtures';

describe('WorkQueue', () => {
  test('GIVEN many events for one resource WHEN queued THEN they coalesce into one item', async () => {
    const q = new WorkQueue();
    for (let i = 0; i < 10; i++) q.add('abi/ns/a');
    q.add('abi/ns/b');
    expect(q.depth).toBe(2);
    expect(await q.get()).toBe('abi/ns/a');
    expect(await q.get()).toBe('abi/ns/b');
  });

  test('GIVEN a key being processed WHEN it is added again THEN it is not handed out twice but re-queued after done', async () => {
    const q = new WorkQueue();
    q.add('k');
    const key = await q.get();
    q.add('k');
    expect(q.depth).toBe(0);
    q.done(key!);
    expect(q.depth).toBe(1);
  });

  test('GIVEN a shut-down queue WHEN a worker waits THEN it gets undefined', async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.shutDown();
    await expect(waiting).resolves.toBeUndefined();
  });

  test('GIVEN repeated failures WHEN rate-limited THEN the delay grows and forget resets it', () => {
    const q = new WorkQueue({ baseMs: 100, maxMs: 10_000 });
    const delays = [q.addRateLimited('k'), q.addRateLimited('k'), q.addRateLimited('k'), q.addRateLimited('k')];
    expect(delays[3]).toBeGreaterThan(delays[0]);
    expect(q.failureCount('k')).toBe(4);
    q.forget('k');
    expect(q.failureCount('k')).toBe(0);
    q.shutDown();
  });
});

describe('backoffDelay', () => {
  test.each([[0, 50, 100], [3, 400, 800], [20, 5_000, 10_000]])('GIVEN %i failures WHEN computed THEN within [%i, %i] (capped, jittered)', (failures, lo, hi) => {
    const opts = { baseMs: 100, maxMs: 10_000 };
    expect(backoffDelay(failures, opts, () => 0)).toBe(lo);
    expect(backoffDelay(failures, opts, () => 1)).toBe(hi);
  });
});

describe('ChildIndex', () => {
  test('GIVEN labelled children WHEN indexed THEN they are found by owner and a relabel moves them', () => {
    const index = new ChildIndex();
    const d = workload({ name: 'a', namespace: 'ns' });
    expect(index.upsert('Deployment', d)).toEqual(['abi/ns/a']);
    expect(index.children('abi/ns/a').deployments).toHaveLength(1);
    const moved = workload({ name: 'a', namespace: 'ns', instance: 'b' });
    expect(index.upsert('Deployment', moved).sort()).toEqual(['abi/ns/a', 'abi/ns/b']);
    expect(index.children('abi/ns/a').deployments).toHaveLength(0);
    expect(index.remove('Deployment', moved)).toEqual(['abi/ns/b']);
    expect(index.size).toBe(0);
  });

  test('GIVEN a labelled PodDisruptionBudget WHEN indexed THEN its owner sees it among its disruption budgets, apart from workloads', () => {
    const index = new ChildIndex();
    expect(index.upsert('PodDisruptionBudget', disruptionBudget({ name: 'a', namespace: 'ns' }))).toEqual(['abi/ns/a']);
    expect(index.children('abi/ns/a').disruptionBudgets.map((p) => p.metadata.name)).toEqual(['a']);
    expect(index.children('abi/ns/a').deployments).toHaveLength(0);
  });

  test('GIVEN an object without instance labels or of another product WHEN keyed THEN it has no owner', () => {
    expect(ownerKeyOf({ metadata: { name: 'x', labels: { 'app.kubernetes.io/part-of': 'cdk8s-abi-vecodex', 'app.kubernetes.io/instance': 'x' } } })).toBeUndefined();
    expect(ownerKeyOf({ metadata: { name: 'x' } })).toBeUndefined();
  });
});

describe('parseOptions', () => {
  test('GIVEN no flags WHEN parsed THEN defaults, with pod identity from the downward API', () => {
    const o = parseOptions([], { POD_NAME: 'pod-1', POD_NAMESPACE: 'ops' });
    expect(o).toMatchObject({ identity: 'pod-1', leaseNamespace: 'ops', leaderElect: true, logLevel: 'info', resyncSeconds: 300, products: ['abi', 'vecodex'] });
  });

  test('GIVEN bad flags WHEN parsed THEN a clear error', () => {
    expect(() => parseOptions(['--log-level=loud'])).toThrow(/log-level/);
    expect(() => parseOptions(['--bogus'])).toThrow(/unknown flag --bogus/);
    expect(() => parseOptions(['--lease-duration=5', '--renew-deadline=10'])).toThrow(/renew-deadline/);
  });
});

describe('selects (metav1.LabelSelector)', () => {
  const labels = { app: 'abi', tier: 'web' };
  test.each([
    [{ matchLabels: { app: 'abi' } }, true],
    [{ matchLabels: { app: 'other' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, false],
    [{}, true],
    [undefined, false],
  ])('GIVEN selector %j WHEN matched against app=abi,tier=web THEN %s', (selector, expected) => {
    expect(selects(selector as any, labels)).toBe(expected);
  });
});
