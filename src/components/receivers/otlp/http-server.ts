/**
 * The receiver's OTLP/HTTP server on node:http: `POST <traces_url_path>` with
 * `application/x-protobuf` or `application/json`, optionally `Content-Encoding: gzip`, `zstd`
 * (what the collector's otlphttp exporter sends with `compression: zstd`) or `deflate`. Answers in the request's content type (OTLP/HTTP spec):
 *
 * | request                                   | status                                |
 * |-------------------------------------------|---------------------------------------|
 * | accepted                                  | 200, ExportTraceServiceResponse       |
 * | other path                                | 404                                   |
 * | other method on the traces path           | 405 with `Allow: POST`                |
 * | other content type                        | 415                                   |
 * | unknown content encoding, bad gzip / zstd | 400                                   |
 * | body > max_request_body_size, as sent or after decompression | 413                |
 * | malformed protobuf / JSON                 | 400, google.rpc.Status                |
 * | downstream refusal (retryable)            | 503 with `Retry-After` (seconds)      |
 * | downstream permanent error                | per src/protocol/otlp/status.ts       |
 *
 * A body over the limit is answered as soon as the limit is crossed and the connection closed,
 * without reading the rest. Every error is answered; the server keeps serving.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflate, gunzip } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import type { Clock } from '../../../pipeline/clock.js';
import type { TraceBatch } from '../../../protocol/otlp/model.js';
import type { HttpProtocolConfig } from './config.js';
import type { OtlpReceiver, ProtocolServer } from './receiver.js';
import { decodeJsonBody, decodeProtobufRequest, httpErrorFor, successResponseBody, type HttpEncoding } from './wire.js';

/** How long `close` waits for requests in flight before cutting connections. */
const CLOSE_GRACE_MS = 5_000;

class HttpProblem extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function startHttpServer(receiver: OtlpReceiver, cfg: HttpProtocolConfig, clock: Clock): Promise<ProtocolServer> {
  const server = createServer((req, res) => {
    handle(receiver, cfg, req, res).catch((err: unknown) => {
      receiver.warn(`http handler failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    host: cfg.host,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        const force = clock.setTimer(CLOSE_GRACE_MS, () => server.closeAllConnections());
        server.close(() => {
          force.cancel();
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

async function handle(receiver: OtlpReceiver, cfg: HttpProtocolConfig, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== cfg.tracesUrlPath) {
    req.resume();
    res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
    return;
  }
  if (req.method !== 'POST') {
    req.resume();
    receiver.countFailedRequest('http');
    res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' }).end(`${req.method ?? ''} method not allowed, supported: [POST]\n`);
    return;
  }
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const encoding: HttpEncoding | undefined =
    mediaType === 'application/x-protobuf' ? 'protobuf' : mediaType === 'application/json' ? 'json' : undefined;
  if (!encoding) {
    req.resume();
    receiver.countFailedRequest('http');
    res
      .writeHead(415, { 'content-type': 'text/plain' })
      .end(`415 unsupported media type, supported: [application/json, application/x-protobuf]\n`);
    return;
  }
  let batch: TraceBatch;
  try {
    const body = await readBody(req, cfg.maxRequestBodySizeBytes);
    batch = encoding === 'protobuf' ? decodeProtobufRequest(body) : decodeJsonBody(body);
  } catch (err) {
    receiver.countFailedRequest('http');
    if (err instanceof HttpProblem) {
      // The unread rest of an oversized body is not drained: the connection closes after the answer.
      if (err.status === 413) res.setHeader('connection', 'close');
      writeError(res, encoding, httpErrorFor(err, err.status));
      return;
    }
    writeError(res, encoding, httpErrorFor(err));
    return;
  }
  const result = await receiver.deliver(batch, 'http');
  if (result.ok) {
    const body = successResponseBody(encoding);
    res.writeHead(200, { 'content-type': contentType(encoding), 'content-length': body.length }).end(body);
  } else {
    writeError(res, encoding, httpErrorFor(result.error));
  }
}

function contentType(encoding: HttpEncoding): string {
  return encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json';
}

function writeError(res: ServerResponse, encoding: HttpEncoding, e: ReturnType<typeof httpErrorFor>): void {
  const body = e.body(encoding);
  const headers: Record<string, string | number> = { 'content-type': contentType(encoding), 'content-length': body.length };
  if (e.retryAfterSeconds !== undefined) headers['retry-after'] = e.retryAfterSeconds;
  res.writeHead(e.status, headers).end(body);
}

/** The request body, decompressed, with `limitBytes` enforced before and after decompression. */
async function readBody(req: IncomingMessage, limitBytes: number): Promise<Uint8Array> {
  const contentEncoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (!['identity', 'gzip', 'deflate', 'zstd', ''].includes(contentEncoding)) {
    req.resume();
    throw new HttpProblem(400, `unsupported Content-Encoding "${contentEncoding}", supported: gzip, zstd, deflate, identity`);
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  const raw = await readLimited(req, limitBytes);
  if (contentEncoding === 'zstd') return unzstdLimited(raw, limitBytes);
  if (contentEncoding === 'gzip' || contentEncoding === 'deflate') {
    const unzip = contentEncoding === 'gzip' ? gunzip : inflate;
    return new Promise((resolve, reject) => {
      unzip(raw, { maxOutputLength: limitBytes }, (err, out) => {
        if (!err) resolve(out);
        else if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') reject(tooLarge(limitBytes));
        else reject(new HttpProblem(400, `cannot decompress ${contentEncoding} body: ${err.message}`));
      });
    });
  }
  return raw;
}

/**
 * A zstd body (what the collector's `compression: zstd` sends), decompressed as a stream so a body
 * that inflates past `limitBytes` is refused (413) without being held whole; damaged or cut-off
 * data is a 400.
 */
function unzstdLimited(raw: Uint8Array, limitBytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  const stream = new ZstdDecompress((chunk) => {
    total += chunk.length;
    if (total > limitBytes) throw tooLarge(limitBytes);
    parts.push(chunk.slice()); // the decompressor may reuse its output buffer
  });
  try {
    stream.push(raw, true);
  } catch (err) {
    if (err instanceof HttpProblem) throw err;
    throw new HttpProblem(400, `cannot decompress zstd body: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
}

function tooLarge(limitBytes: number): HttpProblem {
  return new HttpProblem(413, `request body too large (limit ${limitBytes} bytes, max_request_body_size)`);
}

function readLimited(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      total += chunk.length;
      if (total > limitBytes) {
        done = true;
        req.pause();
        reject(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      reject(err);
    });
  });
}
