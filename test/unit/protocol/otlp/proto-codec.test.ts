import { fileURLToPath } from 'node:url';
import { test as propTest } from '@fast-check/vitest';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeExportRequest, decodeExportResponse, decodeSpan } from '../../../../src/protocol/otlp/proto-decode.js';
import { encodeExportRequest, encodeExportResponse, encodeSpan } from '../../../../src/protocol/otlp/proto-encode.js';
import { exportRequestProtoSize, resourceSpansProtoSize, spanProtoSize, utf8Length } from '../../../../src/protocol/otlp/size.js';
import type { AnyValue, KeyValue, Span, TraceBatch } from '../../../../src/protocol/otlp/model.js';
import { batch, span } from './arbitraries.js';
import { makeBatch, makeSpan } from '../../../helpers/spans.js';

const protoDir = fileURLToPath(new URL('../../../../src/protocol/otlp/proto/', import.meta.url));

/** protobufjs reflection of our .proto files: the independent second decoder. */
function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => protoDir + target;
  root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto');
  root.resolveAll();
  return root;
}
const root = loadRoot();
const RequestType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
const ResponseType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');
const SpanType = root.lookupType('opentelemetry.proto.trace.v1.Span');

// protobufjs toObject output (longs as decimal strings, bytes as arrays, defaults filled) → model.
type Pb = Record<string, unknown>;
const bytesOf = (v: unknown) => Uint8Array.from(v as number[]);
/** A protobufjs id (array of byte values) as a model id: one char per byte. */
const idOf = (v: unknown) => String.fromCharCode(...(v as number[]));
function anyFromPb(v: Pb | null | undefined): AnyValue {
  if (v == null) return null;
  switch (v.value) {
    case 'stringValue':
      return v.stringValue as string;
    case 'boolValue':
      return v.boolValue as boolean;
    case 'intValue':
      return BigInt(v.intValue as string);
    case 'doubleValue':
      return v.doubleValue as number;
    case 'bytesValue':
      return bytesOf(v.bytesValue);
    case 'arrayValue':
      return ((v.arrayValue as Pb).values as Pb[]).map(anyFromPb);
    case 'kvlistValue':
      return { kvlist: attrsFromPb((v.kvlistValue as Pb).values as Pb[]) };
    default:
      return null;
  }
}
const attrsFromPb = (list: Pb[]): KeyValue[] => list.map((kv) => ({ key: kv.key as string, value: anyFromPb(kv.value as Pb | null) }));
function spanFromPb(s: Pb): Span {
  const status = s.status as Pb;
  return {
    traceId: idOf(s.traceId),
    spanId: idOf(s.spanId),
    traceState: s.traceState as string,
    parentSpanId: idOf(s.parentSpanId),
    flags: s.flags as number,
    name: s.name as string,
    kind: s.kind as Span['kind'],
    startTimeUnixNano: BigInt(s.startTimeUnixNano as string),
    endTimeUnixNano: BigInt(s.endTimeUnixNano as string),
    attributes: attrsFromPb(s.attributes as Pb[]),
    droppedAttributesCount: s.droppedAttributesCount as number,
    events: (s.events as Pb[]).map((e) => ({
      timeUnixNano: BigInt(e.timeUnixNano as string),
      name: e.name as string,
      attributes: attrsFromPb(e.attributes as Pb[]),
      droppedAttributesCount: e.droppedAttributesCount as number,
    })),
    droppedEventsCount: s.droppedEventsCount as number,
    links: (s.links as Pb[]).map((l) => ({
      traceId: idOf(l.traceId),
      spanId: idOf(l.spanId),
      traceState: l.traceState as string,
      attributes: attrsFromPb(l.attributes as Pb[]),
      droppedAttributesCount: l.droppedAttributesCount as number,
      flags: l.flags as number,
    })),
    droppedLinksCount: s.droppedLinksCount as number,
    status: { code: status.code as Span['status']['code'], message: status.message as string },
  };
}
const PB_OPTIONS = { longs: String, bytes: Array, defaults: true, arrays: true, oneofs: true, enums: Number } as const;
function batchFromPb(bytes: Uint8Array): TraceBatch {
  const o = RequestType.toObject(RequestType.decode(bytes), PB_OPTIONS) as Pb;
  return {
    resourceSpans: (o.resourceSpans as Pb[]).map((rs) => {
      const resource = rs.resource as Pb;
      return {
        resource: { attributes: attrsFromPb(resource.attributes as Pb[]), droppedAttributesCount: resource.droppedAttributesCount as number },
        scopeSpans: (rs.scopeSpans as Pb[]).map((ss) => {
          const scope = ss.scope as Pb;
          return {
            scope: {
              name: scope.name as string,
              version: scope.version as string,
              attributes: attrsFromPb(scope.attributes as Pb[]),
              droppedAttributesCount: scope.droppedAttributesCount as number,
            },
            spans: (ss.spans as Pb[]).map(spanFromPb),
            schemaUrl: ss.schemaUrl as string,
          };
        }),
        schemaUrl: rs.schemaUrl as string,
      };
    }),
  };
}

describe('protobuf codec', () => {
  it('encodes a request large enough to grow the size tape (regression: slot taken before growth)', () => {
    // 8 000 spans × (string attributes + name) need far more than the tape's initial 16 384 slots.
    const spans: Span[] = Array.from({ length: 8000 }, (_, i) =>
      makeSpan({
        traceId: String.fromCharCode((i % 250) + 1).repeat(16),
        spanId: String.fromCharCode((i % 250) + 1).repeat(8),
        name: `op-${i}`,
        startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(i),
        endTimeUnixNano: 1_700_000_000_001_000_000n + BigInt(i),
        attributes: [
          { key: 'http.route', value: `/r/${i}` },
          { key: 'peer', value: 'payment' },
        ],
      }),
    );
    const big: TraceBatch = {
      resourceSpans: [{ resource: { attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', scopeSpans: [{ scope: { name: 's', version: '', attributes: [], droppedAttributesCount: 0 }, spans, schemaUrl: '' }] }],
    };
    const bytes = encodeExportRequest(big);
    expect(bytes.length).toBe(exportRequestProtoSize(big));
    expect(decodeExportRequest(bytes).resourceSpans[0]!.scopeSpans[0]!.spans).toHaveLength(8000);
  });

  propTest.prop([batch])('decode(encode(batch)) equals the batch', (b) => {
    expect(decodeExportRequest(encodeExportRequest(b))).toEqual(b);
  });

  propTest.prop([batch])('exportRequestProtoSize equals the encoded length', (b) => {
    expect(exportRequestProtoSize(b)).toBe(encodeExportRequest(b).length);
  });

  propTest.prop([batch])('resourceSpansProtoSize matches the bytes of each ResourceSpans', (b) => {
    // request = Σ (tag + length varint + body); check each body size through the whole.
    const total = b.resourceSpans.reduce((sum, rs) => {
      const n = resourceSpansProtoSize(rs);
      return sum + 1 + (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4) + n;
    }, 0);
    expect(total).toBe(encodeExportRequest(b).length);
  });

  propTest.prop([span])('encodeSpan / decodeSpan round trip; spanProtoSize equals its length', (s) => {
    const bytes = encodeSpan(s);
    expect(spanProtoSize(s)).toBe(bytes.length);
    expect(decodeSpan(bytes)).toEqual(s);
  });

  propTest.prop([batch])('protobufjs reflection of our .proto decodes our bytes to the same values', (b) => {
    expect(batchFromPb(encodeExportRequest(b))).toEqual(b);
  });

  propTest.prop([span])('protobufjs encodes a span that our decoder reads back', (s) => {
    const bytes = encodeSpan(s);
    const reencoded = SpanType.encode(SpanType.decode(bytes)).finish();
    expect(decodeSpan(reencoded)).toEqual(s);
  });

  it('decodeSpan reads a sub-range of a larger buffer without copying it first', () => {
    const s = fc.sample(span, { numRuns: 1, seed: 7 })[0]!;
    const bytes = encodeSpan(s);
    const padded = new Uint8Array(bytes.length + 10);
    padded.set(bytes, 5);
    expect(decodeSpan(padded, 5, 5 + bytes.length)).toEqual(s);
  });

  propTest.prop([batch, fc.integer({ min: 1, max: 15 })])('decodes a Buffer view at an odd offset of a larger pool (as gRPC hands them over)', (b, offset) => {
    const bytes = encodeExportRequest(b);
    const pool = Buffer.alloc(bytes.length + 32);
    pool.set(bytes, offset);
    expect(decodeExportRequest(pool.subarray(offset, offset + bytes.length))).toEqual(b);
  });

  it('a decoded id does not alias the input buffer', () => {
    const s = fc.sample(span, { numRuns: 1, seed: 3 })[0]!;
    const bytes = encodeSpan(s);
    const decoded = decodeSpan(bytes);
    bytes.fill(0);
    expect(decoded.traceId).toEqual(s.traceId);
  });

  propTest.prop([fc.option(fc.record({ rejectedSpans: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), errorMessage: fc.string() }), { nil: undefined })])(
    'export response round trip, also through protobufjs',
    (partialSuccess) => {
      const r = partialSuccess === undefined ? {} : { partialSuccess };
      const bytes = encodeExportResponse(r);
      expect(decodeExportResponse(bytes)).toEqual(r);
      const o = ResponseType.toObject(ResponseType.decode(bytes), { longs: String, defaults: false }) as Pb;
      if (partialSuccess === undefined) expect(o.partialSuccess).toBeUndefined();
      else {
        const ps = o.partialSuccess as Pb;
        expect(BigInt((ps.rejectedSpans as string | undefined) ?? '0')).toBe(partialSuccess.rejectedSpans);
        expect(ps.errorMessage ?? '').toBe(partialSuccess.errorMessage);
      }
    },
  );

  it('repeated attributes decode to the same values whatever was decoded before (attribute cache)', () => {
    // Values of one length that differ in a single character: many land in the same cache slot
    // as the base (the slot hash samples a few bytes), so a wrong hit would surface here.
    const base = 'x'.repeat(40);
    const variants = [base, ...Array.from({ length: 40 }, (_, i) => base.slice(0, i) + 'y' + base.slice(i + 1))];
    const values: AnyValue[] = [...variants, 200n, 201n, true, false, 1.5, null];
    const order = [...values, ...values.slice().reverse(), ...values];
    for (const value of order) {
      const s = makeSpan({ attributes: [{ key: 'k', value }, { key: 'http.method', value: 'GET' }] });
      const decoded = decodeSpan(encodeSpan(s));
      expect(decoded.attributes).toEqual(s.attributes);
    }
  });

  it('a repeated bytes, array or kvlist attribute is a fresh value in every span', () => {
    const attributes: KeyValue[] = [
      { key: 'b', value: new Uint8Array([1, 2, 3]) },
      { key: 'a', value: ['x', 1n] },
      { key: 'm', value: { kvlist: [{ key: 'inner', value: 'v' }] } },
      { key: 's', value: 'shared' },
    ];
    const request = encodeExportRequest(makeBatch([makeSpan({ attributes }), makeSpan({ attributes })]));
    const [one, two] = decodeExportRequest(request).resourceSpans[0]!.scopeSpans[0]!.spans;
    for (let i = 0; i < 3; i++) expect(one!.attributes[i]!.value).not.toBe(two!.attributes[i]!.value);
    expect(one!.attributes).toEqual(two!.attributes);
  });

  propTest.prop([fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string())])(
    'utf8Length counts what TextEncoder writes (lone surrogates as U+FFFD)',
    (s) => {
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
    },
  );

  it('an empty request and an empty response are zero bytes', () => {
    expect(encodeExportRequest({ resourceSpans: [] })).toHaveLength(0);
    expect(decodeExportRequest(new Uint8Array(0))).toEqual({ resourceSpans: [] });
    expect(decodeExportResponse(new Uint8Array(0))).toEqual({});
  });

  it('skips unknown fields and Resource.entity_refs', () => {
    // Resource { attributes: [{key:"k", value:{string_value:"v"}}], entity_refs: [{type:"service"}] } + unknown field 99 (varint)
    const resource = RequestType.lookupType('opentelemetry.proto.resource.v1.Resource');
    const resourceBytes = resource.encode(resource.fromObject({ attributes: [{ key: 'k', value: { stringValue: 'v' } }], entityRefs: [{ type: 'service', idKeys: ['service.name'] }] })).finish();
    const rsBytes = Uint8Array.from([0x0a, resourceBytes.length, ...resourceBytes, 0x98, 0x06, 0x01]);
    const request = Uint8Array.from([0x0a, rsBytes.length, ...rsBytes]);
    expect(decodeExportRequest(request)).toEqual({
      resourceSpans: [{ resource: { attributes: [{ key: 'k', value: 'v' }], droppedAttributesCount: 0 }, scopeSpans: [], schemaUrl: '' }],
    });
  });
});
