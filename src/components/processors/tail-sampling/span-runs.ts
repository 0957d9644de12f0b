/**
 * Buffered spans are kept flat: `spans[i]` with `origins[i]` (its incoming ResourceSpans and
 * ScopeSpans, shared by every span of that ScopeSpans). These helpers rebuild the OTLP tree on
 * release and size it, grouping consecutive spans with the same origin — the pieces upstream
 * keeps per received batch in `ReceivedBatches`.
 */
import type { ResourceSpans, ScopeSpans, Span } from '../../../protocol/otlp/model.js';
import { resourceSpansProtoSize, varint32Size } from '../../../protocol/otlp/size.js';
import type { SpanOrigin } from './policies/decision.js';

/**
 * The tree for `spans[from..]`: one ResourceSpans per run of one incoming ResourceSpans, original
 * resource and scopes. Like upstream's `newResourceSpanFromSpanAndScopes`, which copies only the
 * Resource and each InstrumentationScope into the per-trace ResourceSpans, the schema URLs of
 * the ResourceSpans and ScopeSpans are not carried (they are empty downstream and in sizes).
 */
export function toResourceSpans(spans: readonly Span[], origins: readonly SpanOrigin[], from = 0): ResourceSpans[] {
  const out: ResourceSpans[] = [];
  let lastRs: SpanOrigin['resourceSpans'] | undefined;
  let lastSs: SpanOrigin['scopeSpans'] | undefined;
  let rs: ResourceSpans | undefined;
  let ss: ScopeSpans | undefined;
  for (let i = from; i < spans.length; i++) {
    const o = origins[i]!;
    if (o.resourceSpans !== lastRs || !rs) {
      lastRs = o.resourceSpans;
      lastSs = undefined;
      rs = { resource: lastRs.resource, scopeSpans: [], schemaUrl: '' };
      out.push(rs);
    }
    if (o.scopeSpans !== lastSs || !ss) {
      lastSs = o.scopeSpans;
      ss = { scope: lastSs.scope, spans: [], schemaUrl: '' };
      rs.scopeSpans.push(ss);
    }
    ss.spans.push(spans[i]!);
  }
  return out;
}

/** The origins of a list of spans: one per span, or one for all of them. */
export type Origins = readonly SpanOrigin[] | SpanOrigin;

/** The origin of span `i` of a list with these origins. */
export function originAt(origins: Origins, i: number): SpanOrigin {
  return isSingle(origins) ? origins : origins[i]!;
}

function isSingle(origins: Origins): origins is SpanOrigin {
  return (origins as SpanOrigin).resourceSpans !== undefined;
}

/**
 * `toResourceSpans(spans, origins)` for spans the caller gives away: when every span came from
 * one ScopeSpans (the usual trace), its ScopeSpans takes `spans` itself instead of a copy.
 */
export function releaseAsResourceSpans(spans: Span[], origins: Origins): ResourceSpans[] {
  let first: SpanOrigin | undefined;
  if (isSingle(origins)) first = origins;
  else {
    first = origins[0];
    for (let i = 1; i < origins.length; i++) if (origins[i] !== first) return toResourceSpans(spans, origins);
  }
  if (first === undefined || spans.length === 0) return [];
  return [{ resource: first.resourceSpans.resource, scopeSpans: [{ scope: first.scopeSpans.scope, spans, schemaUrl: '' }], schemaUrl: '' }];
}

/** Sizes of a run of buffered spans (see `measureSpans`). */
export interface SpanRunSizes {
  /** `ptrace.ProtoMarshaler.TracesSize`: per ResourceSpans piece 1 tag byte + its length varint + its body (bytes_limiting). */
  tracesData: number;
  /** Sum of `ResourceSpansSize` of the pieces, no framing (upstream `TraceData.SizeBytes`, maximum_trace_size_bytes). */
  resourceSpans: number;
}

/** Measures `spans[from..]` as the ResourceSpans pieces `toResourceSpans` builds, into `out`. */
export function measureSpans(spans: readonly Span[], origins: readonly SpanOrigin[], from: number, out: SpanRunSizes): void {
  out.tracesData = 0;
  out.resourceSpans = 0;
  for (const rs of toResourceSpans(spans, origins, from)) {
    const body = resourceSpansProtoSize(rs);
    out.tracesData += 1 + varint32Size(body) + body;
    out.resourceSpans += body;
  }
}

/** Spans collected for one output batch. */
export class SpanList {
  readonly spans: Span[] = [];
  readonly origins: SpanOrigin[] = [];
  push(span: Span, origin: SpanOrigin): void {
    this.spans.push(span);
    this.origins.push(origin);
  }
}
