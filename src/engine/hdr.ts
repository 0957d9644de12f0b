/**
 * HDR histograms (hdr-histogram-js, pure-JS build) of live-mode latencies and of sim/replay span
 * delays (`BytesTap`). Values are recorded in whole microseconds (0 … 1 h at 3 significant digits;
 * the histogram grows past 1 h rather than throw) and reported in milliseconds.
 */
import * as hdr from 'hdr-histogram-js';
import { summarizeLatency } from '../report/build.js';

export interface LatencyMs {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  count: number;
}

export class HdrRecorder {
  private readonly _h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, useWebAssembly: false });

  /** Records a duration in milliseconds, rounded to the microsecond (negative values count as 0). */
  record(ms: number): void {
    this._h.recordValue(Math.max(0, Math.round(ms * 1000)));
  }

  get count(): number {
    return this._h.totalCount;
  }

  /** p99 of what was recorded, in ms (0 when empty). */
  p99(): number {
    return this.summary().p99;
  }

  /** Percentiles in ms, each at most the exact maximum (`summarizeLatency`). */
  summary(): LatencyMs {
    return summarizeLatency({ histogram: this._h, divideBy: 1000 });
  }

  reset(): void {
    this._h.reset();
  }
}
