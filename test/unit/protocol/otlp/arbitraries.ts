/** fast-check arbitraries for the span model: every AnyValue kind, unicode, 64-bit extremes. */
import fc from 'fast-check';
import type { AnyValue, KeyValue, Span, SpanEvent, SpanKind, SpanLink, StatusCode, TraceBatch } from '../../../../src/protocol/otlp/model.js';
import { idFromBytes } from '../../../../src/protocol/otlp/model.js';

const UINT64_MAX = (1n << 64n) - 1n;

/** Strings: ASCII, full unicode (surrogate pairs), and empty. */
export const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constant(''));

const uint32 = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffffffff }));
const nanos = fc.oneof(fc.constant(0n), fc.constant(UINT64_MAX), fc.bigInt({ min: 0n, max: UINT64_MAX }));
/** JSON has no -0, so the model's doubles avoid it; NaN and ±Infinity are kept. */
const double = fc.double().map((d) => (Object.is(d, -0) ? 0 : d));
const int64 = fc.oneof(fc.constant(0n), fc.constant(-(1n << 63n)), fc.constant((1n << 63n) - 1n), fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }));

const anyValues = fc.letrec<{ value: AnyValue; kv: KeyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.boolean(),
    int64,
    double,
    fc.uint8Array({ maxLength: 12 }),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(tie('kv'), { maxLength: 3 }).map((kvlist) => ({ kvlist })),
  ),
  kv: fc.record({ key: text, value: tie('value') }),
}));

export const anyValue = anyValues.value;
export const attributes = fc.array(anyValues.kv, { maxLength: 4 });

/** Ids of `n` random bytes (all-zero included) as binary strings. */
const id = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => idFromBytes(b));
/** Trace ids: random, or one of two fixed ones so spans of a batch often share their trace (adjacent or not). */
const traceId = fc.oneof(id(16), fc.constantFrom(idFromBytes(new Uint8Array(16).fill(0xa5)), idFromBytes(Uint8Array.from({ length: 16 }, (_, i) => i))));

const event: fc.Arbitrary<SpanEvent> = fc.record({ timeUnixNano: nanos, name: text, attributes, droppedAttributesCount: uint32 });
const link: fc.Arbitrary<SpanLink> = fc.record({
  traceId: id(16),
  spanId: id(8),
  traceState: text,
  attributes,
  droppedAttributesCount: uint32,
  flags: uint32,
});

export const span: fc.Arbitrary<Span> = fc.record({
  traceId,
  spanId: id(8),
  traceState: text,
  parentSpanId: fc.oneof(id(8), fc.constant('')),
  flags: uint32,
  name: text,
  kind: fc.integer({ min: 0, max: 5 }).map((k) => k as SpanKind),
  startTimeUnixNano: nanos,
  endTimeUnixNano: nanos,
  attributes,
  droppedAttributesCount: uint32,
  events: fc.array(event, { maxLength: 2 }),
  droppedEventsCount: uint32,
  links: fc.array(link, { maxLength: 2 }),
  droppedLinksCount: uint32,
  status: fc.record({ code: fc.integer({ min: 0, max: 2 }).map((c) => c as StatusCode), message: text }),
});

export const batch: fc.Arbitrary<TraceBatch> = fc.record({
  resourceSpans: fc.array(
    fc.record({
      resource: fc.record({ attributes, droppedAttributesCount: uint32 }),
      scopeSpans: fc.array(
        fc.record({
          scope: fc.record({ name: text, version: text, attributes, droppedAttributesCount: uint32 }),
          spans: fc.array(span, { maxLength: 3 }),
          schemaUrl: text,
        }),
        { maxLength: 2 },
      ),
      schemaUrl: text,
    }),
    { maxLength: 2 },
  ),
});
