/**
 * HDR histograms (hdr-histogram-js, pure-JS build) of live-mode latencies. Values are recorded in
 * microseconds (1 µs … 1 h, 3 significant digits) and reported in milliseconds.
 */
import * as hdr from 'hdr-histogram-js';

export interface LatencyMs {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  count: number;
}

export class HdrRecorder {
  private readonly _h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, useWebAssembly: false });

  /** Records a duration in milliseconds (negative values count as 0). */
  record(ms: number): void {
    this._h.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this._h.totalCount;
  }

  /** p99 of what was recorded, in ms (0 when empty). */
  p99(): number {
    return this._h.totalCount === 0 ? 0 : this._percentileMs(99);
  }

  summary(): LatencyMs {
    const h = this._h;
    if (h.totalCount === 0) return { p50: 0, p90: 0, p99: 0, max: 0, count: 0 };
    return { p50: this._percentileMs(50), p90: this._percentileMs(90), p99: this._percentileMs(99), max: h.maxValue / 1000, count: h.totalCount };
  }

  /**
   * A percentile in ms, at most the maximum: HDR answers a percentile with the highest value
   * equivalent to its bucket (up to 0.1 % above what was recorded at 3 significant digits), which
   * can exceed the exact maximum it also keeps.
   */
  private _percentileMs(percentile: number): number {
    return Math.min(this._h.getValueAtPercentile(percentile), this._h.maxValue) / 1000;
  }

  reset(): void {
    this._h.reset();
  }
}
