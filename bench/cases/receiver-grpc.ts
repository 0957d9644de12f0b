/**
 * receiver-grpc: spans/s accepted by our `otlp` receiver over gRPC (decode + hand to a counting
 * sink) vs a bare @grpc/grpc-js server with identity serializers that only counts bytes, each in
 * a process of its own (bench/macro/grpc-sink-server.ts), loaded in turn by the same client
 * process (bench/macro/grpc-hammer.ts) sending one pre-encoded 512-span request from 4
 * connections × 4 calls in flight. Rates are medians of interleaved rounds, each after a full GC
 * in the server; target ratio >= 0.6 (decoding costs, but not more than that). On a loaded
 * machine the throughput ratio swings with whatever else runs, so the note adds spans per
 * CPU-second of the server process for both, a figure that load moves far less.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from '../harness.js';
import type { BenchCase, BenchEntry } from '../harness.js';
import { CHANNELS, forkLoadClient, INFLIGHT, SPANS_PER_REQUEST } from '../macro/fork-load-client.js';
import { forkSinkServer, type SinkServer } from '../macro/fork-sink-server.js';

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

const receiverGrpc: BenchCase = {
  names: ['receiver-grpc'],
  async run({ smoke }): Promise<BenchEntry[]> {
    const dir = mkdtempSync(join(tmpdir(), 'tracesim-bench-'));
    const client = forkLoadClient(dir);
    const ours = await forkSinkServer('ours');
    const bare = await forkSinkServer('bare');
    const rounds = smoke ? 1 : 5;
    const durationMs = smoke ? 300 : 2_000;
    const oursRates: number[] = [];
    const bareRates: number[] = [];
    const oursPerCpu: number[] = [];
    const barePerCpu: number[] = [];
    let failed = 0;
    let received = false;
    /** One round against `server`: spans/s, and spans per CPU-second of the server's process. */
    const round = async (server: SinkServer): Promise<[number, number]> => {
      await server.collect();
      const before = await server.usage();
      const r = await client.send(server.target, durationMs);
      const after = await server.usage();
      failed += r.failed;
      // The CPU window includes the client's 300 ms warm-up; its calls are served too, so count them at the same rate.
      const spans = r.ok * SPANS_PER_REQUEST;
      const cpuSeconds = (after.cpuUs - before.cpuUs) / 1e6;
      return [spans / r.seconds, (spans * (1 + 300 / durationMs)) / cpuSeconds];
    };
    try {
      for (let i = 0; i < rounds; i++) {
        const [a, aCpu] = await round(ours);
        const [b, bCpu] = await round(bare);
        oursRates.push(a);
        bareRates.push(b);
        oursPerCpu.push(aCpu);
        barePerCpu.push(bCpu);
      }
    } finally {
      client.close();
      const [o, b] = [await ours.usage(), await bare.usage()];
      received = o.spans > 0 && b.bytes > 0;
      ours.close();
      bare.close();
      rmSync(dir, { recursive: true, force: true });
    }
    if (failed > 0) throw new Error(`receiver-grpc: ${failed} calls failed`);
    if (!received) throw new Error('receiver-grpc: a server received nothing');
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
          `target ratio >= 0.6; 512-span requests, ${CHANNELS} connections × ${INFLIGHT} in flight from a client process; each server in a process of its own; ` +
          `spans per server CPU-second ours ${fmt(median(oursPerCpu))} vs bare ${fmt(median(barePerCpu))} (ratio ${(median(oursPerCpu) / median(barePerCpu)).toFixed(2)}); ` +
          `median of ${rounds} interleaved rounds`,
      },
    ];
  },
};

export default receiverGrpc;
