import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { Random } from '../../../src/shared/random.js';

describe('Random', () => {
  test.prop([fc.integer(), fc.nat(1000), fc.nat()])('is a pure function of (seed, stream, index)', (seed, stream, index) => {
    const a = new Random(seed, stream, index);
    const b = new Random(seed, stream, index);
    for (let i = 0; i < 8; i++) expect(a.nextUint32()).toBe(b.nextUint32());
  });

  test.prop([fc.integer(), fc.nat(1_000_000)])('neighbouring indices give different streams', (seed, index) => {
    expect(new Random(seed, 0, index).nextUint32()).not.toBe(new Random(seed, 0, index + 1).nextUint32());
  });

  test.prop([fc.integer()])('floats lie in [0, 1) and ids are never all zero', (seed) => {
    const r = new Random(seed);
    for (let i = 0; i < 100; i++) {
      const f = r.nextFloat();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
    expect(r.fillNonZeroBytes(new Uint8Array(16)).some((b) => b !== 0)).toBe(true);
  });

  test.prop([fc.integer()])('a uniform mean over 20 000 draws is 0.5 ± 5σ', (seed) => {
    const r = new Random(seed);
    let sum = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) sum += r.nextFloat();
    // σ of the mean of n U(0,1) = sqrt(1/12/n) ≈ 0.00204
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
  });
});
