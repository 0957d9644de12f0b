/**
 * What a report's page must show, derived from the report itself (not from the renderer): which
 * charts, how many series and reference lines each, and the verdict.
 */
import type { ComparisonReport, Report } from '../../../src/report/model.js';

export interface ExpectedChart {
  series: number;
  refs: number;
}

export function expectedRunCharts(report: Report, prefix = ''): Map<string, ExpectedChart> {
  const m = new Map<string, ExpectedChart>();
  const ts = report.timeseries;
  if (ts && ts.t.length > 0) {
    m.set(`${prefix}throughput`, { series: 4, refs: 0 }); // received, exported, sampled out, dropped
    const tails = Object.keys(ts.tailTracesHeld).length;
    if (tails > 0) m.set(`${prefix}tail-buffer`, { series: tails, refs: Object.keys(report.limits?.tailNumTraces ?? {}).length });
    const memRefs = report.limits?.memoryLimitBytes === undefined ? 0 : report.limits.memorySpikeLimitBytes === undefined ? 1 : 2;
    m.set(`${prefix}held-bytes`, { series: 1, refs: memRefs });
    const queues = Object.keys(ts.exporterQueueSize).length;
    if (queues > 0) m.set(`${prefix}exporter-queues`, { series: queues, refs: 0 });
    const rates = (ts.targetSpansPerSecond ? 1 : 0) + (ts.achievedSpansPerSecond ? 1 : 0);
    if (rates > 0) m.set(`${prefix}live-rate`, { series: rates, refs: 0 });
    if (ts.scheduleLagMsP99) m.set(`${prefix}schedule-lag`, { series: 1, refs: 0 });
  }
  if (Object.keys(report.retention.byPolicy).length > 0) m.set(`${prefix}retention-by-policy`, { series: 3, refs: 0 });
  m.set(`${prefix}retention-by-class`, { series: 1, refs: 0 });
  if (Object.values(report.dropped.byReason).some((e) => e.spans > 0)) m.set(`${prefix}drops-by-reason`, { series: 2, refs: 0 });
  if (Object.keys(report.latency).length > 0) m.set(`${prefix}latency`, { series: 4, refs: 0 });
  return m;
}

/** Distinct gate expressions of the runs, grouped by the report path they test. */
function gatesByPath(c: ComparisonReport): Map<string, Set<string>> {
  const byPath = new Map<string, Set<string>>();
  for (const r of c.runs) {
    for (const g of r.gates) {
      const path = /^\s*([\w.]+)/.exec(g.expression)?.[1] ?? '';
      if (!byPath.has(path)) byPath.set(path, new Set());
      byPath.get(path)!.add(g.expression);
    }
  }
  return byPath;
}

/** Charts of the comparison itself (per-run charts come from `expectedRunCharts` with prefix `run<i>-`). */
export function expectedComparisonCharts(c: ComparisonReport): Map<string, ExpectedChart> {
  const gates = gatesByPath(c);
  const count = (...paths: string[]): number => paths.reduce((n, p) => n + (gates.get(p)?.size ?? 0), 0);
  const m = new Map<string, ExpectedChart>();
  m.set('retention', { series: 1, refs: count('retention.traces') });
  m.set('storage', { series: 2, refs: count('storage.diskBytesPerDay', 'storage.exportedBytesPerDay') });
  for (const [path, exprs] of gates) {
    if (['retention.traces', 'storage.diskBytesPerDay', 'storage.exportedBytesPerDay'].includes(path)) continue;
    m.set(`gate-${path.replace(/[^\w]+/g, '-')}`, { series: 1, refs: exprs.size });
  }
  c.runs.forEach((r, i) => {
    for (const [id, e] of expectedRunCharts(r, `run${i}-`)) m.set(id, e);
  });
  return m;
}

/** The gates badge text a run's page must show: "Gates passed" / "Gates failed" / "No gates". */
export function expectedGatesWord(report: Report): string {
  if (report.gates.length === 0) return 'No gates';
  return report.gates.every((g) => g.pass) ? 'Gates passed' : 'Gates failed';
}
