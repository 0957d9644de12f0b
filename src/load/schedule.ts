/**
 * The arrival schedule: when trace number k starts, as an offset in ms from one absolute run
 * start (k6's arrival-rate executors: every time is computed from the start, never from the
 * previous arrival, so nothing drifts). Pure and deterministic per (seed, index).
 *
 * Arrival k happens where the cumulative rate Λ(t) = ∫₀ᵗ r reaches a target Λₖ:
 * - `uniform`: Λₖ = k, so arrival 0 is at the start and arrivals in [0, T) number ⌈Λ(T)⌉;
 * - `poisson`: the Λ-axis is cut into blocks of B = 1024 arrivals; block b draws B + 1 exponential
 *   gaps E₁…E_{B+1} from `Random(seed, ARRIVAL_STREAM, b)` and puts
 *   Λ_{bB+j} = bB + B·S_{j+1}/S_{B+1}  (S = running sums of E).
 *   Normalised exponential sums are the order statistics of B uniforms, so inside a block the
 *   arrivals are a Poisson process conditioned on its count (exponential gaps, Poisson counts over
 *   windows much shorter than B arrivals); across blocks the count is pinned to the expected one,
 *   so a run's total never wanders by more than one block's fluctuation. Arrival k needs only its
 *   own block: random access in O(B), sequential access O(1) amortised.
 * Time-varying rates come from `RateCurve` (Λ⁻¹ of piecewise-linear stages).
 */
import { Random } from '../shared/random.js';
import { RateCurve, type RateStage } from './rate-curve.js';

/** Random stream id for Poisson arrival gaps. */
export const ARRIVAL_STREAM = 2;
/** Arrivals per Poisson block (see above). */
export const POISSON_BLOCK = 1024;

export type ArrivalProcess = 'poisson' | 'uniform';

export interface ScheduleOptions {
  /** Rate at the start, traces per second. */
  ratePerSecond: number;
  stages: readonly RateStage[];
  durationMs: number;
  arrival: ArrivalProcess;
  seed: number;
}

export class ArrivalSchedule {
  readonly curve: RateCurve;
  readonly durationMs: number;
  readonly arrival: ArrivalProcess;
  /** Λ(duration): the expected number of arrivals. */
  readonly expectedCount: number;
  /** Arrivals with offset in [0, durationMs): indices 0 … count − 1. */
  readonly count: number;
  private readonly _seed: number;
  private _block = -1;
  private readonly _blockLambda = new Float64Array(POISSON_BLOCK);

  constructor(options: ScheduleOptions) {
    this.curve = new RateCurve(options.ratePerSecond, options.stages);
    this.durationMs = options.durationMs;
    this.arrival = options.arrival;
    this._seed = options.seed;
    this.expectedCount = this.curve.cumulative(options.durationMs);
    this.count = this._countBelow(this.expectedCount);
  }

  /** Λₖ: the cumulative-rate position of arrival `index`. */
  lambdaOf(index: number): number {
    if (this.arrival === 'uniform') return index;
    const block = Math.floor(index / POISSON_BLOCK);
    this._loadBlock(block);
    return this._blockLambda[index - block * POISSON_BLOCK]!;
  }

  /** Offset (ms since the run start) of arrival `index`. */
  arrivalOffsetMs(index: number): number {
    return this.curve.inverse(this.lambdaOf(index));
  }

  /** Fills `out` with the offsets of arrivals `start`, `start + 1`, … */
  fillOffsets(start: number, out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.arrivalOffsetMs(start + i);
    return out;
  }

  /** Number of arrivals whose Λₖ is below `lambda`. */
  private _countBelow(lambda: number): number {
    if (lambda <= 0) return 0;
    if (this.arrival === 'uniform') return Math.ceil(lambda);
    const block = Math.floor(lambda / POISSON_BLOCK);
    this._loadBlock(block);
    let lo = 0;
    let hi = POISSON_BLOCK;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this._blockLambda[mid]! < lambda) lo = mid + 1;
      else hi = mid;
    }
    return block * POISSON_BLOCK + lo;
  }

  private _loadBlock(block: number): void {
    if (block === this._block) return;
    const r = new Random(this._seed, ARRIVAL_STREAM, block);
    const out = this._blockLambda;
    let sum = 0;
    for (let j = 0; j < POISSON_BLOCK; j++) out[j] = sum += r.nextExponential(1);
    const total = sum + r.nextExponential(1);
    // Λ = bB + B·S_{j+1}/S_{B+1}: strictly inside (bB, (b+1)B).
    const base = block * POISSON_BLOCK;
    for (let j = 0; j < POISSON_BLOCK; j++) out[j] = base + (POISSON_BLOCK * out[j]!) / total;
    this._block = block;
  }
}
