/**
 * Per-span decisions of `probabilistic_sampler` (reference tail-sampling.md §5.2–5.3), bit-exact
 * with collector-contrib (`commonShouldSampleLogic`, `randomnessFromSpan`, `decide`):
 *
 * 1. Randomness R, a policy name and the parsed tracestate (the "carrier"), by mode:
 *    - never (0 %, or hash_seed rounding to 0 buckets): R = 2^56−1, policy `sampling_priority`;
 *    - hash_seed: R = rnd56 below (policy `trace_id_hash`), written into the carrier as `rv`; an
 *      `ot` rv/th already present is an error (the carrier is then left alone);
 *    - equalizing / proportional: R = `ot=rv` (`sampling_randomness`), else the low 56 bits of the
 *      trace id (`trace_id_w3c`).
 *    An all-zero trace id (without rv) is missing randomness (`missing_randomness`); a malformed
 *    tracestate is an error and leaves the span's tracestate alone (except in the never case).
 * 2. An arriving `th` with R < th is inconsistent: erased from the carrier, and an error.
 * 3. Threshold T: on error 0 (fail open) or 2^56 (`fail_closed`); else never ⇒ 2^56, hash_seed
 *    ⇒ th56, equalizing ⇒ max(T_config, th), proportional ⇒ threshold(p_th × p_config).
 * 4. `sampling.priority` (always that span attribute for traces): 0 ⇒ T = 2^56, > 0 ⇒ T = 0, both
 *    with policy `sampling_priority`.
 * 5. Sampled ⇔ R ≥ T. A sampled span with a carrier gets the carrier back as its tracestate, with
 *    `th` set to T unless that would lower an arriving `th` (probability is never raised).
 *
 * hash_seed arithmetic:
 *   scaled  = uint32(float32(pct × float32(16384/100)))          (float32 product, truncated)
 *   h32     = FNV-1a-32(LE32(hash_seed) ‖ traceId)
 *   bucket  = h32 & 0x3FFF                                        (14 bits)
 *   rnd56   = ((16383 − bucket) << 42) | (mixed28 << 14) | bucket,
 *   mixed28 = u18 ^ (u18 << 10), u18 = h32 >>> 14;   th56 = (16384 − scaled) << 42
 *   (rnd56 ≥ th56 ⇔ bucket < scaled)
 */
import type { Span } from '../../../protocol/otlp/model.js';
import { getAttribute } from '../../../protocol/otlp/model.js';
import type { ProbabilisticSamplerConfig } from './config.js';
import {
  ALL_PROBABILITIES_RANDOMNESS,
  ALWAYS_SAMPLE_THRESHOLD,
  MIN_SAMPLING_PROBABILITY,
  NEVER_SAMPLE_THRESHOLD,
  formatRandomness,
  formatThreshold,
  parseRandomness,
  parseThreshold,
  probabilityToThreshold,
  thresholdToProbability,
  traceIdRandomness,
} from './threshold.js';
import { parseTraceState, serializeTraceState, type ParsedTraceState } from './tracestate.js';

export type SamplingPolicy = 'trace_id_hash' | 'trace_id_w3c' | 'sampling_randomness' | 'sampling_priority' | 'missing_randomness';

export interface SpanDecision {
  readonly sampled: boolean;
  readonly policy: SamplingPolicy;
  /** Set when the decision came from an error handled by `fail_closed` (not overridden by priority). */
  readonly error?: string;
  /** The span's new tracestate when sampled and rewritten. */
  readonly traceState?: string;
}

/** The span attribute that forces a traces decision (upstream reads this name, not `sampling_priority`). */
export const SAMPLING_PRIORITY_ATTRIBUTE = 'sampling.priority';

/** Step 1–2 of a decision: randomness, its policy name, the carrier, and any error. */
interface Arrival {
  readonly r: bigint;
  readonly policy: SamplingPolicy;
  /** undefined ⇒ the span's tracestate is not rewritten. */
  readonly carrier: ParsedTraceState | undefined;
  readonly error: string | undefined;
}

/** `scaled` of §5.2: the number of 14-bit buckets (of 16384) that are kept. */
export function hashSeedScaledBuckets(samplingPercentage: number): number {
  let pct = Math.fround(samplingPercentage);
  if (pct > 100) pct = 100;
  return Math.trunc(Math.fround(pct * Math.fround(16384 / 100)));
}

/** FNV-1a 32 over the 4 little-endian seed bytes then the 16 trace-id bytes (the id's char codes). */
export function fnv1a32Seeded(seed: number, traceId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 4; i++) h = Math.imul(h ^ ((seed >>> (8 * i)) & 0xff), 0x01000193);
  for (let i = 0; i < traceId.length; i++) h = Math.imul(h ^ traceId.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The 56-bit randomness hash_seed mode derives from `h32` (written as `rv`). */
export function hashSeedRandomness(h32: number): bigint {
  const bucket = BigInt(h32 & 0x3fff);
  const u18 = BigInt(h32 >>> 14);
  const mixed28 = (u18 ^ (u18 << 10n)) & 0xfffffffn;
  return ((16383n - bucket) << 42n) | (mixed28 << 14n) | bucket;
}

function isEmptyId(id: string): boolean {
  for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) !== 0) return false;
  return true;
}

/** sampling.priority: true = always, false = never, undefined = defer (upstream `parseSpanSamplingPriority`). */
export function samplingPriority(span: Span): boolean | undefined {
  const v = getAttribute(span.attributes, SAMPLING_PRIORITY_ATTRIBUTE);
  let n: number;
  if (typeof v === 'bigint') n = Number(v);
  else if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    n = parseGoFloat(v);
    if (Number.isNaN(n)) return undefined;
  } else return undefined;
  if (n === 0) return false;
  if (n > 0) return true;
  return undefined;
}

/** Go `strconv.ParseFloat` for the common forms; NaN when unparsable. */
function parseGoFloat(s: string): number {
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity)$/i.test(s.trim()) || s.trim() !== s) return Number.NaN;
  const lower = s.toLowerCase();
  if (lower.endsWith('inf') || lower.endsWith('infinity')) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(s);
}

export class SpanSampler {
  private readonly _cfg: ProbabilisticSamplerConfig;
  /** hash_seed: kept buckets; 0 ⇒ never sample. */
  private readonly _scaled: number;
  /** equalizing/proportional: configured probability and threshold; undefined ⇒ never sample. */
  private readonly _p: number | undefined;
  private readonly _threshold: bigint;

  constructor(config: ProbabilisticSamplerConfig) {
    this._cfg = config;
    this._scaled = hashSeedScaledBuckets(config.samplingPercentage);
    const pct = Math.min(100, Math.fround(config.samplingPercentage));
    if (pct <= 0) {
      this._p = undefined;
      this._threshold = NEVER_SAMPLE_THRESHOLD;
    } else {
      this._p = Math.max(MIN_SAMPLING_PROBABILITY, pct / 100);
      this._threshold = probabilityToThreshold(this._p, config.samplingPrecision);
    }
  }

  /** True when the configuration keeps nothing (upstream's `neverSampler`). */
  get never(): boolean {
    return this._cfg.mode === 'hash_seed' ? this._scaled === 0 : this._p === undefined;
  }

  decide(span: Span): SpanDecision {
    const a = this.consistencyChecked(this.arrive(span));
    let t = a.error !== undefined ? (this._cfg.failClosed ? NEVER_SAMPLE_THRESHOLD : ALWAYS_SAMPLE_THRESHOLD) : this.threshold(a.carrier!);
    let policy = a.policy;
    let error = a.error;
    const priority = samplingPriority(span);
    if (priority !== undefined) {
      t = priority ? ALWAYS_SAMPLE_THRESHOLD : NEVER_SAMPLE_THRESHOLD;
      policy = 'sampling_priority';
      error = undefined;
    }
    const sampled = a.r >= t;
    const traceState = sampled && a.carrier !== undefined ? updatedTraceState(a.carrier, t) : undefined;
    return { sampled, policy, ...(error === undefined ? {} : { error }), ...(traceState === undefined ? {} : { traceState }) };
  }

  private arrive(span: Span): Arrival {
    if (this.never) {
      const parsed = parseTraceState(span.traceState);
      return { r: ALL_PROBABILITIES_RANDOMNESS, policy: 'sampling_priority', carrier: parsed.state, error: parsed.error };
    }
    return this._cfg.mode === 'hash_seed' ? this.arriveHashSeed(span) : this.arriveConsistent(span);
  }

  private arriveHashSeed(span: Span): Arrival {
    const missing = isEmptyId(span.traceId);
    const r = missing ? ALL_PROBABILITIES_RANDOMNESS : hashSeedRandomness(fnv1a32Seeded(this._cfg.hashSeed, span.traceId));
    const policy: SamplingPolicy = missing ? 'missing_randomness' : 'trace_id_hash';
    const { state, error } = parseTraceState(span.traceState);
    if (error !== undefined) return { r, policy, carrier: undefined, error };
    if (state.rv !== undefined) return { r, policy, carrier: undefined, error: 'randomness already in use (ot=rv)' };
    if (state.th !== undefined) return { r, policy, carrier: undefined, error: 'threshold already in use (ot=th)' };
    state.rv = formatRandomness(r);
    return { r, policy, carrier: state, error: missing ? 'missing randomness' : undefined };
  }

  private arriveConsistent(span: Span): Arrival {
    const { state, error } = parseTraceState(span.traceState);
    if (error !== undefined) return { r: ALL_PROBABILITIES_RANDOMNESS, policy: 'missing_randomness', carrier: undefined, error };
    if (state.rv !== undefined) return { r: parseRandomness(state.rv)!, policy: 'sampling_randomness', carrier: state, error: undefined };
    if (isEmptyId(span.traceId)) return { r: ALL_PROBABILITIES_RANDOMNESS, policy: 'missing_randomness', carrier: state, error: 'missing randomness' };
    return { r: traceIdRandomness(span.traceId), policy: 'trace_id_w3c', carrier: state, error: undefined };
  }

  /** Step 2: an arriving th that R does not pass is erased from the carrier and is an error. */
  private consistencyChecked(a: Arrival): Arrival {
    if (a.error !== undefined || a.carrier?.th === undefined || a.r >= parseThreshold(a.carrier.th)!) return a;
    a.carrier.th = undefined;
    return { ...a, error: 'inconsistent arriving threshold' };
  }

  /** Step 3 without error; `carrier` is the parsed tracestate. */
  private threshold(carrier: ParsedTraceState): bigint {
    if (this.never) return NEVER_SAMPLE_THRESHOLD;
    if (this._cfg.mode === 'hash_seed') return BigInt(16384 - this._scaled) << 42n;
    const incoming = carrier.th === undefined ? undefined : parseThreshold(carrier.th)!;
    if (this._cfg.mode === 'equalizing') return incoming !== undefined && incoming > this._threshold ? incoming : this._threshold;
    const p = (incoming === undefined ? 1 : thresholdToProbability(incoming)) * this._p!;
    return p < MIN_SAMPLING_PROBABILITY ? NEVER_SAMPLE_THRESHOLD : probabilityToThreshold(p, this._cfg.samplingPrecision);
  }
}

/** Step 5: `th` := T unless the arriving th is greater (upstream `UpdateTValueWithSampling`). */
function updatedTraceState(carrier: ParsedTraceState, t: bigint): string {
  if (carrier.th === undefined || parseThreshold(carrier.th)! <= t) carrier.th = formatThreshold(t);
  return serializeTraceState(carrier);
}
