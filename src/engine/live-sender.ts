/**
 * The client of live runs: sends SDK export batches as real OTLP requests over one transport
 * (C2's gRPC or HTTP exporter transports) with the OpenTelemetry JS exporter's retry loop on the
 * wall clock (same constants as the sim client, `SDK_RETRY`), and measures export latency from
 * the export's *scheduled* time, so a late send shows up in the latency (no coordinated omission).
 *
 *   send(export, scheduledMs) ─► attempt ─► success ──► onSuccess(rejectedSpans)
 *                                │ retryable: wait backoff (or the server's hint), ≤ 5 retries, ≤ deadline
 *                                │            (onRetrying once, before the first wait)
 *                                │ no answer (connection failed): retried like a refusal, counted apart (`noAnswer`)
 *                                │ permanent ──► onFailure('receiver_refused_downstream')
 *                                └ gave up ───► onFailure('client_gave_up')
 *
 * At most `maxInFlight` exports are outstanding (retry waits included); `canSend()` tells the
 * pacer whether a new one fits — one that does not is a missed slot, never a queued burst.
 */
import { setMaxListeners } from 'node:events';
import { Random } from '../shared/random.js';
import type { ExportTransport } from '../components/exporters/shared/exporter-helper.js';
import { retryBackoffMs, SDK_RETRY } from './sdk-client.js';
import type { HdrRecorder } from './hdr.js';

export type LiveFailure = 'client_gave_up' | 'receiver_refused_downstream';

/** One export as the sender sees it; callers extend it with what their callbacks need. */
export interface LiveExport {
  /** Spans in the request. */
  readonly spans: number;
  /** The request body in the transport's encoding. */
  readonly body: Uint8Array;
}

export interface LiveSenderCallbacks<X extends LiveExport> {
  /** The endpoint accepted the request; `rejectedSpans` from an OTLP partial success. */
  onSuccess(request: X, rejectedSpans: number): void;
  onFailure(request: X, reason: LiveFailure): void;
  /** The first attempt was refused and a retry is scheduled: the export goes on (once per export, before its outcome). */
  onRetrying?(request: X): void;
  /** No outcome yet `slowAfterMs` after the send (see `send`): the export outlasts its assumed round trip. Before its outcome, at most once. */
  onSlow?(request: X): void;
}

export interface LiveSenderStats {
  sent: number;
  accepted: number;
  refused: number;
  retried: number;
  gaveUp: number;
  permanent: number;
  partialRejectedSpans: number;
  spansSent: number;
  /** Spans of retryable refusals (each refused attempt counts its spans again). */
  refusedRetryableSpans: number;
  /** Attempts no server answered (connection refused or lost, name not resolved): not refusals. */
  noAnswer: number;
  /** The last such attempt's error, for the run's warning. */
  lastNoAnswer: string;
  /** Exports accepted after at least one retry. */
  retriedOk: number;
}

export class LiveSender<X extends LiveExport> {
  /** Unexpected transport exceptions (each also counted as a give-up). */
  readonly errors: string[] = [];
  readonly stats: LiveSenderStats = {
    sent: 0,
    accepted: 0,
    refused: 0,
    retried: 0,
    gaveUp: 0,
    permanent: 0,
    partialRejectedSpans: 0,
    spansSent: 0,
    refusedRetryableSpans: 0,
    noAnswer: 0,
    lastNoAnswer: '',
    retriedOk: 0,
  };
  private readonly _transport: ExportTransport;
  private readonly _callbacks: LiveSenderCallbacks<X>;
  private readonly _latency: HdrRecorder;
  private readonly _maxInFlight: number;
  private readonly _seed: number;
  private readonly _timeoutMs: number;
  private _inFlight = 0;
  private _exportNumber = 0;
  private readonly _idle: (() => void)[] = [];
  private readonly _abort = new AbortController();

  constructor(
    transport: ExportTransport,
    callbacks: LiveSenderCallbacks<X>,
    options: { latency: HdrRecorder; maxInFlight: number; seed: number; timeoutMs?: number },
  ) {
    this._transport = transport;
    this._callbacks = callbacks;
    this._latency = options.latency;
    this._maxInFlight = options.maxInFlight;
    this._seed = options.seed;
    this._timeoutMs = options.timeoutMs ?? SDK_RETRY.timeoutMs;
    // every request in flight or waiting for its retry listens for the stop (up to maxInFlight at
    // once, each removed when it settles): not a leak, so no limit and no warning at 11
    setMaxListeners(0, this._abort.signal);
  }

  get inFlight(): number {
    return this._inFlight;
  }

  canSend(): boolean {
    return this._inFlight < this._maxInFlight;
  }

  /**
   * Starts an export (not awaited by the pacer); its outcome arrives through the callbacks. With
   * `slowAfterMs`, `onSlow` is called if the export has no outcome that long after the send.
   */
  send(request: X, scheduledMs: number, nowMs: () => number, slowAfterMs?: number): void {
    this._inFlight++;
    const exportNumber = this._exportNumber++;
    const onSlow = this._callbacks.onSlow;
    const slowTimer = slowAfterMs === undefined || onSlow === undefined ? undefined : setTimeout(() => onSlow(request), slowAfterMs);
    this._run(request, scheduledMs, nowMs, exportNumber)
      .catch((err: unknown) => {
        // A transport that throws breaks its contract (failures are values); never crash the run.
        this.errors.push(err instanceof Error ? err.message : String(err));
        this._fail(request, 'client_gave_up');
      })
      .finally(() => {
        clearTimeout(slowTimer);
        this._inFlight--;
        if (this._inFlight === 0) for (const resolve of this._idle.splice(0)) resolve();
      });
  }

  /** Resolves when no export is outstanding. */
  async idle(): Promise<void> {
    if (this._inFlight === 0) return;
    await new Promise<void>((resolve) => this._idle.push(resolve));
  }

  /** Cancels outstanding attempts and retry waits (SIGINT); they end as `client_gave_up`. */
  abort(): void {
    this._abort.abort();
  }

  async close(): Promise<void> {
    await this._transport.close();
  }

  private async _run(request: X, scheduledMs: number, nowMs: () => number, exportNumber: number): Promise<void> {
    const deadlineMs = nowMs() + this._timeoutMs;
    let random: Random | undefined;
    this.stats.sent++;
    this.stats.spansSent += request.spans;
    for (let retries = 0; ; retries++) {
      if (this._abort.signal.aborted) return this._fail(request, 'client_gave_up');
      const result = await withAttemptSignal(this._abort.signal, Math.max(1, Math.ceil(deadlineMs - nowMs())), (signal) => this._transport.send(request.body, signal));
      if (result.kind === 'success') {
        this.stats.accepted++;
        if (retries > 0) this.stats.retriedOk++;
        // a server may claim more rejections than the request held: a request loses at most its spans
        this.stats.partialRejectedSpans += Math.min(result.rejectedSpans, request.spans);
        this._latency.record(nowMs() - scheduledMs);
        this._callbacks.onSuccess(request, result.rejectedSpans);
        return;
      }
      if (result.kind === 'retryable' && result.noAnswer) {
        // nobody answered: retried as the SDK would, but not a refusal (no backpressure to report)
        this.stats.noAnswer++;
        this.stats.lastNoAnswer = result.error.message;
      } else {
        this.stats.refused++;
        if (result.kind === 'permanent') {
          this.stats.permanent++;
          return this._fail(request, 'receiver_refused_downstream');
        }
        this.stats.refusedRetryableSpans += request.spans;
      }
      if (retries >= SDK_RETRY.maxRetries) return this._fail(request, 'client_gave_up');
      random ??= new Random(this._seed, 0x11fe, exportNumber);
      const delayMs = result.retryAfterMs ?? retryBackoffMs(retries + 1, random.nextFloat());
      if (nowMs() + delayMs > deadlineMs) return this._fail(request, 'client_gave_up');
      this.stats.retried++;
      if (retries === 0) this._callbacks.onRetrying?.(request);
      const waited = await sleep(delayMs, this._abort.signal);
      if (!waited) return this._fail(request, 'client_gave_up');
    }
  }

  private _fail(request: X, reason: LiveFailure): void {
    if (reason === 'client_gave_up') this.stats.gaveUp++;
    this._callbacks.onFailure(request, reason);
  }
}

/**
 * Runs one attempt with a signal that aborts when `stop` aborts or after `timeoutMs`, and removes
 * its listener from `stop` when the attempt settles. (`AbortSignal.any` would leave one listener on
 * `stop` per attempt until the garbage collector ran: Node warns past 10 in flight, as against a
 * target that refuses everything.)
 */
async function withAttemptSignal<T>(stop: AbortSignal, timeoutMs: number, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onStop = (): void => controller.abort(stop.reason);
  stop.addEventListener('abort', onStop, { once: true });
  const timer = setTimeout(() => controller.abort(new DOMException('attempt timed out', 'TimeoutError')), timeoutMs);
  try {
    return await attempt(controller.signal);
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
  }
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
