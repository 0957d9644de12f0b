/**
 * exporterhelper's `retry_on_failure` and `timeout` (reference storage-retention-drops.md §3.4),
 * on the host's clock so that in sim runs every backoff elapses in virtual time.
 *
 * Backoff (cenkalti/backoff, as the collector uses it): the n-th wait is drawn uniformly from
 * `interval × [1 − f, 1 + f]` with `f = randomization_factor`, then `interval ← min(interval ×
 * multiplier, max_interval)`, starting at `initial_interval`. A server's throttling hint raises
 * the wait: `wait = max(backoff, retryAfterMs)`. Retrying stops — "retries exhausted" — when the
 * next attempt would start later than `max_elapsed_time` after the first one (0 = never stop), or
 * when the exporter shuts down during a wait. Each attempt is bounded by `timeout` (0 = none); a
 * timed-out attempt is retryable.
 */
import type { Clock, Timer } from '../../../pipeline/clock.js';
import type { Random } from '../../../shared/random.js';

export interface RetryConfig {
  enabled: boolean;
  initialIntervalMs: number;
  randomizationFactor: number;
  multiplier: number;
  maxIntervalMs: number;
  /** 0 = retry forever. */
  maxElapsedTimeMs: number;
}

export function defaultRetryConfig(): RetryConfig {
  return {
    enabled: true,
    initialIntervalMs: 5_000,
    randomizationFactor: 0.5,
    multiplier: 1.5,
    maxIntervalMs: 30_000,
    maxElapsedTimeMs: 300_000,
  };
}

/** The result of one attempt, as a value (transport failures never throw past the transport). */
export type AttemptResult =
  | { kind: 'success'; rejectedSpans: number; errorMessage: string }
  | { kind: 'permanent'; error: Error }
  | { kind: 'retryable'; error: Error; retryAfterMs?: number; noAnswer?: true };

/** The result of a send with its retries. */
export type SendResult =
  | { kind: 'success'; rejectedSpans: number; errorMessage: string; attempts: number }
  | { kind: 'permanent'; error: Error; attempts: number }
  | { kind: 'exhausted'; error: Error; attempts: number };

/** One attempt: must settle; `signal` aborts it when its timeout fires or the exporter stops. */
export type Attempt = (signal: AbortSignal) => Promise<AttemptResult>;

/** The sequence of randomized exponential waits; `next()` is undefined once max_elapsed_time is spent. */
export class Backoff {
  private readonly _cfg: RetryConfig;
  private readonly _random: Random;
  private _intervalMs: number;

  constructor(cfg: RetryConfig, random: Random) {
    this._cfg = cfg;
    this._random = random;
    this._intervalMs = cfg.initialIntervalMs;
  }

  /** The next wait in ms (before any server hint). */
  next(): number {
    const f = this._cfg.randomizationFactor;
    const delta = f * this._intervalMs;
    const lo = this._intervalMs - delta;
    const waitMs = lo + this._random.nextFloat() * (2 * delta);
    this._intervalMs = Math.min(this._intervalMs * this._cfg.multiplier, this._cfg.maxIntervalMs);
    return waitMs;
  }
}

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

export interface RetryOptions {
  clock: Clock;
  retry: RetryConfig;
  /** Per-attempt timeout; 0 = none. */
  timeoutMs: number;
  random: Random;
  /**
   * Aborted when the exporter shuts down: no new waits, and a wait in progress ends at once with
   * "retries exhausted" (upstream stops the retry sender first, so the queue drains without retries).
   */
  stopRetries: AbortSignal;
  /** Aborted when the shutdown deadline passes: attempts in progress are cancelled. */
  abortAttempts: AbortSignal;
}

/** Sends with retries until success, a permanent error, or retries exhausted. */
export async function sendWithRetry(attempt: Attempt, opts: RetryOptions): Promise<SendResult> {
  const { clock, retry, timeoutMs, stopRetries: stopSignal } = opts;
  const startMs = clock.nowMs();
  const backoff = new Backoff(retry, opts.random);
  let attempts = 0;
  for (;;) {
    attempts++;
    const result = await attemptWithTimeout(attempt, clock, timeoutMs, opts.abortAttempts);
    if (result.kind === 'success') return { ...result, attempts };
    if (result.kind === 'permanent') return { kind: 'permanent', error: result.error, attempts };
    if (!retry.enabled || stopSignal.aborted) return { kind: 'exhausted', error: result.error, attempts };
    const waitMs = Math.max(backoff.next(), result.retryAfterMs ?? 0);
    const elapsedMs = clock.nowMs() - startMs;
    if (retry.maxElapsedTimeMs > 0 && elapsedMs + waitMs > retry.maxElapsedTimeMs) {
      return { kind: 'exhausted', error: result.error, attempts };
    }
    const slept = await sleep(clock, waitMs, stopSignal);
    if (!slept) return { kind: 'exhausted', error: result.error, attempts };
  }
}

/**
 * One attempt bounded by `timeoutMs` and by `abortAttempts`; either ends it as retryable even if
 * the transport has not settled yet (the transport sees its signal aborted and cleans up).
 */
async function attemptWithTimeout(attempt: Attempt, clock: Clock, timeoutMs: number, abortAttempts: AbortSignal): Promise<AttemptResult> {
  const controller = new AbortController();
  let timer: Timer | undefined;
  let onAbort: (() => void) | undefined;
  const cut = new Promise<AttemptResult>((resolve) => {
    const end = (error: Error): void => {
      controller.abort(error);
      resolve({ kind: 'retryable', error });
    };
    onAbort = () => end(new Error('export cancelled: exporter shut down'));
    if (abortAttempts.aborted) onAbort();
    else abortAttempts.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs > 0) timer = clock.setTimer(timeoutMs, () => end(new TimeoutError(`attempt timed out after ${timeoutMs}ms`)));
  });
  try {
    return await Promise.race([attempt(controller.signal), cut]);
  } finally {
    timer?.cancel();
    if (onAbort) abortAttempts.removeEventListener('abort', onAbort);
  }
}

/** Waits `ms` on `clock`; resolves false when `stopSignal` fires first. */
function sleep(clock: Clock, ms: number, stopSignal: AbortSignal): Promise<boolean> {
  if (stopSignal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onStop = (): void => {
      timer.cancel();
      resolve(false);
    };
    const timer = clock.setTimer(ms, () => {
      stopSignal.removeEventListener('abort', onStop);
      resolve(true);
    });
    stopSignal.addEventListener('abort', onStop, { once: true });
  });
}
