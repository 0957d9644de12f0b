import { Metadata, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { DataRefusedError, PermanentError, RetryableError } from '../../../../src/pipeline/errors.js';
import { OtlpDecodeError } from '../../../../src/protocol/otlp/decode-error.js';
import {
  GRPC_STATUS_DETAILS_KEY,
  decodeRetryInfoStatus,
  encodeRetryInfoStatus,
  errorFromGrpcStatus,
  errorFromHttpStatus,
  grpcStatusForError,
  httpStatusForError,
  parseRetryAfterMs,
  retryDelayFromMetadata,
} from '../../../../src/protocol/otlp/status.js';

describe('gRPC status → error (client side)', () => {
  it('OK is no error', () => {
    expect(errorFromGrpcStatus(status.OK, '')).toBeUndefined();
  });

  it.each([status.CANCELLED, status.DEADLINE_EXCEEDED, status.ABORTED, status.OUT_OF_RANGE, status.UNAVAILABLE, status.DATA_LOSS])(
    'code %i is retryable',
    (code) => {
      const err = errorFromGrpcStatus(code, 'x');
      expect(err).toBeInstanceOf(RetryableError);
      expect(err).not.toBeInstanceOf(PermanentError);
    },
  );

  it.each([status.UNKNOWN, status.INVALID_ARGUMENT, status.NOT_FOUND, status.PERMISSION_DENIED, status.UNIMPLEMENTED, status.INTERNAL, status.UNAUTHENTICATED])(
    'code %i is permanent',
    (code) => {
      expect(errorFromGrpcStatus(code, 'x')).toBeInstanceOf(PermanentError);
    },
  );

  it('RESOURCE_EXHAUSTED is retryable only with a RetryInfo, carrying its delay', () => {
    expect(errorFromGrpcStatus(status.RESOURCE_EXHAUSTED, 'x')).toBeInstanceOf(PermanentError);
    const err = errorFromGrpcStatus(status.RESOURCE_EXHAUSTED, 'x', 1500);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as RetryableError).retryAfterMs).toBe(1500);
  });
});

describe('HTTP status → error (client side)', () => {
  it('2xx is no error; 429/502/503/504 retryable; other 4xx/5xx permanent', () => {
    expect(errorFromHttpStatus(200, '')).toBeUndefined();
    for (const s of [429, 502, 503, 504]) expect(errorFromHttpStatus(s, '')).toBeInstanceOf(RetryableError);
    for (const s of [400, 401, 403, 404, 413, 500, 501]) expect(errorFromHttpStatus(s, '')).toBeInstanceOf(PermanentError);
  });

  it('honours Retry-After as seconds or an HTTP-date', () => {
    expect((errorFromHttpStatus(503, '', '7') as RetryableError).retryAfterMs).toBe(7000);
    const now = Date.parse('Mon, 23 Nov 2026 14:00:00 GMT');
    expect(parseRetryAfterMs('Mon, 23 Nov 2026 14:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect((errorFromHttpStatus(429, '', null) as RetryableError).retryAfterMs).toBeUndefined();
  });
});

describe('error → status (server side)', () => {
  it('permanent errors → INTERNAL / 500; a body that does not decode → INTERNAL over gRPC, 400 over HTTP (as the collector)', () => {
    const permanent = new PermanentError('bad');
    const undecodable = new OtlpDecodeError('protobuf', 'truncated varint');
    expect(grpcStatusForError(permanent).code).toBe(status.INTERNAL);
    expect(httpStatusForError(permanent).status).toBe(500);
    expect(grpcStatusForError(undecodable).code).toBe(status.INTERNAL);
    expect(httpStatusForError(undecodable).status).toBe(400);
    // clients act the same on both: not retryable
    expect(errorFromGrpcStatus(status.INTERNAL, 'x')).toBeInstanceOf(PermanentError);
    expect(errorFromHttpStatus(500, 'x')).toBeInstanceOf(PermanentError);
  });

  it('refusals, retryable and unexpected errors → UNAVAILABLE / 503', () => {
    for (const err of [new DataRefusedError('memory_limiter'), new RetryableError('busy'), new Error('boom')]) {
      expect(grpcStatusForError(err).code).toBe(status.UNAVAILABLE);
      expect(httpStatusForError(err)).toEqual({ status: 503 });
      expect(grpcStatusForError(err).metadata.get(GRPC_STATUS_DETAILS_KEY)).toEqual([]);
    }
  });

  it('a retry hint travels as RetryInfo in grpc-status-details-bin and as Retry-After', () => {
    const err = new RetryableError('throttled', { retryAfterMs: 2500 });
    const s = grpcStatusForError(err);
    expect(retryDelayFromMetadata(s.metadata)).toBe(2500);
    expect(httpStatusForError(err)).toEqual({ status: 503, retryAfterSeconds: 3 });
  });
});

describe('google.rpc.Status with RetryInfo', () => {
  it('round trips delays, including sub-second and zero', () => {
    for (const ms of [0, 1, 999, 1000, 61_250]) expect(decodeRetryInfoStatus(encodeRetryInfoStatus(status.UNAVAILABLE, 'm', ms))).toBe(ms);
  });

  it('ignores malformed or absent details', () => {
    expect(decodeRetryInfoStatus(Uint8Array.from([0x1a, 0x7f, 0x01]))).toBeUndefined();
    expect(decodeRetryInfoStatus(new Uint8Array(0))).toBeUndefined();
    expect(retryDelayFromMetadata(new Metadata())).toBeUndefined();
    expect(retryDelayFromMetadata(undefined)).toBeUndefined();
  });
});
