import { afterEach, describe, expect, test } from 'vitest';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { compress as zstdCompress, init as initZstd } from '@bokuweb/zstd-wasm';
import * as grpc from '@grpc/grpc-js';
import { otlpReceiverFactory } from '../../../../../src/components/receivers/otlp/factory.js';
import type { OtlpReceiver } from '../../../../../src/components/receivers/otlp/receiver.js';
import type { OtlpReceiverConfig } from '../../../../../src/components/receivers/otlp/config.js';
import { DataRefusedError, PermanentError, RetryableError } from '../../../../../src/pipeline/errors.js';
import { TRACE_SERVICE_EXPORT_PATH } from '../../../../../src/protocol/otlp/grpc-service.js';
import { decodeExportResponse } from '../../../../../src/protocol/otlp/proto-decode.js';
import { encodeExportRequest } from '../../../../../src/protocol/otlp/proto-encode.js';
import { encodeJsonRequest } from '../../../../../src/protocol/otlp/json-codec.js';
import { getAttribute } from '../../../../../src/protocol/otlp/model.js';
import { retryDelayFromMetadata } from '../../../../../src/protocol/otlp/status.js';
import { createTestHost } from '../../../../helpers/host.js';
import { TracesSink } from '../../../../helpers/traces-sink.js';
import { makeBatch } from './batches.js';
import { createLiveHost, type LiveTestHost } from './live-host.js';

const SETTINGS = { id: 'otlp', compat: 'current' as const };

function parse(raw: unknown): OtlpReceiverConfig {
  const r = otlpReceiverFactory.parseConfig(raw, 'receivers.otlp');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

interface Running {
  receiver: OtlpReceiver;
  sink: TracesSink;
  host: LiveTestHost;
  grpcAddress: string;
  httpUrl: string;
}

const running: { receiver: OtlpReceiver; clients: grpc.Client[] }[] = [];

afterEach(async () => {
  for (const r of running.splice(0)) {
    for (const c of r.clients) c.close();
    await r.receiver.shutdown();
  }
});

async function startReceiver(protocols: Record<string, unknown> = {}): Promise<Running> {
  const cfg = parse({
    protocols: {
      grpc: { endpoint: '127.0.0.1:0', ...((protocols['grpc'] as object | undefined) ?? {}) },
      http: { endpoint: '127.0.0.1:0', ...((protocols['http'] as object | undefined) ?? {}) },
    },
  });
  const sink = new TracesSink();
  const receiver = otlpReceiverFactory.createTraces(SETTINGS, cfg, sink) as OtlpReceiver;
  const host = createLiveHost();
  await receiver.start(host);
  running.push({ receiver, clients: [] });
  const eps = receiver.endpoints();
  const g = eps.find((e) => e.protocol === 'grpc')!;
  const h = eps.find((e) => e.protocol === 'http')!;
  return { receiver, sink, host, grpcAddress: `127.0.0.1:${g.port}`, httpUrl: `http://127.0.0.1:${h.port}/v1/traces` };
}

interface GrpcAnswer {
  error: grpc.ServiceError | null;
  response: Buffer | undefined;
}

function grpcExport(address: string, body: Uint8Array, options: { gzip?: boolean } = {}): Promise<GrpcAnswer> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), {
    'grpc.default_compression_algorithm': options.gzip ? grpc.compressionAlgorithms.gzip : grpc.compressionAlgorithms.identity,
    'grpc.max_send_message_length': -1,
  });
  running[running.length - 1]!.clients.push(client);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      TRACE_SERVICE_EXPORT_PATH,
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.from(body),
      new grpc.Metadata(),
      {},
      (error, response) => resolve({ error, response }),
    );
  });
}

function counter(host: LiveTestHost, name: string, transport: string): number {
  return host.telemetry.sum(name, { receiver: 'otlp', transport });
}

describe('otlp receiver over gRPC', () => {
  test('accepts a request, gzip-compressed too, and forwards every span', async () => {
    const r = await startReceiver();
    const plain = await grpcExport(r.grpcAddress, encodeExportRequest(makeBatch(3)));
    const zipped = await grpcExport(r.grpcAddress, encodeExportRequest(makeBatch(4)), { gzip: true });
    expect(plain.error).toBeNull();
    expect(zipped.error).toBeNull();
    expect(decodeExportResponse(plain.response!)).toEqual({});
    expect(r.sink.spanCount).toBe(7);
    expect(counter(r.host, 'otelcol_receiver_accepted_spans', 'grpc')).toBe(7);
    expect(r.host.telemetry.sum('otelcol_receiver_requests', { outcome: 'success' })).toBe(2);
  });

  test('answers garbage with INTERNAL (as grpc-go does) and keeps serving', async () => {
    const r = await startReceiver();
    const bad = await grpcExport(r.grpcAddress, Uint8Array.from([0x0a, 0xff, 0xff, 0x01, 0x02]));
    expect(bad.error?.code).toBe(grpc.status.INTERNAL);
    const good = await grpcExport(r.grpcAddress, encodeExportRequest(makeBatch(2)));
    expect(good.error).toBeNull();
    expect(r.sink.spanCount).toBe(2);
    expect(r.host.telemetry.sum('otelcol_receiver_requests', { transport: 'grpc', outcome: 'failure' })).toBe(1);
  });

  test('answers a message over max_recv_msg_size_mib with RESOURCE_EXHAUSTED and keeps serving', async () => {
    const r = await startReceiver({ grpc: { max_recv_msg_size_mib: 1 } });
    let big = makeBatch(1);
    const span = big.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    span.attributes.push({ key: 'blob', value: 'x'.repeat(1_200_000) });
    const tooBig = await grpcExport(r.grpcAddress, encodeExportRequest(big));
    expect(tooBig.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    big = makeBatch(5);
    const good = await grpcExport(r.grpcAddress, encodeExportRequest(big));
    expect(good.error).toBeNull();
    expect(r.sink.spanCount).toBe(5);
  });

  test('a downstream refusal answers UNAVAILABLE with a RetryInfo hint and counts refused spans, no ledger drop', async () => {
    const r = await startReceiver();
    r.sink.failWith = () => new DataRefusedError('memory_limiter');
    const refused = await grpcExport(r.grpcAddress, encodeExportRequest(makeBatch(6)));
    expect(refused.error?.code).toBe(grpc.status.UNAVAILABLE);
    expect(retryDelayFromMetadata(refused.error?.metadata)).toBe(1000);
    r.sink.failWith = () => new RetryableError('throttled', { retryAfterMs: 3000 });
    const hinted = await grpcExport(r.grpcAddress, encodeExportRequest(makeBatch(2)));
    expect(retryDelayFromMetadata(hinted.error?.metadata)).toBe(3000);
    expect(counter(r.host, 'otelcol_receiver_refused_spans', 'grpc')).toBe(8);
    expect(counter(r.host, 'otelcol_receiver_accepted_spans', 'grpc')).toBe(0);
    expect(r.host.accounting.totalDropped).toBe(0);
  });

  test('a downstream permanent error is not retryable', async () => {
    const r = await startReceiver();
    r.sink.failWith = () => new PermanentError('bad data');
    const answer = await grpcExport(r.grpcAddress, encodeExportRequest(makeBatch(1)));
    expect(answer.error?.code).toBe(grpc.status.INTERNAL);
    expect(retryDelayFromMetadata(answer.error?.metadata)).toBeUndefined();
  });
});

async function post(url: string, body: Uint8Array | string, headers: Record<string, string>, method = 'POST') {
  const res = await fetch(url, { method, headers, body: method === 'GET' ? undefined : body });
  return { status: res.status, headers: res.headers, body: new Uint8Array(await res.arrayBuffer()) };
}

const PROTO = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };

describe('otlp receiver over HTTP', () => {
  test('accepts protobuf, gzip-compressed protobuf and JSON; attributes arrive', async () => {
    const r = await startReceiver();
    const a = await post(r.httpUrl, encodeExportRequest(makeBatch(2)), PROTO);
    const b = await post(r.httpUrl, gzipSync(encodeExportRequest(makeBatch(3))), { ...PROTO, 'content-encoding': 'gzip' });
    const c = await post(r.httpUrl, encodeJsonRequest(makeBatch(4, 'cart')), JSON_TYPE);
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    expect(a.headers.get('content-type')).toBe('application/x-protobuf');
    expect(c.headers.get('content-type')).toBe('application/json');
    expect(decodeExportResponse(a.body)).toEqual({});
    expect(r.sink.spanCount).toBe(9);
    const last = r.sink.batches[2]!;
    expect(getAttribute(last.resourceSpans[0]!.resource.attributes, 'service.name')).toBe('cart');
    expect(getAttribute(last.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes, 'http.route')).toBe('/item/:id');
    expect(counter(r.host, 'otelcol_receiver_accepted_spans', 'http')).toBe(9);
  });

  test('accepts zstd bodies (a collector exporter with compression: zstd); damaged zstd is a 400, inflating past the limit a 413', async () => {
    await initZstd();
    const r = await startReceiver({ http: { max_request_body_size: 4000 } });
    const ok = await post(r.httpUrl, zstdCompress(encodeExportRequest(makeBatch(3)), 3), { ...PROTO, 'content-encoding': 'zstd' });
    expect(ok.status).toBe(200);
    expect(r.sink.spanCount).toBe(3);
    const json = await post(r.httpUrl, zstdCompress(Buffer.from(encodeJsonRequest(makeBatch(2))), 3), { ...JSON_TYPE, 'content-encoding': 'zstd' });
    expect(json.status).toBe(200);
    expect(r.sink.spanCount).toBe(5);
    const whole = zstdCompress(encodeExportRequest(makeBatch(2)), 3);
    const cut = await post(r.httpUrl, whole.subarray(0, whole.length - 5), { ...PROTO, 'content-encoding': 'zstd' });
    expect(cut.status).toBe(400);
    expect(Buffer.from(cut.body).toString('latin1')).toContain('cannot decompress zstd body');
    const big = encodeExportRequest(makeBatch(80));
    const small = zstdCompress(big, 19);
    expect(big.length).toBeGreaterThan(4000);
    expect(small.length).toBeLessThan(4000);
    expect((await post(r.httpUrl, small, { ...PROTO, 'content-encoding': 'zstd' })).status).toBe(413);
    expect(r.sink.spanCount).toBe(5);
  });

  test('malformed protobuf and JSON answer 400 with a google.rpc.Status body, and the server keeps serving', async () => {
    const r = await startReceiver();
    const bad = await post(r.httpUrl, Uint8Array.from([0x0a, 0x05, 0x01]), PROTO);
    expect(bad.status).toBe(400);
    expect(Buffer.from(bad.body).toString('latin1')).toContain('invalid OTLP protobuf');
    const badJson = await post(r.httpUrl, '{"resourceSpans": [', JSON_TYPE);
    expect(badJson.status).toBe(400);
    expect(JSON.parse(Buffer.from(badJson.body).toString('utf8'))).toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    const badGzip = await post(r.httpUrl, Uint8Array.from([1, 2, 3]), { ...PROTO, 'content-encoding': 'gzip' });
    expect(badGzip.status).toBe(400);
    const good = await post(r.httpUrl, encodeExportRequest(makeBatch(1)), PROTO);
    expect(good.status).toBe(200);
    expect(r.sink.spanCount).toBe(1);
    expect(r.host.telemetry.sum('otelcol_receiver_requests', { transport: 'http', outcome: 'failure' })).toBe(3);
  });

  test('a downstream permanent error answers 500 with code UNKNOWN in the body (the collector maps INTERNAL → 500)', async () => {
    const r = await startReceiver();
    r.sink.failWith = () => new PermanentError('bad data');
    const answer = await post(r.httpUrl, encodeJsonRequest(makeBatch(1)), JSON_TYPE);
    expect(answer.status).toBe(500);
    expect(JSON.parse(Buffer.from(answer.body).toString('utf8'))).toEqual({ code: grpc.status.UNKNOWN, message: 'bad data' });
  });

  test('bodies over max_request_body_size answer 413, as sent and after decompression', async () => {
    const r = await startReceiver({ http: { max_request_body_size: 2000 } });
    const big = makeBatch(40);
    const raw = encodeExportRequest(big);
    expect(raw.length).toBeGreaterThan(2000);
    const zipped = gzipSync(raw);
    expect(zipped.length).toBeLessThan(2000);
    expect((await post(r.httpUrl, raw, PROTO)).status).toBe(413);
    expect((await post(r.httpUrl, zipped, { ...PROTO, 'content-encoding': 'gzip' })).status).toBe(413);
    expect((await post(r.httpUrl, encodeExportRequest(makeBatch(2)), PROTO)).status).toBe(200);
    expect(r.sink.spanCount).toBe(2);
  });

  test('a chunked body is cut off with 413 once it crosses the limit', async () => {
    const r = await startReceiver({ http: { max_request_body_size: 2000 } });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(r.httpUrl, { method: 'POST', headers: { ...PROTO, 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write(Buffer.alloc(1000, 0x0a));
      req.end();
    });
    expect(status).toBe(413);
    expect((await post(r.httpUrl, encodeExportRequest(makeBatch(1)), PROTO)).status).toBe(200);
  });

  test('wrong media type is 415, wrong method 405, other paths 404', async () => {
    const r = await startReceiver();
    expect((await post(r.httpUrl, 'hello', { 'content-type': 'text/plain' })).status).toBe(415);
    const get = await post(r.httpUrl, '', {}, 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await post(r.httpUrl.replace('/v1/traces', '/v1/metrics'), encodeExportRequest(makeBatch(1)), PROTO)).status).toBe(404);
    expect(r.sink.spanCount).toBe(0);
  });

  test('a downstream refusal answers 503 with Retry-After and counts refused spans', async () => {
    const r = await startReceiver();
    r.sink.failWith = () => new DataRefusedError('memory_limiter');
    const res = await post(r.httpUrl, encodeExportRequest(makeBatch(3)), PROTO);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(counter(r.host, 'otelcol_receiver_refused_spans', 'http')).toBe(3);
    expect(r.host.accounting.totalDropped).toBe(0);
  });

  test('traces_url_path moves the endpoint', async () => {
    const r = await startReceiver({ http: { traces_url_path: '/custom/traces' } });
    expect((await post(r.httpUrl, encodeExportRequest(makeBatch(1)), PROTO)).status).toBe(404);
    expect((await post(r.httpUrl.replace('/v1/traces', '/custom/traces'), encodeExportRequest(makeBatch(1)), PROTO)).status).toBe(200);
  });
});

describe('otlp receiver in sim mode', () => {
  test('binds nothing, forwards batches and propagates refusals', async () => {
    const sink = new TracesSink();
    const receiver = otlpReceiverFactory.createTraces(SETTINGS, parse({ protocols: { grpc: null } }), sink) as OtlpReceiver;
    const host = createTestHost();
    await receiver.start(host);
    expect(receiver.endpoints()).toEqual([]);
    await receiver.consumeTraces(makeBatch(3));
    sink.failWith = () => new DataRefusedError('memory_limiter');
    await expect(receiver.consumeTraces(makeBatch(2))).rejects.toBeInstanceOf(DataRefusedError);
    expect(sink.spanCount).toBe(3);
    expect(host.telemetry.sum('otelcol_receiver_accepted_spans', { receiver: 'otlp' })).toBe(3);
    expect(host.telemetry.sum('otelcol_receiver_refused_spans', { receiver: 'otlp' })).toBe(2);
    await receiver.shutdown();
    await receiver.shutdown();
    await expect(receiver.consumeTraces(makeBatch(1))).rejects.toBeInstanceOf(PermanentError);
  });
});
