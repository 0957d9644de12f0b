/**
 * Splitting the global arrival schedule among workers. Both forms partition the indices
 * 0 … count − 1: every index belongs to exactly one worker or task. Pure.
 */

/** A half-open range of trace numbers [start, end). */
export interface IndexRange {
  start: number;
  end: number;
}

/** k6-style striping: worker `w` of `workers` gets the indices ≡ w (mod workers), ascending. */
export function* stripe(count: number, w: number, workers: number): Generator<number> {
  for (let i = w; i < count; i += workers) yield i;
}

/** Contiguous ranges of at most `size` indices covering [start, end), in order. */
export function contiguousRanges(start: number, end: number, size: number): IndexRange[] {
  if (size < 1) throw new RangeError('size must be ≥ 1');
  const out: IndexRange[] = [];
  for (let s = start; s < end; s += size) out.push({ start: s, end: Math.min(end, s + size) });
  return out;
}

/** [start, end) cut into `parts` ranges whose sizes differ by at most one (empty ranges omitted). */
export function splitEvenly(start: number, end: number, parts: number): IndexRange[] {
  const n = end - start;
  const out: IndexRange[] = [];
  let s = start;
  for (let p = 0; p < parts; p++) {
    const size = Math.floor(n / parts) + (p < n % parts ? 1 : 0);
    if (size > 0) out.push({ start: s, end: s + size });
    s += size;
  }
  return out;
}
