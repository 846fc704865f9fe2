/**
 * The handful of Prometheus metrics the reconciler exposes, rendered in the
 * text exposition format (0.0.4). Small enough not to justify prom-client.
 */
type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}

abstract class Metric {
  constructor(public readonly name: string, public readonly help: string, public readonly type: string) {}
  public header(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
  }
  public abstract lines(): string[];
}

class Counter extends Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(name: string, help: string) { super(name, help, 'counter'); }
  public inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const entry = this.values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(key, entry);
  }
  public get(labels: Labels = {}): number {
    return this.values.get(labelText(labels))?.value ?? 0;
  }
  public lines(): string[] {
    if (this.values.size === 0) return [`${this.name} 0`];
    return [...this.values.values()].map((e) => `${this.name}${labelText(e.labels)} ${e.value}`);
  }
}

export class Gauge extends Metric {
  private value = 0;
  constructor(name: string, help: string, private readonly collect?: () => number) { super(name, help, 'gauge'); }
  public set(value: number): void { this.value = value; }
  public lines(): string[] {
    return [`${this.name} ${this.collect ? this.collect() : this.value}`];
  }
}

class Histogram extends Metric {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(name: string, help: string, private readonly buckets: readonly number[]) {
    super(name, help, 'histogram');
    this.counts = buckets.map(() => 0);
  }
  public observe(value: number): void {
    this.sum += value;
    this.count += 1;
    this.buckets.forEach((b, i) => { if (value <= b) this.counts[i] += 1; });
  }
  public lines(): string[] {
    return [
      ...this.buckets.map((b, i) => `${this.name}_bucket{le="${b}"} ${this.counts[i]}`),
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.count}`,
    ];
  }
}

export class ReconcilerMetrics {
  public readonly reconciles = new Counter('status_reconciler_reconcile_total', 'Reconciles by product and result (written, unchanged, deleted, absent: no such custom resource cached, conflict, error, skipped: not leading).');
  public readonly errors = new Counter('status_reconciler_reconcile_errors_total', 'Reconciles that failed and were retried with backoff.');
  public readonly statusWrites = new Counter('status_reconciler_status_writes_total', 'Successful writes of a status subresource.');
  public readonly events = new Counter('status_reconciler_events_total', 'Kubernetes Events emitted on phase transitions, by reason and result (created, or aggregated into an identical earlier Event).');
  public readonly watchRestarts = new Counter('status_reconciler_watch_restarts_total', 'Informer restarts after a watch or list error.');
  public readonly duration = new Histogram('status_reconciler_reconcile_duration_seconds', 'Time to reconcile one custom resource.',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]);
  public readonly queueDepth: Gauge;
  public readonly leader = new Gauge('status_reconciler_leader', '1 while this replica holds the leader lease.');

  constructor(depth: () => number) {
    this.queueDepth = new Gauge('status_reconciler_workqueue_depth', 'Custom resources waiting to be reconciled.', depth);
  }

  public render(): string {
    const all: Metric[] = [
      this.reconciles, this.errors, this.statusWrites, this.events, this.watchRestarts, this.duration, this.queueDepth, this.leader,
    ];
    return `${all.flatMap((m) => [...m.header(), ...m.lines()]).join('\n')}\n`;
  }
}
