/**
 * A scriptable OTLP backend for exporter tests: one gRPC and one HTTP listener on 127.0.0.1:0
 * that decode every request with tracesim's codec and answer as told:
 *
 * - `accept`   — success (full);
 * - `partial`  — success with partial_success { rejected_spans, error_message };
 * - `fail`     — permanent: gRPC INVALID_ARGUMENT / HTTP 400;
 * - `refuse`   — retryable: gRPC UNAVAILABLE (+ RetryInfo when `retryAfterMs`) / HTTP 503
 *                (+ Retry-After in whole seconds);
 * - `delay`    — wait `ms`, then answer with `then`.
 *
 * `script([...])` answers the next requests in order, then falls back to the default (`accept`
 * unless `setDefault` changed it). Counts what it got: requests, spans per outcome, batches.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { traceServiceDefinition } from '../../src/protocol/otlp/grpc-service.js';
import { decodeExportRequest } from '../../src/protocol/otlp/proto-decode.js';
import { encodeExportResponse } from '../../src/protocol/otlp/proto-encode.js';
import type { ExportResponse } from '../../src/protocol/otlp/model.js';
import { decodeJsonRequest, encodeJsonResponse } from '../../src/protocol/otlp/json-codec.js';
import { encodeRetryInfoStatus, GRPC_STATUS_DETAILS_KEY } from '../../src/protocol/otlp/status.js';
import { spanCount, type TraceBatch } from '../../src/protocol/otlp/model.js';

export type Behaviour =
  | { kind: 'accept' }
  | { kind: 'partial'; rejected: number; message?: string }
  | { kind: 'fail'; message?: string }
  | { kind: 'refuse'; retryAfterMs?: number }
  | { kind: 'delay'; ms: number; then: Behaviour };

export interface OtlpTestServer {
  /** `127.0.0.1:port` for the gRPC exporter. */
  readonly grpcEndpoint: string;
  /** `http://127.0.0.1:port` (base, the exporter appends /v1/traces). */
  readonly httpEndpoint: string;
  /** Requests received (any outcome), by transport. */
  readonly requests: { grpc: number; http: number };
  /** Batches answered with success (full or partial). */
  readonly accepted: TraceBatch[];
  /** Spans in `accepted` minus those reported rejected. */
  acceptedSpans(): number;
  /** Spans in every request received, including retries of the same data. */
  receivedSpans(): number;
  /** gzip-compressed HTTP requests seen (grpc-js hides `grpc-encoding` from handlers). */
  readonly gzipped: { http: number };
  /** Answer the next requests with these, in order. */
  script(behaviours: Behaviour[]): void;
  /** What to answer once the script is used up. */
  setDefault(b: Behaviour): void;
  close(): Promise<void>;
}

export async function startOtlpTestServer(): Promise<OtlpTestServer> {
  const queue: Behaviour[] = [];
  let fallback: Behaviour = { kind: 'accept' };
  const requests = { grpc: 0, http: 0 };
  const gzipped = { http: 0 };
  const accepted: TraceBatch[] = [];
  let rejectedTotal = 0;
  let received = 0;
  const next = (): Behaviour => queue.shift() ?? fallback;

  /** Resolves the behaviour after delays; records the outcome for accepted data. */
  const decide = async (b: Behaviour, batch: TraceBatch): Promise<Exclude<Behaviour, { kind: 'delay' }>> => {
    while (b.kind === 'delay') {
      const ms = b.ms;
      await new Promise((r) => setTimeout(r, ms));
      b = b.then;
    }
    if (b.kind === 'accept' || b.kind === 'partial') {
      accepted.push(batch);
      if (b.kind === 'partial') rejectedTotal += b.rejected;
    }
    return b;
  };
  const responseFor = (b: { kind: 'accept' } | { kind: 'partial'; rejected: number; message?: string }): ExportResponse =>
    b.kind === 'partial' ? { partialSuccess: { rejectedSpans: BigInt(b.rejected), errorMessage: b.message ?? 'rejected by test server' } } : {};

  const grpcServer = new grpc.Server();
  const exportHandler: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    requests.grpc++;
    const b = next();
    let batch: TraceBatch;
    try {
      batch = decodeExportRequest(call.request);
    } catch (err) {
      callback({ code: grpc.status.INVALID_ARGUMENT, details: String(err) });
      return;
    }
    received += spanCount(batch);
    void decide(b, batch).then((d) => {
      if (d.kind === 'accept' || d.kind === 'partial') callback(null, Buffer.from(encodeExportResponse(responseFor(d))));
      else if (d.kind === 'fail') callback({ code: grpc.status.INVALID_ARGUMENT, details: d.message ?? 'rejected permanently by test server' });
      else {
        const metadata = new grpc.Metadata();
        if (d.retryAfterMs !== undefined) {
          metadata.set(GRPC_STATUS_DETAILS_KEY, Buffer.from(encodeRetryInfoStatus(grpc.status.UNAVAILABLE, 'refused', d.retryAfterMs)));
        }
        callback({ code: grpc.status.UNAVAILABLE, details: 'refused by test server', metadata });
      }
    });
  };
  grpcServer.addService(traceServiceDefinition, { Export: exportHandler });
  const grpcPort = await new Promise<number>((resolve, reject) =>
    grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
  );

  const httpServer: HttpServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.http++;
      const b = next();
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') {
        gzipped.http++;
        body = gunzipSync(body);
      }
      const json = (req.headers['content-type'] ?? '').startsWith('application/json');
      let batch: TraceBatch;
      try {
        batch = json ? decodeJsonRequest(body.toString('utf8')) : decodeExportRequest(body);
      } catch (err) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(err));
        return;
      }
      received += spanCount(batch);
      void decide(b, batch).then((d) => {
        if (d.kind === 'accept' || d.kind === 'partial') {
          const r = responseFor(d);
          const out = json ? Buffer.from(encodeJsonResponse(r)) : Buffer.from(encodeExportResponse(r));
          res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(out);
        } else if (d.kind === 'fail') {
          res.writeHead(400, { 'content-type': 'text/plain' }).end(d.message ?? 'rejected permanently by test server');
        } else {
          const headers: Record<string, string> = { 'content-type': 'text/plain' };
          if (d.retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(d.retryAfterMs / 1000));
          res.writeHead(503, headers).end('refused by test server');
        }
      });
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const httpPort = (httpServer.address() as AddressInfo).port;

  return {
    grpcEndpoint: `127.0.0.1:${grpcPort}`,
    httpEndpoint: `http://127.0.0.1:${httpPort}`,
    requests,
    gzipped,
    accepted,
    acceptedSpans: () => accepted.reduce((n, b) => n + spanCount(b), 0) - rejectedTotal,
    receivedSpans: () => received,
    script: (bs) => void queue.push(...bs),
    setDefault: (b) => {
      fallback = b;
    },
    close: async () => {
      grpcServer.forceShutdown();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    },
  };
}
