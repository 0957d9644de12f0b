/**
 * How the schedule's traces are cut into worker tasks. The first tasks are small and double in
 * size up to `chunkTraces` (32, 64, 128, … traces), so the first spans reach the engine after a
 * 32-trace task instead of a full one while the workers warm up; later tasks are `chunkTraces`
 * long. The output of a run does not depend on the cut (tasks are merged in trace order).
 *
 *   chunk c starts at start(c) = Σ size(i) for i < c,  size(i) = min(chunkTraces, 32 · 2^i)
 */
const FIRST_CHUNK_TRACES = 32;

export class ChunkPlan {
  /** Start of each ramp chunk, then the start of the first full-size chunk. */
  private readonly _rampStarts: number[] = [0];
  private readonly _chunkTraces: number;
  /** Number of chunks covering `traceCount` traces. */
  readonly count: number;

  constructor(traceCount: number, chunkTraces: number) {
    this._chunkTraces = chunkTraces;
    for (let size = Math.min(FIRST_CHUNK_TRACES, chunkTraces); size < chunkTraces; size = Math.min(chunkTraces, size * 2)) {
      this._rampStarts.push(this._rampStarts[this._rampStarts.length - 1]! + size);
    }
    let count = 0;
    while (this.start(count) < traceCount) count++;
    this.count = count;
  }

  /** Index of chunk `c`'s first trace. */
  start(c: number): number {
    const ramp = this._rampStarts.length - 1;
    return c <= ramp ? this._rampStarts[c]! : this._rampStarts[ramp]! + (c - ramp) * this._chunkTraces;
  }
}
