/**
 * The collector's internal telemetry, in memory: counters, gauges and histograms named as the
 * collector names them (`otelcol_receiver_accepted_spans`, ...) and labelled by component id.
 * The report reads it; `tracesim collector` serves it in Prometheus text format.
 */
export type Labels = Readonly<Record<string, string>>;

export interface Counter {
  add(n: number): void;
  readonly value: number;
}

export interface Histogram {
  record(value: number): void;
}

export interface Telemetry {
  /** The counter for `name` + `labels`, created at 0 on first use. Same arguments ⇒ same counter. */
  counter(name: string, labels: Labels): Counter;
  /** Registers a gauge read on demand (queue sizes, traces in memory). */
  gauge(name: string, labels: Labels, read: () => number): void;
  /** A histogram of non-negative values for `name` + `labels`. */
  histogram(name: string, labels: Labels): Histogram;
}

export interface MetricPoint {
  name: string;
  labels: Labels;
  kind: 'counter' | 'gauge' | 'histogram';
  /** counter/gauge value; for a histogram, the sum of recorded values. */
  value: number;
  /** histogram only: number of recorded values and explicit-bucket counts (cumulative). */
  count?: number;
  buckets?: { le: number; count: number }[];
}

/** Explicit buckets used for every histogram, in the metric's own unit. */
const HISTOGRAM_BOUNDS = [0, 1, 2, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 10000, 30000, 60000];

function seriesKey(name: string, labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return `${name}{${keys.map((k) => `${k}=${labels[k]}`).join(',')}}`;
}

class MemoryCounter implements Counter {
  value = 0;
  add(n: number): void {
    this.value += n;
  }
}

class BucketHistogram implements Histogram {
  sum = 0;
  count = 0;
  readonly bucketCounts = new Array<number>(HISTOGRAM_BOUNDS.length).fill(0);
  record(value: number): void {
    this.sum += value;
    this.count++;
    for (let i = 0; i < HISTOGRAM_BOUNDS.length; i++) {
      if (value <= HISTOGRAM_BOUNDS[i]!) {
        this.bucketCounts[i]!++;
        return;
      }
    }
  }
}

/** The in-memory registry behind `Telemetry`. */
export class MetricsRegistry implements Telemetry {
  private readonly _counters = new Map<string, { name: string; labels: Labels; c: MemoryCounter }>();
  private readonly _gauges = new Map<string, { name: string; labels: Labels; read: () => number }>();
  private readonly _histograms = new Map<string, { name: string; labels: Labels; h: BucketHistogram }>();

  counter(name: string, labels: Labels): Counter {
    const key = seriesKey(name, labels);
    let entry = this._counters.get(key);
    if (!entry) {
      entry = { name, labels, c: new MemoryCounter() };
      this._counters.set(key, entry);
    }
    return entry.c;
  }

  gauge(name: string, labels: Labels, read: () => number): void {
    this._gauges.set(seriesKey(name, labels), { name, labels, read });
  }

  histogram(name: string, labels: Labels): Histogram {
    const key = seriesKey(name, labels);
    let entry = this._histograms.get(key);
    if (!entry) {
      entry = { name, labels, h: new BucketHistogram() };
      this._histograms.set(key, entry);
    }
    return entry.h;
  }

  /** Sum of a counter over every label set whose labels include `match`. */
  sum(name: string, match: Labels = {}): number {
    let total = 0;
    for (const { name: n, labels, c } of this._counters.values()) {
      if (n === name && matches(labels, match)) total += c.value;
    }
    return total;
  }

  /** Every series, sorted by name then labels, for reports and the Prometheus endpoint. */
  snapshot(): MetricPoint[] {
    // keyed by series key (the maps' keys), sorted on that key
    const keyed: [string, MetricPoint][] = [];
    for (const [key, { name, labels, c }] of this._counters) keyed.push([key, { name, labels, kind: 'counter', value: c.value }]);
    for (const [key, { name, labels, read }] of this._gauges) keyed.push([key, { name, labels, kind: 'gauge', value: read() }]);
    for (const [key, { name, labels, h }] of this._histograms) {
      let cumulative = 0;
      const buckets = HISTOGRAM_BOUNDS.map((le, i) => ({ le, count: (cumulative += h.bucketCounts[i]!) }));
      keyed.push([key, { name, labels, kind: 'histogram', value: h.sum, count: h.count, buckets }]);
    }
    return keyed.sort((a, b) => a[0].localeCompare(b[0])).map(([, point]) => point);
  }

  /** The current value of every gauge named `name`, with its labels (registration order). */
  gaugeValues(name: string): { labels: Labels; value: number }[] {
    const out: { labels: Labels; value: number }[] = [];
    for (const g of this._gauges.values()) if (g.name === name) out.push({ labels: g.labels, value: g.read() });
    return out;
  }
}

function matches(labels: Labels, match: Labels): boolean {
  for (const [k, v] of Object.entries(match)) if (labels[k] !== v) return false;
  return true;
}
