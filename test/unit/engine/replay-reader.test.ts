/**
 * `readRecordedBatches`: the files the collector's `file` exporter writes (exporter/fileexporter:
 * `format: proto` frames each request with a 4-byte big-endian length, `format: json` writes one
 * pdata OTLP/JSON request per line, `compression: zstd` compresses them — the whole file (native
 * compression) or each request after a length prefix (legacy)), and the errors for
 * files it cannot read: each names the file and where in it the problem is.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compress as zstdCompress, init as initZstd } from '@bokuweb/zstd-wasm';
import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readRecordedBatches } from '../../../src/engine/recorded-files.js';
import { recordedTraffic } from '../../../src/engine/replay.js';
import { writeJsonLine } from '../../../src/protocol/otlp/json-codec.js';
import { idFromBytes, idToHex, type Span, type TraceBatch } from '../../../src/protocol/otlp/model.js';
import { encodeExportRequest } from '../../../src/protocol/otlp/proto-encode.js';
import { InputError } from '../../../src/shared/errors.js';
import { makeBatch, makeSpan } from '../../helpers/spans.js';

/** `n` spans of distinct traces, with a long attribute so requests exceed 255 bytes. */
function batchOf(n: number, first: number): TraceBatch {
  const spans: Span[] = [];
  for (let i = 0; i < n; i++) {
    const id = new Uint8Array(16).fill(first + i);
    spans.push(makeSpan({ traceId: idFromBytes(id), name: `op-${first + i}`, attributes: [{ key: 'note', value: 'x'.repeat(200) }] }));
  }
  return makeBatch(spans, 'shop');
}

/** A request preceded by its length as a 4-byte big-endian unsigned integer. */
function uint32Framed(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(4 + payload.length);
  out.writeUInt32BE(payload.length, 0);
  out.set(payload, 4);
  return out;
}

const spanNames = (batches: TraceBatch[]): string[] => batches.flatMap((b) => b.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name))));

function readError(file: string): InputError {
  try {
    readRecordedBatches([file]);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('readRecordedBatches', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracesim-replay-reader-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, data: string | Uint8Array): string => {
    const file = join(dir, name);
    writeFileSync(file, data);
    return file;
  };

  it('reads the file exporter proto stream: each request after a 4-byte big-endian length', () => {
    const requests = [batchOf(3, 1), batchOf(1, 10), batchOf(2, 20)].map(encodeExportRequest);
    expect(requests.every((r) => r.length > 255)).toBe(true);
    const file = write('traces.pb', Buffer.concat(requests.map(uint32Framed)));
    const { batches } = readRecordedBatches([file]);
    expect(batches).toHaveLength(3);
    expect(spanNames(batches)).toEqual(['op-1', 'op-2', 'op-3', 'op-10', 'op-20', 'op-21']);
  });

  it('a truncated proto stream names the file, the byte and the request', () => {
    const [a, b] = [batchOf(1, 1), batchOf(1, 2)].map((x) => uint32Framed(encodeExportRequest(x)));
    const file = write('cut.pb', Buffer.concat([a!, b!.subarray(0, 40)]));
    const err = readError(file);
    expect(err.file).toBe(file);
    expect(err.message).toContain(`${file}: cannot decode recorded spans:`);
    expect(err.message).toContain(`at byte ${a!.length}: request 2 claims ${b!.length - 4} bytes, only 36 are left`);
  });

  it('a bad request inside the stream names its number, its offset and the field', () => {
    const good = uint32Framed(encodeExportRequest(batchOf(1, 1)));
    const bad = encodeExportRequest(batchOf(1, 2));
    const traceIdLength = Buffer.from(bad).indexOf(Buffer.from([0x0a, 16, ...new Array<number>(16).fill(2)])) + 1;
    bad[traceIdLength] = 15; // a 15-byte trace id
    const file = write('bad.bin', Buffer.concat([good, uint32Framed(bad)]));
    expect(readError(file).message).toContain(`request 2 (payload at byte ${good.length + 4}): invalid OTLP protobuf at resource_spans[0].scope_spans[0].spans[0].trace_id`);
  });

  describe('zstd (`compression: zstd`)', () => {
    // The compressor the tests write with: zstd's reference implementation, built to WebAssembly.
    beforeAll(async () => {
      await initZstd();
    });
    const zstdAt = (data: string | Uint8Array, level: number): Buffer => Buffer.from(zstdCompress(typeof data === 'string' ? Buffer.from(data) : data, level));
    const zstd = (data: string | Uint8Array): Buffer => zstdAt(data, 3);
    const jsonLines = (batches: TraceBatch[]): string => batches.map(writeJsonLine).join('');
    const protoStream = (batches: TraceBatch[]): Buffer => Buffer.concat(batches.map((b) => uint32Framed(encodeExportRequest(b))));

    /** The file exporter's layouts for these batches: [file name, bytes]. */
    const layouts = (batches: TraceBatch[], level = 3): [string, Buffer][] => {
      const compressed = (data: string | Uint8Array): Buffer => zstdAt(data, level);
      return [
        // native compression without rotation: one stream over the JSON lines / proto stream
        ['native.jsonl', compressed(jsonLines(batches))],
        ['native.pb', compressed(protoStream(batches))],
        // native compression with rotation: one frame per write (per request)
        ['rotated.json.zst', Buffer.concat(batches.map((b) => compressed(writeJsonLine(b))))],
        ['rotated.binpb.zstd', Buffer.concat(batches.map((b) => compressed(uint32Framed(encodeExportRequest(b)))))],
        // legacy compression: each request compressed, then length-prefixed (for JSON too)
        ['legacy.json', Buffer.concat(batches.map((b) => uint32Framed(compressed(writeJsonLine(b).trimEnd()))))],
        ['legacy.pb', Buffer.concat(batches.map((b) => uint32Framed(compressed(encodeExportRequest(b)))))],
        // no format extension: read by content
        ['content-json.zst', compressed(jsonLines(batches))],
        ['content-proto.zst', compressed(protoStream(batches))],
      ];
    };

    it('reads every layout the file exporter writes, giving the spans of the uncompressed file', () => {
      const batches = [batchOf(3, 1), batchOf(1, 10), batchOf(2, 20)];
      const plain = readRecordedBatches([write('plain.pb', protoStream(batches))]).batches;
      for (const [name, data] of layouts(batches)) {
        expect({ name, batches: readRecordedBatches([write(name, data)]).batches }).toEqual({ name, batches: plain });
      }
    });

    it('property: any batches, any compression level, any layout read back as written', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 19 }), fc.nat(7), (requests, first, level, pick) => {
          const batches = Array.from({ length: requests }, (_, i) => batchOf(1 + ((first + i) % 3), (first + 7 * i) % 200));
          const plain = readRecordedBatches([write('plain.pb', protoStream(batches))]).batches;
          const [name, data] = layouts(batches, level)[pick]!;
          expect(readRecordedBatches([write(name, data)]).batches).toEqual(plain);
        }),
        { numRuns: 40 },
      );
    });

    it('a damaged stream or record names the file and where it broke', () => {
      const good = zstd(jsonLines([batchOf(2, 1)]));
      expect(readError(write('cut.jsonl', good.subarray(0, good.length - 6))).message).toMatch(/cut\.jsonl: cannot decode recorded spans: the file is not valid zstd \(.+\): a truncated or damaged file\?/);
      const records = Buffer.concat([uint32Framed(zstd(encodeExportRequest(batchOf(1, 1)))), uint32Framed(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00]))]);
      expect(readError(write('legacy.pb', records)).message).toMatch(/legacy\.pb: cannot decode recorded spans: record 2 is not valid zstd/);
      const wrongFormat = Buffer.concat([uint32Framed(zstd(encodeExportRequest(batchOf(1, 1))))]);
      expect(readError(write('legacy-proto-named.json', wrongFormat)).message).toMatch(/legacy-proto-named\.json: cannot decode recorded spans: record 1 \(zstd-compressed JSON request\)/);
    });

    it('an unknown format extension before .zst is refused, naming it', () => {
      expect(readError(write('spans.proto.zst', zstd(protoStream([batchOf(1, 1)])))).message).toMatch(/spans\.proto\.zst: unknown recorded-span format "\.proto"/);
    });
  });

  it('a file with no spans, or with a span without an end time, is refused by name', () => {
    expect(readError(write('empty.jsonl', '')).message).toMatch(/empty\.jsonl: holds no spans: expected OTLP trace export requests/);
    expect(readError(write('other.json', '{"foo":1}\n')).message).toMatch(/other\.json: holds no spans/);
    const unset = makeBatch([makeSpan({ name: 'ok' }), makeSpan({ name: 'never-ended', endTimeUnixNano: 0n })]);
    expect(readError(write('unset.pb', encodeExportRequest(unset))).message).toMatch(/unset\.pb: span "never-ended" \(span 2 of the file\) has no end time/);
    expect(readError(write('spans.proto', encodeExportRequest(unset))).message).toMatch(/unknown recorded-span format "\.proto": .*\.binpb/);
  });

  it('reads OTLP/JSON lines as the collector pdata writes them, "+Inf"/"-Inf"/"NaN" doubles included', () => {
    const tid = idToHex(idFromBytes(new Uint8Array(16).fill(0xab)));
    const attrs = [
      { key: 'ratio', value: { doubleValue: '+Inf' } },
      { key: 'floor', value: { doubleValue: '-Inf' } },
      { key: 'none', value: { doubleValue: 'NaN' } },
      { key: 'n', value: { intValue: '-42' } },
    ];
    // omitted: empty parentSpanId, zero counts; ids in hex, int64 as strings, enums as integers
    const line = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
          scopeSpans: [
            {
              scope: { name: 'lib' },
              spans: [{ traceId: tid, spanId: '0102030405060708', flags: 257, name: 'GET /', kind: 2, startTimeUnixNano: '1760000000000000000', endTimeUnixNano: '1760000000020000000', attributes: attrs, status: { code: 2 } }],
            },
          ],
        },
      ],
    });
    const { batches } = readRecordedBatches([write('pdata.jsonl', `${line}\n${line}\n`)]);
    expect(batches).toHaveLength(2);
    const span = batches[0]!.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span).toMatchObject({ parentSpanId: '', flags: 257, kind: 2, endTimeUnixNano: 1_760_000_000_020_000_000n, status: { code: 2, message: '' } });
    expect(span.attributes.map((kv) => kv.value)).toEqual([Infinity, -Infinity, NaN, -42n]);
  });
});

describe('recordedTraffic', () => {
  it('refuses spans ending more than 7 days apart (a bad timestamp, not a recording to replay second by second)', () => {
    const day = 86_400_000_000_000n;
    const t0 = 1_767_225_600_000_000_000n; // 2026-01-01
    const spans = [makeSpan({ startTimeUnixNano: t0, endTimeUnixNano: t0 + 1n }), makeSpan({ startTimeUnixNano: t0, endTimeUnixNano: t0 + 8n * day })];
    const options = { arrivalDelayMs: 0, slowThresholdMs: 1000, hash: 'h' };
    expect(() => recordedTraffic([makeBatch(spans)], options)).toThrow(/the recorded spans end 8\.0 days apart \(2026-01-01T00:00:00\.000Z … 2026-01-09T00:00:00\.000Z\)/);
    spans[1] = makeSpan({ startTimeUnixNano: t0, endTimeUnixNano: t0 + 6n * day });
    expect(recordedTraffic([makeBatch(spans)], options).spans).toBe(2);
  });
});
