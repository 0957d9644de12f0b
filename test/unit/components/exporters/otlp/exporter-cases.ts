/**
 * The exporterhelper behaviours every network exporter must show against the test OTLP server,
 * shared by the `otlp` and `otlphttp` exporter tests: retries then success, retries exhausted,
 * permanent failure, queue full, partial success, shutdown drain — each landing under its drop
 * reason, with the ledger balanced (every span handed in is exported or dropped exactly once).
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ExporterFactory } from '../../../../../src/pipeline/factory.js';
import type { QueuedRetryExporter } from '../../../../../src/components/exporters/shared/exporter-helper.js';
import { PermanentError } from '../../../../../src/pipeline/errors.js';
import { spanCount } from '../../../../../src/protocol/otlp/model.js';
import { startOtlpTestServer, type OtlpTestServer } from '../../../../helpers/otlp-test-server.js';
import { createTestHost } from '../../../../helpers/host.js';
import { createLiveHost, type LiveTestHost } from '../../receivers/otlp/live-host.js';
import { makeBatch } from '../../receivers/otlp/batches.js';

export interface ExporterUnderTest {
  name: string;
  factory: ExporterFactory;
  /** The raw YAML body pointing at the server, merged with `extra`. */
  raw(server: OtlpTestServer, extra: Record<string, unknown>): Record<string, unknown>;
  requests(server: OtlpTestServer): number;
  /** gzip requests the server saw; undefined where the transport hides it (grpc-js strips grpc-encoding). */
  gzipped?(server: OtlpTestServer): number;
}

const FAST_RETRY = { initial_interval: '5ms', max_interval: '20ms', randomization_factor: 0.5, multiplier: 1.5, max_elapsed_time: '5s' };

export function exporterCases(e: ExporterUnderTest): void {
  describe(`${e.name} exporter against the test OTLP server`, () => {
    let server: OtlpTestServer;
    let host: LiveTestHost;
    let sent = 0;
    const open: QueuedRetryExporter[] = [];

    beforeEach(async () => {
      server = await startOtlpTestServer();
      host = createLiveHost();
      sent = 0;
    });
    afterEach(async () => {
      for (const x of open.splice(0)) await x.shutdown();
      await server.close();
    });

    async function create(extra: Record<string, unknown> = {}): Promise<QueuedRetryExporter> {
      const parsed = e.factory.parseConfig(e.raw(server, { retry_on_failure: FAST_RETRY, ...extra }), `exporters.${e.name}`);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      const x = e.factory.createTraces({ id: e.name, compat: 'current' }, parsed.config) as QueuedRetryExporter;
      await x.start(host);
      open.push(x);
      return x;
    }

    function send(x: QueuedRetryExporter, n: number): Promise<void> {
      sent += n;
      return x.consumeTraces(makeBatch(n));
    }

    function expectBalanced(): void {
      expect(host.accounting.exportedSpans + host.accounting.totalDropped).toBe(sent);
    }

    function dropped(reason: string): number {
      return host.accounting.droppedSpans.get(reason as never) ?? 0;
    }

    test('delivers batches (gzip-compressed by default) and counts sent spans', async () => {
      const x = await create();
      await send(x, 3);
      await send(x, 4);
      await x.shutdown();
      expect(server.acceptedSpans()).toBe(7);
      if (e.gzipped) expect(e.gzipped(server)).toBe(2);
      expect(host.accounting.exportedSpans).toBe(7);
      expect(host.telemetry.sum('otelcol_exporter_sent_spans', { exporter: e.name })).toBe(7);
      expect(x.storedBytes()).toBeGreaterThan(0);
      expectBalanced();
    });

    test('retries retryable refusals, honouring the retry hint, then succeeds', async () => {
      server.script([{ kind: 'refuse' }, { kind: 'refuse', retryAfterMs: 1000 }]);
      const x = await create({ sending_queue: { enabled: false } });
      await send(x, 5);
      expect(e.requests(server)).toBe(3);
      expect(server.acceptedSpans()).toBe(5);
      expect(host.accounting.exportedSpans).toBe(5);
      expect(host.accounting.totalDropped).toBe(0);
      expectBalanced();
    });

    test('gives up after max_elapsed_time: exporter_send_failed_retry_exhausted', async () => {
      server.setDefault({ kind: 'refuse' });
      const x = await create({ sending_queue: { enabled: false }, retry_on_failure: { ...FAST_RETRY, max_elapsed_time: '60ms' } });
      await send(x, 4); // the helper accounts the loss itself, so it resolves
      // How many attempts fit in 60 ms depends on the machine; retry.test.ts checks the schedule.
      expect(e.requests(server)).toBeGreaterThanOrEqual(1);
      expect(dropped('exporter_send_failed_retry_exhausted')).toBe(4);
      expect(host.telemetry.sum('otelcol_exporter_send_failed_spans', { exporter: e.name })).toBe(4);
      expectBalanced();
    });

    test('does not retry a permanent failure: exporter_send_failed_permanent', async () => {
      server.setDefault({ kind: 'fail' });
      const x = await create();
      await send(x, 3);
      await x.shutdown();
      expect(e.requests(server)).toBe(1);
      expect(dropped('exporter_send_failed_permanent')).toBe(3);
      expectBalanced();
    });

    test('a full sending queue refuses at once: exporter_enqueue_failed (queue_size counts requests in flight)', async () => {
      server.setDefault({ kind: 'delay', ms: 100, then: { kind: 'accept' } });
      const x = await create({ sending_queue: { num_consumers: 1, queue_size: 2 } });
      await send(x, 2); // taken by the consumer; keeps its place until sent
      await send(x, 3); // waits in the queue
      expect(x.queueSize).toBe(2);
      expect(host.telemetry.snapshot().find((m) => m.name === 'otelcol_exporter_queue_size')?.value).toBe(2);
      expect(x.heldBytes()).toBeGreaterThan(0);
      await send(x, 4); // refused at once, accounted, resolved
      expect(dropped('exporter_enqueue_failed')).toBe(4);
      expect(host.telemetry.sum('otelcol_exporter_enqueue_failed_spans', { exporter: e.name })).toBe(4);
      await x.shutdown();
      expect(server.acceptedSpans()).toBe(5);
      expect(x.heldBytes()).toBe(0);
      expectBalanced();
    });

    test('sizer items: queue_size counts spans; a request larger than the queue is refused', async () => {
      server.setDefault({ kind: 'delay', ms: 100, then: { kind: 'accept' } });
      const x = await create({ sending_queue: { num_consumers: 1, queue_size: 6, sizer: 'items' } });
      await send(x, 2); // in flight: 2 of 6
      await send(x, 3); // waiting: 5 of 6
      expect(x.queueSize).toBe(5);
      await send(x, 2); // 7 > 6: full
      await send(x, 1); // 6 of 6
      await send(x, 7); // can never fit
      expect(dropped('exporter_enqueue_failed')).toBe(9);
      await x.shutdown();
      expect(server.acceptedSpans()).toBe(6);
      expectBalanced();
    });

    test('a partial success drops the rejected count as backend_partial_reject', async () => {
      server.script([{ kind: 'partial', rejected: 2, message: 'too old' }]);
      const x = await create();
      await send(x, 5);
      await x.shutdown();
      expect(dropped('backend_partial_reject')).toBe(2);
      expect(host.accounting.exportedSpans).toBe(3);
      expectBalanced();
    });

    test('shutdown drains the queue when the backend keeps up', async () => {
      server.setDefault({ kind: 'delay', ms: 20, then: { kind: 'accept' } });
      const x = await create({ sending_queue: { num_consumers: 1, queue_size: 10 } });
      for (let i = 0; i < 4; i++) await send(x, 2);
      await x.shutdown();
      expect(server.acceptedSpans()).toBe(8);
      expect(host.accounting.exportedSpans).toBe(8);
      expectBalanced();
    });

    test('shutdown drops what it cannot drain within the timeout: exporter_queue_dropped_on_shutdown', async () => {
      server.setDefault({ kind: 'delay', ms: 2_000, then: { kind: 'accept' } });
      const x = await create({ timeout: '200ms', sending_queue: { num_consumers: 1, queue_size: 10 } });
      for (let i = 0; i < 3; i++) await send(x, 2);
      await x.shutdown();
      expect(dropped('exporter_queue_dropped_on_shutdown')).toBeGreaterThanOrEqual(2);
      expect(host.accounting.exportedSpans).toBe(0);
      expect(x.heldBytes()).toBe(0);
      expectBalanced();
      await expect(x.consumeTraces(makeBatch(1))).rejects.toBeInstanceOf(PermanentError);
    });

    test('in sim mode nothing is sent: the batch is measured and exported', async () => {
      const sim = createTestHost();
      const parsed = e.factory.parseConfig(e.raw(server, {}), `exporters.${e.name}`);
      if (!parsed.ok) throw new Error('config');
      const x = e.factory.createTraces({ id: e.name, compat: 'current' }, parsed.config) as QueuedRetryExporter;
      await x.start(sim);
      const batch = makeBatch(6);
      await x.consumeTraces(batch);
      await x.shutdown();
      expect(e.requests(server)).toBe(0);
      expect(sim.accounting.exportedSpans).toBe(6);
      expect(x.spans()).toBe(spanCount(makeBatch(6)));
      expect(x.storedBytes()).toBeGreaterThan(0);
    });
  });
}
