import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeJsonRequest, readJsonLines } from '../../../../src/protocol/otlp/json-codec.js';
import { idToHex } from '../../../../src/protocol/otlp/model.js';
import { decodeExportRequest } from '../../../../src/protocol/otlp/proto-decode.js';
import { encodeExportRequest } from '../../../../src/protocol/otlp/proto-encode.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/otlp/${name}`, import.meta.url));
const bin = new Uint8Array(readFileSync(fixture('request.bin')));
const json = readFileSync(fixture('request.json'), 'utf8');

describe('test/fixtures/otlp request pair', () => {
  it('request.bin and request.json decode to the same batch', () => {
    expect(decodeExportRequest(bin)).toEqual(decodeJsonRequest(json));
  });

  it('holds what the readable JSON says (checked with protobufjs as an independent decoder)', () => {
    const root = new protobuf.Root();
    const protoDir = fileURLToPath(new URL('../../../../src/protocol/otlp/proto/', import.meta.url));
    root.resolvePath = (_o, target) => protoDir + target;
    root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto');
    const type = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
    const pb = type.toObject(type.decode(bin), { longs: String, bytes: String }) as {
      resourceSpans: { scopeSpans: { spans: { spanId: string; endTimeUnixNano: string; status?: { message?: string } }[] }[] }[];
    };
    const payments = pb.resourceSpans[1]!.scopeSpans[0]!.spans[0]!;
    const batch = decodeJsonRequest(json);
    const span = batch.resourceSpans[1]!.scopeSpans[0]!.spans[0]!;
    expect(Buffer.from(payments.spanId, 'base64').toString('hex')).toBe(idToHex(span.spanId));
    expect(payments.endTimeUnixNano).toBe(span.endTimeUnixNano.toString());
    expect(payments.status?.message).toBe('card declined');
  });

  it('re-encoding the decoded fixture reproduces request.bin byte for byte', () => {
    expect(Buffer.from(encodeExportRequest(decodeJsonRequest(json))).equals(Buffer.from(bin))).toBe(true);
  });

  it('a multi-line JSON document is not JSON lines: readJsonLines names the first bad line', () => {
    expect(() => [...readJsonLines(json)]).toThrow(/line 1/);
  });
});
