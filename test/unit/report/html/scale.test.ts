import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { extent, niceScale, niceStep } from '../../../../src/report/html/scale.js';

/** True when `step` is 1, 2 or 5 times a power of ten. */
function isOneTwoFive(step: number): boolean {
  const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-12);
  return [1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-9);
}

const finite = fc.double({ min: -1e12, max: 1e12, noNaN: true, noDefaultInfinity: true });

describe('niceScale', () => {
  test('0 … 27 → ticks 0, 5, …, 30', () => {
    const s = niceScale(0, 27, [0, 100]);
    expect(s.ticks).toEqual([0, 5, 10, 15, 20, 25, 30]);
    expect(s.map(0)).toBe(0);
    expect(s.map(30)).toBe(100);
  });

  test('a backwards range maps the domain top to the range end (y axes)', () => {
    const s = niceScale(0, 1, [250, 10]);
    expect(s.map(s.domain[0])).toBe(250);
    expect(s.map(s.domain[1])).toBe(10);
  });

  test('a degenerate domain still has ticks', () => {
    expect(niceScale(0, 0, [0, 1]).ticks.length).toBeGreaterThan(1);
    expect(niceScale(7, 7, [0, 1]).ticks.length).toBeGreaterThan(1);
  });

  test.prop([finite, finite])('covers the data with 1-2-5 steps, evenly spaced, 2–12 ticks', (a, b) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    fc.pre(hi - lo >= 1e-12 * Math.max(1, Math.abs(lo), Math.abs(hi)));
    const s = niceScale(lo, hi, [0, 500]);
    // Covers the data up to the snapping tolerance of 1e-9 step (float noise never adds a tick).
    expect(s.domain[0]).toBeLessThanOrEqual(lo + s.step * 1e-9);
    expect(s.domain[1]).toBeGreaterThanOrEqual(hi - s.step * 1e-9);
    expect(isOneTwoFive(s.step)).toBe(true);
    expect(s.ticks.length).toBeGreaterThanOrEqual(2);
    expect(s.ticks.length).toBeLessThanOrEqual(12);
    for (let i = 1; i < s.ticks.length; i++) expect(s.ticks[i]! - s.ticks[i - 1]!).toBeCloseTo(s.step, 6);
  });
});

describe('niceStep', () => {
  test.prop([fc.double({ min: 1e-9, max: 1e15, noNaN: true })])('is a 1-2-5 step within a factor of 2.5 of the raw step', (raw) => {
    const step = niceStep(raw);
    expect(isOneTwoFive(step)).toBe(true);
    expect(step / raw).toBeGreaterThan(0.66);
    expect(step / raw).toBeLessThan(2.5);
  });
});

describe('extent', () => {
  test('skips nulls and non-finite values', () => {
    expect(extent([3, null, -2, Number.NaN, undefined, 8])).toEqual([-2, 8]);
    expect(extent([null])).toBeUndefined();
  });
});
