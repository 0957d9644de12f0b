import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { BatchProcessor } from '../../../../../src/components/processors/batch/batch-processor.js';
import { batchProcessorFactory } from '../../../../../src/components/processors/batch/factory.js';
import { defaultBatchProcessorConfig, type BatchProcessorConfig } from '../../../../../src/components/processors/batch/config.js';
import { mergeBatches, splitSpans } from '../../../../../src/components/processors/batch/split.js';
import type { AccountedBatch } from '../../../../../src/pipeline/accounting.js';
import { PermanentError, ShutdownError } from '../../../../../src/pipeline/errors.js';
import { spanCount, type TraceBatch } from '../../../../../src/protocol/otlp/model.js';
import { createTestHost } from '../../../../helpers/host.js';
import { TracesSink } from '../../../../helpers/traces-sink.js';
import { makeBatch, makeSpan, spansBatch } from '../../../../helpers/spans.js';

async function setup(over: Partial<BatchProcessorConfig> = {}) {
  const host = createTestHost();
  const sink = new TracesSink();
  const proc = new BatchProcessor({ id: 'batch', compat: 'current' }, { ...defaultBatchProcessorConfig(), ...over }, sink);
  await proc.start(host);
  return { host, sink, proc };
}

const t0 = Date.UTC(2026, 0, 1);

describe('batch processor', () => {
  it('sends when send_batch_size is reached, splitting at send_batch_max_size', async () => {
    const { sink, proc, host } = await setup({ sendBatchSize: 10, sendBatchMaxSize: 15, timeoutMs: 1000 });
    await proc.consumeTraces(spansBatch(6));
    expect(sink.batches).toHaveLength(0);
    await proc.consumeTraces(spansBatch(30));
    // 36 buffered ≥ 10: send 15, 15; 6 left < 10 stay for the timer
    expect(sink.batches.map(spanCount)).toEqual([15, 15]);
    expect(proc.heldSpans()).toBe(6);
    expect(host.telemetry.sum('otelcol_processor_batch_batch_size_trigger_send')).toBe(2);
  });

  it('the timer sends on the host clock at last reset + k × timeout', async () => {
    const { sink, proc, host } = await setup({ sendBatchSize: 100, timeoutMs: 200 });
    await host.clock.advanceTo(t0 + 450);
    await proc.consumeTraces(spansBatch(3)); // timer phase: 200, 400, 600 …
    await host.clock.advanceTo(t0 + 599);
    expect(sink.batches).toHaveLength(0);
    await host.clock.advanceTo(t0 + 600);
    expect(sink.batches.map(spanCount)).toEqual([3]);
    expect(host.telemetry.sum('otelcol_processor_batch_timeout_trigger_send')).toBe(1);
    expect(host.clock.nextDueMs()).toBeUndefined();
  });

  it('send_batch_size 0 sends every call at once, split at send_batch_max_size (upstream runs no timer then)', async () => {
    const { sink, proc, host } = await setup({ sendBatchSize: 0, sendBatchMaxSize: 3, timeoutMs: 200 });
    await proc.consumeTraces(spansBatch(7));
    expect(sink.batches.map(spanCount)).toEqual([3, 3, 1]);
    expect(host.clock.nextDueMs()).toBeUndefined();
  });

  it('timeout 0 sends every call at once', async () => {
    const { sink, proc } = await setup({ sendBatchSize: 8192, timeoutMs: 0 });
    await proc.consumeTraces(spansBatch(2));
    expect(sink.batches.map(spanCount)).toEqual([2]);
  });

  it('keeps shadow copies apart from ledger batches', async () => {
    const { sink, proc } = await setup({ sendBatchSize: 4, timeoutMs: 1000 });
    const shadow: AccountedBatch = { ...spansBatch(3), shadow: true };
    await proc.consumeTraces(spansBatch(3));
    await proc.consumeTraces(shadow);
    expect(sink.batches).toHaveLength(0);
    await proc.consumeTraces(spansBatch(1));
    expect(sink.batches).toHaveLength(1);
    expect((sink.batches[0] as AccountedBatch).shadow).toBeUndefined();
    await proc.shutdown();
    expect((sink.batches[1] as AccountedBatch).shadow).toBe(true);
  });

  it('swallows downstream errors and reports the spans as dropped batch_send_failed', async () => {
    const { sink, proc, host } = await setup({ sendBatchSize: 2, timeoutMs: 0 });
    sink.failWith = () => new PermanentError('backend said no');
    await expect(proc.consumeTraces(spansBatch(3))).resolves.toBeUndefined();
    expect(host.accounting.droppedSpans.get('batch_send_failed')).toBe(3);
  });

  it('counts a trigger and a send size only for sends the next consumer accepted (upstream shard.sendItems)', async () => {
    const { sink, proc, host } = await setup({ sendBatchSize: 2, timeoutMs: 1000 });
    sink.failWith = () => new PermanentError('backend said no');
    await proc.consumeTraces(spansBatch(2));
    const sendSize = () => host.telemetry.snapshot().find((m) => m.name === 'otelcol_processor_batch_batch_send_size');
    expect(host.telemetry.sum('otelcol_processor_batch_batch_size_trigger_send')).toBe(0);
    expect(sendSize()?.count ?? 0).toBe(0);
    sink.failWith = undefined;
    await proc.consumeTraces(spansBatch(3));
    expect(host.telemetry.sum('otelcol_processor_batch_batch_size_trigger_send')).toBe(1);
    expect(sendSize()).toMatchObject({ count: 1, value: 3 });
  });

  it('the send at shutdown counts as a timeout trigger, as upstream', async () => {
    const { sink, proc, host } = await setup({ sendBatchSize: 100, timeoutMs: 10_000 });
    await proc.consumeTraces(spansBatch(4));
    await proc.shutdown();
    expect(sink.batches.map(spanCount)).toEqual([4]);
    expect(host.telemetry.sum('otelcol_processor_batch_timeout_trigger_send')).toBe(1);
    expect(host.telemetry.sum('otelcol_processor_batch_batch_size_trigger_send')).toBe(0);
  });

  it('holds the exact bytes it buffers and flushes everything on shutdown; then refuses', async () => {
    const { sink, proc } = await setup({ sendBatchSize: 1000, timeoutMs: 10_000 });
    await proc.consumeTraces(spansBatch(5));
    expect(proc.heldBytes()).toBeGreaterThan(0);
    await proc.shutdown();
    await proc.shutdown();
    expect(sink.spanCount).toBe(5);
    expect(proc.heldBytes()).toBe(0);
    await expect(proc.consumeTraces(spansBatch(1))).rejects.toBeInstanceOf(ShutdownError);
  });

  it('validates send_batch_max_size ≥ send_batch_size', () => {
    const r = batchProcessorFactory.parseConfig({ send_batch_size: 100, send_batch_max_size: 50 }, 'processors.batch');
    expect(r.ok ? [] : r.problems).toEqual([{ path: 'processors.batch.send_batch_max_size', message: 'must be greater or equal to send_batch_size (100)' }]);
  });

  it('rejects duplicate metadata_keys, ignoring case (upstream Config.Validate)', () => {
    const r = batchProcessorFactory.parseConfig({ metadata_keys: ['tenant', 'X-Scope', 'x-scope'] }, 'processors.batch');
    expect(r.ok ? [] : r.problems).toEqual([{ path: 'processors.batch.metadata_keys[2]', message: 'duplicate entry in metadata_keys: "x-scope" (case-insensitive)' }]);
    expect(batchProcessorFactory.parseConfig({ metadata_keys: ['tenant', 'scope'] }, 'processors.batch').ok).toBe(true);
  });

  const batchArb = fc.array(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }).map((resources) => {
    let name = 0;
    const b: TraceBatch = { resourceSpans: [] };
    for (const scopes of resources) {
      const rs = makeBatch([]).resourceSpans[0]!;
      rs.scopeSpans = scopes.map((n) => ({ scope: { name: `s${name}`, version: '', attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', spans: Array.from({ length: n }, () => makeSpan({ name: `span${name++}` })) }));
      b.resourceSpans.push(rs);
    }
    return b;
  });

  test.prop([batchArb, fc.nat()])('splitting preserves every span in order', (batch, k) => {
    const total = spanCount(batch);
    const n = 1 + (k % Math.max(1, total - 1));
    if (n >= total) return;
    const { head, rest } = splitSpans(batch, n);
    expect(spanCount(head)).toBe(n);
    const names = (b: TraceBatch) => b.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name)));
    expect(names(mergeBatches([head, rest]))).toEqual(names(batch));
  });

  test.prop([fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 30 })])(
    'every span comes out once; no sent batch exceeds send_batch_max_size',
    async (sizes, size, extra) => {
      const max = extra === 0 ? 0 : size + extra;
      const { sink, proc } = await setup({ sendBatchSize: size, sendBatchMaxSize: max, timeoutMs: 200 });
      for (const n of sizes) await proc.consumeTraces(spansBatch(n));
      await proc.shutdown();
      expect(sink.spanCount).toBe(sizes.reduce((a, b) => a + b, 0));
      if (max > 0) for (const b of sink.batches) expect(spanCount(b)).toBeLessThanOrEqual(max);
    },
  );
});
