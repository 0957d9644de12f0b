/**
 * Sampling statistics for the report (reference storage-retention-drops.md §6(c)). Pure.
 */

/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;
/** z for a two-sided 99.9 % interval: the CI-gate level the reference recommends. */
export const Z_999 = 3.2905267314918945;

/** `k / n`, or null when there is nothing to divide by. */
export function ratio(k: number, n: number): number | null {
  return n > 0 ? k / n : null;
}

/**
 * Wilson score interval for a binomial proportion with `k` successes in `n` trials:
 *
 *   center = (k + z²/2) / (n + z²)
 *   half   = z / (n + z²) · sqrt(k(n − k)/n + z²/4)
 *
 * Returns `[center − half, center + half]` clamped to [0, 1] (the clamp only absorbs rounding:
 * the exact interval already lies inside), or null when `n = 0`. Requires 0 ≤ k ≤ n.
 */
export function wilsonInterval(k: number, n: number, z: number = Z_95): [number, number] | null {
  if (!(n > 0)) return null;
  if (k < 0 || k > n) throw new RangeError(`wilsonInterval: k=${k} must lie in [0, n=${n}]`);
  const z2 = z * z;
  const denom = n + z2;
  const center = (k + z2 / 2) / denom;
  const half = (z / denom) * Math.sqrt((k * (n - k)) / n + z2 / 4);
  // at k = 0 (k = n) center − half (center + half) is exactly 0 (1) in real arithmetic; floating
  // point leaves ±1e-16, which would print as "1.7e-16%"
  return [k === 0 ? 0 : Math.max(0, center - half), k === n ? 1 : Math.min(1, center + half)];
}

/** True when `bound` lies strictly inside the interval: the sample cannot decide `value ⋛ bound`. */
export function straddles(interval: readonly [number, number], bound: number): boolean {
  return interval[0] < bound && bound < interval[1];
}

/**
 * z for a two-sided interval at `confidence` (e.g. 0.95 → 1.96): the standard normal quantile
 * at 1 − (1 − confidence)/2, by Acklam's rational approximation (relative error < 1.2e-9).
 */
export function zForConfidence(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must lie in (0, 1), got ${confidence}`);
  return normalQuantile(1 - (1 - confidence) / 2);
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

function normalQuantile(p: number): number {
  const [a0, a1, a2, a3, a4, a5] = A as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = B as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = C as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = D as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}
