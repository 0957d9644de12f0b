/**
 * The processor keeps buffered spans encoded (`span-store.ts`): whatever goes in must come out
 * byte for byte — through the chunked arena (chunk boundaries, grown chunks, reuse of freed
 * chunks) and through the processor (sampled releases, sampled-out batches, sizes).
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { tailSamplingFactory } from '../../../../../src/components/processors/tail-sampling/factory.js';
import { collectorBytes, decodeRefs, encodedBytes, refCount, SpanArena, type SpanRefs } from '../../../../../src/components/processors/tail-sampling/span-store.js';
import { toResourceSpans } from '../../../../../src/components/processors/tail-sampling/span-runs.js';
import type { SpanOrigin } from '../../../../../src/components/processors/tail-sampling/policies/decision.js';
import type { AccountedBatch, DropReason, SampledOutReason, SpanAccounting } from '../../../../../src/pipeline/accounting.js';
import { Ledger } from '../../../../../src/ledger/ledger.js';
import type { Host } from '../../../../../src/pipeline/component.js';
import type { InstrumentationScope, Resource, Span } from '../../../../../src/protocol/otlp/model.js';
import { idFromBytes, idToHex } from '../../../../../src/protocol/otlp/model.js';
import { encodeSpan } from '../../../../../src/protocol/otlp/proto-encode.js';
import { pdataResourceSpansSize, pdataSpanSize } from '../../../../../src/protocol/otlp/pdata-size.js';
import { spanProtoSize, varint32Size } from '../../../../../src/protocol/otlp/size.js';
import { createTestHost } from '../../../../helpers/host.js';
import { TracesSink } from '../../../../helpers/traces-sink.js';
import { attributes, span as spanArb, text } from '../../../protocol/otlp/arbitraries.js';
import { batchOf, makeSpan, traceIdOf } from './fixtures.js';
import { T0 } from './harness.js';

/** A span far larger than a chunk's reserve (the writer grows the chunk for it). */
function bigSpan(base: Span, bytes: number): Span {
  return { ...base, name: 'x'.repeat(bytes) };
}

describe('SpanArena', () => {
  test.prop(
    [
      fc.array(fc.tuple(spanArb, fc.nat(5), fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 66_000)), { minLength: 1, maxLength: 60 }),
      fc.array(fc.nat(), { maxLength: 40 }),
      fc.integer({ min: 1, max: 2_000 }),
    ],
    { numRuns: 40 },
  )('spans come back byte-identical, across chunks and after other traces freed theirs', (items, frees, padding) => {
    const arena = new SpanArena();
    // Traces 0..5 get the spans in arrival order; between appends, traces are freed and start
    // over (their chunk space reused), and a filler trace moves the arena across chunk boundaries.
    const refs: SpanRefs[] = Array.from({ length: 6 }, () => []);
    const kept: Span[][] = Array.from({ length: 6 }, () => []);
    const filler: SpanRefs = [];
    const fill = { ...items[0]![0], name: 'f'.repeat(padding) };
    let f = 0;
    for (const [i, [s, trace, big]] of items.entries()) {
      const span = big > 0 ? bigSpan(s, big) : s;
      expect(arena.append(span, refs[trace]!)).toBe(spanProtoSize(span));
      kept[trace]!.push(span);
      for (let k = 0; k < 20; k++) arena.append(fill, filler);
      if (i % 3 === 2 && f < frees.length) {
        const victim = frees[f++]! % 6;
        arena.free(refs[victim]!);
        refs[victim] = [];
        kept[victim] = [];
      }
    }
    for (let t = 0; t < 6; t++) {
      const r = refs[t]!;
      expect(refCount(r)).toBe(kept[t]!.length);
      const decoded = decodeRefs(r);
      kept[t]!.forEach((s, i) => {
        expect(encodedBytes(r, i)).toBe(spanProtoSize(s));
        expect(collectorBytes(r, i)).toBe(pdataSpanSize(s));
        expect(encodeSpan(decoded[i]!)).toEqual(encodeSpan(s));
      });
    }
  });
});

describe('SpanArena.appendBody (bodies the source encoded already)', () => {
  test.prop([fc.array(fc.tuple(spanArb, fc.boolean(), fc.constantFrom(0, 0, 0, 0, 0, 66_000)), { minLength: 1, maxLength: 60 }), fc.nat(40)], { numRuns: 40 })(
    'copied bodies read back as the spans, mixed with encoded ones, across chunk boundaries and for spans larger than a chunk',
    (items, offset) => {
      const arena = new SpanArena();
      const refs: SpanRefs = [];
      const spans = items.map(([s, , big]) => (big > 0 ? bigSpan(s, big) : s));
      items.forEach(([, copied], i) => {
        const span = spans[i]!;
        if (!copied) return void expect(arena.append(span, refs)).toBe(spanProtoSize(span));
        // the body sits inside a larger buffer, as in a ScopeSpans' EncodedSpanBodies
        const body = encodeSpan(span);
        const source = new Uint8Array(offset + body.length + 7).fill(0xee);
        source.set(body, offset);
        expect(arena.appendBody(span, source, offset, offset + body.length, refs)).toBe(body.length);
      });
      const decoded = decodeRefs(refs);
      spans.forEach((s, i) => {
        expect(encodedBytes(refs, i)).toBe(spanProtoSize(s));
        expect(collectorBytes(refs, i)).toBe(pdataSpanSize(s));
        expect(encodeSpan(decoded[i]!)).toEqual(encodeSpan(s));
      });
    },
  );
});

describe('the processor buffers a ScopeSpans’ source bodies instead of encoding its spans', () => {
  const keepAll = async () => {
    const parsed = tailSamplingFactory.parseConfig({ decision_wait: '1s', policies: [{ name: 'all', type: 'always_sample' }] }, 'p');
    if (!parsed.ok) throw new Error('config');
    const host = createTestHost(T0);
    const sink = new TracesSink();
    const proc = tailSamplingFactory.createTraces({ id: 'tail_sampling', compat: 'current' }, parsed.config, sink);
    await proc.start(host);
    return { host, sink, proc };
  };
  const released = async (batch: ReturnType<typeof batchOf>) => {
    const { host, sink, proc } = await keepAll();
    await proc.consumeTraces(batch);
    await host.clock.advanceTo(T0 + 3_000);
    return sink.spans().map((s) => s.name);
  };
  // bodies that decode to other names than the span objects carry: which one leaves tells which was buffered
  const withBodies = (names: string[], bodyNames: string[]) => {
    const spans = names.map((name) => makeSpan({ traceId: traceIdOf(1), name }));
    const bodies = bodyNames.map((name, i) => encodeSpan({ ...spans[i]!, name }));
    const batch = batchOf(spans);
    const ss = batch.resourceSpans[0]!.scopeSpans[0]!;
    const ends = new Uint32Array(bodies.length);
    const bytes = new Uint8Array(bodies.reduce((n, b) => n + b.length, 0));
    let at = 0;
    bodies.forEach((b, i) => {
      bytes.set(b, at);
      ends[i] = at += b.length;
    });
    ss.encoded = { spans: ss.spans, bytes, ends };
    return { batch, ss };
  };

  test('the bodies are what is buffered and released', async () => {
    expect(await released(withBodies(['a', 'b'], ['body-a', 'body-b']).batch)).toEqual(['body-a', 'body-b']);
  });

  test('stale bodies are ignored: a spans array that grew, or another array', async () => {
    const grown = withBodies(['a', 'b'], ['body-a', 'body-b']);
    grown.ss.spans.push(makeSpan({ traceId: traceIdOf(1), name: 'c' }));
    expect(await released(grown.batch)).toEqual(['a', 'b', 'c']);
    const replaced = withBodies(['a', 'b'], ['body-a', 'body-b']);
    replaced.ss.spans = [...replaced.ss.spans];
    expect(await released(replaced.batch)).toEqual(['a', 'b']);
  });
});

/** Accounting that keeps the batches of the decode path (no per-trace count methods). */
class BatchAccounting implements SpanAccounting {
  readonly removed: Span[] = [];
  exported() {}
  sampledOut(batch: AccountedBatch) {
    for (const rs of batch.resourceSpans) for (const ss of rs.scopeSpans) this.removed.push(...ss.spans);
  }
  dropped(batch: AccountedBatch) {
    this.sampledOut(batch);
  }
}

const resourceArb = fc.record({ attributes, droppedAttributesCount: fc.nat(3) });
const scopeArb = fc.record({ name: text, version: text, attributes, droppedAttributesCount: fc.nat(3) });
/** Incoming batches: ResourceSpans of ScopeSpans of spans, each span of one of 4 traces. */
const batchesArb = fc.array(
  fc.array(fc.tuple(resourceArb, fc.array(fc.tuple(scopeArb, fc.array(fc.tuple(spanArb, fc.nat(3)), { minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 2 })), {
    minLength: 1,
    maxLength: 2,
  }),
  { minLength: 1, maxLength: 4 },
);

const policySets = {
  // decided without reading the spans
  always: [{ name: 'all', type: 'always_sample' }],
  // string_attribute decodes the spans at the decision; the release forwards those objects
  attribute: [
    { name: 'attr', type: 'string_attribute', string_attribute: { key: 'k', values: ['v'] } },
    { name: 'all', type: 'always_sample' },
  ],
  // about half the traces sampled out, through the decode path of the accounting
  half: [{ name: 'half', type: 'probabilistic', probabilistic: { sampling_percentage: 50 } }],
};

describe('spans through the processor', () => {
  test.prop([batchesArb, fc.constantFrom('always', 'attribute', 'half') as fc.Arbitrary<keyof typeof policySets>], { numRuns: 120 })(
    'leave byte-identical, in arrival order, under their own resource and scope; held bytes are the OTLP sizes of what leaves',
    async (batches, policies) => {
      const base = createTestHost(T0);
      const accounting = new BatchAccounting();
      const host: Host = { ...base, accounting };
      const sink = new TracesSink();
      const proc = tailSamplingFactory.createTraces(
        { id: 'tail_sampling', compat: 'current' },
        (() => {
          const parsed = tailSamplingFactory.parseConfig({ decision_wait: '1s', policies: policySets[policies] }, 'p');
          if (!parsed.ok) throw new Error('config');
          return parsed.config;
        })(),
        sink,
      );
      await proc.start(host);
      await base.clock.advanceTo(T0 + 100);

      // Expected, per trace: its spans in arrival order with the resource and scope they came in.
      const sent = new Map<string, { span: Span; resource: Resource; scope: InstrumentationScope; origin: SpanOrigin }[]>();
      let seq = 0;
      for (const b of batches) {
        const batch = {
          resourceSpans: b.map(([resource, scopes]) => ({
            resource,
            schemaUrl: '',
            scopeSpans: scopes.map(([scope, spans]) => ({
              scope,
              schemaUrl: '',
              spans: spans.map(([s, trace]) => {
                const spanBytes = new Uint8Array(8);
                new DataView(spanBytes.buffer).setUint32(4, ++seq); // unique: tells the spans apart below
                return { ...s, traceId: traceIdOf(trace + 1), spanId: idFromBytes(spanBytes) };
              }),
            })),
          })),
        };
        for (const rs of batch.resourceSpans) {
          const resourceOrigin = { resource: rs.resource };
          for (const ss of rs.scopeSpans) {
            const origin = { resourceSpans: resourceOrigin, scopeSpans: { scope: ss.scope } };
            for (const span of ss.spans) {
              const key = idToHex(span.traceId);
              if (!sent.has(key)) sent.set(key, []);
              sent.get(key)!.push({ span, resource: rs.resource, scope: ss.scope, origin });
            }
          }
        }
        await proc.consumeTraces(batch);
      }
      const held = (proc as unknown as { heldBytes(): number }).heldBytes();
      // the collector's TracesData size of each trace's pieces, measured on the span objects that went in
      let expectedHeld = 0;
      for (const spans of sent.values()) {
        for (const rs of toResourceSpans(
          spans.map((s) => s.span),
          spans.map((s) => s.origin),
        )) {
          const body = pdataResourceSpansSize(rs);
          expectedHeld += 1 + varint32Size(body) + body;
        }
      }
      expect(held).toBe(expectedHeld);
      await base.clock.advanceTo(T0 + 3_000);

      // Every trace is released at the tick as one batch (sampled) or sampled out as one batch.
      let releasedBytes = 0;
      const out = new Map<string, { span: Span; resource: Resource; scope: InstrumentationScope }[]>();
      for (const b of sink.batches) {
        for (const rs of b.resourceSpans) {
          const body = pdataResourceSpansSize(rs);
          releasedBytes += 1 + varint32Size(body) + body;
          for (const ss of rs.scopeSpans)
            for (const span of ss.spans) {
              const key = idToHex(span.traceId);
              if (!out.has(key)) out.set(key, []);
              out.get(key)!.push({ span, resource: rs.resource, scope: ss.scope });
            }
        }
      }
      const removed = new Set(accounting.removed.map((s) => idToHex(s.spanId)));
      for (const [key, spans] of sent) {
        const got = out.get(key);
        if (got === undefined) {
          // sampled out: every span accounted, with its own content
          const byId = new Map(accounting.removed.map((s) => [idToHex(s.spanId), s]));
          for (const s of spans) {
            expect(removed.has(idToHex(s.span.spanId))).toBe(true);
            expect(encodeSpan(byId.get(idToHex(s.span.spanId))!)).toEqual(encodeSpan(s.span));
          }
          continue;
        }
        expect(got.length).toBe(spans.length);
        got.forEach((g, i) => {
          expect(encodeSpan(g.span)).toEqual(encodeSpan(spans[i]!.span));
          expect(g.resource).toBe(spans[i]!.resource);
          expect(g.scope).toBe(spans[i]!.scope);
        });
      }
      if (policies !== 'half') expect(releasedBytes).toBe(held);
      expect((proc as unknown as { heldBytes(): number }).heldBytes()).toBe(0);
      await proc.shutdown();
    },
  );
});

/** A ledger seen only through the batch methods (the processor then decodes what it removes). */
function batchesOnly(l: Ledger): SpanAccounting {
  return {
    exported: (b: AccountedBatch, c: string) => l.exported(b, c),
    sampledOut: (b: AccountedBatch, c: string, r: SampledOutReason) => l.sampledOut(b, c, r),
    dropped: (b: AccountedBatch, c: string, r: DropReason) => l.dropped(b, c, r),
  };
}

describe('accounting by trace count', () => {
  const policies = [
    { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
    { name: 'prob', type: 'probabilistic', probabilistic: { sampling_percentage: 30 } },
    { name: 'drop-b', type: 'drop', drop: { drop_sub_policy: [{ name: 'b', type: 'string_attribute', string_attribute: { key: 'tier', values: ['bot'] } }] } },
  ];
  const eventArb = fc.record({
    gapMs: fc.integer({ min: 0, max: 900 }),
    trace: fc.integer({ min: 1, max: 12 }),
    spans: fc.integer({ min: 1, max: 4 }),
    error: fc.boolean(),
    tier: fc.constantFrom('bot', 'std'),
  });
  test.prop([fc.array(eventArb, { maxLength: 40 }), fc.integer({ min: 1, max: 8 }), fc.constantFrom(0, 300), fc.boolean()], { numRuns: 80 })(
    'leaves the ledger exactly as the batch path does (evictions, late spans, too large, shutdown)',
    async (events, numTraces, maxBytes, dropOnShutdown) => {
      const run = async (accountingOf: (l: Ledger) => SpanAccounting) => {
        const parsed = tailSamplingFactory.parseConfig(
          { decision_wait: '2s', num_traces: numTraces, maximum_trace_size_bytes: maxBytes, drop_pending_traces_on_shutdown: dropOnShutdown, policies },
          'p',
        );
        if (!parsed.ok) throw new Error('config');
        const ledger = new Ledger();
        const base = createTestHost(T0);
        const sink = new TracesSink();
        const proc = tailSamplingFactory.createTraces({ id: 'tail_sampling', compat: 'current' }, parsed.config, sink);
        await proc.start({ ...base, accounting: accountingOf(ledger) });
        const generated = new Set<string>();
        let now = 0;
        for (const e of events) {
          now += e.gapMs;
          await base.clock.advanceTo(T0 + now);
          const traceId = traceIdOf(e.trace + 100 * Math.floor(now / 5000)); // ids come back after a while
          // the ledger learns of a trace before its spans; a generous span count keeps it in flight
          if (!generated.has(traceId)) {
            generated.add(traceId);
            ledger.traceGenerated({ traceId, class: 'normal', spanCount: 1000 });
          }
          await proc.consumeTraces(batchOf(Array.from({ length: e.spans }, () => makeSpan({ traceId, status: e.error ? 2 : 0, attributes: { tier: e.tier } }))));
        }
        await base.clock.advanceTo(T0 + now + 1500);
        await proc.shutdown();
        for (const b of sink.batches) ledger.exported(b, 'sink');
        return ledger.result();
      };
      expect(await run((l) => l)).toEqual(await run(batchesOnly));
    },
  );
});
