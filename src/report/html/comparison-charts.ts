/**
 * Charts of a compare or sweep: retention and storage per day for each config (compare, bars) or
 * each swept value (sweep, a line over the values), one more chart for every other gated report
 * path, gate bounds drawn as lines and the best entry meeting every gate marked.
 */
import type { ComparisonReport, Report } from '../model.js';
import type { ChartSpec, ReferenceLine, Series } from './chart-spec.js';
import { unitSuffix } from './format.js';
import type { ValueUnit } from './format.js';
import { parseGateBound } from './gate-bounds.js';
import type { GateBound } from './gate-bounds.js';
import { numberAt, unitOfPath } from './report-path.js';

interface Metric {
  path: string;
  name: string;
  /** Retention's 95 % interval, drawn as error bars on compare charts. */
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
    metrics: [{ path: 'retention.traces', name: 'retention (traces)', withInterval: true }],
  },
  {
    id: 'storage',
    title: 'Storage per day',
    axis: { label: 'bytes per day', unit: 'bytes' },
    metrics: [
      { path: 'storage.diskBytesPerDay', name: 'disk per day' },
      { path: 'storage.exportedBytesPerDay', name: 'exported per day' },
    ],
  },
];

/** Every chart of a comparison, in page order. */
export function comparisonCharts(c: ComparisonReport): ChartSpec[] {
  const bounds = gateBounds(c.runs);
  const covered = new Set(FIXED_CHARTS.flatMap((ch) => ch.metrics.map((m) => m.path)));
  const extra: MetricChart[] = [];
  for (const b of bounds) {
    if (covered.has(b.bound.path)) continue;
    covered.add(b.bound.path);
    extra.push({ id: `gate-${b.bound.path.replace(/[^\w]+/g, '-')}`, title: b.bound.path, axis: { label: `${b.bound.path}${unitSuffix(unitOfPath(b.bound.path))}`, unit: unitOfPath(b.bound.path) }, metrics: [{ path: b.bound.path, name: b.bound.path }] });
  }
  return [...FIXED_CHARTS, ...extra].map((ch) => metricChart(c, ch, bounds));
}

function metricChart(c: ComparisonReport, ch: MetricChart, bounds: { expression: string; bound: GateBound }[]): ChartSpec {
  const paths = new Set(ch.metrics.map((m) => m.path));
  const references: ReferenceLine[] = bounds.filter((b) => paths.has(b.bound.path)).map((b) => ({ name: b.expression, value: b.bound.value, kind: 'gate' }));
  const series: Series[] = ch.metrics.map((m, i) => ({
    name: m.name,
    values: c.runs.map((r) => numberAt(r, m.path)),
    color: i,
    intervals: m.withInterval && c.kind === 'compare' ? c.runs.map((r) => r.retention.tracesCi95) : undefined,
  }));
  const gated = references.length > 0 ? ' Dashed lines: gate bounds.' : '';
  const best = c.bestIndex == null ? '' : ' ★ marks the best entry meeting every gate (lowest disk bytes per day).';
  const title = c.kind === 'sweep' ? `${ch.title} vs ${c.variedPath ?? 'swept value'}` : `${ch.title} by config`;
  if (c.kind === 'sweep') {
    return {
      kind: 'line',
      id: ch.id,
      title,
      note: `One run per value of ${c.variedPath ?? 'the swept key'} on identical traffic.${gated}${best}`,
      x: { label: c.variedPath ?? 'swept value', unit: 'count', values: c.labels.map((_, i) => i), categories: c.labels },
      y: ch.axis,
      series,
      references,
      highlightIndex: c.bestIndex,
    };
  }
  return {
    kind: 'bar',
    id: ch.id,
    title,
    note: `Identical traffic through each config.${ch.metrics.some((m) => m.withInterval) ? ' Whiskers: 95 % interval.' : ''}${gated}${best}`,
    categories: c.labels,
    categoryLabel: 'config',
    value: ch.axis,
    series,
    references,
    highlightIndex: c.bestIndex,
  };
}

/** Distinct gate expressions of all runs (first-seen order) whose bound can be read. */
export function gateBounds(runs: readonly Report[]): { expression: string; bound: GateBound }[] {
  const seen = new Set<string>();
  const out: { expression: string; bound: GateBound }[] = [];
  for (const r of runs) {
    for (const g of r.gates) {
      if (seen.has(g.expression)) continue;
      seen.add(g.expression);
      const bound = parseGateBound(g.expression);
      if (bound) out.push({ expression: g.expression, bound });
    }
  }
  return out;
}
