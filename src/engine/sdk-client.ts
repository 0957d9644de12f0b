/**
 * The client side of an SDK export in sim and replay runs: the OpenTelemetry JS OTLP exporter's
 * retry loop (`otlp-exporter-base` `RetryingTransport`), replayed on the virtual clock.
 *
 *   attempt 0 ──refused (retryable)──► wait backoff_k ──► attempt k … ──► success | give up
 *                └─refused (permanent)──► drop `receiver_refused_downstream`
 *
 * Upstream constants (RetryingTransport): at most 5 retries after the first attempt; backoff_k =
 * min(1000 ms × 1.5^(k−1) × (1 + j), 5000 ms) with j uniform in [−0.2, 0.2]; a server's retry hint
 * (`RetryableError.retryAfterMs`) replaces the computed backoff; the loop gives up when the next
 * attempt would start after the export deadline (first attempt + `timeoutMs`, the exporter's
 * `timeoutMillis`, default 10 s). Giving up drops the batch as `client_gave_up`.
 *
 * Determinism: j comes from `Random(seed, CLIENT_STREAM, exportNumber)`, so the retry schedule is a
 * function of the seed and the export's position in the (time-ordered) event stream.
 *
 * Settling: `send` resolves to true when the export ended on its first attempt (accepted, or
 * refused for good); else to false, and `onSettled(atMs, outcome)` is called once when its retries
 * end — accepted on a retry ('ok'), given up or refused for good ('failed'), or dropped by
 * `stop()` ('stopped'). The engine
 * uses it to keep the SDK busy meanwhile (`SdkFeedback`).
 *
 * Ownership: a refused batch is sent again as the same object. The consumer contract hands the
 * batch over on every call; a refusal comes from the receiver or the memory limiter before any
 * stage changed it (they are first in line), which is the only refusal upstream retries either.
 */
import type { SpanAccounting } from '../pipeline/accounting.js';
import type { Clock, Timer } from '../pipeline/clock.js';
import { DataRefusedError, isPermanent, RetryableError } from '../pipeline/errors.js';
import { spanCount, type TraceBatch } from '../protocol/otlp/model.js';
import { Random } from '../shared/random.js';

export const SDK_RETRY = {
  maxRetries: 5,
  initialBackoffMs: 1000,
  maxBackoffMs: 5000,
  multiplier: 1.5,
  jitter: 0.2,
  /** OTEL_EXPORTER_OTLP_TIMEOUT default. */
  timeoutMs: 10_000,
} as const;

/** Random stream id of the client's jitter (distinct from the generator's streams). */
const CLIENT_STREAM = 0x5d4c;

/** Backoff before retry `k` (1-based) for jitter sample `u` in [0, 1): the upstream formula. */
export function retryBackoffMs(k: number, u: number): number {
  const base = SDK_RETRY.initialBackoffMs * SDK_RETRY.multiplier ** (k - 1);
  const jitter = u * 2 * SDK_RETRY.jitter - SDK_RETRY.jitter;
  return Math.max(Math.min(base * (1 + jitter), SDK_RETRY.maxBackoffMs), 0);
}

export interface SdkClientStats {
  /** Export requests started (first attempts). */
  exports: number;
  /** Attempts after the first. */
  retries: number;
  /** Exports that succeeded after at least one retry. */
  retriedOk: number;
  gaveUp: number;
  refusedPermanent: number;
  /** Spans handed to the receiver, counting each attempt. */
  spansDelivered: number;
  /**
   * Spans of refused, retryable attempts by who refused them (reference §6(d) 6: refusals are
   * events, not losses; a loss is counted once, as `client_gave_up`): a memory limiter's id, or
   * `collector` for any other retryable refusal.
   */
  refusedSpansBy: Record<string, number>;
}

export interface SdkClientOptions {
  clock: Clock;
  accounting: SpanAccounting;
  seed: number;
  /** Component label of the client's drops in the report. */
  componentId?: string;
}

/** The receiving end: `receiver.consumeTraces`, or a replica router in front of several. */
export type Deliver = (batch: TraceBatch) => Promise<void>;

export class SdkClient {
  readonly stats: SdkClientStats = { exports: 0, retries: 0, retriedOk: 0, gaveUp: 0, refusedPermanent: 0, spansDelivered: 0, refusedSpansBy: {} };
  private readonly _clock: Clock;
  private readonly _accounting: SpanAccounting;
  private readonly _seed: number;
  private readonly _componentId: string;
  private readonly _deliver: Deliver;
  /** Exports waiting for a retry timer, with the timer. */
  private readonly _waiting = new Map<RetryState, Timer>();
  private _stopped = false;

  constructor(deliver: Deliver, options: SdkClientOptions) {
    this._deliver = deliver;
    this._clock = options.clock;
    this._accounting = options.accounting;
    this._seed = options.seed;
    this._componentId = options.componentId ?? 'sdk';
  }

  /** Exports waiting to be retried. */
  get waiting(): number {
    return this._waiting.size;
  }

  /**
   * Sends one SDK export: resolves after the first attempt (retries continue on the clock's
   * timers, which the engine fires as it advances) to whether the export has ended; if not,
   * `onSettled` is called when it does.
   */
  async send(batch: TraceBatch, onSettled?: SettledListener): Promise<boolean> {
    const exportNumber = this.stats.exports++;
    const state: RetryState = { batch, deadlineMs: this._clock.nowMs() + SDK_RETRY.timeoutMs, retries: 0, random: undefined, exportNumber, onSettled };
    return (await this._attempt(state)) !== 'retrying';
  }

  /**
   * Stops retrying (end of run or SIGINT): every export waiting for a retry is dropped as
   * `client_gave_up` now, so nothing stays in flight on the client's side.
   */
  stop(): void {
    this._stopped = true;
    for (const [state, timer] of this._waiting) {
      timer.cancel();
      this._giveUp(state);
      this._settle(state, 'stopped');
    }
    this._waiting.clear();
  }

  /** One attempt: 'ok', 'failed' (dropped: refused for good, or given up), or 'retrying'. */
  private async _attempt(state: RetryState): Promise<'ok' | 'failed' | 'retrying'> {
    const n = spanCount(state.batch);
    this.stats.spansDelivered += n;
    try {
      await this._deliver(state.batch);
      if (state.retries > 0) this.stats.retriedOk++;
      return 'ok';
    } catch (err) {
      if (isPermanent(err)) {
        this.stats.refusedPermanent++;
        this._accounting.dropped(state.batch, this._componentId, 'receiver_refused_downstream');
        return 'failed';
      }
      const by = err instanceof DataRefusedError ? err.componentId : 'collector';
      this.stats.refusedSpansBy[by] = (this.stats.refusedSpansBy[by] ?? 0) + n;
      return this._scheduleRetry(state, err) ? 'retrying' : 'failed';
    }
  }

  /** Schedules the next attempt; false when the client gives up instead. */
  private _scheduleRetry(state: RetryState, err: unknown): boolean {
    if (this._stopped || state.retries >= SDK_RETRY.maxRetries) {
      this._giveUp(state);
      return false;
    }
    state.retries++;
    state.random ??= new Random(this._seed, CLIENT_STREAM, state.exportNumber);
    const computed = retryBackoffMs(state.retries, state.random.nextFloat());
    const hinted = err instanceof RetryableError ? err.retryAfterMs : undefined;
    const delayMs = hinted ?? computed;
    if (this._clock.nowMs() + delayMs > state.deadlineMs) {
      this._giveUp(state);
      return false;
    }
    const timer = this._clock.setTimer(delayMs, async () => {
      this._waiting.delete(state);
      this.stats.retries++;
      const result = await this._attempt(state);
      if (result !== 'retrying') this._settle(state, result);
    });
    this._waiting.set(state, timer);
    return true;
  }

  private _settle(state: RetryState, outcome: SettledOutcome): void {
    state.onSettled?.(this._clock.nowMs(), outcome);
  }

  private _giveUp(state: RetryState): void {
    this.stats.gaveUp++;
    this._accounting.dropped(state.batch, this._componentId, 'client_gave_up');
  }
}

/** How a retried export ended: accepted, dropped (given up or refused for good), or dropped by `stop()`. */
export type SettledOutcome = 'ok' | 'failed' | 'stopped';

/** Called once when an export that did not end on its first attempt ends (virtual time `atMs`). */
export type SettledListener = (atMs: number, outcome: SettledOutcome) => void;

interface RetryState {
  batch: TraceBatch;
  onSettled: SettledListener | undefined;
  deadlineMs: number;
  retries: number;
  random: Random | undefined;
  exportNumber: number;
}
