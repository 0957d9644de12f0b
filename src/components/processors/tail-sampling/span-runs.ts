/**
 * Buffered spans are kept flat: span `i` (encoded, `span-store.ts`) with `origins[i]` (its incoming
 * ResourceSpans and ScopeSpans, shared by every span of that ScopeSpans). These helpers rebuild
 * the OTLP tree on release and size it, grouping consecutive spans with the same origin — the pieces upstream
 * keeps per received batch in `ReceivedBatches`.
 */
import type { ResourceSpans, ScopeSpans, Span } from '../../../protocol/otlp/model.js';
import { pdataResourceFieldSize, pdataScopeFieldSize } from '../../../protocol/otlp/pdata-size.js';
import { varint32Size } from '../../../protocol/otlp/size.js';
import type { SpanOrigin } from './policies/decision.js';
import { collectorBytes, refCount, type SpanRefs } from './span-store.js';

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

/**
 * Measures the buffered spans `from..` of `refs` as the ResourceSpans pieces `toResourceSpans`
 * builds from them once decoded, into `out`, without decoding: a piece is its Resource field, then
 * per ScopeSpans run the Scope field and each span's field. All sizes are the collector's
 * (`pdata-size.ts`, what upstream's limits count), the span's kept beside its stored encoding
 * (`collectorBytes`). The Resource and Scope field sizes are measured once
 * per incoming ResourceSpans / ScopeSpans (the origin objects the processor makes on ingest) and
 * remembered: a trace's spans come in ~7 pieces that would otherwise re-measure the same
 * resource attributes.
 */
export function measureSpans(refs: SpanRefs, origins: Origins, from: number, out: SpanRunSizes): void {
  let tracesData = 0;
  let resourceSpans = 0;
  let lastRs: SpanOrigin['resourceSpans'] | undefined;
  let lastSs: SpanOrigin['scopeSpans'] | undefined;
  let rsBody = 0;
  let ssBody = 0;
  const count = refCount(refs);
  for (let i = from; i < count; i++) {
    const o = originAt(origins, i);
    if (o.resourceSpans !== lastRs) {
      if (lastRs !== undefined) {
        rsBody += 1 + varint32Size(ssBody) + ssBody;
        tracesData += 1 + varint32Size(rsBody) + rsBody;
        resourceSpans += rsBody;
      }
      lastRs = o.resourceSpans;
      lastSs = undefined;
      rsBody = resourceFieldBytes(lastRs);
    }
    if (o.scopeSpans !== lastSs) {
      if (lastSs !== undefined) rsBody += 1 + varint32Size(ssBody) + ssBody;
      lastSs = o.scopeSpans;
      ssBody = scopeFieldBytes(lastSs);
    }
    const span = collectorBytes(refs, i);
    ssBody += 1 + varint32Size(span) + span;
  }
  if (lastRs !== undefined) {
    rsBody += 1 + varint32Size(ssBody) + ssBody;
    tracesData += 1 + varint32Size(rsBody) + rsBody;
    resourceSpans += rsBody;
  }
  out.tracesData = tracesData;
  out.resourceSpans = resourceSpans;
}

/** Field sizes by origin object (weak: they go with the buffered spans that reference them). */
const resourceFieldMemo = new WeakMap<SpanOrigin['resourceSpans'], number>();
const scopeFieldMemo = new WeakMap<SpanOrigin['scopeSpans'], number>();

function resourceFieldBytes(origin: SpanOrigin['resourceSpans']): number {
  let size = resourceFieldMemo.get(origin);
  if (size === undefined) resourceFieldMemo.set(origin, (size = pdataResourceFieldSize(origin.resource)));
  return size;
}

function scopeFieldBytes(origin: SpanOrigin['scopeSpans']): number {
  let size = scopeFieldMemo.get(origin);
  if (size === undefined) scopeFieldMemo.set(origin, (size = pdataScopeFieldSize(origin.scope)));
  return size;
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
