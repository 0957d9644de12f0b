/**
 * The OTLP trace gRPC service, `opentelemetry.proto.collector.trace.v1.TraceService/Export`, for
 * @grpc/grpc-js with identity serializers: requests and responses cross gRPC as already-encoded
 * protobuf bytes (encoded by `proto-encode.ts`, possibly in a worker), so the gRPC layer never
 * touches the span model. A server handler receives the request `Buffer` and answers with
 * `encodeExportResponse(...)` bytes; a client sends `encodeExportRequest(...)` bytes.
 */
import { makeGenericClientConstructor } from '@grpc/grpc-js';
import type { ServiceDefinition } from '@grpc/grpc-js';

/** The gRPC method path of OTLP trace export. */
export const TRACE_SERVICE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** Bytes in, bytes out: a Uint8Array is wrapped (not copied) as the Buffer grpc-js wants. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function identity(bytes: Buffer): Buffer {
  return bytes;
}

/** `TraceService` with its single unary `Export` method, payloads as raw protobuf bytes. */
export const traceServiceDefinition = {
  Export: {
    path: TRACE_SERVICE_EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: asBuffer,
    requestDeserialize: identity,
    responseSerialize: asBuffer,
    responseDeserialize: identity,
    originalName: 'export',
  },
} satisfies ServiceDefinition;

/**
 * A grpc-js client class for `TraceService`: `new TraceServiceClient(address, credentials)`,
 * then `client.makeUnaryRequest(TRACE_SERVICE_EXPORT_PATH, ...)` or `client.Export(bytes, cb)`.
 */
export const TraceServiceClient = makeGenericClientConstructor(traceServiceDefinition, 'TraceService');
