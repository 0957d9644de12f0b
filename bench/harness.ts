/**
 * The benchmark contract. Every case measures our figure and a reference figure in the same
 * process run, on the same machine, and reports them as entries of `reports/bench/latest.json`:
 * `{ name, unit, ours, reference, referenceName, ratio }` with ratio = ours / reference (higher is
 * better; cases whose unit is "lower is better" invert it and say so in `unit`).
 */
export interface BenchEntry {
  name: string;
  unit: string;
  ours: number;
  reference: number;
  referenceName: string;
  ratio: number;
  /** Optional notes printed under the table (target, sample count). */
  note?: string;
}

export interface BenchContext {
  /** A quick run for CI: proves the case still works, figures are not meaningful. */
  smoke: boolean;
}

export interface BenchCase {
  /** Names of the entries this case produces (for `--only`). */
  readonly names: readonly string[];
  run(ctx: BenchContext): Promise<BenchEntry[]>;
}

/** Median of repeated measurements: robust against one noisy sample on a shared machine. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Runs `fn` (which processes `itemsPerCall` items) repeatedly for about `durationMs` and returns
 * items per second. Alternate ours/reference rounds with `interleave` for fairness.
 */
export function measureRate(fn: () => void, itemsPerCall: number, durationMs: number): number {
  // Start every measurement from a collected heap, so one side does not pay for the garbage the
  // other side's previous round left behind (bench runs with --expose-gc).
  (globalThis as { gc?: () => void }).gc?.();
  // warm-up so the JIT has settled
  const warmEnd = performance.now() + Math.min(200, durationMs / 4);
  while (performance.now() < warmEnd) fn();
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < durationMs) {
    fn();
    calls++;
    now = performance.now();
  }
  return (calls * itemsPerCall) / ((now - start) / 1000);
}

/** Alternates measuring `a` and `b` for `rounds` rounds; returns the median rate of each. */
export function interleave(a: () => number, b: () => number, rounds: number): { a: number; b: number } {
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    as.push(a());
    bs.push(b());
  }
  return { a: median(as), b: median(bs) };
}
