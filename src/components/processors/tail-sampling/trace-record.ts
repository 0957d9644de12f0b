/**
 * Per-trace state of the `tail_sampling` processor: one small record per buffered trace, its spans
 * kept as their OTLP encodings in the processor's arena (`span-store.ts`), a summary the policies
 * read without decoding (status mask, earliest start, latest end) and its place in the batches.
 */
import type { EncodedSpanBodies, Span } from '../../../protocol/otlp/model.js';
import { Decision, type SpanOrigin, type SpanSummary, type TraceView } from './policies/decision.js';
import type { Origins } from './span-runs.js';
import { decodeRefs, refCount, type SpanArena, type SpanRefs } from './span-store.js';

/** A record's buffered spans, handed over when it is decided or dropped (the record keeps none). */
export interface HeldSpans {
  /** The encoded spans (`span-store.ts`). */
  readonly refs: SpanRefs;
  readonly origins: Origins;
  /** The spans already decoded for the policies, if they asked (equal to decoding `refs`). */
  readonly decoded: Span[] | undefined;
}
const NO_REFS: SpanRefs = [];

/** Per-trace state: one small record, the spans kept encoded (`span-store.ts`). */
export class TraceRecord implements TraceView, SpanSummary {
  /** The trace id (binary string), also its key in the processor's map. */
  readonly traceId: string;
  /** Buffered spans, encoded (emptied when the decision releases them). */
  refs: SpanRefs = [];
  /** `refs` decoded, while a decision reads `spans` (dropped on release and when a span is added). */
  private _decoded: Span[] | undefined = undefined;
  /**
   * Where the buffered spans came from: `_origins[i]` for span `i` once they come from more than
   * one ScopeSpans or someone asked for `origins`; until then `_origin` is every span's (the usual
   * trace, which then costs no per-span origin array).
   */
  private _origin: SpanOrigin | undefined = undefined;
  private _origins: SpanOrigin[] | undefined = undefined;
  /** Spans received for the trace so far, late ones included (upstream `SpanCount`). */
  spanCount = 0;
  /** `TracesData` protobuf size of the first `sizedSpans` buffered spans. */
  sizeBytes = 0;
  /** Sum of the ResourceSpans sizes of those spans (upstream `SizeBytes`, for maximum_trace_size_bytes). */
  resourceSpansBytes = 0;
  sizedSpans = 0;
  /** Sequence number of the incoming ResourceSpans that last added spans (once-per-piece work). */
  touchedBy = -1;
  /** Index of the first buffered span from that ResourceSpans. */
  pieceStart = 0;
  readonly arrivalMs: number;
  /** Batch the trace's id is in (IdBatcher id); -1 once removed from its batch (too large). */
  batchId = -1;
  /** Id of the last batch whose tick handled this trace id (one handling per id per batch). */
  takenIn = -1;
  decision: Decision = Decision.Pending;
  /** Clock at the decision; NaN for a trace dropped as too large (upstream leaves its decision time unset). */
  decisionMs = 0;
  readonly shadow: boolean;
  /** False once the record left the map (its arrival-queue entry is then skipped). */
  inMap = true;
  /** The record itself when the processor keeps the span summary (a policy reads it), else undefined. */
  summary: SpanSummary | undefined = undefined;
  statusMask = 0;
  zeroTime = false;
  minStartNs = 0n;
  maxEndNs = 0n;

  constructor(traceId: string, arrivalMs: number, shadow: boolean) {
    this.traceId = traceId;
    this.arrivalMs = arrivalMs;
    this.shadow = shadow;
  }

  /** Number of buffered spans. */
  get heldSpans(): number {
    return refCount(this.refs);
  }

  /** The buffered spans (TraceView), decoded on first read and kept until the release. */
  get spans(): readonly Span[] {
    return (this._decoded ??= decodeRefs(this.refs));
  }

  /** `origins[i]` is where `spans[i]` came from (TraceView); builds the per-span array on first use. */
  get origins(): readonly SpanOrigin[] {
    if (this._origins === undefined) {
      const origin = this._origin;
      this._origins = origin === undefined ? [] : new Array<SpanOrigin>(this.heldSpans).fill(origin);
    }
    return this._origins;
  }

  /** The origins without building a per-span array: one for every span while there is one. */
  originList(): Origins {
    return this._origins ?? this._origin ?? [];
  }

  /** Buffers `span`: its body from `encoded` (span `index` there) when the source gave it, else encoded anew. */
  addSpan(span: Span, origin: SpanOrigin, arena: SpanArena, encoded: EncodedSpanBodies | undefined, index: number): void {
    const count = this.heldSpans;
    if (this._origins !== undefined) this._origins.push(origin);
    else if (count === 0 || this._origin === origin) this._origin = origin;
    else {
      this._origins = new Array<SpanOrigin>(count).fill(this._origin!);
      this._origins.push(origin);
    }
    if (encoded === undefined) arena.append(span, this.refs);
    else arena.appendBody(span, encoded.bytes, index === 0 ? 0 : encoded.ends[index - 1]!, encoded.ends[index]!, this.refs);
    this._decoded = undefined;
  }

  /** Hands over the buffered spans and their origins; the record keeps none. */
  release(): HeldSpans {
    const held = { refs: this.refs, origins: this.originList(), decoded: this._decoded };
    this.refs = NO_REFS;
    this._decoded = undefined;
    this._origin = undefined;
    this._origins = undefined;
    return held;
  }
}
