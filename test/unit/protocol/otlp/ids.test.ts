/**
 * Ids as binary strings (model.ts): the conversion helpers, and how the protobuf decoder builds
 * ids — empty fields, and one shared trace-id string per run of spans of a trace.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test as propTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idFromBytes, idFromHex, idToBytes, idToHex, type TraceBatch } from '../../../../src/protocol/otlp/model.js';
import { decodeExportRequest } from '../../../../src/protocol/otlp/proto-decode.js';
import { encodeExportRequest } from '../../../../src/protocol/otlp/proto-encode.js';
import { makeBatch, makeSpan } from '../../../helpers/spans.js';

const idBytes = fc.uint8Array({ minLength: 0, maxLength: 16 });

describe('id helpers', () => {
  propTest.prop([idBytes])('bytes → id → bytes is the identity; one char per byte, its code the byte', (bytes) => {
    const id = idFromBytes(bytes);
    expect(id).toHaveLength(bytes.length);
    expect(Array.from(id, (c) => c.charCodeAt(0))).toEqual(Array.from(bytes));
    expect(idToBytes(id)).toEqual(bytes);
  });

  propTest.prop([fc.uint8Array({ maxLength: 48 }), fc.nat(48), fc.nat(48)])('idFromBytes(bytes, start, end) is the id of that sub-range', (bytes, a, b) => {
    const start = Math.min(a, b, bytes.length);
    const end = Math.min(Math.max(a, b), bytes.length);
    expect(idFromBytes(bytes, start, end)).toBe(idFromBytes(bytes.slice(start, end)));
  });

  propTest.prop([idBytes, idBytes])('equal ids ⇔ equal bytes (an id is a faithful map key)', (a, b) => {
    expect(idFromBytes(a) === idFromBytes(b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
  });

  propTest.prop([idBytes])('idToHex is the lowercase hex of the bytes; idFromHex inverts it, in either case', (bytes) => {
    const id = idFromBytes(bytes);
    const hex = idToHex(id);
    expect(hex).toBe(Buffer.from(bytes).toString('hex'));
    expect(idFromHex(hex)).toBe(id);
    expect(idFromHex(hex.toUpperCase())).toBe(id);
  });
});

/** Id of 16 bytes all `b`. */
const traceOf = (b: number) => idFromBytes(new Uint8Array(16).fill(b));

/** The trace ids of a decoded batch, in order. */
function traceIds(batch: TraceBatch): string[] {
  return batch.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.traceId)));
}

describe('decoded ids', () => {
  it('empty id fields read as all-zero trace and span ids and as no parent', () => {
    // Span { trace_id = '', span_id = '', parent_span_id = '' } in ScopeSpans in ResourceSpans in a request
    const span = [0x0a, 0x00, 0x12, 0x00, 0x22, 0x00];
    const scopeSpans = [0x12, span.length, ...span];
    const resourceSpans = [0x12, scopeSpans.length, ...scopeSpans];
    const decoded = decodeExportRequest(Uint8Array.from([0x0a, resourceSpans.length, ...resourceSpans]));
    const s = decoded.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(s.traceId).toBe('\0'.repeat(16));
    expect(s.spanId).toBe('\0'.repeat(8));
    expect(s.parentSpanId).toBe('');
  });

  it('a run of spans of one trace, then another trace, then the first again, each decode to their own id', () => {
    // Sharing the previous span's string must compare all 16 bytes: these ids differ in one byte only.
    const a = traceOf(1);
    const b = idFromBytes(Uint8Array.from([...new Uint8Array(15).fill(1), 2]));
    const order = [a, a, b, a, traceOf(0), b, b, a];
    const batch = makeBatch(order.map((traceId) => makeSpan({ traceId })));
    expect(traceIds(decodeExportRequest(encodeExportRequest(batch)))).toEqual(order);
  });

  it('consecutive spans of a trace share one trace-id string (heap: one string per run, not per span)', () => {
    // Strings compare by value, so sharing shows only in the heap: decode N spans in one run of a
    // trace (A A A …) and N spans alternating two traces (A B A B …: no two neighbours share);
    // everything else is equal, so the difference is N − 2 trace-id strings of 16 + 16 bytes each.
    // Measured in a fresh `node --expose-gc` (a small, quiet heap) on the built decoder.
    const n = 60_000; // large enough that heap noise stays far below the 32 bytes per span at stake
    const request = (pick: (i: number) => string) =>
      Buffer.from(encodeExportRequest(makeBatch(Array.from({ length: n }, (_, i) => makeSpan({ traceId: pick(i) }))))).toString('base64');
    const input = JSON.stringify({ runs: request(() => traceOf(1)), alternating: request((i) => traceOf(1 + (i & 1))) });
    const codec = pathToFileURL(join(import.meta.dirname, '../../../../dist/protocol/otlp/proto-decode.js')).href;
    const script = `
      import { readFileSync } from 'node:fs';
      const { decodeExportRequest } = await import(${JSON.stringify(codec)});
      const input = JSON.parse(readFileSync(0, 'utf8'));
      const retained = (b64) => {
        const bytes = Buffer.from(b64, 'base64');
        decodeExportRequest(bytes); // warm up: code and the decoder's caches
        gc();
        const before = process.memoryUsage().heapUsed;
        const kept = decodeExportRequest(bytes);
        gc();
        const after = process.memoryUsage().heapUsed;
        if (kept.resourceSpans.length !== 1) throw new Error('unexpected batch');
        return after - before;
      };
      // interleaved, the smaller of two each: warm-up effects only add to a figure
      const r = [retained(input.runs), retained(input.alternating), retained(input.runs), retained(input.alternating)];
      console.log(JSON.stringify({ shared: Math.min(r[0], r[2]), separate: Math.min(r[1], r[3]) }));`;
    const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { input, encoding: 'utf8' });
    const { shared, separate } = JSON.parse(out) as { shared: number; separate: number };
    expect((separate - shared) / n).toBeGreaterThanOrEqual(24);
  });
});
