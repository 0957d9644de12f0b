/**
 * The receiver's use of the shared OTLP codec and status mapping (src/protocol/otlp/): request
 * decoding, success bodies, and the error answers for gRPC and HTTP. One place, so both servers
 * answer the same error the same way.
 *
 * Retry hints: a retryable refusal without a hint of its own (the memory limiter's
 * `DataRefusedError`) is answered with `DEFAULT_RETRY_AFTER_MS`, so clients always get a gRPC
 * RetryInfo / HTTP `Retry-After`.
 */
import { status as GrpcStatus, type ServerErrorResponse } from '@grpc/grpc-js';
import { PermanentError, RetryableError } from '../../../pipeline/errors.js';
import { OtlpDecodeError } from '../../../protocol/otlp/decode-error.js';
import { decodeJsonRequest, encodeJsonResponse } from '../../../protocol/otlp/json-codec.js';
import type { TraceBatch } from '../../../protocol/otlp/model.js';
import { decodeExportRequest } from '../../../protocol/otlp/proto-decode.js';
import { encodeExportResponse } from '../../../protocol/otlp/proto-encode.js';
import { grpcStatusForError, httpStatusForError } from '../../../protocol/otlp/status.js';

export { traceServiceDefinition } from '../../../protocol/otlp/grpc-service.js';

export type HttpEncoding = 'protobuf' | 'json';

/** The hint given with a refusal that carries none. */
export const DEFAULT_RETRY_AFTER_MS = 1_000;

export function decodeProtobufRequest(bytes: Uint8Array): TraceBatch {
  return decodeExportRequest(bytes);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeJsonBody(bytes: Uint8Array): TraceBatch {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new OtlpDecodeError('json', 'body is not valid UTF-8');
  }
  return decodeJsonRequest(text);
}

const EMPTY_RESPONSE = Buffer.from(encodeExportResponse({}));
const EMPTY_RESPONSE_JSON = Buffer.from(encodeJsonResponse({}), 'utf8');

/** A full success: `ExportTraceServiceResponse` without partial_success. */
export function successResponseProtobuf(): Buffer {
  return EMPTY_RESPONSE;
}

export function successResponseBody(encoding: HttpEncoding): Buffer {
  return encoding === 'protobuf' ? EMPTY_RESPONSE : EMPTY_RESPONSE_JSON;
}

function withDefaultHint(err: unknown): unknown {
  if (err instanceof PermanentError) return err;
  if (err instanceof RetryableError && err.retryAfterMs !== undefined) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new RetryableError(message, { cause: err, retryAfterMs: DEFAULT_RETRY_AFTER_MS });
}

/** The gRPC answer for a decode error or a downstream rejection. */
export function grpcErrorFor(err: unknown): ServerErrorResponse {
  const s = grpcStatusForError(withDefaultHint(err));
  return { name: 'Error', message: s.details, code: s.code, details: s.details, metadata: s.metadata };
}

/** An HTTP error answer; `status` overrides the mapping (413, 415, 400 for transport problems). */
export interface HttpErrorAnswer {
  status: number;
  retryAfterSeconds: number | undefined;
  /** The `google.rpc.Status` body in the request's encoding. */
  body(encoding: HttpEncoding): Buffer;
}

export function httpErrorFor(err: unknown, status?: number): HttpErrorAnswer {
  const message = err instanceof Error ? err.message : String(err);
  const mapped = status === undefined ? httpStatusForError(withDefaultHint(err)) : { status, retryAfterSeconds: undefined };
  const code = grpcCodeForHttp(mapped.status);
  return {
    status: mapped.status,
    retryAfterSeconds: mapped.retryAfterSeconds,
    body: (encoding) => (encoding === 'json' ? Buffer.from(JSON.stringify({ code, message }), 'utf8') : encodeRpcStatus(code, message)),
  };
}

/**
 * The gRPC code the body's `google.rpc.Status` carries for an HTTP status, as the collector maps it
 * (`newStatusFromMsgAndHTTPCode`, after grpc's http-grpc-status-mapping with 400 and 429 as
 * exceptions); every other status, 413, 415 and 500 included, is UNKNOWN.
 */
function grpcCodeForHttp(status: number): number {
  switch (status) {
    case 400:
      return GrpcStatus.INVALID_ARGUMENT;
    case 401:
      return GrpcStatus.UNAUTHENTICATED;
    case 403:
      return GrpcStatus.PERMISSION_DENIED;
    case 404:
      return GrpcStatus.UNIMPLEMENTED;
    case 429:
      return GrpcStatus.RESOURCE_EXHAUSTED;
    case 502:
    case 503:
    case 504:
      return GrpcStatus.UNAVAILABLE;
    default:
      return GrpcStatus.UNKNOWN;
  }
}

/** `google.rpc.Status { int32 code = 1; string message = 2; }` — the error body of OTLP/HTTP. */
function encodeRpcStatus(code: number, message: string): Buffer {
  const msg = Buffer.from(message, 'utf8');
  const parts: number[] = [];
  if (code !== 0) parts.push(0x08, code); // every gRPC code < 128: one varint byte
  parts.push(0x12);
  for (let n = msg.length; ; n = Math.floor(n / 0x80)) {
    if (n < 0x80) {
      parts.push(n);
      break;
    }
    parts.push((n % 0x80) | 0x80);
  }
  return Buffer.concat([Buffer.from(parts), msg]);
}
