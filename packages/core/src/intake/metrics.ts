/**
 * The intake's Prometheus metrics, in the text exposition format: a few counters, gauges read when
 * scraped, and one histogram. Small enough not to need a library.
 */

type Labels = Record<string, string>;

const labelText = (labels: Labels) => {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  const quote = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `{${entries.map(([k, v]) => `${k}="${quote(v)}"`).join(',')}}`;
};

class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const v = this.values.get(key) ?? { labels, value: 0 };
    v.value += by;
    this.values.set(key, v);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels))?.value ?? 0;
  }
  text(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.values.values())
      lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines.join('\n');
  }
}

class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: readonly number[],
  ) {
    this.counts = buckets.map(() => 0);
  }
  observe(value: number): void {
    this.sum += value;
    this.count++;
    for (const [i, b] of this.buckets.entries()) if (value <= b) this.counts[i]!++;
  }
  text(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [i, b] of this.buckets.entries())
      lines.push(`${this.name}_bucket{le="${b}"} ${this.counts[i]}`);
    lines.push(
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.count}`,
    );
    return lines.join('\n');
  }
}

export class IntakeMetrics {
  readonly received = new Counter('cx_intake_events_received_total', 'Events received, by topic pattern');
  readonly duplicates = new Counter(
    'cx_intake_events_duplicate_total',
    'Events received again (same id), not processed twice',
  );
  readonly ignored = new Counter('cx_intake_events_ignored_total', 'Events on topics the sync does not use');
  readonly refused = new Counter(
    'cx_intake_requests_refused_total',
    'Requests answered 4xx or 5xx, by status',
  );
  readonly syncs = new Counter('cx_intake_syncs_total', 'Syncs of a subject, by target and outcome');
  readonly coalesced = new Counter(
    'cx_intake_events_coalesced_total',
    'Events covered by a sync of their subject',
  );
  readonly lag = new Histogram(
    'cx_intake_lag_seconds',
    'From the newest event of a burst (its eventTime) to the targets written',
    [0.5, 1, 2, 3, 5, 10, 30, 60, 300],
  );

  constructor(private readonly gauges: () => Promise<Record<string, { help: string; value: number }>>) {}

  async text(): Promise<string> {
    const parts = [
      this.received,
      this.duplicates,
      this.ignored,
      this.refused,
      this.syncs,
      this.coalesced,
      this.lag,
    ].map((m) => m.text());
    for (const [name, g] of Object.entries(await this.gauges()))
      parts.push(`# HELP ${name} ${g.help}\n# TYPE ${name} gauge\n${name} ${g.value}`);
    return `${parts.join('\n')}\n`;
  }
}
