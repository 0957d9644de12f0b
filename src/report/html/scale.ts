/**
 * Linear scales with "nice" ticks (steps of 1, 2 or 5 × 10^k) for the SVG charts.
 */

export interface LinearScale {
  /** The domain after rounding out to whole ticks. */
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
  readonly step: number;
  /** Maps a domain value to a pixel coordinate in the range. */
  map(v: number): number;
}

/**
 * The 1-2-5 step closest to `raw` from above-ish: with m = 10^floor(log10 raw) and n = raw / m,
 * step = m × (1 if n < 1.5, 2 if n < 3, 5 if n < 7, else 10). Gives 4–8 ticks for a target of 5.
 */
export function niceStep(raw: number): number {
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  return mag * (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10);
}

/**
 * A scale whose domain covers [min, max] rounded out to multiples of the nice step, mapped onto
 * `range` (which may run backwards, as the y axis does). A degenerate domain (a span below
 * 1e-12 of max(1, |min|, |max|), e.g. a constant series) becomes [min, min + max(1, |min|)].
 */
export function niceScale(min: number, max: number, range: readonly [number, number], targetTicks = 5): LinearScale {
  if (!Number.isFinite(min) || !Number.isFinite(max)) [min, max] = [0, 1];
  if (!(max - min >= 1e-12 * Math.max(1, Math.abs(min), Math.abs(max)))) max = min + Math.max(1, Math.abs(min));
  const step = niceStep((max - min) / targetTicks);
  // Snap to the step grid; the small epsilon keeps exact multiples from growing an extra tick.
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; lo + i * step <= hi + step * 1e-9; i++) ticks.push(roundToStep(lo + i * step, step));
  const [r0, r1] = range;
  const k = (r1 - r0) / (hi - lo);
  return { domain: [lo, hi], ticks, step, map: (v) => r0 + (v - lo) * k };
}

/** Removes floating-point noise (0.30000000000000004 → 0.3) from a multiple of `step`. */
function roundToStep(v: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(20, decimals)));
}

/** Smallest and largest finite number among `values` (nulls skipped), or undefined if none. */
export function extent(values: Iterable<number | null | undefined>): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v == null || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}
