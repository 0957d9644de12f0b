/**
 * The one mapping between tracesim's errors and transport status, per the OTLP specification
 * ("Failures", "Throttling") and the collector's otlpreceiver:
 *
 * - client side: a gRPC status or HTTP response → `PermanentError` (do not retry) or
 *   `RetryableError` (retry, with the server's delay hint in `retryAfterMs` when it sent one);
 * - server side: an error from the pipeline → the gRPC status / HTTP status to answer with.
 *
 * gRPC retry hints travel as a `google.rpc.RetryInfo` inside the `google.rpc.Status` carried in
 * the `grpc-status-details-bin` trailer; HTTP hints as the `Retry-After` header.
 */
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import { PermanentError, RetryableError } from '../../pipeline/errors.js';
import { OtlpDecodeError } from './decode-error.js';

/** gRPC codes OTLP clients retry. RESOURCE_EXHAUSTED is retryable only with a RetryInfo. */
const RETRYABLE_GRPC = new Set<number>([
  GrpcStatus.CANCELLED,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.ABORTED,
  GrpcStatus.OUT_OF_RANGE,
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DATA_LOSS,
]);

/** HTTP statuses OTLP/HTTP clients retry; every other 4xx and 5xx is permanent. */
const RETRYABLE_HTTP = new Set([429, 502, 503, 504]);

/** The trailer carrying a serialized `google.rpc.Status`. */
export const GRPC_STATUS_DETAILS_KEY = 'grpc-status-details-bin';
const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

/**
 * The error a client should act on for a finished gRPC call; `undefined` for OK.
 * `retryDelayMs` is the server's RetryInfo hint (see `retryDelayFromMetadata`).
 */
export function errorFromGrpcStatus(code: number, details: string, retryDelayMs?: number): PermanentError | RetryableError | undefined {
  if (code === GrpcStatus.OK) return undefined;
  const message = `gRPC ${GrpcStatus[code] ?? code}: ${details}`;
  if (RETRYABLE_GRPC.has(code) || (code === GrpcStatus.RESOURCE_EXHAUSTED && retryDelayMs !== undefined)) {
    return retryDelayMs === undefined ? new RetryableError(message) : new RetryableError(message, { retryAfterMs: retryDelayMs });
  }
  return new PermanentError(message);
}

/**
 * The error a client should act on for an HTTP response status; `undefined` for 2xx.
 * `retryAfter` is the `Retry-After` header (delay-seconds or an HTTP-date, the latter relative to
 * `nowMs`), honoured only for retryable statuses.
 */
export function errorFromHttpStatus(
  status: number,
  message: string,
  retryAfter?: string | null,
  nowMs?: number,
): PermanentError | RetryableError | undefined {
  if (status >= 200 && status < 300) return undefined;
  const text = `HTTP ${status}${message === '' ? '' : `: ${message}`}`;
  if (!RETRYABLE_HTTP.has(status)) return new PermanentError(text);
  const retryAfterMs = parseRetryAfterMs(retryAfter, nowMs);
  return retryAfterMs === undefined ? new RetryableError(text) : new RetryableError(text, { retryAfterMs });
}

/** `Retry-After` as milliseconds: delay-seconds, or an HTTP-date minus `nowMs`; undefined if absent/invalid. */
export function parseRetryAfterMs(value: string | null | undefined, nowMs?: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (nowMs === undefined) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** What a gRPC server answers for a pipeline error. */
export interface GrpcErrorStatus {
  code: GrpcStatus;
  details: string;
  /** Trailers; carries a RetryInfo when the error had `retryAfterMs`. */
  metadata: Metadata;
}

/**
 * Server side, as the collector's otlpreceiver answers (`internal/errors.GetStatusFromError`): a
 * permanent error → INTERNAL (a request that does not decode too: grpc-go answers an unmarshalling
 * failure with INTERNAL); any other rejection (a `RetryableError` such as the memory limiter's
 * `DataRefusedError`, or an unexpected error) → UNAVAILABLE, with a RetryInfo when the error
 * carries `retryAfterMs`. Clients retry neither INTERNAL nor INVALID_ARGUMENT.
 */
export function grpcStatusForError(err: unknown): GrpcErrorStatus {
  const details = err instanceof Error ? err.message : String(err);
  const metadata = new Metadata();
  if (err instanceof PermanentError) return { code: GrpcStatus.INTERNAL, details, metadata };
  const retryAfterMs = err instanceof RetryableError ? err.retryAfterMs : undefined;
  if (retryAfterMs !== undefined) {
    metadata.set(GRPC_STATUS_DETAILS_KEY, Buffer.from(encodeRetryInfoStatus(GrpcStatus.UNAVAILABLE, details, retryAfterMs)));
  }
  return { code: GrpcStatus.UNAVAILABLE, details, metadata };
}

/**
 * What an HTTP server answers for an error: 400 for a body that does not decode (the receiver's
 * own check), 500 for a permanent pipeline error (INTERNAL → 500 in `GetHTTPStatusCodeFromStatus`),
 * 503 otherwise.
 */
export function httpStatusForError(err: unknown): { status: number; retryAfterSeconds?: number } {
  if (err instanceof OtlpDecodeError) return { status: 400 };
  if (err instanceof PermanentError) return { status: 500 };
  const retryAfterMs = err instanceof RetryableError ? err.retryAfterMs : undefined;
  return retryAfterMs === undefined ? { status: 503 } : { status: 503, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) };
}

/** The RetryInfo delay in the trailers of a call, if the server sent one. */
export function retryDelayFromMetadata(metadata: Metadata | undefined): number | undefined {
  const values = metadata?.get(GRPC_STATUS_DETAILS_KEY) ?? [];
  for (const v of values) {
    if (typeof v === 'string') continue;
    const ms = decodeRetryInfoStatus(v);
    if (ms !== undefined) return ms;
  }
  return undefined;
}

// --- google.rpc.Status { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }
// --- google.protobuf.Any { string type_url = 1; bytes value = 2; }
// --- google.rpc.RetryInfo { google.protobuf.Duration retry_delay = 1; }
// --- google.protobuf.Duration { int64 seconds = 1; int32 nanos = 2; }

function varint(out: number[], v: number): void {
  while (v > 0x7f) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function lengthDelimited(out: number[], tag: number, body: ArrayLike<number>): void {
  out.push(tag);
  varint(out, body.length);
  for (let i = 0; i < body.length; i++) out.push(body[i]!);
}

/** A `google.rpc.Status` with one `google.rpc.RetryInfo` detail of `retryDelayMs` (≥ 0). */
export function encodeRetryInfoStatus(code: number, message: string, retryDelayMs: number): Uint8Array {
  const ms = Math.max(0, Math.round(retryDelayMs));
  const duration: number[] = [];
  const seconds = Math.floor(ms / 1000);
  const nanos = (ms % 1000) * 1_000_000;
  if (seconds > 0) {
    duration.push(0x08);
    varint(duration, seconds);
  }
  if (nanos > 0) {
    duration.push(0x10);
    varint(duration, nanos);
  }
  const retryInfo: number[] = [];
  lengthDelimited(retryInfo, 0x0a, duration);
  const any: number[] = [];
  lengthDelimited(any, 0x0a, Buffer.from(RETRY_INFO_TYPE_URL));
  lengthDelimited(any, 0x12, retryInfo);
  const status: number[] = [];
  if (code !== 0) {
    status.push(0x08);
    varint(status, code);
  }
  if (message !== '') lengthDelimited(status, 0x12, Buffer.from(message, 'utf8'));
  lengthDelimited(status, 0x1a, any);
  return Uint8Array.from(status);
}

/**
 * The RetryInfo delay (ms) in a serialized `google.rpc.Status`; undefined when there is none or
 * the bytes are malformed (a hint is optional: bad trailers never fail a call).
 */
export function decodeRetryInfoStatus(bytes: Uint8Array): number | undefined {
  for (const detail of fields(bytes, 0, bytes.length, 3)) {
    let typeUrl = '';
    let value: [number, number] | undefined;
    for (const [field, start, end] of fieldRanges(bytes, detail[0], detail[1])) {
      if (field === 1) typeUrl = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
      if (field === 2) value = [start, end];
    }
    if (typeUrl !== RETRY_INFO_TYPE_URL || value === undefined) continue;
    let ms = 0;
    for (const delay of fields(bytes, value[0], value[1], 1)) {
      let pos = delay[0];
      while (pos < delay[1]) {
        const tag = readVarint(bytes, pos, delay[1]);
        if (tag === undefined) return undefined;
        const v = readVarint(bytes, tag[1], delay[1]);
        if (v === undefined || (tag[0] & 7) !== 0) return undefined;
        if (tag[0] >>> 3 === 1) ms += v[0] * 1000;
        else if (tag[0] >>> 3 === 2) ms += Math.floor(v[0] / 1_000_000);
        pos = v[1];
      }
    }
    return ms;
  }
  return undefined;
}

/** Reads a varint at `pos`; [value, next position], or undefined when truncated/too long. */
function readVarint(bytes: Uint8Array, pos: number, end: number): [number, number] | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10 && pos < end; i++) {
    const c = bytes[pos++]!;
    value += (c & 0x7f) * scale;
    scale *= 0x80;
    if (c < 0x80) return [value, pos];
  }
  return undefined;
}

/** The length-delimited fields in [start, end) as [field, bodyStart, bodyEnd]; stops at malformed input. */
function* fieldRanges(bytes: Uint8Array, start: number, end: number): Generator<[number, number, number]> {
  let pos = start;
  while (pos < end) {
    const tag = readVarint(bytes, pos, end);
    if (tag === undefined) return;
    const wt = tag[0] % 8;
    pos = tag[1];
    if (wt === 0) {
      const v = readVarint(bytes, pos, end);
      if (v === undefined) return;
      pos = v[1];
    } else if (wt === 2) {
      const len = readVarint(bytes, pos, end);
      if (len === undefined || len[0] > end - len[1]) return;
      yield [Math.floor(tag[0] / 8), len[1], len[1] + len[0]];
      pos = len[1] + len[0];
    } else if (wt === 1 || wt === 5) {
      pos += wt === 1 ? 8 : 4;
    } else return;
  }
}

function* fields(bytes: Uint8Array, start: number, end: number, field: number): Generator<[number, number]> {
  for (const [f, s, e] of fieldRanges(bytes, start, end)) if (f === field) yield [s, e];
}
