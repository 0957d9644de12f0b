import { fileURLToPath } from 'node:url';
import { test as propTest } from '@fast-check/vitest';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import type { AnyValue, KeyValue, Span, TraceBatch } from '../../../../src/protocol/otlp/model.js';
import { pdataResourceSpansSize, pdataSpanSize, pdataSpanSizeFromSdk, pdataTracesSize } from '../../../../src/protocol/otlp/pdata-size.js';
import { spanProtoSize, varint32Size } from '../../../../src/protocol/otlp/size.js';
import { makeSpan } from '../../../helpers/spans.js';
import { batch, span } from './arbitraries.js';

/**
 * The reference: protobufjs reflection of our .proto files, an independent encoder. It follows
 * proto3 implicit presence (a scalar or string at its default is not written; a set message is),
 * which is the collector's rule too, except for ids: gogo's non-nullable id types are written
 * always, with an empty body when all zero. So the id fields are declared with explicit presence
 * here, and the reference objects carry them as empty bytes when all zero.
 */
const protoDir = fileURLToPath(new URL('../../../../src/protocol/otlp/proto/', import.meta.url));
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => protoDir + target;
root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto');
root.resolveAll();
for (const [type, fields] of [
  ['opentelemetry.proto.trace.v1.Span', ['traceId', 'spanId', 'parentSpanId']],
  ['opentelemetry.proto.trace.v1.Span.Link', ['traceId', 'spanId']],
] as const) {
  for (const name of fields) {
    // resolved features (protobufjs ≥ 8): explicit presence = written whenever set
    const f = root.lookupType(type).fields[name] as unknown as { _features: Record<string, string> };
    f._features = { ...f._features, field_presence: 'EXPLICIT' };
  }
}
const RequestType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
const SpanType = root.lookupType('opentelemetry.proto.trace.v1.Span');

type Obj = Record<string, unknown>;
const idBytes = (id: string) => (/^\0*$/.test(id) ? new Uint8Array(0) : Uint8Array.from(id, (c) => c.charCodeAt(0)));
function refAny(v: AnyValue): Obj {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'bigint') return { intValue: v.toString() };
  if (typeof v === 'number') return { doubleValue: v };
  if (v === null) return {};
  if (v instanceof Uint8Array) return { bytesValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(refAny) } };
  return { kvlistValue: { values: v.kvlist.map(refKv) } };
}
const refKv = (kv: KeyValue): Obj => ({ key: kv.key, value: refAny(kv.value) });
function refSpan(s: Span): Obj {
  return {
    ...s,
    traceId: idBytes(s.traceId),
    spanId: idBytes(s.spanId),
    parentSpanId: idBytes(s.parentSpanId),
    startTimeUnixNano: s.startTimeUnixNano.toString(),
    endTimeUnixNano: s.endTimeUnixNano.toString(),
    attributes: s.attributes.map(refKv),
    events: s.events.map((e) => ({ ...e, timeUnixNano: e.timeUnixNano.toString(), attributes: e.attributes.map(refKv) })),
    links: s.links.map((l) => ({ ...l, traceId: idBytes(l.traceId), spanId: idBytes(l.spanId), attributes: l.attributes.map(refKv) })),
    status: { ...s.status },
  };
}
function refRequest(b: TraceBatch): Obj {
  return {
    resourceSpans: b.resourceSpans.map((rs) => ({
      ...rs,
      resource: { ...rs.resource, attributes: rs.resource.attributes.map(refKv) },
      scopeSpans: rs.scopeSpans.map((ss) => ({ ...ss, scope: { ...ss.scope, attributes: ss.scope.attributes.map(refKv) }, spans: ss.spans.map(refSpan) })),
    })),
  };
}
const referenceSpanSize = (s: Span) => SpanType.encode(SpanType.fromObject(refSpan(s))).finish().length;

const ZERO_TRACE = '\0'.repeat(16);
const ZERO_SPAN = '\0'.repeat(8);
/** The shared span arbitrary, with all-zero ids mixed in (the collector writes them with an empty body). */
const spanWithZeroIds = fc
  .tuple(span, fc.boolean(), fc.boolean(), fc.boolean())
  .map(([s, zeroTrace, zeroSpan, zeroParent]) => ({ ...s, traceId: zeroTrace ? ZERO_TRACE : s.traceId, spanId: zeroSpan ? ZERO_SPAN : s.spanId, parentSpanId: zeroParent ? ZERO_SPAN : s.parentSpanId }));

describe('collector (pdata) protobuf sizes', () => {
  it('a root span: 2-byte empty parent, no zero counts, an empty status (hand-computed)', () => {
    const s = makeSpan({ parentSpanId: '', flags: 0, name: 'GET /', kind: 2, attributes: [], status: { code: 0, message: '' } });
    // trace_id 18 + span_id 10 + parent 2 + name (1+1+5) 7 + kind 2 + start 9 + end 9 + status (tag, len 0) 2
    expect(pdataSpanSize(s)).toBe(18 + 10 + 2 + 7 + 2 + 9 + 9 + 2);
    // the SDK form: no parent, three zero dropped counts (2 each), status with its code (4)
    expect(spanProtoSize(s)).toBe(18 + 10 + 7 + 2 + 9 + 9 + 6 + 4);
  });

  it('a child span with an error status and one attribute (hand-computed)', () => {
    const s = makeSpan({ parentSpanId: 'p'.repeat(8), flags: 0, name: 'q', kind: 3, attributes: [{ key: 'k', value: 'v' }], status: { code: 2, message: '' } });
    // attribute: tag + len + (key 3 + value field (1 + 1 + string field 3)) = 2 + 8 = 10; status: 2 + code 2
    expect(pdataSpanSize(s)).toBe(18 + 10 + 10 + 3 + 2 + 18 + 10 + 4);
  });

  propTest.prop([spanWithZeroIds])('pdataSpanSize equals the length protobufjs encodes with the collector field presence', (s) => {
    expect(pdataSpanSize(s)).toBe(referenceSpanSize(s));
  });

  propTest.prop([spanWithZeroIds])('pdataSpanSizeFromSdk (from the SDK size, no attribute walk) equals pdataSpanSize', (s) => {
    expect(pdataSpanSizeFromSdk(s, spanProtoSize(s))).toBe(pdataSpanSize(s));
  });

  propTest.prop([batch])('pdataTracesSize equals the reference request length; ResourceSpans sizes add up to it', (b) => {
    const reference = RequestType.encode(RequestType.fromObject(refRequest(b))).finish().length;
    expect(pdataTracesSize(b)).toBe(reference);
    const sum = b.resourceSpans.reduce((n, rs) => {
      const body = pdataResourceSpansSize(rs);
      return n + 1 + varint32Size(body) + body;
    }, 0);
    expect(sum).toBe(reference);
  });
});
