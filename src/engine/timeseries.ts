/**
 * Records the report's per-interval time series (`TimeSeries` in report/model.ts) from cumulative
 * counters and instantaneous gauges sampled at each interval's end.
 *
 * Counters (spans received, exported, sampled out, dropped, dropped by reason) are stored per
 * interval as the difference of consecutive cumulative samples; gauges (tail traces held, held
 * bytes, exporter queue sizes) as the value at the interval's end.
 *
 * Size: `intervalMsFor(runMs)` picks 1 s, or a whole number of seconds such that the planned run
 * fits in `MAX_POINTS`; a run that goes on past its plan (draining) is halved by `coarsen` —
 * adjacent intervals merged, counters summed, gauges taking the later value — until it fits.
 */
import type { DropReason } from '../pipeline/accounting.js';
import type { TimeSeries } from '../report/model.js';

export const MAX_POINTS = 600;

/** 1 s, or the smallest whole number of seconds giving ≤ MAX_POINTS intervals over `runMs`. */
export function intervalMsFor(runMs: number): number {
  return 1000 * Math.max(1, Math.ceil(runMs / 1000 / MAX_POINTS));
}

/** Cumulative counters and current gauges at one instant. */
export interface SeriesSample {
  spansReceived: number;
  exported: number;
  sampledOut: number;
  dropped: number;
  droppedByReason: Partial<Record<DropReason, number>>;
  tailTracesHeld: Record<string, number>;
  heldBytes: number;
  exporterQueueSize: Record<string, number>;
  /** live mode: spans/s the schedule asked for and achieved in the interval, lag p99 (ms). */
  live?: { targetSpansPerSecond: number; achievedSpansPerSecond: number; scheduleLagMsP99: number };
}

export class TimeSeriesRecorder {
  private _intervalMs: number;
  private readonly _startMs: number;
  private _prev: SeriesSample | undefined;
  /** When the previous sample was taken: the start of the next interval. */
  private _prevMs: number;
  private readonly _s: TimeSeries;

  constructor(startMs: number, intervalMs: number) {
    this._startMs = startMs;
    this._prevMs = startMs;
    this._intervalMs = intervalMs;
    this._s = emptySeries(intervalMs);
  }

  get intervalMs(): number {
    return this._intervalMs;
  }

  /**
   * Records the interval that ends at `nowMs`; it starts at the previous sample's time (the run
   * start for the first), which is its `t`. The periodic samples make whole intervals; the last
   * one, taken when the run ends, may be shorter.
   */
  record(nowMs: number, sample: SeriesSample): void {
    const s = this._s;
    const prev = this._prev;
    const i = s.t.length;
    s.t.push(Math.max(0, Math.round((this._prevMs - this._startMs) / 1000)));
    this._prevMs = nowMs;
    s.spansReceived.push(sample.spansReceived - (prev?.spansReceived ?? 0));
    s.spansExported.push(sample.exported - (prev?.exported ?? 0));
    s.spansSampledOut.push(sample.sampledOut - (prev?.sampledOut ?? 0));
    s.spansDropped.push(sample.dropped - (prev?.dropped ?? 0));
    for (const reason of Object.keys(sample.droppedByReason) as DropReason[]) {
      const series = (s.droppedByReason[reason] ??= new Array<number>(i).fill(0));
      series.push(sample.droppedByReason[reason]! - (prev?.droppedByReason[reason] ?? 0));
    }
    for (const series of Object.values(s.droppedByReason)) if (series.length === i) series.push(0);
    pushGauges(s.tailTracesHeld, sample.tailTracesHeld, i);
    pushGauges(s.exporterQueueSize, sample.exporterQueueSize, i);
    s.heldBytes.push(sample.heldBytes);
    if (sample.live) {
      (s.targetSpansPerSecond ??= []).push(sample.live.targetSpansPerSecond);
      (s.achievedSpansPerSecond ??= []).push(sample.live.achievedSpansPerSecond);
      (s.scheduleLagMsP99 ??= []).push(sample.live.scheduleLagMsP99);
    }
    this._prev = sample;
  }

  /** The series, merged down to ≤ MAX_POINTS intervals. */
  finish(): TimeSeries {
    let s = this._s;
    while (s.t.length > MAX_POINTS) s = coarsen(s);
    this._intervalMs = s.intervalMs;
    return s;
  }
}

function pushGauges(target: Record<string, number[]>, values: Record<string, number>, i: number): void {
  for (const [id, v] of Object.entries(values)) (target[id] ??= new Array<number>(i).fill(0)).push(v);
  for (const series of Object.values(target)) if (series.length === i) series.push(0);
}

function emptySeries(intervalMs: number): TimeSeries {
  return {
    intervalMs,
    t: [],
    spansReceived: [],
    spansExported: [],
    spansSampledOut: [],
    spansDropped: [],
    droppedByReason: {},
    tailTracesHeld: {},
    heldBytes: [],
    exporterQueueSize: {},
  };
}

/** Merges intervals pairwise: counters summed, gauges and rates from the later interval (max for lag). */
export function coarsen(s: TimeSeries): TimeSeries {
  const sum = (a: readonly number[]): number[] => pairs(a, (x, y) => x + (y ?? 0));
  const last = (a: readonly number[]): number[] => pairs(a, (x, y) => y ?? x);
  const max = (a: readonly number[]): number[] => pairs(a, (x, y) => Math.max(x, y ?? x));
  const mean = (a: readonly number[]): number[] => pairs(a, (x, y) => (y === undefined ? x : (x + y) / 2));
  const out: TimeSeries = {
    intervalMs: s.intervalMs * 2,
    t: pairs(s.t, (x) => x),
    spansReceived: sum(s.spansReceived),
    spansExported: sum(s.spansExported),
    spansSampledOut: sum(s.spansSampledOut),
    spansDropped: sum(s.spansDropped),
    droppedByReason: Object.fromEntries(Object.entries(s.droppedByReason).map(([k, v]) => [k, sum(v)])),
    tailTracesHeld: Object.fromEntries(Object.entries(s.tailTracesHeld).map(([k, v]) => [k, last(v)])),
    heldBytes: last(s.heldBytes),
    exporterQueueSize: Object.fromEntries(Object.entries(s.exporterQueueSize).map(([k, v]) => [k, last(v)])),
  };
  if (s.targetSpansPerSecond) out.targetSpansPerSecond = mean(s.targetSpansPerSecond);
  if (s.achievedSpansPerSecond) out.achievedSpansPerSecond = mean(s.achievedSpansPerSecond);
  if (s.scheduleLagMsP99) out.scheduleLagMsP99 = max(s.scheduleLagMsP99);
  return out;
}

function pairs(a: readonly number[], f: (x: number, y: number | undefined) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i += 2) out.push(f(a[i]!, a[i + 1]));
  return out;
}
