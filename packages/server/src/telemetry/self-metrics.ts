/**
 * Vigil's own metrics, rendered in the Prometheus text format 0.0.4 on the API port's /metrics.
 * Deliberately tiny: counters, gauges and histograms keyed by a fixed label set per family.
 */
type LabelValues = Record<string, string>;

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  render(): string[];
}

function labelKey(labels: LabelValues): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escapeLabelValue(labels[k] ?? '')}"`)
    .join(',');
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export class Counter implements Family {
  readonly type = 'counter' as const;
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: LabelValues = {}, by = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  get(labels: LabelValues = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  render(): string[] {
    return [...this.values].map(([k, v]) => `${this.name}${k ? `{${k}}` : ''} ${formatNumber(v)}`);
  }
}

export class Gauge implements Family {
  readonly type = 'gauge' as const;
  private readonly values = new Map<string, number | (() => number)>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  set(labels: LabelValues, value: number): void {
    this.values.set(labelKey(labels), value);
  }
  /** A gauge read at scrape time (queue depth, store size). */
  collect(labels: LabelValues, read: () => number): void {
    this.values.set(labelKey(labels), read);
  }
  render(): string[] {
    return [...this.values].map(([k, v]) => {
      const value = typeof v === 'function' ? v() : v;
      return `${this.name}${k ? `{${k}}` : ''} ${formatNumber(value)}`;
    });
  }
}

export class Histogram implements Family {
  readonly type = 'histogram' as const;
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bucketBounds: readonly number[],
  ) {}
  observe(labels: LabelValues, value: number): void {
    const key = labelKey(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { counts: this.bucketBounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    for (let i = 0; i < this.bucketBounds.length; i++) {
      if (value <= (this.bucketBounds[i] ?? Infinity)) s.counts[i] = (s.counts[i] ?? 0) + 1;
    }
    s.sum += value;
    s.count += 1;
  }
  render(): string[] {
    const lines: string[] = [];
    for (const [key, s] of this.series) {
      const sep = key ? ',' : '';
      this.bucketBounds.forEach((bound, i) => {
        lines.push(`${this.name}_bucket{${key}${sep}le="${formatNumber(bound)}"} ${s.counts[i] ?? 0}`);
      });
      lines.push(`${this.name}_bucket{${key}${sep}le="+Inf"} ${s.count}`);
      lines.push(`${this.name}_sum${key ? `{${key}}` : ''} ${formatNumber(s.sum)}`);
      lines.push(`${this.name}_count${key ? `{${key}}` : ''} ${s.count}`);
    }
    return lines;
  }
}

/** A set of metric families; one per Vigil process (see `selfMetrics`). */
export class MetricsRegistry {
  private readonly families = new Map<string, Family>();

  counter(name: string, help: string): Counter {
    return this.register(new Counter(name, help));
  }
  gauge(name: string, help: string): Gauge {
    return this.register(new Gauge(name, help));
  }
  histogram(name: string, help: string, bucketBounds: readonly number[]): Histogram {
    return this.register(new Histogram(name, help, bucketBounds));
  }

  /** Prometheus text exposition format 0.0.4. */
  render(): string {
    const lines: string[] = [];
    for (const family of this.families.values()) {
      lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
      lines.push(...family.render());
    }
    return lines.join('\n') + '\n';
  }

  private register<F extends Family>(family: F): F {
    const existing = this.families.get(family.name);
    if (existing) return existing as F;
    this.families.set(family.name, family);
    return family;
  }
}

/** The process-wide registry, so any module can count what it drops without plumbing. */
export const selfMetrics = new MetricsRegistry();

/** Counters shared by receivers and pipeline, by signal and reason. */
export const ingestMetrics = {
  accepted: selfMetrics.counter('vigil_receiver_accepted_total', 'Records accepted, by signal and transport.'),
  rejected: selfMetrics.counter(
    'vigil_receiver_rejected_total',
    'Records or requests refused by a receiver, by signal and reason.',
  ),
  dropped: selfMetrics.counter('vigil_pipeline_dropped_total', 'Records dropped after acceptance, by signal and reason.'),
  requests: selfMetrics.counter('vigil_receiver_requests_total', 'Export requests, by signal, transport and outcome.'),
};
