/**
 * The `otlp` exporter's network half: one @grpc/grpc-js channel, unary `TraceService/Export`
 * calls carrying already-encoded bytes (identity serializers), gzip per `compression`, the
 * configured `headers` as metadata. Failures come back as values, classified by the shared
 * status mapping (retryable codes and RetryInfo hints; see src/protocol/otlp/status.ts).
 */
import * as grpc from '@grpc/grpc-js';
import { encodeExportRequest } from '../../../protocol/otlp/proto-encode.js';
import type { TraceBatch } from '../../../protocol/otlp/model.js';
import type { AttemptResult } from '../shared/retry.js';
import type { ExportTransport } from '../shared/exporter-helper.js';
import { classifyGrpcError, exportSuccess, TRACE_SERVICE_EXPORT_PATH } from '../shared/wire.js';
import { grpcTarget, type OtlpExporterConfig } from './config.js';

const identity = (b: Buffer): Buffer => b;

export class GrpcTransport implements ExportTransport {
  private readonly _client: grpc.Client;
  private readonly _headers: Record<string, string>;

  constructor(cfg: OtlpExporterConfig) {
    const credentials = cfg.insecure ? grpc.credentials.createInsecure() : grpc.credentials.createSsl();
    this._client = new grpc.Client(grpcTarget(cfg.endpoint), credentials, {
      'grpc.default_compression_algorithm': cfg.compression === 'gzip' ? grpc.compressionAlgorithms.gzip : grpc.compressionAlgorithms.identity,
      'grpc.max_send_message_length': -1,
      'grpc.max_receive_message_length': 4 * 1024 * 1024,
      // exporterhelper owns retries; grpc-js's own retry would double them.
      'grpc.enable_retries': 0,
    });
    this._headers = cfg.headers;
  }

  encode(batch: TraceBatch): Uint8Array {
    return encodeExportRequest(batch);
  }

  send(body: Uint8Array, signal: AbortSignal): Promise<AttemptResult> {
    return new Promise((resolve) => {
      const metadata = new grpc.Metadata();
      for (const [k, v] of Object.entries(this._headers)) metadata.set(k.toLowerCase(), v);
      const request = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      const call = this._client.makeUnaryRequest<Buffer, Buffer>(
        TRACE_SERVICE_EXPORT_PATH,
        identity,
        identity,
        request,
        metadata,
        {},
        (err, response) => {
          signal.removeEventListener('abort', onAbort);
          if (err) resolve(classifyGrpcError(err));
          else resolve(exportSuccess(response ?? Buffer.alloc(0)));
        },
      );
      const onAbort = (): void => call.cancel();
      if (signal.aborted) call.cancel();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  async close(): Promise<void> {
    this._client.close();
  }
}
