import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import {
  createProbabilisticPolicy,
  fnv1a64Initial,
  fnv1a64Update,
  probabilisticThreshold,
} from '../../../../../src/components/processors/tail-sampling/policies/probabilistic.js';
import { Decision } from '../../../../../src/components/processors/tail-sampling/policies/decision.js';
import { Random } from '../../../../../src/shared/random.js';
import { idFromBytes } from '../../../../../src/protocol/otlp/model.js';

/** Slow oracle: FNV-1a 64 with BigInt, straight from the definition. */
function fnvOracle(bytes: Uint8Array): bigint {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h;
}

function fnvFast(bytes: Uint8Array): bigint {
  const s = fnv1a64Initial();
  fnv1a64Update(s, Buffer.from(bytes).toString('latin1'));
  return (BigInt(s[0]) << 32n) | BigInt(s[1]);
}

/**
 * Independent oracle for the math/big threshold: exact rational MaxUint64 × ratio, rounded to
 * a 64-bit mantissa half-to-even, then truncated (reference §2.4).
 */
function thresholdOracle(pct: number): bigint {
  const ratio = pct / 100;
  if (!(ratio > 0)) return 0n;
  const MAX = (1n << 64n) - 1n;
  // ratio = p / q exactly (q a power of two)
  let q = 1n;
  let r = ratio;
  while (!Number.isInteger(r)) {
    r *= 2;
    q *= 2n;
  }
  const p = BigInt(r);
  const num = MAX * p; // product = num / q
  // round num/q to 64 significant bits: find e with 2^63 <= num/(q·2^e) < 2^64
  let e = 0n;
  while (num >= (q << e) << 64n) e++;
  while (num < (q << e) << 63n && e > -200n) e--;
  const den = e >= 0n ? q << e : q;
  const numScaled = e >= 0n ? num : num << -e;
  let m = numScaled / den;
  const rem = numScaled - m * den;
  if (rem * 2n > den || (rem * 2n === den && (m & 1n) === 1n)) m += 1n;
  const v = e >= 0n ? m << e : m >> -e;
  return v > MAX ? MAX : v;
}

describe('FNV-1a 64', () => {
  it('matches the published test vectors', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(fnvFast(enc(''))).toBe(0xcbf29ce484222325n);
    expect(fnvFast(enc('a'))).toBe(0xaf63dc4c8601ec8cn);
    expect(fnvFast(enc('foobar'))).toBe(0x85944171f73967e8n);
  });
  test.prop([fc.uint8Array({ maxLength: 64 })])('32-bit-halves implementation equals the BigInt definition', (bytes) => {
    expect(fnvFast(bytes)).toBe(fnvOracle(bytes));
  });
});

describe('threshold (math/big arithmetic)', () => {
  it('gives the reference values', () => {
    const cases: [number, bigint][] = [
      [0.1, 0x004189374bc6a7efn],
      [1, 0x028f5c28f5c28f5fn],
      [10, 0x19999999999999ffn],
      [12.5, 0x1fffffffffffffffn],
      [25, 0x3fffffffffffffffn],
      [33, 0x547ae147ae147bffn],
      [50, 0x7fffffffffffffffn],
      [75, 0xbfffffffffffffffn],
      [100, 0xffffffffffffffffn],
      [150, 0xffffffffffffffffn],
      [0, 0n],
      [-50, 0n],
    ];
    for (const [pct, want] of cases) expect(probabilisticThreshold(pct), `${pct}%`).toBe(want);
  });
  test.prop([fc.double({ min: 0, max: 200, noNaN: true })])('agrees with a rational oracle', (pct) => {
    expect(probabilisticThreshold(pct)).toBe(thresholdOracle(pct));
  });
});

describe('probabilistic policy', () => {
  const policy = (salt: string, pct: number) => createProbabilisticPolicy({ hashSalt: salt, samplingPercentage: pct });
  const decide = (p: ReturnType<typeof policy>, id: string) => p.evaluate({ traceId: id, spans: [], origins: [], spanCount: 1, sizeBytes: 0 }, 0);

  test.prop([fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.string(), fc.double({ min: 0, max: 100, noNaN: true })])(
    'decides hash(salt ‖ id) <= threshold, the empty salt meaning "default-hash-seed"',
    (id, salt, pct) => {
      const saltBytes = new TextEncoder().encode(salt === '' ? 'default-hash-seed' : salt);
      const all = new Uint8Array(saltBytes.length + 16);
      all.set(saltBytes);
      all.set(id, saltBytes.length);
      const want = fnvOracle(all) <= thresholdOracle(pct) ? Decision.Sampled : Decision.NotSampled;
      expect(decide(policy(salt, pct), idFromBytes(id))).toBe(want);
    },
  );

  // A 99.9 % interval fails by chance about once per thousand samples, so the inputs are pinned
  // (fast-check seed) to keep the suite deterministic; change the seed to explore.
  test.prop([fc.string(), fc.constantFrom(0.1, 1, 10, 25, 33, 50, 99.9), fc.integer({ min: 0, max: 2 ** 31 - 1 })], { numRuns: 6, seed: 20261123 })(
    'keeps a share inside the Wilson interval (z = 3.29) over 100 000 random ids, for any salt',
    (salt, pct, seed) => {
      const p = policy(salt, pct);
      const rnd = new Random(seed, 7, 0);
      const n = 100_000;
      let kept = 0;
      for (let i = 0; i < n; i++) {
        if (decide(p, rnd.nonZeroId(16)) === Decision.Sampled) kept++;
      }
      const z = 3.29;
      const phat = kept / n;
      const centre = (phat + (z * z) / (2 * n)) / (1 + (z * z) / n);
      const half = (z / (1 + (z * z) / n)) * Math.sqrt((phat * (1 - phat)) / n + (z * z) / (4 * n * n));
      const target = pct / 100;
      expect(target).toBeGreaterThanOrEqual(centre - half);
      expect(target).toBeLessThanOrEqual(centre + half);
    },
  );

  it('0% and 100% are absolute for ordinary ids', () => {
    const id = idFromBytes(new Uint8Array(16).fill(7));
    expect(decide(policy('', 0), id)).toBe(Decision.NotSampled);
    expect(decide(policy('', 100), id)).toBe(Decision.Sampled);
  });
});
