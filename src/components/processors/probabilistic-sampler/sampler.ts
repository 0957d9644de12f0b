/**
 * Per-span decisions of `probabilistic_sampler` (reference tail-sampling.md §5.2–5.3), bit-exact.
 *
 * hash_seed mode:
 *   scaled  = uint32(float32(pct × float32(16384/100)))          (float32 product, truncated)
 *   h32     = FNV-1a-32(LE32(hash_seed) ‖ traceId)
 *   bucket  = h32 & 0x3FFF                                        (14 bits)
 *   sampled ⇔ bucket < scaled ⇔ rnd56 ≥ th56, where
 *   rnd56   = ((16383 − bucket) << 42) | (mixed28 << 14) | bucket,
 *   mixed28 = u18 ^ (u18 << 10), u18 = h32 >>> 14;   th56 = (16384 − scaled) << 42
 *
 * equalizing / proportional: R = `ot=rv` if present, else the low 56 bits of the trace id;
 *   equalizing T = max(T_config, T_incoming); proportional T = threshold(p_incoming × p_config);
 *   sampled ⇔ R ≥ T.
 *
 * Errors (missing randomness, an `ot` rv/th in hash_seed mode, malformed or inconsistent
 * tracestate) are decided by `fail_closed`; then `sampling.priority` may force the outcome.
 */
import type { Span } from '../../../protocol/otlp/model.js';
import { getAttribute } from '../../../protocol/otlp/model.js';
import type { ProbabilisticSamplerConfig } from './config.js';
import {
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
  /** Set when the decision came from an error handled by `fail_closed`. */
  readonly error?: string;
  /** The span's new tracestate when sampled and rewritten. */
  readonly traceState?: string;
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
export function samplingPriority(span: Span, attribute: string): boolean | undefined {
  const v = getAttribute(span.attributes, attribute);
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
    const base = this.never ? ({ sampled: false, policy: this._cfg.mode === 'hash_seed' ? 'trace_id_hash' : 'trace_id_w3c' } as SpanDecision) : this._cfg.mode === 'hash_seed' ? this.hashSeed(span) : this.consistent(span);
    const priority = samplingPriority(span, this._cfg.samplingPriorityAttribute);
    if (priority === undefined) return base;
    if (!priority) return { sampled: false, policy: 'sampling_priority' };
    const ts = parseTraceState(span.traceState);
    return { sampled: true, policy: 'sampling_priority', traceState: ts ? serializeTraceState(ts, ts.rv, formatThreshold(ALWAYS_SAMPLE_THRESHOLD)) : span.traceState };
  }

  private failed(error: string): SpanDecision {
    return { sampled: !this._cfg.failClosed, policy: 'missing_randomness', error };
  }

  private hashSeed(span: Span): SpanDecision {
    if (isEmptyId(span.traceId)) return this.failed('missing randomness');
    const ts = parseTraceState(span.traceState);
    if (!ts) return this.failed('invalid tracestate');
    if (ts.rv !== undefined) return this.failed('randomness already in use (ot=rv)');
    if (ts.th !== undefined) return this.failed('threshold already in use (ot=th)');
    const h32 = fnv1a32Seeded(this._cfg.hashSeed, span.traceId);
    const bucket = h32 & 0x3fff;
    if (bucket >= this._scaled) return { sampled: false, policy: 'trace_id_hash' };
    const th56 = BigInt(16384 - this._scaled) << 42n;
    return { sampled: true, policy: 'trace_id_hash', traceState: serializeTraceState(ts, formatRandomness(hashSeedRandomness(h32)), formatThreshold(th56)) };
  }

  private consistent(span: Span): SpanDecision {
    const ts = parseTraceState(span.traceState);
    if (!ts) return this.failed('invalid tracestate');
    let r: bigint;
    let policy: SamplingPolicy;
    if (ts.rv !== undefined) {
      const parsed = parseRandomness(ts.rv);
      if (parsed === undefined) return this.failed('invalid rv');
      r = parsed;
      policy = 'sampling_randomness';
    } else {
      if (isEmptyId(span.traceId)) return this.failed('missing randomness');
      r = traceIdRandomness(span.traceId);
      policy = 'trace_id_w3c';
    }
    let incoming: bigint | undefined;
    if (ts.th !== undefined) {
      incoming = parseThreshold(ts.th);
      if (incoming === undefined) return this.failed('invalid th');
      if (r < incoming) return this.failedInconsistent(ts);
    }
    let t: bigint;
    if (this._cfg.mode === 'equalizing') {
      t = incoming !== undefined && incoming > this._threshold ? incoming : this._threshold;
    } else {
      const pIn = incoming === undefined ? 1 : thresholdToProbability(incoming);
      const p = pIn * this._p!;
      t = p < MIN_SAMPLING_PROBABILITY ? NEVER_SAMPLE_THRESHOLD : probabilityToThreshold(p, this._cfg.samplingPrecision);
    }
    if (t === NEVER_SAMPLE_THRESHOLD || r < t) return { sampled: false, policy };
    return { sampled: true, policy, traceState: serializeTraceState(ts, ts.rv, formatThreshold(t)) };
  }

  /** An arriving th inconsistent with R is erased; fail_closed decides the span. */
  private failedInconsistent(ts: ParsedTraceState): SpanDecision {
    const d = this.failed('inconsistent arriving threshold');
    return d.sampled ? { ...d, traceState: serializeTraceState(ts, ts.rv, undefined) } : d;
  }
}
