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

describe('SdkBatchModel: exports held while the client retries', () => {
  const cfg: SdkBatchConfig = { scheduledDelayMs: 5_000, maxExportBatchSize: 512, maxQueueSize: 2048, exportTimeoutMs: 30_000, exportDurationMs: 5 };

  /** A model whose exports are recorded with their numbers. */
  function model(c: SdkBatchConfig) {
    const rec: { exports: { atMs: number; items: number[]; seq: number }[]; drops: number[] } = { exports: [], drops: [] };
    const m = new SdkBatchModel<number>(c, {
      onExport: (atMs, items, seq) => rec.exports.push({ atMs, items, seq }),
      onDrop: (_atMs, item) => rec.drops.push(item),
    });
    return { m, rec };
  }

  it('keeps the exporter busy until the held export settles; the queue overflows meanwhile', () => {
    const { m, rec } = model(cfg);
    for (let i = 0; i < 512; i++) m.spanEnded(i, i); // the 512th fills a batch: export 0 at t=511
    expect(rec.exports.map((e) => [e.atMs, e.seq])).toEqual([[511, 0]]);
    expect(m.holdExport(0, 511)).toBe(true);
    for (let i = 512; i < 3_512; i++) m.spanEnded(1_000 + (i - 512) * 0.5, i); // 3000 spans by t=2500
    m.advanceTo(3_999);
    expect(rec.exports).toHaveLength(1); // nothing leaves while the export is held (5 ms is long past)
    expect(rec.drops).toHaveLength(3_000 - 2_048);
    expect(rec.drops[0]).toBe(512 + 2_048); // the newest spans are the ones lost
    m.exportSettled(0, 4_000, true); // accepted on a retry at t=4000: busy for that round trip too
    expect(m.nextDueMs()).toBe(4_005);
    m.advanceTo(4_005);
    expect(rec.exports.map((e) => [e.atMs, e.items[0], e.items.length])).toEqual([
      [511, 0, 512],
      [4_005, 512, 512],
    ]);
  });

  it('a give-up frees the exporter at once (no round trip)', () => {
    const { m, rec } = model(cfg);
    for (let i = 0; i < 1_024; i++) m.spanEnded(0, i);
    m.holdExport(0, 0);
    m.exportSettled(0, 7_000, false);
    m.advanceTo(7_000);
    expect(rec.exports.map((e) => e.atMs)).toEqual([0, 7_000]);
  });

  it('stops waiting export_timeout after the export started; a late settle changes nothing', () => {
    const { m, rec } = model({ ...cfg, exportTimeoutMs: 2_000 });
    for (let i = 0; i < 1_024; i++) m.spanEnded(100, i);
    m.holdExport(0, 100);
    m.advanceTo(2_099);
    expect(rec.exports).toHaveLength(1);
    m.advanceTo(2_100); // 100 + 2000: the BSP's own timeout on exporter.export
    expect(rec.exports.map((e) => [e.atMs, e.seq])).toEqual([
      [100, 0],
      [2_100, 1],
    ]);
    m.exportSettled(0, 2_500, true); // the retries ended later: export 1 is in flight, unaffected
    expect(m.nextDueMs()).toBe(2_105);
  });

  it('holds an export the model completed already (a refusal learnt a round trip later): busy again', () => {
    const { m, rec } = model(cfg);
    for (let i = 0; i < 512; i++) m.spanEnded(0, i); // export 0 at t=0, done at t=5
    m.spanEnded(8, 512); // queued after the completion: a timer for t=5008
    expect(m.nextDueMs()).toBe(5_008);
    expect(m.holdExport(0, 0)).toBe(true); // the refusal arrives at t=8: busy again, timer cancelled
    expect(m.nextDueMs()).toBe(30_000);
    m.exportSettled(0, 1_000, false);
    m.advanceTo(6_000);
    expect(rec.exports.map((e) => e.atMs)).toEqual([0, 6_000]); // the timer restarted at 1000
  });

  it('with the next export already out, stays busy until every held export has ended', () => {
    const { m, rec } = model({ ...cfg, exportDurationMs: 0 });
    for (let i = 0; i < 1_024; i++) m.spanEnded(0, i); // exports 0 and 1 both at t=0
    for (let i = 1_024; i < 1_536; i++) m.spanEnded(1, i); // queued: 512 spans, export 2 due at once
    expect(rec.exports.map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(m.holdExport(0, 0)).toBe(true);
    expect(m.holdExport(2, 1)).toBe(true);
    for (let i = 1_536; i < 2_048; i++) m.spanEnded(2, i); // a full batch, but the exporter is busy
    m.exportSettled(2, 500, true);
    m.advanceTo(999);
    expect(rec.exports).toHaveLength(3); // export 0 is still being retried
    m.exportSettled(0, 1_000, true);
    m.advanceTo(1_000);
    expect(rec.exports.map((e) => [e.seq, e.atMs])).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
      [3, 1_000],
    ]);
  });

  it('refuses a hold whose export_timeout has passed, or of an export never made', () => {
    const { m } = model({ ...cfg, exportTimeoutMs: 100 });
    for (let i = 0; i < 512; i++) m.spanEnded(0, i);
    m.advanceTo(200);
    expect(m.holdExport(0, 0)).toBe(false);
    expect(m.holdExport(1, 200)).toBe(false);
    expect(m.nextDueMs()).toBeUndefined();
  });

  const holdsArb = fc.array(fc.record({ hold: fc.boolean(), afterMs: fc.integer({ min: 0, max: 40_000 }), ok: fc.boolean() }), { minLength: 1, maxLength: 20 });

  test.prop([cfgArb, endsArb, holdsArb])('with held exports: every span once, FIFO; no export starts before the held one ends', (c, ends, holds) => {
    const exports: { atMs: number; items: number[]; seq: number }[] = [];
    const drops: number[] = [];
    const toHold: { seq: number; atMs: number }[] = [];
    const m = new SdkBatchModel<number>(c, {
      onExport: (atMs, items, seq) => {
        exports.push({ atMs, items, seq });
        toHold.push({ seq, atMs });
      },
      onDrop: (_atMs, item) => drops.push(item),
    });
    // held export → when it settles, ok; and the busy end it implies
    const settles: { seq: number; atMs: number; ok: boolean }[] = [];
    const busyEnd = new Map<number, number>();
    const holdNew = () => {
      for (const e of toHold.splice(0)) {
        const h = holds[e.seq % holds.length]!;
        if (h.hold && m.holdExport(e.seq, e.atMs)) {
          const settleAt = e.atMs + h.afterMs;
          settles.push({ seq: e.seq, atMs: settleAt, ok: h.ok });
          settles.sort((a, b) => a.atMs - b.atMs);
          busyEnd.set(e.seq, Math.min(e.atMs + c.exportTimeoutMs, settleAt + (h.ok ? c.exportDurationMs : 0)));
        } else busyEnd.set(e.seq, e.atMs + Math.min(c.exportDurationMs, c.exportTimeoutMs));
      }
    };
    let i = 0;
    for (;;) {
      const tEnd = i < ends.length ? ends[i]! : Infinity;
      const tSettle = settles.length > 0 ? settles[0]!.atMs : Infinity;
      const t = Math.min(tEnd, tSettle, m.nextDueMs() ?? Infinity);
      if (t === Infinity) break;
      // the engine's timers (settles) come before the source's events at the same time
      if (tSettle === t) {
        const s = settles.shift()!;
        m.exportSettled(s.seq, t, s.ok);
      } else if (tEnd === t) {
        m.spanEnded(t, i);
        i++;
      } else m.advanceTo(t);
      holdNew();
    }
    const seen = new Array<number>(ends.length).fill(0);
    for (const e of exports) for (const k of e.items) seen[k]!++;
    for (const d of drops) seen[d]!++;
    expect(seen.filter((n) => n !== 1)).toEqual([]);
    const order = exports.flatMap((e) => e.items);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (let k = 1; k < exports.length; k++) expect(exports[k]!.atMs).toBeGreaterThanOrEqual(busyEnd.get(exports[k - 1]!.seq)!);
  });
});
