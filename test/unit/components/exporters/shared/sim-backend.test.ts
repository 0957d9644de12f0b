/**
 * Network exporters in sim runs with a downstream model: the simulated backend (latency, outage
 * windows) on the virtual clock, and the exporter helper's queue and retries running against it.
 */
import { describe, expect, it } from 'vitest';
import { SimBackendTransport } from '../../../../../src/components/exporters/shared/sim-backend.js';
import { otlpExporterFactory } from '../../../../../src/components/exporters/otlp/factory.js';
import type { DownstreamModel } from '../../../../../src/pipeline/component.js';
import type { ExporterFactory } from '../../../../../src/pipeline/factory.js';
import { VirtualClock } from '../../../../../src/pipeline/virtual-clock.js';
import { createTestHost } from '../../../../helpers/host.js';
import { makeBatch, makeSpan } from '../../../../helpers/spans.js';

const T0 = Date.UTC(2026, 0, 1);

/** Down for `exporterId` in [fromMs, toMs) after T0. */
function outage(exporterId: string, fromMs: number, toMs: number, latencyMs: number): DownstreamModel {
  return { latencyMs, isDown: (id, now) => id === exporterId && now >= T0 + fromMs && now < T0 + toMs };
}

describe('SimBackendTransport', () => {
  it('answers after the latency on the virtual clock: accepted, or refused (retryable) inside an outage of its exporter', async () => {
    const clock = new VirtualClock(T0);
    const tempo = new SimBackendTransport(clock, outage('otlp/tempo', 1_000, 2_000, 50), 'otlp/tempo');
    const other = new SimBackendTransport(clock, outage('otlp/tempo', 1_000, 2_000, 50), 'otlp/other');
    const signal = new AbortController().signal;
    const answers: string[] = [];
    const record = (label: string) => (r: { kind: string }) => answers.push(`${label} ${r.kind} at ${clock.nowMs() - T0}`);
    void tempo.send(new Uint8Array(0), signal).then(record('tempo'));
    await clock.advanceTo(T0 + 1_000);
    void tempo.send(new Uint8Array(0), signal).then(record('tempo'));
    void other.send(new Uint8Array(0), signal).then(record('other'));
    await clock.advanceTo(T0 + 2_000);
    expect(answers).toEqual(['tempo success at 50', 'tempo retryable at 1050', 'other success at 1050']);
  });

  it('ends an aborted attempt at once, as retryable', async () => {
    const clock = new VirtualClock(T0);
    const t = new SimBackendTransport(clock, outage('x', 0, 0, 1_000), 'x');
    const abort = new AbortController();
    const pending = t.send(new Uint8Array(0), abort.signal);
    abort.abort(new Error('attempt timed out'));
    await expect(pending).resolves.toMatchObject({ kind: 'retryable', error: { message: 'attempt timed out' } });
    expect(clock.nextDueMs()).toBeUndefined(); // the latency timer was cancelled
  });
});

describe('exporter helper in a sim run with a downstream model', () => {
  const factory = otlpExporterFactory as ExporterFactory;
  const config = (extra: Record<string, unknown>) => {
    const parsed = factory.parseConfig({ endpoint: 'tempo:4317', tls: { insecure: true }, ...extra }, 'exporters.otlp/tempo');
    if (!parsed.ok) throw new Error('bad config');
    return parsed.config;
  };

  it('queues and retries through an outage on the virtual clock, then exports', async () => {
    const host = { ...createTestHost(T0), downstream: outage('otlp/tempo', 0, 10_000, 20) };
    const exporter = factory.createTraces({ id: 'otlp/tempo', compat: 'current' }, config({ retry_on_failure: { initial_interval: '2s', randomization_factor: 0 } }));
    await exporter.start(host);
    await exporter.consumeTraces(makeBatch([makeSpan(), makeSpan()]));
    expect(host.accounting.exportedSpans).toBe(0);
    // each answer comes 20 ms after its attempt, then the backoff (2 s × 1.5^k) runs: attempts at
    // 0, 2.02, 5.04, 9.56 s are refused (inside the outage); the one at 16.33 s is accepted at 16.35 s
    await host.clock.advanceTo(T0 + 16_349);
    expect(host.accounting.exportedSpans).toBe(0);
    await host.clock.advanceTo(T0 + 16_350);
    expect(host.accounting.exportedSpans).toBe(2);
    expect(host.accounting.totalDropped).toBe(0);
    await exporter.shutdown();
  });

  it('drops what overflows the sending queue during an outage (exporter_enqueue_failed), and at shutdown what is still queued', async () => {
    const host = { ...createTestHost(T0), downstream: outage('otlp/tempo', 0, 60_000, 0) };
    const exporter = factory.createTraces({ id: 'otlp/tempo', compat: 'current' }, config({ sending_queue: { num_consumers: 1, queue_size: 2 } }));
    await exporter.start(host);
    for (let i = 0; i < 3; i++) await exporter.consumeTraces(makeBatch([makeSpan()]));
    expect(host.accounting.droppedSpans.get('exporter_enqueue_failed')).toBe(1);
    // the virtual clock stands still at shutdown: no drain wait, the two queued requests are lost
    await exporter.shutdown();
    expect(host.accounting.exportedSpans).toBe(0);
    expect(host.accounting.totalDropped).toBe(3);
  });
});
