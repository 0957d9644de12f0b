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
    expect(r.nonZeroId(16)).toMatch(/[^\0]/);
    expect(r.nonZeroId(8)).toMatch(/[^\0]/);
  });

  test.prop([fc.integer(), fc.nat(1000), fc.constantFrom(8 as const, 16 as const)])(
    'an id is bytes/4 draws, each four bytes low byte first, as a binary string (pins generated ids)',
    (seed, index, bytes) => {
      const draws = new Random(seed, 1, index);
      const expected: number[] = [];
      for (let i = 0; i < bytes / 4; i++) {
        const u = draws.nextUint32();
        expected.push(u & 0xff, (u >>> 8) & 0xff, (u >>> 16) & 0xff, u >>> 24);
      }
      const id = new Random(seed, 1, index).nonZeroId(bytes);
      expect(Array.from(id, (c) => c.charCodeAt(0))).toEqual(expected);
      // the next draw after the id is the same as after the raw draws (nothing else consumed)
      const after = new Random(seed, 1, index);
      after.nonZeroId(bytes);
      expect(after.nextUint32()).toBe(draws.nextUint32());
    },
  );

  test.prop([fc.integer()])('a uniform mean over 20 000 draws is 0.5 ± 5σ', (seed) => {
    const r = new Random(seed);
    let sum = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) sum += r.nextFloat();
    // σ of the mean of n U(0,1) = sqrt(1/12/n) ≈ 0.00204
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
  });
});
