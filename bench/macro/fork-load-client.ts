/**
 * The gRPC benchmarks' load client: writes one 512-span ExportTraceServiceRequest (the otlp
 * benchmark's spans, serialized by the OpenTelemetry JS serializer) into `dir` and forks
 * `grpc-hammer.ts`, with default node flags, to send it over and over from 4 connections × 4
 * calls in flight.
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { makeReadableSpans } from '../cases/otlp.js';
import type { HammerRequest, HammerResult } from './grpc-hammer.js';

export const SPANS_PER_REQUEST = 512;
export const CHANNELS = 4;
export const INFLIGHT = 4;

export interface LoadClient {
  /** Loads `target` for `durationMs` after the client's warm-up; resolves to the calls counted. */
  send(target: string, durationMs: number): Promise<HammerResult>;
  close(): void;
}

const here = dirname(fileURLToPath(import.meta.url));

export function forkLoadClient(dir: string): LoadClient {
  const requestFile = join(dir, 'request.bin');
  writeFileSync(requestFile, ProtobufTraceSerializer.serializeRequest(makeReadableSpans().slice(0, SPANS_PER_REQUEST))!);
  const child = fork(join(here, 'grpc-hammer.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  return {
    send: (target, durationMs) =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as HammerResult));
        const req: HammerRequest = { target, requestFile, durationMs, channels: CHANNELS, inflight: INFLIGHT };
        child.send(req);
      }),
    close: () => child.disconnect(),
  };
}
