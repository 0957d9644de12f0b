import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Backoff, defaultRetryConfig, sendWithRetry, type AttemptResult, type RetryConfig } from '../../../../../src/components/exporters/shared/retry.js';
import { VirtualClock } from '../../../../../src/pipeline/virtual-clock.js';
import { Random } from '../../../../../src/shared/random.js';

/** Runs `sendWithRetry` on a virtual clock, advancing time until it settles. */
async function runVirtual(results: (n: number) => AttemptResult, retry: RetryConfig, timeoutMs = 0) {
  const clock = new VirtualClock(0);
  const times: number[] = [];
  let settled = false;
  const promise = sendWithRetry(
    async () => {
      times.push(clock.nowMs());
      return results(times.length);
    },
    { clock, retry, timeoutMs, random: new Random(7), stopRetries: new AbortController().signal, abortAttempts: new AbortController().signal },
  ).finally(() => (settled = true));
  for (let guard = 0; guard < 10_000 && !settled; guard++) {
    await new Promise((r) => setImmediate(r));
    const due = clock.nextDueMs();
    if (due !== undefined) await clock.advanceTo(due);
  }
  return { result: await promise, times, endMs: clock.nowMs() };
}

const refuse: AttemptResult = { kind: 'retryable', error: new Error('unavailable') };

describe('exporterhelper backoff', () => {
  test.prop([fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 1, max: 3, noNaN: true }), fc.integer()])(
    'each wait lies in interval × [1 − f, 1 + f] and the interval grows by the multiplier up to max_interval',
    (initial, factor, multiplier, seed) => {
      const cfg: RetryConfig = { ...defaultRetryConfig(), initialIntervalMs: initial, randomizationFactor: factor, multiplier, maxIntervalMs: initial * 4 };
      const backoff = new Backoff(cfg, new Random(seed));
      let interval = initial;
      for (let i = 0; i < 12; i++) {
        const wait = backoff.next();
        expect(wait).toBeGreaterThanOrEqual(interval * (1 - factor) - 1e-9);
        expect(wait).toBeLessThanOrEqual(interval * (1 + factor) + 1e-9);
        interval = Math.min(interval * multiplier, cfg.maxIntervalMs);
      }
    },
  );

  test('retries in virtual time until max_elapsed_time, never starting an attempt after it', async () => {
    const cfg = defaultRetryConfig(); // 5 s initial, 300 s budget
    const { result, times } = await runVirtual(() => refuse, cfg);
    expect(result.kind).toBe('exhausted');
    expect(times.length).toBeGreaterThan(5);
    expect(times[times.length - 1]!).toBeLessThanOrEqual(cfg.maxElapsedTimeMs);
    const again = await runVirtual(() => refuse, cfg);
    expect(again.times).toEqual(times);
  });

  test('without jitter the waits are initial × multiplier^n capped at max_interval; an attempt exactly at max_elapsed_time still runs', async () => {
    const cfg: RetryConfig = { enabled: true, initialIntervalMs: 1000, randomizationFactor: 0, multiplier: 2, maxIntervalMs: 5000, maxElapsedTimeMs: 12_000 };
    const { result, times } = await runVirtual(() => refuse, cfg);
    // waits 1, 2, 4, 5 s → attempts at 0, 1, 3, 7, 12 s; the next wait (5 s) would end at 17 s > 12 s
    expect(times).toEqual([0, 1000, 3000, 7000, 12_000]);
    expect(result).toMatchObject({ kind: 'exhausted', attempts: 5 });
  });

  test('a server hint longer than the backoff sets the wait', async () => {
    const { result, times } = await runVirtual((n) => (n < 2 ? { ...refuse, retryAfterMs: 60_000 } : { kind: 'success', rejectedSpans: 0, errorMessage: '' }), defaultRetryConfig());
    expect(result).toMatchObject({ kind: 'success', attempts: 2 });
    expect(times[1]! - times[0]!).toBe(60_000);
  });

  test('a permanent error stops at once; disabled retries give up after one attempt', async () => {
    const permanent = await runVirtual(() => ({ kind: 'permanent', error: new Error('bad') }), defaultRetryConfig());
    expect(permanent.result).toMatchObject({ kind: 'permanent', attempts: 1 });
    const disabled = await runVirtual(() => refuse, { ...defaultRetryConfig(), enabled: false });
    expect(disabled.result).toMatchObject({ kind: 'exhausted', attempts: 1 });
  });

  test('an attempt that outlives the timeout is retried', async () => {
    const clock = new VirtualClock(0);
    let attempts = 0;
    const promise = sendWithRetry(
      (signal) => {
        attempts++;
        if (attempts === 1) return new Promise<AttemptResult>((resolve) => signal.addEventListener('abort', () => resolve(refuse)));
        return Promise.resolve({ kind: 'success', rejectedSpans: 0, errorMessage: '' });
      },
      { clock, retry: defaultRetryConfig(), timeoutMs: 5_000, random: new Random(1), stopRetries: new AbortController().signal, abortAttempts: new AbortController().signal },
    );
    await clock.advanceTo(5_000);
    await new Promise((r) => setImmediate(r));
    await clock.advanceTo(clock.nextDueMs()!);
    expect(await promise).toMatchObject({ kind: 'success', attempts: 2 });
  });

  test('stopping retries ends a wait in progress as exhausted', async () => {
    const clock = new VirtualClock(0);
    const stop = new AbortController();
    const promise = sendWithRetry(async () => refuse, {
      clock,
      retry: defaultRetryConfig(),
      timeoutMs: 0,
      random: new Random(1),
      stopRetries: stop.signal,
      abortAttempts: new AbortController().signal,
    });
    await new Promise((r) => setImmediate(r));
    stop.abort();
    expect(await promise).toMatchObject({ kind: 'exhausted', attempts: 1 });
  });
});
