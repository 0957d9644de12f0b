/**
 * The `otlphttp` exporter's network half: `POST` to the traces URL with fetch (keep-alive
 * connections), body as protobuf or JSON per `encoding`, gzip per `compression` (compressed off
 * the event loop by zlib's thread pool), the configured `headers`. A 2xx answer is a success whose
 * body may carry a partial success; other answers and network errors are classified by the shared
 * status mapping (429/502/503/504 retryable with `Retry-After`, other 4xx/5xx permanent).
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { TraceBatch } from '../../../protocol/otlp/model.js';
import type { AttemptResult } from '../shared/retry.js';
import type { ExportTransport } from '../shared/exporter-helper.js';
import { classifyHttpResponse, encodeJsonBody, encodeProtobufBody, exportSuccess, exportSuccessJson, networkFailure } from '../shared/wire.js';
import type { OtlpHttpExporterConfig } from './config.js';

const gzipAsync = promisify(gzip);

export class HttpTransport implements ExportTransport {
  private readonly _cfg: OtlpHttpExporterConfig;
  private readonly _headers: Record<string, string>;

  constructor(cfg: OtlpHttpExporterConfig) {
    this._cfg = cfg;
    this._headers = {
      ...cfg.headers,
      'content-type': cfg.encoding === 'json' ? 'application/json' : 'application/x-protobuf',
      ...(cfg.compression === 'gzip' ? { 'content-encoding': 'gzip' } : {}),
    };
  }

  encode(batch: TraceBatch): Uint8Array {
    return this._cfg.encoding === 'json' ? encodeJsonBody(batch) : encodeProtobufBody(batch);
  }

  async send(body: Uint8Array, signal: AbortSignal): Promise<AttemptResult> {
    try {
      const payload = this._cfg.compression === 'gzip' ? await gzipAsync(body) : body;
      const res = await fetch(this._cfg.tracesUrl, { method: 'POST', headers: this._headers, body: payload, signal });
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (res.status >= 200 && res.status < 300) {
        const type = res.headers.get('content-type') ?? '';
        return type.includes('json') ? exportSuccessJson(bytes) : exportSuccess(bytes);
      }
      return classifyHttpResponse(res.status, res.headers.get('retry-after'), bytes);
    } catch (err) {
      return networkFailure(err);
    }
  }

  async close(): Promise<void> {}
}
