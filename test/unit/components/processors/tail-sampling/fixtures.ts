/** Span and trace builders for the tail-sampling tests. */
import type { AnyValue, KeyValue, ResourceSpans, Span, StatusCode, TraceBatch } from '../../../../../src/protocol/otlp/model.js';
import { emptyScope, idFromBytes } from '../../../../../src/protocol/otlp/model.js';
import type { SpanOrigin, TraceView } from '../../../../../src/components/processors/tail-sampling/policies/decision.js';

export function traceIdOf(n: number): string {
  const id = new Uint8Array(16);
  new DataView(id.buffer).setUint32(0, 0xabc00000 + (n >>> 20));
  new DataView(id.buffer).setUint32(12, n >>> 0);
  id[8] = 1;
  return idFromBytes(id);
}

let spanSeq = 1;

export interface SpanSpec {
  traceId?: string;
  startMs?: number;
  endMs?: number;
  attributes?: Record<string, AnyValue>;
  status?: StatusCode;
  traceState?: string;
  flags?: number;
  root?: boolean;
  name?: string;
}

export function attrs(rec: Record<string, AnyValue> = {}): KeyValue[] {
  return Object.entries(rec).map(([key, value]) => ({ key, value }));
}

export function makeSpan(spec: SpanSpec = {}): Span {
  const spanId = new Uint8Array(8);
  new DataView(spanId.buffer).setUint32(4, spanSeq++);
  const start = BigInt(Math.round((spec.startMs ?? 1000) * 1e6));
  const end = BigInt(Math.round((spec.endMs ?? spec.startMs ?? 1000) * 1e6));
  return {
    traceId: spec.traceId ?? traceIdOf(1),
    spanId: idFromBytes(spanId),
    traceState: spec.traceState ?? '',
    parentSpanId: spec.root ? '' : idFromBytes(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 9])),
    flags: spec.flags ?? 0,
    name: spec.name ?? 'op',
    kind: 2,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes: attrs(spec.attributes),
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: spec.status ?? 0, message: '' },
  };
}

export function resourceSpans(spans: Span[], resourceAttributes: Record<string, AnyValue> = {}): ResourceSpans {
  return { resource: { attributes: attrs(resourceAttributes), droppedAttributesCount: 0 }, scopeSpans: [{ scope: emptyScope(), spans, schemaUrl: '' }], schemaUrl: '' };
}

export function batchOf(spans: Span[], resourceAttributes: Record<string, AnyValue> = {}): TraceBatch {
  return { resourceSpans: [resourceSpans(spans, resourceAttributes)] };
}

/** A TraceView over the given spans (one resource) for policy unit tests. */
export function view(spans: Span[], resourceAttributes: Record<string, AnyValue> = {}, traceId?: string): TraceView {
  return { ...viewOf([resourceSpans(spans, resourceAttributes)]), traceId: traceId ?? spans[0]?.traceId ?? traceIdOf(1) };
}

/** Same as `view` with several resources, in order. */
export function viewOf(rss: ResourceSpans[]): TraceView {
  const spans: Span[] = [];
  const origins: SpanOrigin[] = [];
  for (const rs of rss) {
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans) {
        spans.push(s);
        origins.push({ resourceSpans: rs, scopeSpans: ss });
      }
    }
  }
  return { traceId: traceIdOf(1), spans, origins, spanCount: spans.length, sizeBytes: 0 };
}
