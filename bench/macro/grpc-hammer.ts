/**
 * Load client for the `receiver-grpc` benchmark, run as a second process (child_process.fork)
 * so the server under test has the benchmark process to itself. It sends one pre-encoded
 * ExportTraceServiceRequest over and over with @grpc/grpc-js (identity serializers), from
 * `channels` separate connections with `inflight` calls each.
 *
 * IPC protocol: the parent sends `{ target, requestFile, durationMs, channels, inflight }`; the
 * child answers `{ ok, failed, seconds }` (calls completed after a 300 ms warm-up), then waits
 * for the next message. It exits when the parent disconnects.
 */
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { TRACE_SERVICE_EXPORT_PATH } from '../../src/protocol/otlp/grpc-service.js';

export interface HammerRequest {
  target: string;
  requestFile: string;
  durationMs: number;
  channels: number;
  inflight: number;
}

export interface HammerResult {
  ok: number;
  failed: number;
  seconds: number;
}

const WARMUP_MS = 300;
const identity = (b: Buffer): Buffer => b;

async function hammer(req: HammerRequest): Promise<HammerResult> {
  const body = readFileSync(req.requestFile);
  const clients = Array.from(
    { length: req.channels },
    () => new grpc.Client(req.target, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1, 'grpc.max_send_message_length': -1 }),
  );
  const start = performance.now();
  const measureFrom = start + WARMUP_MS;
  const end = measureFrom + req.durationMs;
  let ok = 0;
  let failed = 0;
  const loop = (client: grpc.Client): Promise<void> =>
    new Promise((resolve) => {
      const next = (): void => {
        if (performance.now() >= end) {
          resolve();
          return;
        }
        client.makeUnaryRequest(TRACE_SERVICE_EXPORT_PATH, identity, identity, body, new grpc.Metadata(), {}, (err) => {
          const now = performance.now();
          if (now >= measureFrom && now < end) {
            if (err) failed++;
            else ok++;
          }
          next();
        });
      };
      next();
    });
  await Promise.all(clients.flatMap((c) => Array.from({ length: req.inflight }, () => loop(c))));
  for (const c of clients) c.close();
  return { ok, failed, seconds: req.durationMs / 1000 };
}

process.on('message', (msg: HammerRequest) => {
  void hammer(msg).then((result) => process.send?.(result));
});
process.on('disconnect', () => process.exit(0));
