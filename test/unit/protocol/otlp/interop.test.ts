/**
 * Interop with the official OpenTelemetry JS packages: spans created by the SDK, serialized by
 * @opentelemetry/otlp-transformer (protobuf and JSON), decode with our codecs to the ReadableSpan
 * field values; and the SDK's bytes re-encoded by us decode to the same batch.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { AttributeValue, Attributes, HrTime } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { decodeJsonRequest, encodeJsonRequest } from '../../../../src/protocol/otlp/json-codec.js';
import { idToHex } from '../../../../src/protocol/otlp/model.js';
import type { AnyValue, KeyValue, Span, TraceBatch } from '../../../../src/protocol/otlp/model.js';
import { decodeExportRequest } from '../../../../src/protocol/otlp/proto-decode.js';
import { encodeExportRequest } from '../../../../src/protocol/otlp/proto-encode.js';
import { exportRequestProtoSize } from '../../../../src/protocol/otlp/size.js';

function makeSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.version': '1.2.3', 'host.cpus': 8, 'deployment.canary': false }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('interop-lib', '0.9.0');
  const remoteParent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: 1,
    isRemote: true,
    traceState: new TraceState('vendor=abc,other=x1'),
  });
  const root = tracer.startSpan(
    'POST /checkout ✓',
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.method': 'POST', 'http.status_code': 500, ratio: 0.25, retried: true, tags: ['a', 'b'], ids: [1, 2, 3], big: -9007199254740991 },
      startTime: [1_700_000_000, 123_456_789],
    },
    remoteParent,
  );
  root.addEvent('exception', { 'exception.type': 'Timeout', 'exception.message': 'upstream timed out — 5s' }, [1_700_000_000, 500_000_000]);
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'payment failed' });
  const child = tracer.startSpan(
    'charge',
    {
      kind: SpanKind.CLIENT,
      attributes: { 'peer.service': 'payments', attempt: 2 },
      links: [{ context: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 }, attributes: { 'link.kind': 'follows' } }],
      startTime: [1_700_000_000, 200_000_000],
    },
    trace.setSpan(ROOT_CONTEXT, root),
  );
  child.setStatus({ code: SpanStatusCode.OK });
  child.end([1_700_000_000, 300_000_001]);
  for (const kind of [SpanKind.INTERNAL, SpanKind.PRODUCER, SpanKind.CONSUMER]) {
    tracer.startSpan(`kind-${kind}`, { kind, startTime: [1_700_000_001, 0] }).end([1_700_000_001, 1]);
  }
  root.end([1_700_000_001, 5]);
  return exporter.getFinishedSpans();
}

const nanos = (t: HrTime) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

function expectedValue(v: AttributeValue | undefined): AnyValue {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return (v as unknown[]).map((x) => expectedValue(x as AttributeValue));
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  return v as string | boolean;
}
const expectedAttrs = (a: Attributes): KeyValue[] => Object.entries(a).map(([key, value]) => ({ key, value: expectedValue(value) }));

/** The model id (binary string: one char per byte) of an SDK hex id. */
const idOfHex = (hex: string): string => String.fromCharCode(...Buffer.from(hex, 'hex'));

/** The model span a correct decoder must produce for a ReadableSpan (OTLP spec mapping). */
function expectedSpan(s: ReadableSpan): Span {
  const ctx = s.spanContext();
  const parent = s.parentSpanContext;
  return {
    traceId: idOfHex(ctx.traceId),
    spanId: idOfHex(ctx.spanId),
    traceState: ctx.traceState?.serialize() ?? '',
    parentSpanId: parent ? idOfHex(parent.spanId) : '',
    // OTLP: W3C flags in bits 0-7, bit 8 "has is_remote", bit 9 "parent is remote".
    flags: (ctx.traceFlags & 0xff) | 0x100 | (parent?.isRemote ? 0x200 : 0),
    name: s.name,
    kind: (s.kind + 1) as Span['kind'],
    startTimeUnixNano: nanos(s.startTime),
    endTimeUnixNano: nanos(s.endTime),
    attributes: expectedAttrs(s.attributes),
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.map((e) => ({
      timeUnixNano: nanos(e.time),
      name: e.name,
      attributes: expectedAttrs(e.attributes ?? {}),
      droppedAttributesCount: e.droppedAttributesCount ?? 0,
    })),
    droppedEventsCount: s.droppedEventsCount,
    links: s.links.map((l) => ({
      traceId: idOfHex(l.context.traceId),
      spanId: idOfHex(l.context.spanId),
      traceState: l.context.traceState?.serialize() ?? '',
      attributes: expectedAttrs(l.attributes ?? {}),
      droppedAttributesCount: l.droppedAttributesCount ?? 0,
      flags: (l.context.traceFlags & 0xff) | 0x100 | (l.context.isRemote ? 0x200 : 0),
    })),
    droppedLinksCount: s.droppedLinksCount,
    status: { code: s.status.code as Span['status']['code'], message: s.status.message ?? '' },
  };
}

function checkBatch(batch: TraceBatch, spans: ReadableSpan[]): void {
  expect(batch.resourceSpans).toHaveLength(1);
  const rs = batch.resourceSpans[0]!;
  expect(rs.resource.attributes).toEqual(expectedAttrs(spans[0]!.resource.attributes as Attributes));
  expect(rs.scopeSpans).toHaveLength(1);
  const ss = rs.scopeSpans[0]!;
  expect(ss.scope.name).toBe('interop-lib');
  expect(ss.scope.version).toBe('0.9.0');
  expect(ss.spans.map((s) => idToHex(s.spanId))).toEqual(spans.map((s) => s.spanContext().spanId));
  ss.spans.forEach((decoded, i) => expect(decoded).toEqual(expectedSpan(spans[i]!)));
}

describe('interop with @opentelemetry/otlp-transformer', () => {
  const spans = makeSpans();

  it('creates the variety of spans the test is about', () => {
    expect(spans).toHaveLength(5);
    expect(new Set(spans.map((s) => s.kind)).size).toBe(5);
  });

  it('decodes ProtobufTraceSerializer output to the ReadableSpan field values', () => {
    const bytes = ProtobufTraceSerializer.serializeRequest(spans)!;
    checkBatch(decodeExportRequest(bytes), spans);
  });

  it('decodes JsonTraceSerializer output to the ReadableSpan field values', () => {
    const bytes = JsonTraceSerializer.serializeRequest(spans)!;
    checkBatch(decodeJsonRequest(new TextDecoder().decode(bytes)), spans);
  });

  it('re-encodes the SDK request to the same bytes (same field presence) and sizes it exactly', () => {
    const bytes = ProtobufTraceSerializer.serializeRequest(spans)!;
    const batch = decodeExportRequest(bytes);
    const ours = encodeExportRequest(batch);
    expect(exportRequestProtoSize(batch)).toBe(ours.length);
    expect(Buffer.from(ours).equals(Buffer.from(bytes))).toBe(true);
    expect(decodeJsonRequest(encodeJsonRequest(batch))).toEqual(batch);
  });
});
