import { test as propTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSpan } from '../../../src/protocol/otlp/proto-decode.js';
import { encodeKeyValueBody, encodeSpan, encodeSpanInto, SpanWriter } from '../../../src/protocol/otlp/proto-encode.js';
import type { KeyValue, Span } from '../../../src/protocol/otlp/model.js';
import { span } from '../protocol/otlp/arbitraries.js';

/** Long strings (ASCII and not) push nested bodies past 127 bytes, so length prefixes grow. */
const longText = fc.oneof(fc.string({ minLength: 100, maxLength: 400 }), fc.string({ unit: 'grapheme', minLength: 60, maxLength: 200 }));
const bigSpan: fc.Arbitrary<Span> = fc.tuple(span, longText, longText).map(([s, a, b]) => ({
  ...s,
  name: a,
  attributes: [...s.attributes, { key: 'long', value: b }, { key: b, value: { kvlist: [{ key: 'k', value: a }] } }],
  events: s.events.map((e) => ({ ...e, attributes: [...e.attributes, { key: 'e', value: [a, b] }] })),
  status: { code: s.status.code, message: s.status.code === 2 ? b : s.status.message },
}));

describe('encodeSpanInto (streaming span writer)', () => {
  propTest.prop([fc.array(fc.oneof(span, bigSpan), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 300 })])(
    'spans written back to back equal encodeSpan of each, whatever the starting capacity',
    (spans, capacity) => {
      const writer = new SpanWriter(capacity);
      const ranges: [number, number][] = [];
      for (const s of spans) {
        const start = writer.length;
        const n = encodeSpanInto(s, writer);
        expect(writer.length).toBe(start + n);
        ranges.push([start, writer.length]);
      }
      const bytes = writer.written();
      spans.forEach((s, i) => {
        const [start, end] = ranges[i]!;
        expect(bytes.subarray(start, end)).toEqual(encodeSpan(s));
        expect(decodeSpan(bytes, start, end)).toEqual(s);
      });
    },
  );

  it('leaves the one-shot encoder usable after streaming (no shared state leaks)', () => {
    const s = fc.sample(bigSpan, { numRuns: 1, seed: 11 })[0]!;
    const writer = new SpanWriter(16);
    encodeSpanInto(s, writer);
    expect(encodeSpan(s)).toEqual(writer.written());
  });

  propTest.prop([fc.array(fc.oneof(span, bigSpan), { minLength: 1, maxLength: 6 })])(
    'attributes found in `constants` are copied from their pre-encoded bodies: same bytes as encodeSpan',
    (spans) => {
      // Every attribute object of the spans (span, event and link level) becomes a "constant".
      const constants = new Map<KeyValue, Uint8Array>();
      for (const s of spans) {
        for (const kv of [...s.attributes, ...s.events.flatMap((e) => e.attributes), ...s.links.flatMap((l) => l.attributes)]) {
          constants.set(kv, encodeKeyValueBody(kv));
        }
      }
      const writer = new SpanWriter(32, constants);
      const starts = spans.map((s) => {
        const start = writer.length;
        encodeSpanInto(s, writer);
        return start;
      });
      spans.forEach((s, i) => {
        const end = i + 1 < spans.length ? starts[i + 1]! : writer.length;
        expect(writer.written().subarray(starts[i]!, end)).toEqual(encodeSpan(s));
      });
    },
  );
});
