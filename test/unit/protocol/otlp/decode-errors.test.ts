import { test as propTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OtlpDecodeError } from '../../../../src/protocol/otlp/decode-error.js';
import { decodeJsonRequest, decodeJsonResponse, readJsonLines, encodeJsonRequest } from '../../../../src/protocol/otlp/json-codec.js';
import { decodeExportRequest, decodeExportResponse, decodeSpan } from '../../../../src/protocol/otlp/proto-decode.js';
import { encodeExportRequest } from '../../../../src/protocol/otlp/proto-encode.js';
import { PermanentError } from '../../../../src/pipeline/errors.js';
import { batch } from './arbitraries.js';

/** Runs a decoder; passes when it returns or throws OtlpDecodeError, fails on anything else. */
function onlyDecodeErrors(decode: () => unknown): void {
  try {
    decode();
  } catch (err) {
    if (!(err instanceof OtlpDecodeError)) throw new Error(`decoder threw ${String(err)}`, { cause: err });
  }
}

const mutation = fc.record({
  cut: fc.nat(),
  flips: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 6 }),
  truncate: fc.boolean(),
});

function mutate(bytes: Uint8Array, m: { cut: number; flips: { at: number; value: number }[]; truncate: boolean }): Uint8Array {
  const out = bytes.slice(0, m.truncate && bytes.length > 0 ? m.cut % bytes.length : bytes.length);
  for (const f of m.flips) if (out.length > 0) out[f.at % out.length] = f.value;
  return out;
}

// A span inside a request whose trace_id has 3 bytes: 0a LEN (rs) 12 LEN (ss) 12 LEN (span) 0a 03 ...
function requestWithSpanBytes(spanBody: number[]): Uint8Array {
  const ss = [0x12, spanBody.length, ...spanBody];
  const rs = [0x12, ss.length, ...ss];
  return Uint8Array.from([0x0a, rs.length, ...rs]);
}

describe('decoders on bad input', () => {
  propTest.prop([fc.uint8Array({ maxLength: 300 })], { numRuns: 2000 })('random bytes: only OtlpDecodeError', (bytes) => {
    onlyDecodeErrors(() => decodeExportRequest(bytes));
    onlyDecodeErrors(() => decodeSpan(bytes));
    onlyDecodeErrors(() => decodeExportResponse(bytes));
  });

  propTest.prop([batch, mutation], { numRuns: 500 })('mutated valid protobuf: only OtlpDecodeError', (b, m) => {
    const bytes = mutate(encodeExportRequest(b), m);
    onlyDecodeErrors(() => decodeExportRequest(bytes));
  });

  propTest.prop([batch, mutation], { numRuns: 300 })('mutated valid JSON: only OtlpDecodeError', (b, m) => {
    const text = Buffer.from(mutate(Buffer.from(encodeJsonRequest(b)), m)).toString('latin1');
    onlyDecodeErrors(() => decodeJsonRequest(text));
    onlyDecodeErrors(() => [...readJsonLines(`${text}\n${text}`)]);
    onlyDecodeErrors(() => decodeJsonResponse(text));
  });

  propTest.prop([fc.json()], { numRuns: 500 })('arbitrary JSON documents: only OtlpDecodeError', (text) => {
    onlyDecodeErrors(() => decodeJsonRequest(text));
    onlyDecodeErrors(() => decodeJsonResponse(text));
  });

  it('is a PermanentError', () => {
    expect(new OtlpDecodeError('protobuf', 'x')).toBeInstanceOf(PermanentError);
  });

  it('names the field path and the expected length of a short trace id', () => {
    const bytes = requestWithSpanBytes([0x0a, 0x03, 1, 2, 3]);
    expect(() => decodeExportRequest(bytes)).toThrow(
      'invalid OTLP protobuf at resource_spans[0].scope_spans[0].spans[0].trace_id, byte 7: expected 16 bytes, got 3',
    );
  });

  it('counts repeated elements in the path', () => {
    const span = [0x2a, 0x01, 0x61]; // name "a"
    const ss = [0x12, span.length, ...span, 0x12, 0x02, 0x0a, 0x01]; // second span: trace_id length 1 but 0 bytes left
    const rs = [0x12, ss.length, ...ss];
    const bytes = Uint8Array.from([0x0a, 0x00, 0x0a, rs.length, ...rs]);
    expect(() => decodeExportRequest(bytes)).toThrow(/resource_spans\[1\]\.scope_spans\[0\]\.spans\[1\]\.trace_id.*length 1 exceeds/);
  });

  it('reports a truncated varint and a wrong wire type', () => {
    expect(() => decodeExportRequest(Uint8Array.from([0x0a, 0x80]))).toThrow(/truncated varint/);
    expect(() => decodeExportRequest(requestWithSpanBytes([0x0d, 0, 0, 0, 0]))).toThrow(/spans\[0\].*wrong wire type 5 for field 1/);
    expect(() => decodeExportRequest(Uint8Array.from([0x13]))).toThrow(/unsupported wire type 3 for field 2/);
  });

  it('rejects AnyValue nesting deeper than 64 instead of overflowing the stack', () => {
    // AnyValue{array_value{values: AnyValue{...}}} 200 levels deep, built inside out.
    let value: number[] = [0x0a, 0x01, 0x78]; // string_value "x"
    for (let i = 0; i < 200; i++) {
      const values = [0x0a, ...varint(value.length), ...value];
      value = [0x2a, ...varint(values.length), ...values];
    }
    const kv = [0x0a, 0x01, 0x6b, 0x12, ...varint(value.length), ...value];
    const resource = [0x0a, ...varint(kv.length), ...kv];
    const rs = [0x0a, ...varint(resource.length), ...resource];
    const bytes = Uint8Array.from([0x0a, ...varint(rs.length), ...rs]);
    expect(() => decodeExportRequest(bytes)).toThrow(/nested deeper than 64/);
  });

  it('rejects an out-of-range span kind and a bad decodeSpan range', () => {
    expect(() => decodeSpan(Uint8Array.from([0x30, 0x09]))).toThrow(/kind 9/);
    expect(() => decodeSpan(new Uint8Array(4), 2, 9)).toThrow(OtlpDecodeError);
  });
});

function varint(v: number): number[] {
  const out: number[] = [];
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}
