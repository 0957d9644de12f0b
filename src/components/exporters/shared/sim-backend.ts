/**
 * The backend of a network exporter in a sim run that models it (`Host.downstream`): each request
 * is answered `latencyMs` later on the virtual clock — accepted, or refused as retryable
 * (UNAVAILABLE, as a backend that is down or unreachable answers) when the request starts inside
 * one of the exporter's outage windows. An aborted attempt (its timeout, or the exporter shutting
 * down) ends at once as retryable, as a cancelled call does.
 */
import type { Clock } from '../../../pipeline/clock.js';
import type { DownstreamModel } from '../../../pipeline/component.js';
import type { TraceBatch } from '../../../protocol/otlp/model.js';
import { encodeExportRequest } from '../../../protocol/otlp/proto-encode.js';
import type { ExportTransport } from './exporter-helper.js';
import type { AttemptResult } from './retry.js';

const ACCEPTED: AttemptResult = { kind: 'success', rejectedSpans: 0, errorMessage: '' };

export class SimBackendTransport implements ExportTransport {
  private readonly _clock: Clock;
  private readonly _downstream: DownstreamModel;
  private readonly _exporterId: string;

  constructor(clock: Clock, downstream: DownstreamModel, exporterId: string) {
    this._clock = clock;
    this._downstream = downstream;
    this._exporterId = exporterId;
  }

  /** The request as the exporter would send it: its size is what the queue and memory limiter count. */
  encode(batch: TraceBatch): Uint8Array {
    return encodeExportRequest(batch);
  }

  send(_body: Uint8Array, signal: AbortSignal): Promise<AttemptResult> {
    const result: AttemptResult = this._downstream.isDown(this._exporterId, this._clock.nowMs())
      ? { kind: 'retryable', error: new Error(`${this._exporterId}: backend unavailable (downstream outage)`) }
      : ACCEPTED;
    if (signal.aborted) return Promise.resolve(aborted(signal));
    if (this._downstream.latencyMs <= 0) return Promise.resolve(result);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        timer.cancel();
        resolve(aborted(signal));
      };
      const timer = this._clock.setTimer(this._downstream.latencyMs, () => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  async close(): Promise<void> {}
}

function aborted(signal: AbortSignal): AttemptResult {
  return { kind: 'retryable', error: signal.reason instanceof Error ? signal.reason : new Error('attempt aborted') };
}
