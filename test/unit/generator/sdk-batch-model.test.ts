import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { SdkBatchModel, type SdkBatchConfig } from '../../../src/generator/sdk-batch-model.js';

interface Record_ {
  exports: { atMs: number; items: number[] }[];
  drops: { atMs: number; item: number }[];
}

/** Feeds spans ending at `ends` (sorted) and runs the model to quiescence. */
function run(cfg: SdkBatchConfig, ends: number[]): Record_ & { maxQueued: number } {
  const rec: Record_ = { exports: [], drops: [] };
  const model = new SdkBatchModel<number>(cfg, {
    onExport: (atMs, items) => rec.exports.push({ atMs, items }),
    onDrop: (atMs, item) => rec.drops.push({ atMs, item }),
  });
  let maxQueued = 0;
  ends.forEach((t, i) => {
    model.spanEnded(t, i);
    maxQueued = Math.max(maxQueued, model.queued);
  });
  for (let due = model.nextDueMs(); due !== undefined; due = model.nextDueMs()) model.advanceTo(due);
  return { ...rec, maxQueued };
}

const cfgArb: fc.Arbitrary<SdkBatchConfig> = fc
  .record({
    scheduledDelayMs: fc.integer({ min: 0, max: 5_000 }),
    maxExportBatchSize: fc.integer({ min: 1, max: 64 }),
    extraQueue: fc.integer({ min: 0, max: 128 }),
    exportTimeoutMs: fc.integer({ min: 0, max: 1_000 }),
    exportDurationMs: fc.integer({ min: 0, max: 500 }),
  })
  .map((c) => ({
    scheduledDelayMs: c.scheduledDelayMs,
    maxExportBatchSize: c.maxExportBatchSize,
    maxQueueSize: c.maxExportBatchSize + c.extraQueue,
    exportTimeoutMs: c.exportTimeoutMs,
    exportDurationMs: c.exportDurationMs,
  }));

const endsArb = fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 600 }).map((a) => a.sort((x, y) => x - y));

describe('SdkBatchModel', () => {
  test.prop([cfgArb, endsArb])('every span is exported or dropped exactly once, in FIFO order', (cfg, ends) => {
    const r = run(cfg, ends);
    const seen = new Array<number>(ends.length).fill(0);
    for (const e of r.exports) for (const i of e.items) seen[i]!++;
    for (const d of r.drops) seen[d.item]!++;
    expect(seen.filter((n) => n !== 1)).toEqual([]);
    const exported = r.exports.flatMap((e) => e.items);
    expect(exported).toEqual([...exported].sort((a, b) => a - b));
  });

  test.prop([cfgArb, endsArb])('queue ≤ max_queue_size, batches ≤ max_export_batch_size, export time ≥ end time', (cfg, ends) => {
    const r = run(cfg, ends);
    expect(r.maxQueued).toBeLessThanOrEqual(cfg.maxQueueSize);
    expect(r.exports.filter((e) => e.items.length < 1 || e.items.length > cfg.maxExportBatchSize)).toEqual([]);
    expect(r.exports.filter((e) => e.items.some((i) => ends[i]! > e.atMs))).toEqual([]);
    // exports never overlap: each starts after the previous one's round trip
    const busyMs = Math.min(cfg.exportDurationMs, cfg.exportTimeoutMs);
    for (let k = 1; k < r.exports.length; k++) expect(r.exports[k]!.atMs).toBeGreaterThanOrEqual(r.exports[k - 1]!.atMs + busyMs);
  });

  const cfg: SdkBatchConfig = { scheduledDelayMs: 5_000, maxExportBatchSize: 512, maxQueueSize: 2048, exportTimeoutMs: 30_000, exportDurationMs: 5 };

  it('exports a trickle scheduled_delay after the first span entered the empty queue', () => {
    const r = run(cfg, [100, 200, 4_000]);
    expect(r.exports).toEqual([{ atMs: 5_100, items: [0, 1, 2] }]);
  });

  it('exports immediately when the queue reaches max_export_batch_size', () => {
    const ends = Array.from({ length: 512 }, (_, i) => 1_000 + i);
    const r = run(cfg, ends);
    expect(r.exports).toHaveLength(1);
    expect(r.exports[0]!.atMs).toBe(1_511);
  });

  it('drops spans when the queue is full while an export is in flight (sdk_queue_full)', () => {
    // Export takes 1 s; 3000 spans end within it → after the first batch leaves, the queue fills.
    const slow: SdkBatchConfig = { ...cfg, exportDurationMs: 1_000 };
    const ends = Array.from({ length: 3_000 }, (_, i) => i * 0.1);
    const r = run(slow, ends);
    // 512 leave at once; the queue then holds at most 2048 more while the exporter is busy.
    expect(r.drops).toHaveLength(3_000 - 512 - 2048);
    expect(r.drops[0]!.item).toBe(512 + 2048);
  });

  it('restarts the timer when an export completes with spans left', () => {
    const slow: SdkBatchConfig = { ...cfg, maxExportBatchSize: 2, maxQueueSize: 10, exportDurationMs: 100 };
    // t=0,1: batch of 2 leaves at t=1; t=2 queues during the export; export done at 101 → timer to 5101
    const r = run(slow, [0, 1, 2]);
    expect(r.exports).toEqual([
      { atMs: 1, items: [0, 1] },
      { atMs: 5_101, items: [2] },
    ]);
  });
});
