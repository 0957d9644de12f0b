/**
 * Charts of a compare or sweep: retention and storage per day for each config (compare, bars) or
 * each swept value (sweep, a line over the values), one more chart for every other gated report
 * path, gate bounds drawn as lines and the best entry meeting every gate marked.
 *
 * Gate expressions are parsed with the gate module's own parser (`parseGate`), and values at
 * gated paths read with its evaluator, so a chart shows exactly what the gate tested.
 */
import { evaluateGate, parseGate } from '../gates.js';
import type { Gate, GateValueKind } from '../gates.js';
import type { ComparisonReport, Report } from '../model.js';
import type { ChartSpec, ReferenceLine, Series } from './chart-spec.js';
import { unitSuffix } from './format.js';
import type { ValueUnit } from './format.js';

interface Metric {
  /** Dotted report path; gates on this path draw their bound on the metric's chart. */
  path: string;
  name: string;
  value(r: Report): number | null;
  /** Retention's 95 % interval, drawn as whiskers on compare charts. */
  withInterval?: boolean;
}

interface MetricChart {
  id: string;
  title: string;
  axis: { label: string; unit: ValueUnit };
  metrics: Metric[];
}

const FIXED_CHARTS: MetricChart[] = [
  {
    id: 'retention',
    title: 'Retention (traces kept)',
    axis: { label: 'traces kept (%)', unit: 'fraction' },
    metrics: [{ path: 'retention.traces', name: 'retention (traces)', value: (r) => r.retention.traces, withInterval: true }],
  },
  {
    id: 'storage',
    title: 'Storage per day',
    axis: { label: 'bytes per day', unit: 'bytes' },
    metrics: [
      { path: 'storage.diskBytesPerDay', name: 'disk per day', value: (r) => r.storage.diskBytesPerDay },
      { path: 'storage.exportedBytesPerDay', name: 'exported per day', value: (r) => r.storage.exportedBytesPerDay },
    ],
  },
];

/** Every chart of a comparison, in page order. */
export function comparisonCharts(c: ComparisonReport): ChartSpec[] {
  const gates = distinctGates(c.runs);
  const covered = new Set(FIXED_CHARTS.flatMap((ch) => ch.metrics.map((m) => m.path)));
  const extra: MetricChart[] = [];
  for (const g of gates) {
    const path = g.path.join('.');
    if (covered.has(path)) continue;
    covered.add(path);
    const unit = unitOfKind(g.kind);
    extra.push({
      id: `gate-${path.replace(/[^\w]+/g, '-')}`,
      title: path,
      axis: { label: `${path}${unitSuffix(unit)}`, unit },
      metrics: [{ path, name: path, value: (r) => evaluateGate(r, g).actual }],
    });
  }
  return [...FIXED_CHARTS, ...extra].map((ch) => metricChart(c, ch, gates));
}

function metricChart(c: ComparisonReport, ch: MetricChart, gates: readonly Gate[]): ChartSpec {
  const paths = new Set(ch.metrics.map((m) => m.path));
  const references: ReferenceLine[] = gates.filter((g) => paths.has(g.path.join('.'))).map((g) => ({ name: g.expression, value: g.bound, kind: 'gate' }));
  const series: Series[] = ch.metrics.map((m, i) => ({
    name: m.name,
    values: c.runs.map((r) => m.value(r)),
    color: i,
    intervals: m.withInterval && c.kind === 'compare' ? c.runs.map((r) => r.retention.tracesCi95) : undefined,
  }));
  const gated = references.length > 0 ? ' Dashed lines: gate bounds.' : '';
  const best = c.bestIndex == null ? '' : ' ★ marks the best entry: it meets every gate, drops the fewest spans, and then has the lowest disk bytes per day.';
  const swept = c.variedPath ?? 'swept value';
  if (c.kind === 'sweep') {
    return {
      kind: 'line',
      id: ch.id,
      title: `${ch.title} vs ${sweptKey(c)}`,
      note: `One run per value of ${sweptKey(c)} on identical traffic.${gated}${best}`,
      x: { label: swept, unit: 'count', values: c.labels.map((_, i) => i), categories: c.labels },
      y: ch.axis,
      series,
      references,
      highlightIndex: c.bestIndex,
    };
  }
  return {
    kind: 'bar',
    id: ch.id,
    title: `${ch.title} by config`,
    note: `Identical traffic through each config.${ch.metrics.some((m) => m.withInterval) ? ' Whiskers: 95 % interval.' : ''}${gated}${best}`,
    categories: c.labels,
    categoryLabel: 'config',
    value: ch.axis,
    series,
    references,
    highlightIndex: c.bestIndex,
  };
}

/** The last key of the swept path (`…probabilistic.sampling_percentage` → `sampling_percentage`), for titles. */
export function sweptKey(c: ComparisonReport): string {
  const path = c.variedPath ?? 'swept value';
  return /([^.\]]+)$/.exec(path)?.[1] ?? path;
}

/** Distinct gate expressions of all runs, in first-seen order; ones that do not parse are not drawn. */
function distinctGates(runs: readonly Report[]): Gate[] {
  const seen = new Set<string>();
  const out: Gate[] = [];
  for (const r of runs) {
    for (const g of r.gates) {
      if (seen.has(g.expression)) continue;
      seen.add(g.expression);
      try {
        out.push(parseGate(g.expression));
      } catch {
        // Listed in each run's gate table with its result; there is no bound to draw.
      }
    }
  }
  return out;
}

/** The chart unit of a gate's value kind. */
export function unitOfKind(kind: GateValueKind): ValueUnit {
  switch (kind) {
    case 'fraction':
      return 'fraction';
    case 'bytes':
      return 'bytes';
    case 'ms':
      return 'ms';
    case 'rate':
      return 'perSecond';
    case 'count':
    case 'number':
      return 'count';
  }
}
