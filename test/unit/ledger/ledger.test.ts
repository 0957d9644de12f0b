import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { Ledger, type TraceClass } from '../../../src/ledger/ledger.js';
import type { AccountedBatch, DropReason } from '../../../src/pipeline/accounting.js';
import { emptyScope, idFromBytes, type Span, type TraceBatch } from '../../../src/protocol/otlp/model.js';
import { makeSpan } from '../../helpers/spans.js';

function traceId(i: number): string {
  const id = new Uint8Array(16);
  new DataView(id.buffer).setUint32(12, i + 1);
  id[0] = 0xab;
  return idFromBytes(id);
}

function span(tid: string): Span {
  return makeSpan({ traceId: tid, spanId: idFromBytes(new Uint8Array(8).fill(1)), flags: 0, name: 's', kind: 1, startTimeUnixNano: 0n, endTimeUnixNano: 1n });
}

/** A batch with `n` spans of each listed trace, under one resource for `service`. */
function batch(parts: { trace: number; n: number }[], service = 'svc'): TraceBatch {
  const spans: Span[] = [];
  for (const p of parts) {
    // a fresh id string per part: the ledger must not rely on string identity
    const tid = traceId(p.trace);
    for (let i = 0; i < p.n; i++) spans.push(span(tid));
  }
  return {
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: service }], droppedAttributesCount: 0 }, scopeSpans: [{ scope: emptyScope(), spans, schemaUrl: '' }], schemaUrl: '' }],
  };
}

describe('Ledger', () => {
  it('counts a small run by hand', () => {
    const l = new Ledger();
    l.traceGenerated({ traceId: traceId(0), class: 'error', spanCount: 3, spansByService: { a: 2, b: 1 } });
    l.traceGenerated({ traceId: traceId(1), class: 'normal', spanCount: 2, spansByService: { a: 2 } });
    l.traceGenerated({ traceId: traceId(2), class: 'slow', spanCount: 4 });
    expect(l.balance()).toEqual({ balanced: true, residual: 0, inFlight: 9 });

    l.exported(batch([{ trace: 0, n: 2 }], 'a'), 'otlp');
    l.dropped(batch([{ trace: 0, n: 1 }]), 'tail_sampling', 'late_span_dropped');
    l.sampledOut(batch([{ trace: 1, n: 2 }]), 'tail_sampling', 'sampled_out');
    l.generatorDropped(traceId(2), 1, 'sdk_queue_full', 'sdk');
    l.dropped(batch([{ trace: 2, n: 3 }]), 'tail_sampling', 'tail_buffer_evicted');

    const r = l.result();
    expect(r.spans).toEqual({ generated: 9, exported: 2, sampledOut: 2, dropped: 5, inFlight: 0 });
    expect(r.traces).toEqual({ generated: 3, exported: 1, sampledOut: 1, dropped: 1, inFlight: 0 });
    expect(r.droppedByReason.late_span_dropped).toEqual({ spans: 1, traces: 1, components: { tail_sampling: 1 } });
    expect(r.droppedByReason.sdk_queue_full).toEqual({ spans: 1, traces: 1, components: { sdk: 1 } });
    expect(r.droppedByReason.tail_buffer_evicted).toEqual({ spans: 3, traces: 1, components: { tail_sampling: 3 } });
    expect(r.sampledOutByReason.sampled_out).toEqual({ spans: 2, components: { tail_sampling: 2 } });
    expect(r.byClass).toEqual({ error: { generated: 1, exported: 1 }, slow: { generated: 1, exported: 0 }, normal: { generated: 1, exported: 0 } });
    expect(r.byService).toEqual({ a: { generated: 4, exported: 2 }, b: { generated: 1, exported: 0 } });
    expect(r.balance).toEqual({ balanced: true, residual: 0, inFlight: 0 });
    expect(l.tracesInFlight).toBe(0);
  });

  it('weights byte retention per trace when traces carry their size, else leaves it unknown', () => {
    const l = new Ledger();
    l.traceGenerated({ traceId: traceId(0), class: 'normal', spanCount: 4, bytes: 400 });
    l.traceGenerated({ traceId: traceId(1), class: 'normal', spanCount: 2, bytes: 1000 });
    l.exported(batch([{ trace: 0, n: 2 }]), 'otlp');
    l.addExportedBytes(777);
    l.sampledOut(batch([{ trace: 0, n: 2 }, { trace: 1, n: 1 }]), 'tail_sampling', 'sampled_out');
    l.exported(batch([{ trace: 1, n: 1 }]), 'otlp');
    // 2 spans × 100 B + 1 span × 500 B
    expect(l.result().bytes).toEqual({ generated: 1400, exported: 777, retained: 700 });
    const bulk = new Ledger();
    bulk.traceGenerated({ traceId: traceId(0), class: 'normal', spanCount: 1 });
    bulk.addGeneratedBytes(50);
    expect(bulk.result().bytes).toEqual({ generated: 50, exported: 0, retained: null });
  });

  it('with bytes fed per trace as spans are generated, weighs each exported span by its trace (in flight too) plus the header share', () => {
    const l = new Ledger();
    l.traceGenerated({ traceId: traceId(0), class: 'normal', spanCount: 4 });
    l.traceGenerated({ traceId: traceId(1), class: 'normal', spanCount: 2 });
    l.addTraceBytes(traceId(0), 150); // two SDK exports of trace 0: 150 + 250 B
    l.addTraceBytes(traceId(1), 1000);
    l.addTraceBytes(traceId(0), 250);
    l.addGeneratedBytes(1400 + 6 * 10); // span bytes + 10 B of request header per span
    l.exported(batch([{ trace: 0, n: 2 }]), 'otlp'); // exported spans grew on the way:
    l.addExportedBytes(2000); // the wire figure is not what retention counts
    l.sampledOut(batch([{ trace: 0, n: 2 }]), 'tail_sampling', 'sampled_out');
    l.exported(batch([{ trace: 1, n: 1 }]), 'otlp'); // trace 1 still in flight
    l.addRetainedHeaderBytes(3 * 10);
    // 2 × 400/4 + 1 × 1000/2 + 3 exported spans × 10 B
    expect(l.result().bytes).toEqual({ generated: 1460, exported: 2000, retained: 730 });
  });

  test.prop([fc.array(fc.record({ spans: fc.integer({ min: 1, max: 6 }), bytesPerSpan: fc.integer({ min: 1, max: 900 }), exported: fc.nat(6) }), { minLength: 1, maxLength: 20 })])(
    'property: fed byte retention stays within [0, generated] and equals generated when every span is exported',
    (traces) => {
      const l = new Ledger();
      const all = new Ledger();
      let generated = 0;
      traces.forEach((t, i) => {
        for (const ledger of [l, all]) {
          ledger.traceGenerated({ traceId: traceId(i), class: 'normal', spanCount: t.spans });
          for (let s = 0; s < t.spans; s++) ledger.addTraceBytes(traceId(i), t.bytesPerSpan);
        }
        generated += t.spans * t.bytesPerSpan;
        const kept = Math.min(t.exported, t.spans);
        if (kept > 0) l.exported(batch([{ trace: i, n: kept }]), 'otlp');
        if (kept < t.spans) l.sampledOut(batch([{ trace: i, n: t.spans - kept }]), 'tail_sampling', 'sampled_out');
        all.exported(batch([{ trace: i, n: t.spans }]), 'otlp');
      });
      const retained = l.result().bytes.retained!;
      expect(retained).toBeGreaterThanOrEqual(0);
      expect(retained).toBeLessThanOrEqual(generated);
      expect(all.result().bytes.retained).toBe(generated);
    },
  );

  it('generatorDroppedInFlight books only the spans still in flight (a client gave up on a request the collector accepted)', () => {
    const l = new Ledger();
    l.traceGenerated({ traceId: traceId(0), class: 'normal', spanCount: 3 });
    l.traceGenerated({ traceId: traceId(1), class: 'normal', spanCount: 2 });
    l.exported(batch([{ trace: 0, n: 2 }]), 'otlp'); // the collector accepted 2 of trace 0's 3 spans
    expect(l.generatorDroppedInFlight(traceId(0), 3, 'client_gave_up', 'sdk')).toBe(1);
    l.exported(batch([{ trace: 1, n: 2 }]), 'otlp'); // all of trace 1: nothing left to drop
    expect(l.generatorDroppedInFlight(traceId(1), 2, 'client_gave_up', 'sdk')).toBe(0);
    const r = l.result();
    expect(r.spans).toMatchObject({ generated: 5, exported: 4, dropped: 1, inFlight: 0 });
    expect(r.balance).toEqual({ balanced: true, residual: 0, inFlight: 0 });
  });

  it('ignores shadow batches', () => {
    const l = new Ledger();
    l.traceGenerated({ traceId: traceId(0), class: 'normal', spanCount: 1 });
    const shadow: AccountedBatch = { ...batch([{ trace: 0, n: 1 }]), shadow: true };
    l.exported(shadow, 'debug');
    l.dropped(shadow, 'debug', 'exporter_enqueue_failed');
    expect(l.snapshot()).toMatchObject({ exported: 0, dropped: 0, inFlight: 1 });
  });

  it('reports a residual when a span is counted twice or was never generated', () => {
    const l = new Ledger();
    l.traceGenerated({ traceId: traceId(0), class: 'normal', spanCount: 1 });
    l.exported(batch([{ trace: 0, n: 1 }]), 'otlp');
    l.exported(batch([{ trace: 0, n: 1 }]), 'otlp');
    expect(l.balance()).toEqual({ balanced: false, residual: -1, inFlight: 0 });
    l.sampledOut(batch([{ trace: 7, n: 2 }]), 'tail_sampling', 'sampled_out');
    expect(l.balance().residual).toBe(-3);
  });

  it('rejects a non-positive span count', () => {
    expect(() => new Ledger().traceGenerated({ traceId: traceId(0), class: 'normal', spanCount: 0 })).toThrow(/spanCount/);
  });

  it('reuses slots: state follows the traces in flight, not the run length', () => {
    const l = new Ledger();
    for (let i = 0; i < 50_000; i++) {
      l.traceGenerated({ traceId: traceId(i), class: 'normal', spanCount: 2 });
      l.exported(batch([{ trace: i, n: 2 }]), 'otlp');
    }
    expect(l.tracesInFlight).toBe(0);
    expect(l.result().traces.exported).toBe(50_000);
  });

  const reasons: DropReason[] = ['tail_buffer_evicted', 'late_span_dropped', 'exporter_enqueue_failed'];
  const classes: TraceClass[] = ['error', 'slow', 'normal'];
  /** outcome codes: 0 exported, 1 sampled out, 2.. dropped with reasons[code − 2], 5 generator drop */
  const arbRun = fc
    .array(fc.record({ spans: fc.integer({ min: 1, max: 6 }), cls: fc.constantFrom(...classes) }), { minLength: 1, maxLength: 30 })
    .chain((traces) =>
      fc.record({
        traces: fc.constant(traces),
        outcomes: fc.tuple(...traces.map((t) => fc.array(fc.integer({ min: 0, max: 5 }), { minLength: t.spans, maxLength: t.spans }))),
        order: fc.array(fc.nat(), { minLength: traces.reduce((a, t) => a + t.spans, 0), maxLength: traces.reduce((a, t) => a + t.spans, 0) }),
        batchSize: fc.integer({ min: 1, max: 8 }),
        stopAfter: fc.option(fc.nat(200), { nil: undefined }),
      }),
    );

  test.prop([arbRun])('balances, counts each span once, and trace outcomes partition the traces', ({ traces, outcomes, order, batchSize, stopAfter }) => {
    const l = new Ledger();
    traces.forEach((t, i) => l.traceGenerated({ traceId: traceId(i), class: t.cls, spanCount: t.spans }));
    // every span as (trace, outcome), in a shuffled order
    const events: { trace: number; outcome: number }[] = [];
    outcomes.forEach((os, i) => os.forEach((o) => events.push({ trace: i, outcome: o })));
    const shuffled = events.map((e, i) => ({ e, k: order[i]! })).sort((a, b) => a.k - b.k).map((x) => x.e);
    const applied = stopAfter === undefined ? shuffled : shuffled.slice(0, stopAfter);

    // group consecutive events with the same outcome into batches of ≤ batchSize spans
    for (let i = 0; i < applied.length; ) {
      const o = applied[i]!.outcome;
      let j = i;
      while (j < applied.length && j - i < batchSize && applied[j]!.outcome === o) j++;
      const group = applied.slice(i, j);
      if (o === 5) for (const e of group) l.generatorDropped(traceId(e.trace), 1, 'schedule_missed');
      else {
        const b = batch(group.map((e) => ({ trace: e.trace, n: 1 })));
        if (o === 0) l.exported(b, 'otlp');
        else if (o === 1) l.sampledOut(b, 'tail_sampling', 'sampled_out');
        else l.dropped(b, 'c', reasons[o - 2]!);
      }
      i = j;
    }

    const r = l.result();
    const totalSpans = traces.reduce((a, t) => a + t.spans, 0);
    expect(r.balance.residual).toBe(0);
    expect(r.spans.generated).toBe(totalSpans);
    expect(r.spans.inFlight).toBe(totalSpans - applied.length);
    expect(r.spans.exported).toBe(applied.filter((e) => e.outcome === 0).length);
    expect(r.spans.sampledOut).toBe(applied.filter((e) => e.outcome === 1).length);
    expect(r.spans.dropped).toBe(applied.filter((e) => e.outcome >= 2).length);

    // slow reference for trace outcomes
    const seen = traces.map(() => ({ n: 0, exp: false, drop: false, reasons: new Set<number>() }));
    for (const e of applied) {
      const s = seen[e.trace]!;
      s.n++;
      if (e.outcome === 0) s.exp = true;
      if (e.outcome >= 2) {
        s.drop = true;
        s.reasons.add(e.outcome);
      }
    }
    const exp = seen.filter((s) => s.exp).length;
    const drop = seen.filter((s) => !s.exp && s.drop).length;
    const out = seen.filter((s, i) => !s.exp && !s.drop && s.n === traces[i]!.spans).length;
    expect(r.traces).toEqual({ generated: traces.length, exported: exp, dropped: drop, sampledOut: out, inFlight: traces.length - exp - drop - out });
    for (let code = 2; code <= 5; code++) {
      const reason = code === 5 ? 'schedule_missed' : reasons[code - 2]!;
      const expected = seen.filter((s) => s.reasons.has(code)).length;
      expect(r.droppedByReason[reason]?.traces ?? 0).toBe(expected);
    }
    for (const c of classes) {
      expect(r.byClass[c].exported).toBe(seen.filter((s, i) => s.exp && traces[i]!.cls === c).length);
    }
  });

  test.prop([arbRun, fc.boolean()])('per-trace counts (sampledOutOfTrace / droppedOfTrace) give exactly the result of the same spans as batches', ({ traces, outcomes, order }, shadow) => {
    const byBatch = new Ledger();
    const byCount = new Ledger();
    for (const l of [byBatch, byCount]) traces.forEach((t, i) => l.traceGenerated({ traceId: traceId(i), class: t.cls, spanCount: t.spans }));
    const events: { trace: number; outcome: number }[] = [];
    outcomes.forEach((os, i) => os.forEach((o) => events.push({ trace: i, outcome: o })));
    const shuffled = events.map((e, i) => ({ e, k: order[i]! })).sort((a, b) => a.k - b.k).map((x) => x.e);
    // runs of one trace and one outcome: a batch for one ledger, a count for the other
    for (let i = 0; i < shuffled.length; ) {
      const { trace, outcome } = shuffled[i]!;
      let j = i;
      while (j < shuffled.length && shuffled[j]!.trace === trace && shuffled[j]!.outcome === outcome) j++;
      const n = j - i;
      const b: AccountedBatch = { ...batch([{ trace, n }]), shadow };
      if (outcome === 0 || outcome === 5) {
        byBatch.exported(b, 'otlp');
        byCount.exported(b, 'otlp');
      } else if (outcome === 1) {
        byBatch.sampledOut(b, 'tail_sampling', 'drop_policy');
        byCount.sampledOutOfTrace(traceId(trace), n, shadow, 'tail_sampling', 'drop_policy');
      } else {
        byBatch.dropped(b, 'tail_sampling', reasons[outcome - 2]!);
        byCount.droppedOfTrace(traceId(trace), n, shadow, 'tail_sampling', reasons[outcome - 2]!);
      }
      i = j;
    }
    expect(byCount.result()).toEqual(byBatch.result());
  });
});
