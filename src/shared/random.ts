/**
 * The only source of randomness in tracesim. Every random choice flows from the scenario seed
 * through these generators, so the same seed reproduces the same run. Pure; worker-safe.
 *
 * Generator: sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG, 128-bit state, 32-bit ops that
 * V8 keeps in registers). Streams are derived by hashing (seed, stream, index) with splitmix32-style
 * mixing, so trace i's stream does not depend on how many traces came before it or which worker
 * made them.
 */

/** A 32-bit avalanche mix (the murmur3 finaliser). */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export class Random {
  private _a: number;
  private _b: number;
  private _c: number;
  private _d: number;

  /** A stream for (seed, stream, index); any integers, including negative, are allowed. */
  constructor(seed: number, stream = 0, index = 0) {
    const s = Math.trunc(seed);
    const seedLo = s | 0;
    const seedHi = Math.floor(s / 4294967296) | 0;
    const idxLo = index | 0;
    const idxHi = Math.floor(index / 4294967296) | 0;
    this._a = mix32(seedLo ^ 0x9e3779b9);
    this._b = mix32(seedHi ^ mix32(stream + 0x7f4a7c15));
    this._c = mix32(idxLo ^ mix32(this._a + 0x165667b1));
    this._d = mix32(idxHi ^ mix32(this._b + idxLo + 0x27d4eb2f)) | 1;
    // Discard the first outputs so nearby seeds diverge fully.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const t = (((this._a + this._b) | 0) + this._d) | 0;
    this._d = (this._d + 1) | 0;
    this._a = this._b ^ (this._b >>> 9);
    this._b = (this._c + (this._c << 3)) | 0;
    this._c = (this._c << 21) | (this._c >>> 11);
    this._c = (this._c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [min, max] (inclusive), for spans well under 2^32. */
  nextInt(min: number, max: number): number {
    return min + Math.floor(this.nextFloat() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return p >= 1 ? true : p <= 0 ? false : this.nextFloat() < p;
  }

  /** Standard normal variate (Box–Muller; one of the pair is discarded to keep the stream simple). */
  nextGaussian(): number {
    let u = 0;
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Exponential variate with the given mean. */
  nextExponential(mean: number): number {
    return -Math.log(1 - this.nextFloat()) * mean;
  }

  /**
   * A random OTel id of `bytes` bytes (8: span id, 16: trace id) as a binary string (one char per
   * byte, see protocol/otlp/model.ts): `bytes / 4` draws of `nextUint32`, each giving four bytes
   * low byte first; drawn again while all bytes are zero (OTel ids must be non-zero).
   */
  nonZeroId(bytes: 8 | 16): string {
    for (;;) {
      const a = this.nextUint32();
      const b = this.nextUint32();
      if (bytes === 8) {
        if ((a | b) !== 0) {
          return String.fromCharCode(a & 0xff, (a >>> 8) & 0xff, (a >>> 16) & 0xff, a >>> 24, b & 0xff, (b >>> 8) & 0xff, (b >>> 16) & 0xff, b >>> 24);
        }
        continue;
      }
      const c = this.nextUint32();
      const d = this.nextUint32();
      if ((a | b | c | d) !== 0) {
        return String.fromCharCode(
          a & 0xff, (a >>> 8) & 0xff, (a >>> 16) & 0xff, a >>> 24, b & 0xff, (b >>> 8) & 0xff, (b >>> 16) & 0xff, b >>> 24,
          c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, c >>> 24, d & 0xff, (d >>> 8) & 0xff, (d >>> 16) & 0xff, d >>> 24,
        );
      }
    }
  }

  /** Picks an index by weight; `weights` must have a positive sum. */
  pickWeighted(cumulativeWeights: readonly number[]): number {
    const total = cumulativeWeights[cumulativeWeights.length - 1]!;
    const x = this.nextFloat() * total;
    let lo = 0;
    let hi = cumulativeWeights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulativeWeights[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
