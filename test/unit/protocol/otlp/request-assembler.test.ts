import { test as propTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { encodeExportRequest, encodeResourceField, encodeScopeField, encodeSpan } from '../../../../src/protocol/otlp/proto-encode.js';
import { assembleExportRequest, type EncodedSpanRef } from '../../../../src/protocol/otlp/request-assembler.js';
import type { TraceBatch } from '../../../../src/protocol/otlp/model.js';
import { attributes, span, text } from './arbitraries.js';

const uint32 = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffffffff }));
/** One ResourceSpans with empty schema URLs (what SDK exports and the assembler produce). */
const oneResource = fc.record({
  resource: fc.record({ attributes, droppedAttributesCount: uint32 }),
  scopeSpans: fc.array(
    fc.record({
      scope: fc.record({ name: text, version: text, attributes, droppedAttributesCount: uint32 }),
      spans: fc.array(span, { maxLength: 4 }),
      schemaUrl: fc.constant(''),
    }),
    { maxLength: 3 },
  ),
  schemaUrl: fc.constant(''),
});

describe('assembleExportRequest', () => {
  propTest.prop([oneResource, fc.nat({ max: 40 })])('equals encodeExportRequest of the batch, spans taken from one shared buffer at any offset', (rs, pad) => {
    // All span bodies back to back in one buffer after `pad` bytes, as a worker's chunk holds them.
    const bodies = rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => encodeSpan(s)));
    const chunk = new Uint8Array(pad + bodies.reduce((a, b) => a + b.length, 0)).fill(0xee);
    let at = pad;
    const refs: EncodedSpanRef[] = bodies.map((b) => {
      chunk.set(b, at);
      at += b.length;
      return { bytes: chunk, start: at - b.length, end: at };
    });
    let next = 0;
    const scopes = rs.scopeSpans.map((ss) => ({ scopeField: encodeScopeField(ss.scope), spans: ss.spans.map(() => refs[next++]!) }));
    const batch: TraceBatch = { resourceSpans: [rs] };
    const assembled = assembleExportRequest(encodeResourceField(rs.resource), scopes);
    expect(Buffer.from(assembled).equals(Buffer.from(encodeExportRequest(batch)))).toBe(true);
  });
});
