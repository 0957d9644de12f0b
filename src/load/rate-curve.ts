/**
 * A piecewise-linear rate curve r(t) (k6's ramping-arrival-rate model) and its integral
 * Λ(t) = ∫₀ᵗ r, the expected number of arrivals by time t. Pure.
 *
 * Stage i ramps linearly from the previous target r₀ to its target r₁ over D ms; after the last
 * stage the last rate holds. Inside a segment starting at t₀ with Λ(t₀) = L₀ and slope
 * a = (r₁ − r₀) / D (per ms²):
 *   Λ(t) = L₀ + r₀·x + a·x²/2,  x = t − t₀
 * and the inverse, for a target Λ = L₀ + y, is the root
 *   x = 2y / (r₀ + √(r₀² + 2·a·y))
 * (the cancellation-free form of the quadratic formula, valid for a of either sign).
 * Rates here are per ms.
 */

export interface RateStage {
  durationMs: number;
  /** Target rate at the end of the stage, per second. */
  targetPerSecond: number;
}

interface Segment {
  t0: number;
  t1: number;
  r0: number;
  r1: number;
  l0: number;
  l1: number;
}

export class RateCurve {
  private readonly _segments: Segment[];
  /** The rate after the last stage, per ms. */
  private readonly _tailRate: number;

  constructor(startPerSecond: number, stages: readonly RateStage[]) {
    this._segments = [];
    let t = 0;
    let r = startPerSecond / 1000;
    let l = 0;
    for (const s of stages) {
      const r1 = s.targetPerSecond / 1000;
      if (s.durationMs > 0) {
        const l1 = l + ((r + r1) / 2) * s.durationMs;
        this._segments.push({ t0: t, t1: t + s.durationMs, r0: r, r1, l0: l, l1 });
        t += s.durationMs;
        l = l1;
      }
      r = r1;
    }
    this._tailRate = r;
    this._segments.push({ t0: t, t1: Infinity, r0: r, r1: r, l0: l, l1: r > 0 ? Infinity : l });
  }

  /** Rate at offset `tMs`, per second. */
  ratePerSecondAt(tMs: number): number {
    const s = this._segmentAtTime(tMs);
    if (s.t1 === Infinity) return this._tailRate * 1000;
    return (s.r0 + ((s.r1 - s.r0) * (tMs - s.t0)) / (s.t1 - s.t0)) * 1000;
  }

  /** Λ(tMs): expected arrivals in [0, tMs). */
  cumulative(tMs: number): number {
    if (tMs <= 0) return 0;
    const s = this._segmentAtTime(tMs);
    const x = tMs - s.t0;
    const a = s.t1 === Infinity ? 0 : (s.r1 - s.r0) / (s.t1 - s.t0);
    return s.l0 + s.r0 * x + (a * x * x) / 2;
  }

  /**
   * Λ⁻¹(lambda): the earliest offset at which the cumulative count reaches `lambda`; Infinity if
   * the curve never gets there (rate 0 forever after).
   */
  inverse(lambda: number): number {
    if (lambda <= 0) return this._firstPositiveTime();
    const segs = this._segments;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (segs[mid]!.l1 >= lambda) hi = mid;
      else lo = mid + 1;
    }
    const s = segs[lo]!;
    if (s.l1 < lambda) return Infinity;
    const y = lambda - s.l0;
    const a = s.t1 === Infinity ? 0 : (s.r1 - s.r0) / (s.t1 - s.t0);
    const disc = Math.max(0, s.r0 * s.r0 + 2 * a * y);
    const denom = s.r0 + Math.sqrt(disc);
    const x = denom > 0 ? (2 * y) / denom : 0;
    return Math.min(s.t0 + x, s.t1);
  }

  private _firstPositiveTime(): number {
    for (const s of this._segments) if (s.r0 > 0 || s.r1 > 0) return s.t0;
    return Infinity;
  }

  private _segmentAtTime(tMs: number): Segment {
    const segs = this._segments;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (segs[mid]!.t1 > tMs) hi = mid;
      else lo = mid + 1;
    }
    return segs[lo]!;
  }
}
