import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { Z_95, Z_999, ratio, straddles, wilsonInterval, zForConfidence } from '../../../src/report/stats.js';

const arbKN = fc.integer({ min: 1, max: 1_000_000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));

describe('wilsonInterval', () => {
  it('matches the reference example: N = 1 000 000, p = 1 % → 1 % ± 0.0195 %', () => {
    const [lo, hi] = wilsonInterval(10_000, 1_000_000)!;
    expect((hi - lo) / 2).toBeCloseTo(0.000195, 6);
    expect((lo + hi) / 2).toBeCloseTo(0.01, 5);
  });

  it('matches a hand-computed small case (k = 5, n = 10, z = 1.96)', () => {
    // center = (5 + 1.9208)/(13.8416) = 0.5; half = 1.96/13.8416 × sqrt(2.5 + 0.9604) = 0.26340
    const [lo, hi] = wilsonInterval(5, 10, 1.96)!;
    expect(lo).toBeCloseTo(0.5 - 0.2634, 4);
    expect(hi).toBeCloseTo(0.5 + 0.2634, 4);
  });

  test.prop([fc.integer({ min: 1, max: 1_000_000 })])('is exactly [0, …] with no successes and […, 1] with all (no 1e-16 from rounding)', (n) => {
    expect(wilsonInterval(0, n)![0]).toBe(0);
    expect(wilsonInterval(n, n)![1]).toBe(1);
  });

  it('is null without trials and rejects k > n', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
  });

  test.prop([arbKN])('contains the point estimate and lies within [0, 1]', ([k, n]) => {
    const [lo, hi] = wilsonInterval(k, n)!;
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(lo).toBeLessThanOrEqual(k / n + 1e-12);
    expect(hi).toBeGreaterThanOrEqual(k / n - 1e-12);
  });

  test.prop([fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 2, max: 50 })])(
    'narrows as N grows at the same proportion',
    (n, pct, factor) => {
      const k = Math.round((n * pct) / 100);
      const [lo1, hi1] = wilsonInterval(k, n)!;
      const [lo2, hi2] = wilsonInterval(k * factor, n * factor)!;
      expect(hi2 - lo2).toBeLessThan(hi1 - lo1);
    },
  );

  test.prop([arbKN])('is wider at 99.9 % than at 95 %', ([k, n]) => {
    const a = wilsonInterval(k, n, Z_95)!;
    const b = wilsonInterval(k, n, Z_999)!;
    expect(b[1] - b[0]).toBeGreaterThan(a[1] - a[0]);
  });
});

describe('helpers', () => {
  it('zForConfidence gives the usual quantiles', () => {
    expect(zForConfidence(0.95)).toBeCloseTo(Z_95, 6);
    expect(zForConfidence(0.999)).toBeCloseTo(Z_999, 6);
    expect(zForConfidence(0.9)).toBeCloseTo(1.644854, 5);
    expect(() => zForConfidence(1)).toThrow(RangeError);
  });
  it('ratio and straddles', () => {
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(0, 0)).toBeNull();
    expect(straddles([0.1, 0.3], 0.2)).toBe(true);
    expect(straddles([0.1, 0.3], 0.3)).toBe(false);
  });
});
