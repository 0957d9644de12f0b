import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { retryBackoffMs, SdkClient, SDK_RETRY, type SettledOutcome } from '../../../src/engine/sdk-client.js';
import { PermanentError, RetryableError } from '../../../src/pipeline/errors.js';
import { VirtualClock } from '../../../src/pipeline/virtual-clock.js';
import { emptyResource, emptyScope, idFromBytes, type Span, type TraceBatch } from '../../../src/protocol/otlp/model.js';
import { RecordingAccounting } from '../../helpers/host.js';
import { makeSpan } from '../../helpers/spans.js';

function span(i: number): Span {
  const traceId = new Uint8Array(16).fill(1);
  traceId[15] = i;
  return makeSpan({ traceId: idFromBytes(traceId), spanId: idFromBytes(new Uint8Array(8).fill(i + 1)), flags: 1, name: `s${i}`, kind: 1, startTimeUnixNano: 0n, endTimeUnixNano: 1n });
}

function batch(n: number): TraceBatch {
  return { resourceSpans: [{ resource: emptyResource(), scopeSpans: [{ scope: emptyScope(), spans: Array.from({ length: n }, (_, i) => span(i)), schemaUrl: '' }], schemaUrl: '' }] };
}

/** Runs the clock until no timer is pending. */
async function settle(clock: VirtualClock): Promise<void> {
  for (let due = clock.nextDueMs(); due !== undefined; due = clock.nextDueMs()) await clock.advanceTo(due);
}

describe('retryBackoffMs (OTel JS RetryingTransport formula)', () => {
  test.prop([fc.integer({ min: 1, max: 10 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })])(
    'lies within ±20 % of 1 s × 1.5^(k−1), capped at 5 s',
    (k, u) => {
      const base = 1000 * 1.5 ** (k - 1);
      const b = retryBackoffMs(k, u);
      expect(b).toBeGreaterThanOrEqual(Math.min(base * 0.8, 5000) - 1e-9);
      expect(b).toBeLessThanOrEqual(Math.min(base * 1.2, 5000) + 1e-9);
    },
  );
});

describe('SdkClient', () => {
  it('retries a refused export on the virtual clock until accepted, and accounts nothing itself', async () => {
    const clock = new VirtualClock(0);
    const accounting = new RecordingAccounting();
    const attemptsAt: number[] = [];
    const client = new SdkClient(
      async () => {
        attemptsAt.push(clock.nowMs());
        if (attemptsAt.length < 3) throw new RetryableError('refused');
      },
      { clock, accounting, seed: 1 },
    );
    await client.send(batch(3));
    expect(client.waiting).toBe(1);
    await settle(clock);
    expect(attemptsAt).toHaveLength(3);
    // first retry after ~1 s (±20 %), second ~1.5 s later
    expect(attemptsAt[1]!).toBeGreaterThanOrEqual(800);
    expect(attemptsAt[1]!).toBeLessThanOrEqual(1200);
    expect(attemptsAt[2]! - attemptsAt[1]!).toBeGreaterThanOrEqual(1200);
    expect(attemptsAt[2]! - attemptsAt[1]!).toBeLessThanOrEqual(1800);
    expect(client.stats).toMatchObject({ exports: 1, retries: 2, retriedOk: 1, gaveUp: 0, spansDelivered: 9 });
    expect(accounting.totalDropped).toBe(0);
  });

  it('gives up within the export deadline and drops the spans as client_gave_up', async () => {
    const clock = new VirtualClock(0);
    const accounting = new RecordingAccounting();
    let attempts = 0;
    const client = new SdkClient(
      async () => {
        attempts++;
        throw new RetryableError('always refused');
      },
      { clock, accounting, seed: 2 },
    );
    await client.send(batch(4));
    await settle(clock);
    // 1 + at most 5 retries, all starting before the 10 s deadline
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThanOrEqual(1 + SDK_RETRY.maxRetries);
    expect(clock.nowMs()).toBeLessThanOrEqual(SDK_RETRY.timeoutMs);
    expect(accounting.droppedSpans.get('client_gave_up')).toBe(4);
    expect(client.stats.gaveUp).toBe(1);
  });

  it('honours a server retry hint and drops permanent refusals at once', async () => {
    const clock = new VirtualClock(0);
    const accounting = new RecordingAccounting();
    const at: number[] = [];
    const hinted = new SdkClient(
      async () => {
        at.push(clock.nowMs());
        if (at.length === 1) throw new RetryableError('slow down', { retryAfterMs: 2500 });
      },
      { clock, accounting, seed: 3 },
    );
    await hinted.send(batch(1));
    await settle(clock);
    expect(at).toEqual([0, 2500]);

    const permanent = new SdkClient(
      async () => {
        throw new PermanentError('bad data');
      },
      { clock, accounting, seed: 3 },
    );
    await permanent.send(batch(2));
    expect(permanent.waiting).toBe(0);
    expect(accounting.droppedSpans.get('receiver_refused_downstream')).toBe(2);
  });

  it('repeats the same retry schedule for the same seed and export order', async () => {
    const schedule = async (seed: number): Promise<number[]> => {
      const clock = new VirtualClock(0);
      const at: number[] = [];
      const client = new SdkClient(
        async () => {
          at.push(clock.nowMs());
          throw new RetryableError('no');
        },
        { clock, accounting: new RecordingAccounting(), seed },
      );
      await client.send(batch(1));
      await client.send(batch(1));
      await settle(clock);
      return at;
    };
    expect(await schedule(9)).toEqual(await schedule(9));
    expect(await schedule(9)).not.toEqual(await schedule(10));
  });

  it('stop() drops every export waiting for a retry', async () => {
    const clock = new VirtualClock(0);
    const accounting = new RecordingAccounting();
    const client = new SdkClient(
      async () => {
        throw new RetryableError('no');
      },
      { clock, accounting, seed: 4 },
    );
    await client.send(batch(5));
    expect(client.waiting).toBe(1);
    client.stop();
    expect(client.waiting).toBe(0);
    expect(accounting.droppedSpans.get('client_gave_up')).toBe(5);
    await settle(clock);
    expect(accounting.droppedSpans.get('client_gave_up')).toBe(5);
  });

  it('tells whether an export ended on its first attempt, and calls onSettled once when a retried one ends', async () => {
    const clock = new VirtualClock(0);
    const accounting = new RecordingAccounting();
    let refuseNext = 0;
    let permanent = false;
    const client = new SdkClient(
      async () => {
        if (permanent) throw new PermanentError('bad data');
        if (refuseNext > 0) {
          refuseNext--;
          throw new RetryableError('busy');
        }
      },
      { clock, accounting, seed: 2 },
    );
    const settled: [string, number, SettledOutcome][] = [];
    const listen = (label: string) => (atMs: number, outcome: SettledOutcome) => settled.push([label, atMs, outcome]);
    expect(await client.send(batch(1), listen('accepted'))).toBe(true);
    permanent = true;
    expect(await client.send(batch(1), listen('refused for good'))).toBe(true);
    permanent = false;
    refuseNext = 2;
    expect(await client.send(batch(1), listen('accepted on retry 2'))).toBe(false);
    await settle(clock);
    expect(settled).toHaveLength(1);
    expect(settled[0]![0]).toBe('accepted on retry 2');
    expect(settled[0]![2]).toBe('ok');
    expect(settled[0]![1]).toBe(clock.nowMs()); // when the accepted retry happened (the last timer)
    refuseNext = 1_000;
    expect(await client.send(batch(1), listen('given up'))).toBe(false);
    await settle(clock);
    expect(settled.map(([label, , outcome]) => [label, outcome])).toEqual([
      ['accepted on retry 2', 'ok'],
      ['given up', 'failed'],
    ]);
    expect(await client.send(batch(1), listen('stopped'))).toBe(false);
    client.stop();
    expect(settled.at(-1)).toEqual(['stopped', clock.nowMs(), 'stopped']);
    expect(settled).toHaveLength(3);
  });
});
