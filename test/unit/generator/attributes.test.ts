import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { scalarToValue } from '../../../src/generator/attributes.js';
import { encodeExportRequest } from '../../../src/protocol/otlp/proto-encode.js';
import { decodeExportRequest } from '../../../src/protocol/otlp/proto-decode.js';
import { makeBatch, makeSpan } from '../../helpers/spans.js';

describe('scenario attribute constants → OTLP values', () => {
  it('exact integers are int64; numbers a double cannot hold exactly as an integer are doubles, never a wrapped int64', () => {
    expect(scalarToValue(200)).toBe(200n);
    expect(scalarToValue(-9007199254740991)).toBe(-9007199254740991n);
    expect(scalarToValue(0.5)).toBe(0.5);
    expect(scalarToValue(2 ** 63)).toBe(2 ** 63); // what YAML makes of 9223372036854775807
    expect(scalarToValue(1e300)).toBe(1e300);
    expect(scalarToValue('x')).toBe('x');
    expect(scalarToValue(true)).toBe(true);
  });

  test.prop([fc.double({ noNaN: true, noDefaultInfinity: true })])('every number survives an OTLP round trip with its value', (v) => {
    const value = scalarToValue(v);
    const batch = makeBatch([makeSpan({ attributes: [{ key: 'k', value }] })]);
    const back = decodeExportRequest(encodeExportRequest(batch)).resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes[0]!.value;
    expect(Number(back)).toBe(v === 0 ? 0 : v);
  });
});
