/**
 * The charts of one run, built from a Report: throughput, tail-buffer occupancy, held bytes,
 * exporter queues and (live mode) rate and schedule lag over time, from `timeseries` and
 * `limits`; retention by policy and by class, drops by reason and latency from the totals.
 */
import type { DropReason } from '../../pipeline/accounting.js';
import { DROP_REASONS } from '../../pipeline/accounting.js';
import type { Report, TimeSeries } from '../model.js';
import { latencyLabel } from '../format.js';
import type { ChartSpec, EmptyChart, LineChartSpec, ReferenceLine, Series } from './chart-spec.js';
import { formatPercent, formatValue } from './format.js';
import type { ValueUnit } from './format.js';

/** Palette indices with a fixed meaning across charts. */
const COLOR = { received: 0, exported: 1, sampledOut: 7, dropped: 3, limit: 3, softLimit: 4 } as const;

const TIME_AXIS = { label: 'time since start (s)', unit: 'seconds' } as const;

/** Every chart of `report`, in page order; `idPrefix` keeps ids unique when a page shows several runs. */
export function runCharts(report: Report, idPrefix = ''): (ChartSpec | EmptyChart)[] {
  const id = (s: string): string => `${idPrefix}${s}`;
  const out: (ChartSpec | EmptyChart)[] = [];
  const ts = report.timeseries;
  if (ts && ts.t.length > 0) {
    out.push(throughputChart(ts, id('throughput')));
    const drops = dropsOverTimeChart(ts, id('drops-over-time'));
    if (drops) out.push(drops);
    const tail = tailBufferChart(report, ts, id('tail-buffer'));
    if (tail) out.push(tail);
    out.push(heldBytesChart(report, ts, id('held-bytes')));
    const queues = Object.entries(ts.exporterQueueSize);
    if (queues.length > 0) {
      out.push(
        timeChart(ts, id('exporter-queues'), 'Exporter queue size', { label: 'requests queued', unit: 'count' }, queues.map(([name, values]) => ({ name, values }))),
      );
    }
    if (ts.targetSpansPerSecond || ts.achievedSpansPerSecond) {
      const series: Series[] = [];
      if (ts.targetSpansPerSecond) series.push({ name: 'target', values: ts.targetSpansPerSecond, color: 7 });
      if (ts.achievedSpansPerSecond) series.push({ name: 'achieved', values: ts.achievedSpansPerSecond, color: 0 });
      out.push(timeChart(ts, id('live-rate'), 'Generator rate: achieved vs target', { label: 'spans per second', unit: 'perSecond' }, series));
    }
    if (ts.scheduleLagMsP99) {
      out.push(timeChart(ts, id('schedule-lag'), 'Schedule lag (p99 per interval)', { label: 'lag (ms)', unit: 'ms' }, [{ name: 'p99 lag', values: ts.scheduleLagMsP99, color: 4 }]));
    }
  } else {
    out.push({ kind: 'empty', id: id('throughput'), title: 'Over time', message: 'This report has no time series, so the charts over time are not shown.' });
  }
  out.push(retentionByPolicyChart(report, id('retention-by-policy')));
  out.push(retentionByClassChart(report, id('retention-by-class')));
  out.push(dropsChart(report, id('drops-by-reason')));
  const latency = latencyChart(report, id('latency'));
  if (latency) out.push(latency);
  return out;
}

/** Converts counts per interval to a rate: count / (intervalMs / 1000). */
function perSecond(values: readonly number[], intervalMs: number): number[] {
  const seconds = intervalMs / 1000;
  return values.map((v) => v / seconds);
}

function timeChart(ts: TimeSeries, id: string, title: string, y: LineChartSpec['y'], series: Series[], references: ReferenceLine[] = [], note?: string): LineChartSpec {
  return { kind: 'line', id, title, note, x: { ...TIME_AXIS, values: ts.t }, y, series, references };
}

function throughputChart(ts: TimeSeries, id: string): LineChartSpec {
  return timeChart(
    ts,
    id,
    'Throughput over time',
    { label: 'spans per second', unit: 'perSecond' },
    [
      { name: 'received', values: perSecond(ts.spansReceived, ts.intervalMs), color: COLOR.received },
      { name: 'exported', values: perSecond(ts.spansExported, ts.intervalMs), color: COLOR.exported },
      { name: 'sampled out', values: perSecond(ts.spansSampledOut, ts.intervalMs), color: COLOR.sampledOut },
      { name: 'dropped', values: perSecond(ts.spansDropped, ts.intervalMs), color: COLOR.dropped },
    ],
    [],
    `Spans per second, averaged over ${ts.intervalMs / 1000} s intervals.`,
  );
}

/** Dropped spans per second by reason, for the reasons that dropped anything; undefined when none did. */
function dropsOverTimeChart(ts: TimeSeries, id: string): LineChartSpec | undefined {
  const reasons = DROP_REASONS.flatMap((reason) => {
    const values = ts.droppedByReason[reason];
    return values && values.some((v) => v > 0) ? [{ reason, values }] : [];
  });
  if (reasons.length === 0) return undefined;
  return timeChart(
    ts,
    id,
    'Drops over time by reason',
    { label: 'dropped spans per second', unit: 'perSecond' },
    reasons.map(({ reason, values }, i) => ({ name: reason, values: perSecond(values, ts.intervalMs), color: (3 + i) % 8 })),
    [],
    'When each kind of loss happened: eviction bursts, refusals under memory pressure, failed exports.',
  );
}

function tailBufferChart(report: Report, ts: TimeSeries, id: string): LineChartSpec | undefined {
  const held = Object.entries(ts.tailTracesHeld);
  if (held.length === 0) return undefined;
  return timeChart(
    ts,
    id,
    'Tail-sampling buffer occupancy',
    { label: 'traces held', unit: 'count' },
    held.map(([name, values], i) => ({ name: held.length === 1 ? 'traces held' : `traces held (${name})`, values, color: i })),
    numTracesLines(report.limits?.tailNumTraces ?? {}),
    // With several instances: the fullest instance against the smallest num_traces (conservative).
    `Traces waiting for a decision at each interval end; at num_traces the oldest are evicted (dropped).${peakNote(
      held.flatMap(([, v]) => v),
      Math.min(...Object.values(report.limits?.tailNumTraces ?? {})),
      'count',
      'num_traces',
    )}`,
  );
}

/**
 * One line per distinct num_traces value: replicas usually share a config, and identical lines
 * drawn on top of each other would only stack their labels.
 */
function numTracesLines(limits: Record<string, number>): ReferenceLine[] {
  const byValue = new Map<number, string[]>();
  for (const [id, value] of Object.entries(limits)) byValue.set(value, [...(byValue.get(value) ?? []), id]);
  const total = Object.keys(limits).length;
  return [...byValue].map(([value, ids], i) => ({
    name: total === 1 ? 'num_traces' : ids.length === 1 ? `num_traces (${ids[0]})` : `num_traces (${ids.length} instances)`,
    value,
    kind: 'limit',
    color: (COLOR.limit + i) % 8,
  }));
}

function heldBytesChart(report: Report, ts: TimeSeries, id: string): LineChartSpec {
  const refs: ReferenceLine[] = [];
  const limit = report.limits?.memoryLimitBytes;
  const spike = report.limits?.memorySpikeLimitBytes;
  if (limit !== undefined) {
    refs.push({ name: 'memory limit (hard)', value: limit, kind: 'limit', color: COLOR.limit });
    // The memory_limiter refuses data above the soft limit = limit − spike_limit.
    if (spike !== undefined) refs.push({ name: 'soft limit (limit − spike)', value: limit - spike, kind: 'limit', color: COLOR.softLimit });
  }
  const note =
    limit === undefined
      ? 'Span bytes held by the pipeline at each interval end (no memory_limiter configured).'
      : `Span bytes held by the pipeline at each interval end, against the memory_limiter limits.${peakNote(ts.heldBytes, spike === undefined ? limit : limit - spike, 'bytes', spike === undefined ? 'the limit' : 'the soft limit')}`;
  return timeChart(ts, id, 'Pipeline memory: held bytes', { label: 'held bytes', unit: 'bytes' }, [{ name: 'held bytes', values: ts.heldBytes, color: 2 }], refs, note);
}

/**
 * ` Peak: 412 (4.1% of num_traces).` — the number a reader looks for when the line sits far
 * below its limit. Empty when there is no finite limit.
 */
function peakNote(values: readonly number[], limit: number, unit: ValueUnit, limitName: string): string {
  if (!(limit > 0) || !Number.isFinite(limit)) return '';
  let peak = 0;
  for (const v of values) if (v > peak) peak = v;
  return ` Peak ${formatValue(peak, unit)} (${formatPercent(peak / limit)} of ${limitName}).`;
}

function retentionByPolicyChart(report: Report, id: string): ChartSpec | EmptyChart {
  const policies = Object.entries(report.retention.byPolicy);
  const title = 'Retention by tail-sampling policy';
  if (policies.length === 0) return { kind: 'empty', id, title, message: 'No tail_sampling policies in this pipeline.' };
  return {
    kind: 'bar',
    id,
    title,
    note: 'sampled: the policy voted to keep; attributed: kept traces whose first "sample" vote came from it (these sum to the kept traces); exclusive: only this policy kept them.',
    categories: policies.map(([name]) => name),
    categoryLabel: 'policy',
    value: { label: 'traces', unit: 'count' },
    series: [
      { name: 'sampled', values: policies.map(([, p]) => p.sampledTraces), color: 0 },
      { name: 'attributed', values: policies.map(([, p]) => p.attributedTraces), color: 1 },
      { name: 'exclusive', values: policies.map(([, p]) => p.exclusiveTraces), color: 2 },
    ],
    references: [],
  };
}

function retentionByClassChart(report: Report, id: string): ChartSpec {
  const c = report.retention.byClass;
  return {
    kind: 'bar',
    id,
    title: 'Retention by trace class',
    note: 'Share of generated traces of each class that were kept; n/a when the run generated none of that class.',
    categories: ['error', 'slow', 'normal'],
    categoryLabel: 'class',
    value: { label: 'traces kept (%)', unit: 'fraction' },
    series: [{ name: 'retention', values: [c.error, c.slow, c.normal], color: 1 }],
    references: [],
  };
}

function dropsChart(report: Report, id: string): ChartSpec | EmptyChart {
  const title = 'Drops by reason';
  const entries = DROP_REASONS.flatMap((reason: DropReason) => {
    const e = report.dropped.byReason[reason];
    return e && e.spans > 0 ? [{ reason, ...e }] : [];
  });
  if (entries.length === 0) return { kind: 'empty', id, title, message: 'No spans were dropped.' };
  return {
    kind: 'bar',
    id,
    title,
    note: 'Spans and traces lost, by reason, with the component that dropped them.',
    categories: entries.map((e) => `${e.reason} (${e.component})`),
    categoryLabel: 'reason (component)',
    value: { label: 'dropped (count)', unit: 'count' },
    series: [
      { name: 'spans', values: entries.map((e) => e.spans), color: 3 },
      { name: 'traces', values: entries.map((e) => e.traces), color: 4 },
    ],
    references: [],
  };
}

function latencyChart(report: Report, id: string): ChartSpec | undefined {
  const hist = Object.entries(report.latency);
  if (hist.length === 0) return undefined;
  return {
    kind: 'bar',
    id,
    title: 'Latency percentiles',
    note:
      report.mode === 'live'
        ? 'Percentiles of each measured histogram (wall clock).'
        : 'How long after its end a span reached the collector and the exporter (virtual time).',
    categories: hist.map(([name, h]) => `${latencyLabel(name)} (n=${h.count})`),
    categoryLabel: 'histogram',
    value: { label: 'latency (ms)', unit: 'ms' },
    series: [
      { name: 'p50', values: hist.map(([, h]) => h.p50), color: 1 },
      { name: 'p90', values: hist.map(([, h]) => h.p90), color: 0 },
      { name: 'p99', values: hist.map(([, h]) => h.p99), color: 4 },
      { name: 'max', values: hist.map(([, h]) => h.max), color: 3 },
    ],
    references: [],
  };
}
