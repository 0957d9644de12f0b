/**
 * The server side of the gRPC benchmarks (`receiver-grpc`, `live-run`'s reference), run as a
 * process of its own (child_process.fork) so the server under test shares its heap, JIT state and
 * event loop with nothing else — in one process the two servers measurably changed each other's
 * speed (bench/RESULTS.md, receiver-grpc).
 *
 *   argv[2] = 'ours': our `otlp` receiver (gRPC only), decoding each request and handing it to a
 *                     counting sink — what the bundled collector does before its processors
 *   argv[2] = 'bare': a bare @grpc/grpc-js server with identity serializers that only counts bytes
 *
 * IPC: sends `{ port }` once listening; answers `{ type: 'usage' }` with `{ cpuUs, spans, bytes }`
 * (CPU time of this process, all threads, since start; spans decoded by ours; bytes received by
 * bare) and `{ type: 'gc' }` with `{ done: true }` after a full collection. Exits on disconnect.
 */
import * as grpc from '@grpc/grpc-js';
import { otlpReceiverFactory } from '../../src/components/receivers/otlp/factory.js';
import type { OtlpReceiver } from '../../src/components/receivers/otlp/receiver.js';
import { nopAccounting } from '../../src/pipeline/accounting.js';
import { MetricsRegistry } from '../../src/pipeline/telemetry.js';
import { WallClock } from '../../src/pipeline/wall-clock.js';
import { traceServiceDefinition } from '../../src/protocol/otlp/grpc-service.js';
import { spanCount, type TraceBatch } from '../../src/protocol/otlp/model.js';

export type SinkServerKind = 'ours' | 'bare';
export type SinkServerRequest = { type: 'usage' } | { type: 'gc' };
export interface SinkServerUsage {
  cpuUs: number;
  spans: number;
  bytes: number;
}

let spans = 0;
let bytes = 0;

async function startOurs(): Promise<number> {
  const parsed = otlpReceiverFactory.parseConfig({ protocols: { grpc: { endpoint: '127.0.0.1:0' } } }, 'receivers.otlp');
  if (!parsed.ok) throw new Error('receiver config');
  const sink = {
    capabilities: { mutatesData: false },
    consumeTraces: async (batch: TraceBatch) => void (spans += spanCount(batch)),
  };
  const receiver = otlpReceiverFactory.createTraces({ id: 'otlp', compat: 'current' }, parsed.config, sink) as OtlpReceiver;
  await receiver.start({
    mode: 'live',
    clock: new WallClock(),
    accounting: nopAccounting,
    telemetry: new MetricsRegistry(),
    log: { warn: () => {}, info: () => {} },
    heldBytes: () => 0,
  });
  return receiver.endpoints()[0]!.port;
}

async function startBare(): Promise<number> {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 4 * 1024 * 1024 });
  const empty = Buffer.alloc(0);
  const handler: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    bytes += call.request.length;
    callback(null, empty);
  };
  server.addService(traceServiceDefinition, { Export: handler });
  return new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
}

const kind = process.argv[2] as SinkServerKind;
if (kind !== 'ours' && kind !== 'bare') throw new Error('usage: grpc-sink-server.js ours|bare');
const port = kind === 'ours' ? await startOurs() : await startBare();
process.on('message', (m: SinkServerRequest) => {
  if (m.type === 'gc') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ done: true });
  } else {
    const u = process.cpuUsage();
    process.send?.({ cpuUs: u.user + u.system, spans, bytes } satisfies SinkServerUsage);
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ port });
