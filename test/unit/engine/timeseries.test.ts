import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { coarsen, intervalMsFor, MAX_POINTS, TimeSeriesRecorder, type SeriesSample } from '../../../src/engine/timeseries.js';

function sample(cumulative: number, held: number, extra: Partial<SeriesSample> = {}): SeriesSample {
  return {
    spansReceived: cumulative,
    exported: cumulative,
    sampledOut: 0,
    dropped: 0,
    droppedByReason: {},
    tailTracesHeld: { tail_sampling: held },
    heldBytes: held * 10,
    exporterQueueSize: {},
    ...extra,
  };
}

describe('intervalMsFor', () => {
  test.prop([fc.integer({ min: 1, max: 30 * 86_400_000 })])('gives whole seconds and at most MAX_POINTS intervals', (runMs) => {
    const i = intervalMsFor(runMs);
    expect(i % 1000).toBe(0);
    expect(Math.ceil(runMs / i)).toBeLessThanOrEqual(MAX_POINTS);
    if (runMs <= MAX_POINTS * 1000) expect(i).toBe(1000);
  });
});

describe('TimeSeriesRecorder', () => {
  it('stores counters per interval and gauges at the interval end', () => {
    const rec = new TimeSeriesRecorder(0, 1000);
    rec.record(1000, sample(10, 3));
    rec.record(2000, sample(25, 5, { dropped: 2, droppedByReason: { tail_buffer_evicted: 2 } }));
    rec.record(3000, sample(25, 0, { dropped: 2, droppedByReason: { tail_buffer_evicted: 2 } }));
    const s = rec.finish();
    expect(s.t).toEqual([0, 1, 2]);
    expect(s.spansExported).toEqual([10, 15, 0]);
    expect(s.spansDropped).toEqual([0, 2, 0]);
    expect(s.droppedByReason.tail_buffer_evicted).toEqual([0, 2, 0]);
    expect(s.tailTracesHeld['tail_sampling']).toEqual([3, 5, 0]);
    expect(s.heldBytes).toEqual([30, 50, 0]);
  });

  it('dates each interval by its start: a last, shorter interval gets its own t', () => {
    const rec = new TimeSeriesRecorder(0, 1000);
    rec.record(1000, sample(10, 3));
    rec.record(2000, sample(20, 3));
    rec.record(2400, sample(26, 0)); // the run ended 0.4 s into the third interval
    const s = rec.finish();
    expect(s.t).toEqual([0, 1, 2]);
    expect(s.spansExported).toEqual([10, 10, 6]);
  });

  test.prop([fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 2000 })])(
    'keeps ≤ MAX_POINTS points, every array the same length, counter totals unchanged',
    (increments) => {
      const rec = new TimeSeriesRecorder(0, 1000);
      let total = 0;
      increments.forEach((inc, i) => {
        total += inc;
        rec.record((i + 1) * 1000, sample(total, inc));
      });
      const s = rec.finish();
      expect(s.t.length).toBeLessThanOrEqual(MAX_POINTS);
      for (const arr of [s.spansReceived, s.spansExported, s.spansSampledOut, s.spansDropped, s.heldBytes, s.tailTracesHeld['tail_sampling']!]) {
        expect(arr).toHaveLength(s.t.length);
      }
      expect(s.spansExported.reduce((a, b) => a + b, 0)).toBe(total);
      expect(s.intervalMs).toBe(1000 * 2 ** Math.max(0, Math.ceil(Math.log2(increments.length / MAX_POINTS))));
    },
  );

  it('coarsens live rates by mean and lag by max', () => {
    const rec = new TimeSeriesRecorder(0, 1000);
    rec.record(1000, sample(1, 0, { live: { targetSpansPerSecond: 100, achievedSpansPerSecond: 90, scheduleLagMsP99: 3 } }));
    rec.record(2000, sample(2, 0, { live: { targetSpansPerSecond: 100, achievedSpansPerSecond: 110, scheduleLagMsP99: 7 } }));
    const c = coarsen(rec.finish());
    expect(c.intervalMs).toBe(2000);
    expect(c.achievedSpansPerSecond).toEqual([100]);
    expect(c.scheduleLagMsP99).toEqual([7]);
  });
});
