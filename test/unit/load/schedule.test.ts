import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { RateCurve, type RateStage } from '../../../src/load/rate-curve.js';
import { ArrivalSchedule, POISSON_BLOCK } from '../../../src/load/schedule.js';
import { contiguousRanges, splitEvenly, stripe } from '../../../src/load/partition.js';

const stageArb: fc.Arbitrary<RateStage> = fc.record({
  durationMs: fc.integer({ min: 0, max: 20_000 }),
  targetPerSecond: fc.integer({ min: 0, max: 2_000 }),
});

/** Slow reference: Λ(T) by midpoint integration of the rate curve in 1 ms steps. */
function referenceIntegral(start: number, stages: RateStage[], durationMs: number): number {
  const curve = new RateCurve(start, stages);
  let sum = 0;
  for (let t = 0; t < durationMs; t++) sum += curve.ratePerSecondAt(t + 0.5) / 1000;
  return sum;
}

describe('RateCurve', () => {
  test.prop([fc.integer({ min: 0, max: 2_000 }), fc.array(stageArb, { maxLength: 5 }), fc.integer({ min: 1, max: 60_000 })])(
    'the closed-form integral matches a numeric one',
    (start, stages, duration) => {
      const curve = new RateCurve(start, stages);
      const exact = curve.cumulative(duration);
      expect(Math.abs(exact - referenceIntegral(start, stages, duration))).toBeLessThan(1e-6 * Math.max(1, exact) + 1e-3);
    },
  );

  test.prop([fc.integer({ min: 1, max: 2_000 }), fc.array(stageArb, { maxLength: 5 }), fc.double({ min: 0, max: 60_000, noNaN: true })])(
    'inverse(cumulative(t)) = t where the rate is positive',
    (start, stages, t) => {
      const curve = new RateCurve(start, stages);
      if (curve.ratePerSecondAt(t) === 0) return;
      expect(curve.inverse(curve.cumulative(t))).toBeCloseTo(t, 3);
    },
  );
});

describe('ArrivalSchedule', () => {
  test.prop([fc.integer({ min: 0, max: 2_000 }), fc.array(stageArb, { maxLength: 4 }), fc.integer({ min: 1, max: 30_000 })], { numRuns: 60 })(
    'uniform: arrivals lie in [0, T), are monotone and number ∫rate ± 1',
    (start, stages, duration) => {
      const s = new ArrivalSchedule({ ratePerSecond: start, stages, durationMs: duration, arrival: 'uniform', seed: 1 });
      expect(Math.abs(s.count - s.expectedCount)).toBeLessThanOrEqual(1);
      let prev = 0;
      let bad = 0;
      for (let i = 0; i < s.count; i++) {
        const t = s.arrivalOffsetMs(i);
        if (!(t >= prev && t < duration)) bad++;
        prev = t;
      }
      expect(bad).toBe(0);
      // the next arrival is at or beyond the end
      if (s.count > 0 || s.expectedCount > 0) expect(s.arrivalOffsetMs(s.count)).toBeGreaterThanOrEqual(duration - 1e-6);
    },
  );

  test.prop([fc.integer(), fc.integer({ min: 1, max: 3_000 }), fc.array(stageArb, { maxLength: 3 }), fc.integer({ min: 1_000, max: 20_000 })], { numRuns: 60 })(
    'poisson: arrivals are monotone, inside [0, T), and a pure function of (seed, index)',
    (seed, start, stages, duration) => {
      const a = new ArrivalSchedule({ ratePerSecond: start, stages, durationMs: duration, arrival: 'poisson', seed });
      const b = new ArrivalSchedule({ ratePerSecond: start, stages, durationMs: duration, arrival: 'poisson', seed });
      let prev = 0;
      let bad = 0;
      for (let i = 0; i < a.count; i++) {
        const t = a.arrivalOffsetMs(i);
        if (!(t >= prev && t < duration)) bad++;
        prev = t;
      }
      expect(bad).toBe(0);
      // random access in reverse order gives the same times
      let differ = 0;
      for (let i = a.count - 1; i >= 0; i -= 97) if (b.arrivalOffsetMs(i) !== a.arrivalOffsetMs(i)) differ++;
      expect(differ).toBe(0);
    },
  );

  it('poisson: run totals stay within one block fluctuation of ∫rate (fixed seeds)', () => {
    // The count within a block is Binomial(B, f); 5σ ≤ 2.5·√B for any f.
    const bound = 2.5 * Math.sqrt(POISSON_BLOCK);
    for (let seed = 1; seed <= 50; seed++) {
      const s = new ArrivalSchedule({ ratePerSecond: 500, stages: [], durationMs: 60_000, arrival: 'poisson', seed });
      expect(Math.abs(s.count - s.expectedCount)).toBeLessThan(bound);
    }
  });

  it('poisson: counts in 100 ms windows have the Poisson mean and variance (fixed seed)', () => {
    // 1000/s for 600 s → 6000 windows of mean 100; the variance of a Poisson count equals its mean.
    const s = new ArrivalSchedule({ ratePerSecond: 1_000, stages: [], durationMs: 600_000, arrival: 'poisson', seed: 42 });
    const counts = new Array<number>(6_000).fill(0);
    for (let i = 0; i < s.count; i++) counts[Math.floor(s.arrivalOffsetMs(i) / 100)]!++;
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    const variance = counts.reduce((a, c) => a + (c - mean) ** 2, 0) / (counts.length - 1);
    expect(mean).toBeGreaterThan(99);
    expect(mean).toBeLessThan(101);
    // Conditioning on block counts shrinks the variance by about (1 − 100/1024); allow ±15 %.
    expect(variance).toBeGreaterThan(100 * 0.9 * 0.85);
    expect(variance).toBeLessThan(100 * 1.15);
  });

  it('poisson: gaps are exponential (mean and coefficient of variation ≈ 1)', () => {
    const s = new ArrivalSchedule({ ratePerSecond: 1_000, stages: [], durationMs: 100_000, arrival: 'poisson', seed: 3 });
    const gaps: number[] = [];
    for (let i = 1; i < s.count; i++) gaps.push(s.arrivalOffsetMs(i) - s.arrivalOffsetMs(i - 1));
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(mean).toBeCloseTo(1, 1);
    expect(sd / mean).toBeGreaterThan(0.95);
    expect(sd / mean).toBeLessThan(1.05);
  });

  it('a ramp puts arrivals where the integrated rate says (uniform)', () => {
    // 0 → 1000/s over 10 s: Λ(t) = 50·t² (t in s), so arrival k is at √(k/50) s.
    const s = new ArrivalSchedule({ ratePerSecond: 0, stages: [{ durationMs: 10_000, targetPerSecond: 1_000 }], durationMs: 10_000, arrival: 'uniform', seed: 1 });
    expect(s.count).toBe(5_000);
    for (const k of [1, 50, 200, 4_999]) expect(s.arrivalOffsetMs(k)).toBeCloseTo(Math.sqrt(k / 50) * 1000, 6);
  });
});

describe('partitions', () => {
  test.prop([fc.nat(5_000), fc.integer({ min: 1, max: 16 })])('worker stripes partition the indices', (count, workers) => {
    const seen = new Array<number>(count).fill(0);
    for (let w = 0; w < workers; w++) for (const i of stripe(count, w, workers)) seen[i]!++;
    expect(seen.filter((n) => n !== 1)).toEqual([]);
  });

  test.prop([fc.nat(1_000), fc.nat(5_000), fc.integer({ min: 1, max: 700 })])('contiguous ranges partition [start, end) in order', (start, n, size) => {
    const ranges = contiguousRanges(start, start + n, size);
    let next = start;
    let bad = 0;
    for (const r of ranges) {
      if (r.start !== next || r.end <= r.start || r.end - r.start > size) bad++;
      next = r.end;
    }
    expect(bad).toBe(0);
    expect(next).toBe(start + n);
  });

  test.prop([fc.nat(5_000), fc.integer({ min: 1, max: 64 })])('even splits differ by at most one and cover the range', (n, parts) => {
    const ranges = splitEvenly(0, n, parts);
    const sizes = ranges.map((r) => r.end - r.start);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
    if (sizes.length > 0) expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });
});
