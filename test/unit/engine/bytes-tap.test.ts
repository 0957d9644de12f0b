/**
 * `BytesTap` span delays on a virtual clock, with hand-built batches and hand-computed HDR figures.
 *
 * HdrRecorder keeps µs at 3 significant digits: values below 2 048 µs are exact; a value in
 * [1 024·2^k, 2 048·2^k) µs falls in a bucket 2^k µs wide, and a percentile reports its bucket's
 * highest value, clamped to the exact maximum (`summarizeLatency`). Rank of percentile p among n
 * values: ceil(p/100 · n).
 */
import { describe, expect, it } from 'vitest';
import { BytesTap } from '../../../src/engine/bytes-tap.js';
import { Ledger } from '../../../src/ledger/ledger.js';
import { VirtualClock } from '../../../src/pipeline/virtual-clock.js';
import type { AccountedBatch } from '../../../src/pipeline/accounting.js';
import { makeBatch, makeSpan } from '../../helpers/spans.js';

/** 2026-01-01T00:00:00Z, the sim epoch: span timestamps sit far above 2^53 ns. */
const T0_MS = 1_767_225_600_000;
const T0_NS = BigInt(T0_MS) * 1_000_000n;

/** A span ending `endMs` (fractions allowed, to the ns) after T0. */
function endingAt(endMs: number, traceByte = 7) {
  return makeSpan({ traceByte, endTimeUnixNano: T0_NS + BigInt(Math.round(endMs * 1e6)) });
}

function tapOnClock(): { tap: BytesTap; clock: VirtualClock } {
  const clock = new VirtualClock(T0_MS);
  return { tap: new BytesTap(new Ledger(), clock), clock };
}

describe('BytesTap span delays', () => {
  it('spanToCollector: now − span end at each generated request, negative clamped to 0', async () => {
    const { tap, clock } = tapOnClock();
    await clock.advanceTo(T0_MS + 1000);
    // delays 1 000 ms, 750 ms, 998.5 ms, and −2 ms (a span ending after "now": counts as 0)
    tap.generated(makeBatch([endingAt(0), endingAt(250), endingAt(1.5), endingAt(1002)]));
    await clock.advanceTo(T0_MS + 1250);
    tap.generated(makeBatch([endingAt(1000)], 'cart')); // 250 ms
    // sorted: 0, 250, 750, 998.5, 1000 (n = 5)
    //   p50 → rank 3 → 750 000 µs, bucket [749 568, 750 079] (width 512) → 750.079 ms
    //   p90, p99 → rank 5 → 1 000 000 µs, bucket top 1 000 447, clamped to the max → 1000 ms
    expect(tap.spanLatencyMs()!.spanToCollector).toEqual({ p50: 750.079, p90: 1000, p99: 1000, max: 1000, count: 5 });
    expect(tap.spanLatencyMs()!.spanToExport).toEqual({ p50: 0, p90: 0, p99: 0, max: 0, count: 0 });
  });

  it('spanToExport: now − span end at each exported batch; shadow copies are left out', async () => {
    const { tap, clock } = tapOnClock();
    await clock.advanceTo(T0_MS + 6000);
    tap.exported(makeBatch([endingAt(0), endingAt(1000)]), 'debug'); // 6 000 ms, 5 000 ms
    await clock.advanceTo(T0_MS + 8000);
    tap.exported(makeBatch([endingAt(3000.25)]), 'debug'); // 4 999.75 ms (sub-ms, from ns)
    // a fan-out copy of the first span, much later: not counted
    await clock.advanceTo(T0_MS + 20_000);
    const shadow: AccountedBatch = { ...makeBatch([endingAt(0)]), shadow: true };
    tap.exported(shadow, 'debug/2');
    // sorted: 4 999.75, 5 000, 6 000 (n = 3); 4 999 750 and 5 000 000 µs share the bucket
    // [4 997 120, 5 001 215] (width 4 096):
    //   p50 → rank 2 → 5001.215 ms;  p90, p99 → rank 3 → bucket top 6 000 639, clamped → 6000 ms
    expect(tap.spanLatencyMs()!.spanToExport).toEqual({ p50: 5001.215, p90: 6000, p99: 6000, max: 6000, count: 3 });
    expect(tap.spanLatencyMs()!.spanToCollector.count).toBe(0);
  });

  it('keeps sub-millisecond delays to the microsecond, and exact zeros at 0', async () => {
    const { tap, clock } = tapOnClock();
    await clock.advanceTo(T0_MS + 10.5);
    // 1.234567 ms → 1 235 µs (below 2 048 µs: exact); 0 ms; 0 ms
    tap.generated(makeBatch([endingAt(10.5 - 1.234567), endingAt(10.5), endingAt(10.5)]));
    expect(tap.spanLatencyMs()!.spanToCollector).toEqual({ p50: 0, p90: 1.235, p99: 1.235, max: 1.235, count: 3 });
  });

  it('records nothing without a clock (live runs keep their own latencies)', () => {
    const tap = new BytesTap(new Ledger());
    tap.generated(makeBatch([endingAt(0)]));
    tap.exported(makeBatch([endingAt(0)]), 'debug');
    expect(tap.spanLatencyMs()).toBeUndefined();
  });
});
