/**
 * The exporters' use of the shared OTLP codec and status mapping (src/protocol/otlp/): request
 * bodies, response decoding (partial success) and the classification of failures into
 * retryable / permanent attempt results with the server's retry hint.
 */
import type { ServiceError } from '@grpc/grpc-js';
import { encodeJsonRequest, decodeJsonResponse } from '../../../protocol/otlp/json-codec.js';
import type { TraceBatch } from '../../../protocol/otlp/model.js';
import { decodeExportResponse } from '../../../protocol/otlp/proto-decode.js';
import { encodeExportRequest } from '../../../protocol/otlp/proto-encode.js';
import type { ExportResponse } from '../../../protocol/otlp/model.js';
import { errorFromGrpcStatus, errorFromHttpStatus, retryDelayFromMetadata } from '../../../protocol/otlp/status.js';
import { PermanentError } from '../../../pipeline/errors.js';
import type { AttemptResult } from './retry.js';

export { TRACE_SERVICE_EXPORT_PATH } from '../../../protocol/otlp/grpc-service.js';

export function encodeProtobufBody(batch: TraceBatch): Uint8Array {
  return encodeExportRequest(batch);
}

export function encodeJsonBody(batch: TraceBatch): Uint8Array {
  return Buffer.from(encodeJsonRequest(batch), 'utf8');
}

function success(r: ExportResponse): AttemptResult {
  const ps = r.partialSuccess;
  return { kind: 'success', rejectedSpans: ps ? Number(ps.rejectedSpans) : 0, errorMessage: ps?.errorMessage ?? '' };
}

/**
 * A success answer. The status already says the data was accepted, so a response body that does
 * not decode counts as a full success (the partial-success detail is lost, not the data).
 */
export function exportSuccess(body: Uint8Array): AttemptResult {
  try {
    return success(decodeExportResponse(body));
  } catch {
    return success({});
  }
}

export function exportSuccessJson(body: Uint8Array): AttemptResult {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8').trim();
  if (text === '') return success({});
  try {
    return success(decodeJsonResponse(text));
  } catch {
    return success({});
  }
}

/**
 * grpc-js reports a channel that never connected as UNAVAILABLE with these details: no server
 * answered, so it is not a refusal (`noAnswer`).
 */
const GRPC_NO_CONNECTION = /No connection established|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|Name resolution failed/;

export function classifyGrpcError(err: ServiceError): AttemptResult {
  // grpc-js appends an empty "Resolution note: " to connection errors
  const details = err.details.replace(/\.?\s*Resolution note:\s*$/, '');
  const error = errorFromGrpcStatus(err.code, details, retryDelayFromMetadata(err.metadata));
  if (error === undefined) return success({});
  if (error instanceof PermanentError) return { kind: 'permanent', error };
  if (err.code === 14 && GRPC_NO_CONNECTION.test(details)) return { kind: 'retryable', error, noAnswer: true };
  return error.retryAfterMs === undefined ? { kind: 'retryable', error } : { kind: 'retryable', error, retryAfterMs: error.retryAfterMs };
}

/** A non-2xx answer. The body's text (first 200 characters) goes into the error message. */
export function classifyHttpResponse(status: number, retryAfter: string | null, body: Uint8Array): AttemptResult {
  const message = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8').replace(/[^\x20-\x7e]+/g, ' ').trim().slice(0, 200);
  const error = errorFromHttpStatus(status, message, retryAfter);
  if (error === undefined) return success({});
  if (error instanceof PermanentError) return { kind: 'permanent', error };
  return error.retryAfterMs === undefined ? { kind: 'retryable', error } : { kind: 'retryable', error, retryAfterMs: error.retryAfterMs };
}

/** A request that got no answer (connection refused, reset, aborted): retryable, and not a refusal. */
export function networkFailure(err: unknown): AttemptResult {
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  const message = err instanceof Error ? `${err.message}${cause}` : String(err);
  return { kind: 'retryable', error: new Error(`export request failed: ${message}`, { cause: err }), noAnswer: true };
}
