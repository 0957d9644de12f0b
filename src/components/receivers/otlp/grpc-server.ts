/**
 * The receiver's OTLP/gRPC server (`TraceService/Export`) on @grpc/grpc-js with identity
 * serializers: the handler gets the raw request bytes (already gunzipped by grpc-js when the
 * client sent `grpc-encoding: gzip`) and answers raw response bytes.
 *
 * Codes (OTLP spec; mapping in src/protocol/otlp/status.ts): malformed → INVALID_ARGUMENT;
 * larger than `max_recv_msg_size_mib` → RESOURCE_EXHAUSTED (grpc-js rejects it before the handler
 * runs, so such requests are not counted by this receiver); downstream refusal → UNAVAILABLE with
 * a RetryInfo detail; other permanent errors per the shared mapping.
 */
import * as grpc from '@grpc/grpc-js';
import type { Clock } from '../../../pipeline/clock.js';
import type { TraceBatch } from '../../../protocol/otlp/model.js';
import type { GrpcProtocolConfig } from './config.js';
import type { OtlpReceiver, ProtocolServer } from './receiver.js';
import { decodeProtobufRequest, grpcErrorFor, successResponseProtobuf, traceServiceDefinition } from './wire.js';

/** How long `close` waits for calls in flight before cutting them. */
const CLOSE_GRACE_MS = 5_000;

export async function startGrpcServer(receiver: OtlpReceiver, cfg: GrpcProtocolConfig, clock: Clock): Promise<ProtocolServer> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': cfg.maxRecvMsgSizeBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });
  const exportHandler: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    let batch: TraceBatch;
    try {
      batch = decodeProtobufRequest(call.request);
    } catch (err) {
      receiver.countFailedRequest('grpc');
      callback(grpcErrorFor(err));
      return;
    }
    receiver.deliver(batch, 'grpc').then(
      (result) => (result.ok ? callback(null, successResponseProtobuf()) : callback(grpcErrorFor(result.error))),
      (err: unknown) => callback(grpcErrorFor(err)),
    );
  };
  server.addService(traceServiceDefinition, { Export: exportHandler });
  const port = await new Promise<number>((resolve, reject) => {
    const address = cfg.host.includes(':') ? `[${cfg.host}]:${cfg.port}` : `${cfg.host}:${cfg.port}`;
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  return {
    host: cfg.host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Let calls in flight finish (their spans are already downstream); force after 5 s.
        const force = clock.setTimer(CLOSE_GRACE_MS, () => server.forceShutdown());
        server.tryShutdown(() => {
          force.cancel();
          resolve();
        });
      }),
  };
}
