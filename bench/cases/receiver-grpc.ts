/**
 * receiver-grpc: spans/s accepted by our `otlp` receiver over gRPC (decode + hand to a counting
 * sink) vs a bare @grpc/grpc-js server with identity serializers that only counts bytes, both in
 * this process, loaded in turn by the same second process (bench/macro/grpc-hammer.ts) sending
 * one pre-encoded 512-span request from 4 connections × 4 calls in flight. Rates are medians of
 * interleaved rounds; target ratio >= 0.6 (decoding costs, but not more than that). On a loaded
 * machine the throughput ratio swings with whatever else runs, so the note adds spans per
 * CPU-second of the server process for both, a figure that load moves far less.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { otlpReceiverFactory } from '../../src/components/receivers/otlp/factory.js';
import type { OtlpReceiver } from '../../src/components/receivers/otlp/receiver.js';
import { nopAccounting } from '../../src/pipeline/accounting.js';
import { MetricsRegistry } from '../../src/pipeline/telemetry.js';
import { WallClock } from '../../src/pipeline/wall-clock.js';
import { traceServiceDefinition } from '../../src/protocol/otlp/grpc-service.js';
import { spanCount, type TraceBatch } from '../../src/protocol/otlp/model.js';
import { median } from '../harness.js';
import type { BenchCase, BenchEntry } from '../harness.js';
import type { HammerRequest, HammerResult } from '../macro/grpc-hammer.js';
import { makeReadableSpans } from './otlp.js';

const SPANS_PER_REQUEST = 512;
const CHANNELS = 4;
const INFLIGHT = 4;

async function startOurs(): Promise<{ target: string; spans: () => number; close: () => Promise<void> }> {
  const parsed = otlpReceiverFactory.parseConfig({ protocols: { grpc: { endpoint: '127.0.0.1:0' } } }, 'receivers.otlp');
  if (!parsed.ok) throw new Error('receiver config');
  let spans = 0;
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
  return { target: `127.0.0.1:${receiver.endpoints()[0]!.port}`, spans: () => spans, close: () => receiver.shutdown() };
}

async function startBare(): Promise<{ target: string; bytes: () => number; close: () => Promise<void> }> {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 4 * 1024 * 1024 });
  let bytes = 0;
  const empty = Buffer.alloc(0);
  const handler: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    bytes += call.request.length;
    callback(null, empty);
  };
  server.addService(traceServiceDefinition, { Export: handler });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { target: `127.0.0.1:${port}`, bytes: () => bytes, close: async () => void server.forceShutdown() };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

const receiverGrpc: BenchCase = {
  names: ['receiver-grpc'],
  async run({ smoke }): Promise<BenchEntry[]> {
    const dir = mkdtempSync(join(tmpdir(), 'tracesim-bench-'));
    const requestFile = join(dir, 'request.bin');
    writeFileSync(requestFile, ProtobufTraceSerializer.serializeRequest(makeReadableSpans().slice(0, SPANS_PER_REQUEST))!);
    const here = dirname(fileURLToPath(import.meta.url));
    const child = fork(join(here, '..', 'macro', 'grpc-hammer.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    const ask = (target: string, durationMs: number): Promise<HammerResult> =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as HammerResult));
        const req: HammerRequest = { target, requestFile, durationMs, channels: CHANNELS, inflight: INFLIGHT };
        child.send(req);
      });
    const ours = await startOurs();
    const bare = await startBare();
    const rounds = smoke ? 1 : 5;
    const durationMs = smoke ? 300 : 2_000;
    const oursRates: number[] = [];
    const bareRates: number[] = [];
    const oursPerCpu: number[] = [];
    const barePerCpu: number[] = [];
    let failed = 0;
    /** One round against `target`: spans/s, and spans per CPU-second of this (the server) process. */
    const round = async (target: string): Promise<[number, number]> => {
      // As the harness's measureRate: start from a collected heap, so neither server pays for the
      // garbage the other's previous round left (both run in this process).
      (globalThis as { gc?: () => void }).gc?.();
      const cpu = process.cpuUsage();
      const r = await ask(target, durationMs);
      const used = process.cpuUsage(cpu);
      failed += r.failed;
      // The CPU window includes the client's 300 ms warm-up; its calls are served too, so count them at the same rate.
      const spans = r.ok * SPANS_PER_REQUEST;
      const cpuSeconds = (used.user + used.system) / 1e6;
      return [spans / r.seconds, (spans * (1 + 300 / durationMs)) / cpuSeconds];
    };
    try {
      for (let i = 0; i < rounds; i++) {
        const [a, aCpu] = await round(ours.target);
        const [b, bCpu] = await round(bare.target);
        oursRates.push(a);
        bareRates.push(b);
        oursPerCpu.push(aCpu);
        barePerCpu.push(bCpu);
      }
    } finally {
      child.disconnect();
      await ours.close();
      await bare.close();
      rmSync(dir, { recursive: true, force: true });
    }
    if (failed > 0) throw new Error(`receiver-grpc: ${failed} calls failed`);
    if (ours.spans() === 0 || bare.bytes() === 0) throw new Error('receiver-grpc: a server received nothing');
    const o = median(oursRates);
    const r = median(bareRates);
    return [
      {
        name: 'receiver-grpc',
        unit: 'spans/s',
        ours: o,
        reference: r,
        referenceName: 'bare @grpc/grpc-js server (bytes only)',
        ratio: o / r,
        note:
          `target ratio >= 0.6; 512-span requests, ${CHANNELS} connections × ${INFLIGHT} in flight from a second process; ` +
          `spans per server CPU-second ours ${fmt(median(oursPerCpu))} vs bare ${fmt(median(barePerCpu))} (ratio ${(median(oursPerCpu) / median(barePerCpu)).toFixed(2)}); ` +
          `median of ${rounds} interleaved rounds`,
      },
    ];
  },
};

export default receiverGrpc;
