import { Server, ServerCredentials, credentials, status } from '@grpc/grpc-js';
import type { ServiceError, sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACE_SERVICE_EXPORT_PATH, TraceServiceClient, traceServiceDefinition } from '../../../../src/protocol/otlp/grpc-service.js';
import { decodeExportRequest, decodeExportResponse } from '../../../../src/protocol/otlp/proto-decode.js';
import { encodeExportRequest, encodeExportResponse } from '../../../../src/protocol/otlp/proto-encode.js';
import { grpcStatusForError, retryDelayFromMetadata, errorFromGrpcStatus } from '../../../../src/protocol/otlp/status.js';
import { RetryableError } from '../../../../src/pipeline/errors.js';
import type { TraceBatch } from '../../../../src/protocol/otlp/model.js';

const batch: TraceBatch = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: 'svc' }], droppedAttributesCount: 0 },
      scopeSpans: [],
      schemaUrl: '',
    },
  ],
};

describe('TraceService over real gRPC on 127.0.0.1', () => {
  const server = new Server();
  let client: InstanceType<typeof TraceServiceClient>;
  const received: TraceBatch[] = [];

  beforeAll(async () => {
    server.addService(traceServiceDefinition, {
      Export: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
        const req = decodeExportRequest(call.request);
        received.push(req);
        if (req.resourceSpans.length === 0) {
          const s = grpcStatusForError(new RetryableError('slow down', { retryAfterMs: 1200 }));
          callback({ code: s.code, details: s.details, metadata: s.metadata });
          return;
        }
        callback(null, Buffer.from(encodeExportResponse({ partialSuccess: { rejectedSpans: 1n, errorMessage: 'one too old' } })));
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    client = new TraceServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
  });

  afterAll(() => {
    client.close();
    server.forceShutdown();
  });

  function exportBytes(bytes: Uint8Array): Promise<{ err: ServiceError | null; res?: Buffer }> {
    return new Promise((resolve) =>
      client.makeUnaryRequest(
        TRACE_SERVICE_EXPORT_PATH,
        traceServiceDefinition.Export.requestSerialize,
        traceServiceDefinition.Export.responseDeserialize,
        bytes,
        (err, res) => resolve({ err, res }),
      ),
    );
  }

  it('carries encoded bytes both ways unchanged', async () => {
    const { err, res } = await exportBytes(encodeExportRequest(batch));
    expect(err).toBeNull();
    expect(received.at(-1)).toEqual(batch);
    expect(decodeExportResponse(res!)).toEqual({ partialSuccess: { rejectedSpans: 1n, errorMessage: 'one too old' } });
  });

  it('delivers the status and RetryInfo hint to the client', async () => {
    const { err } = await exportBytes(new Uint8Array(0));
    expect(err?.code).toBe(status.UNAVAILABLE);
    const delay = retryDelayFromMetadata(err?.metadata);
    expect(delay).toBe(1200);
    expect((errorFromGrpcStatus(err!.code, err!.details, delay) as RetryableError).retryAfterMs).toBe(1200);
  });
});
