/**
 * `tracesim generate S.yaml --target URL`: the scenario's traffic as real OTLP to any endpoint,
 * paced on the wall clock exactly like a live run (src/engine/live-runner.ts), with no pipeline of
 * our own: what comes back is what the endpoint said — requests sent, accepted, refused, retried,
 * given up, and spans rejected in partial-success responses — plus slots the generator missed.
 */
import type { Scenario } from '../scenario/schema.js';
import { defaultWorkers } from './run.js';
import type { LiveProtocol } from './live-protocol.js';
import type { LiveOutcome, ProgressListener } from './types.js';
import type { LedgerResult } from '../ledger/ledger.js';

export interface LoadOptions {
  scenario: Scenario;
  target: string;
  protocol?: LiveProtocol;
  workers?: number;
  /** The run is invalid when the schedule-lag p99 exceeds this; default 50 ms. */
  maxLagP99Ms?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface LoadResult {
  live: LiveOutcome;
  /** Spans by outcome as the client saw them (exported = accepted by the endpoint). */
  spans: LedgerResult['spans'];
  droppedByReason: LedgerResult['droppedByReason'];
  interrupted: boolean;
  windowSeconds: number;
}

export async function sendLoad(options: LoadOptions): Promise<LoadResult> {
  const { runLive } = await import('./live-runner.js');
  const outcome = await runLive({
    scenario: options.scenario,
    compat: options.scenario.compat,
    workers: options.workers ?? defaultWorkers(),
    target: options.target,
    ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
    maxLagP99Ms: options.maxLagP99Ms ?? 50,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return {
    live: outcome.live!,
    spans: outcome.ledger.spans,
    droppedByReason: outcome.ledger.droppedByReason,
    interrupted: outcome.interrupted,
    windowSeconds: outcome.windowSeconds,
  };
}
