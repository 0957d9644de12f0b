/**
 * Starts `grpc-sink-server.ts` in a child process and talks to it over IPC (one request at a
 * time). The child runs with `--expose-gc` only, whatever flags the benchmark process has.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SinkServerKind, SinkServerRequest, SinkServerUsage } from './grpc-sink-server.js';

export interface SinkServer {
  /** `127.0.0.1:<port>` */
  readonly target: string;
  /** CPU time (µs, all threads) and what the server received, since it started. */
  usage(): Promise<SinkServerUsage>;
  /** A full GC in the server process (before a round, so no round pays for the last one's garbage). */
  collect(): Promise<void>;
  close(): void;
}

const here = dirname(fileURLToPath(import.meta.url));

function ask<T>(child: ChildProcess, request: SinkServerRequest): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(request);
  });
}

export async function forkSinkServer(kind: SinkServerKind): Promise<SinkServer> {
  const child = fork(join(here, 'grpc-sink-server.js'), [kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--expose-gc'] });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { port: number }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`grpc-sink-server ${kind} exited ${code}`)));
  });
  return {
    target: `127.0.0.1:${port}`,
    usage: () => ask<SinkServerUsage>(child, { type: 'usage' }),
    collect: async () => void (await ask(child, { type: 'gc' })),
    close: () => child.disconnect(),
  };
}
