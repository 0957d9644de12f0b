import { test as propTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeJsonRequest,
  decodeJsonResponse,
  encodeJsonRequest,
  encodeJsonResponse,
  readJsonLines,
  writeJsonLine,
} from '../../../../src/protocol/otlp/json-codec.js';
import { OtlpDecodeError } from '../../../../src/protocol/otlp/decode-error.js';
import { idFromBytes, type Span, type TraceBatch } from '../../../../src/protocol/otlp/model.js';
import { batch } from './arbitraries.js';

function oneSpan(overrides: Partial<Span> = {}): TraceBatch {
  const span: Span = {
    traceId: idFromBytes(Uint8Array.from({ length: 16 }, (_, i) => i + 1)),
    spanId: idFromBytes(Uint8Array.from({ length: 8 }, (_, i) => 0xa0 + i)),
    traceState: 'k=v',
    parentSpanId: '',
    flags: 0x301,
    name: 'GET /cart',
    kind: 2,
    startTimeUnixNano: 1_700_000_000_123_456_789n,
    endTimeUnixNano: 18_446_744_073_709_551_615n,
    attributes: [
      { key: 'http.status_code', value: 200n },
      { key: 'bytes', value: Uint8Array.from([0xff, 0x00, 0x10]) },
      { key: 'ratio', value: NaN },
    ],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 2, message: 'boom' },
    ...overrides,
  };
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: 'cart' }], droppedAttributesCount: 0 },
        scopeSpans: [{ scope: { name: 'lib', version: '1.0', attributes: [], droppedAttributesCount: 0 }, spans: [span], schemaUrl: '' }],
        schemaUrl: '',
      },
    ],
  };
}

/** Every object key of parsed JSON renamed to its proto field name (`scopeSpans` → `scope_spans`). */
function withSnakeCaseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withSnakeCaseKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), withSnakeCaseKeys(x)]));
}

describe('OTLP/JSON codec', () => {
  propTest.prop([batch])('decodeJsonRequest(encodeJsonRequest(batch)) equals the batch', (b) => {
    const text = encodeJsonRequest(b);
    expect(text).not.toContain('\n');
    expect(decodeJsonRequest(text)).toEqual(b);
  });

  propTest.prop([batch])('proto field names (snake_case keys) decode to the same batch as the JSON names', (b) => {
    const snake = JSON.stringify(withSnakeCaseKeys(JSON.parse(encodeJsonRequest(b))));
    if (b.resourceSpans.length > 0) expect(snake).toContain('"scope_spans"');
    expect(decodeJsonRequest(snake)).toEqual(b);
  });

  it('reads the pre-1.0 instrumentationLibrarySpans / instrumentationLibrary keys as scopeSpans / scope', () => {
    const b = oneSpan();
    const legacy = encodeJsonRequest(b).replace('"scopeSpans"', '"instrumentationLibrarySpans"').replace('"scope"', '"instrumentationLibrary"');
    expect(legacy).toContain('"instrumentationLibrarySpans":[{"instrumentationLibrary":');
    expect(decodeJsonRequest(legacy)).toEqual(b);
  });

  propTest.prop([fc.array(batch, { maxLength: 4 })])('JSON lines: write then read gives the batches back', (batches) => {
    const text = batches.map(writeJsonLine).join('');
    expect([...readJsonLines(text)]).toEqual(batches);
  });

  it('follows the spec encoding: hex ids, camelCase keys, 64-bit ints as strings, enums as integers, base64 bytes', () => {
    const o = JSON.parse(encodeJsonRequest(oneSpan())) as {
      resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[];
    };
    const s = o.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(s.traceId).toBe('0102030405060708090a0b0c0d0e0f10');
    expect(s.spanId).toBe('a0a1a2a3a4a5a6a7');
    expect(s.parentSpanId).toBeUndefined();
    expect(s.kind).toBe(2);
    expect(s.flags).toBe(0x301);
    expect(s.startTimeUnixNano).toBe('1700000000123456789');
    expect(s.endTimeUnixNano).toBe('18446744073709551615');
    expect(s.attributes).toEqual([
      { key: 'http.status_code', value: { intValue: '200' } },
      { key: 'bytes', value: { bytesValue: '/wAQ' } },
      { key: 'ratio', value: { doubleValue: 'NaN' } },
    ]);
    expect(s.status).toEqual({ message: 'boom', code: 2 });
  });

  it('accepts numbers for 64-bit ints, enum names, upper-case hex, and ignores unknown fields', () => {
    const text = JSON.stringify({
      unknownTop: 1,
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'n', value: { intValue: 7 } }], futureField: { x: 1 } },
          scopeSpans: [
            {
              scope: { name: 'lib' },
              spans: [
                {
                  traceId: '0102030405060708090A0B0C0D0E0F10',
                  spanId: 'A0A1A2A3A4A5A6A7',
                  name: 'x',
                  kind: 'SPAN_KIND_CLIENT',
                  startTimeUnixNano: 1000,
                  endTimeUnixNano: '2000',
                  status: { code: 'STATUS_CODE_ERROR' },
                  somethingNew: true,
                },
              ],
            },
          ],
        },
      ],
    });
    const b = decodeJsonRequest(text);
    const s = b.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(s.traceId).toBe(idFromBytes(Uint8Array.from({ length: 16 }, (_, i) => i + 1)));
    expect(s.kind).toBe(3);
    expect(s.startTimeUnixNano).toBe(1000n);
    expect(s.endTimeUnixNano).toBe(2000n);
    expect(s.status.code).toBe(2);
    expect(b.resourceSpans[0]!.resource.attributes).toEqual([{ key: 'n', value: 7n }]);
  });

  it('names the JSON path and the problem for a bad id', () => {
    const text = encodeJsonRequest(oneSpan()).replace('"a0a1a2a3a4a5a6a7"', '"a0a1a2"');
    expect(() => decodeJsonRequest(text)).toThrow(OtlpDecodeError);
    expect(() => decodeJsonRequest(text)).toThrow('resourceSpans[0].scopeSpans[0].spans[0].spanId');
    expect(() => decodeJsonRequest(text)).toThrow('expected 8 bytes, got 3');
  });

  it('reports invalid JSON with the line number in JSON lines', () => {
    const good = writeJsonLine(oneSpan());
    const text = `${good}\n${good}{"resourceSpans": [}\n`;
    const it = readJsonLines(text)[Symbol.iterator]();
    expect(it.next().value).toEqual(oneSpan());
    expect(it.next().value).toEqual(oneSpan());
    let error: unknown;
    try {
      it.next();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OtlpDecodeError);
    expect((error as OtlpDecodeError).line).toBe(4);
    expect((error as Error).message).toMatch(/line 4.*invalid JSON/);
  });

  it('rejects out-of-range 64-bit values and deep AnyValue nesting with OtlpDecodeError', () => {
    const big = encodeJsonRequest(oneSpan()).replace('"18446744073709551615"', '"18446744073709551616"');
    expect(() => decodeJsonRequest(big)).toThrow(/endTimeUnixNano.*uint64 range/);
    let value: unknown = { stringValue: 'leaf' };
    for (let i = 0; i < 200; i++) value = { arrayValue: { values: [value] } };
    const deep = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'd', value }] } }] });
    expect(() => decodeJsonRequest(deep)).toThrow(/nested deeper than 64/);
  });

  it('export response round trip', () => {
    expect(encodeJsonResponse({})).toBe('{}');
    const r = { partialSuccess: { rejectedSpans: 12n, errorMessage: 'too old' } };
    expect(JSON.parse(encodeJsonResponse(r))).toEqual({ partialSuccess: { rejectedSpans: '12', errorMessage: 'too old' } });
    expect(decodeJsonResponse(encodeJsonResponse(r))).toEqual(r);
    expect(decodeJsonResponse('{"partialSuccess":{}}')).toEqual({ partialSuccess: { rejectedSpans: 0n, errorMessage: '' } });
  });
});
