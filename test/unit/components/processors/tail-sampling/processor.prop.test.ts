import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { tailSamplingFactory } from '../../../../../src/components/processors/tail-sampling/factory.js';
import type { AccountedBatch, SpanAccounting } from '../../../../../src/pipeline/accounting.js';
import type { Host } from '../../../../../src/pipeline/component.js';
import { RetryableError } from '../../../../../src/pipeline/errors.js';
import { forEachSpan, idToHex, type Span } from '../../../../../src/protocol/otlp/model.js';
import { createTestHost } from '../../../../helpers/host.js';
import { TracesSink } from '../../../../helpers/traces-sink.js';
import { batchOf, makeSpan, traceIdOf } from './fixtures.js';
import { T0 } from './harness.js';

/**
 * Accounting that remembers every span it was told about (by span id, unique in these tests: the
 * processor keeps spans encoded, so what leaves is a decoded copy), to check "exactly once".
 */
class SpanLedger implements SpanAccounting {
  readonly seen = new Map<string, string>();
  duplicates = 0;
  private _note(batch: AccountedBatch, outcome: string) {
    forEachSpan(batch, (s) => this.note(s, outcome));
  }
  note(s: Span, outcome: string) {
    const id = idToHex(s.spanId);
    if (this.seen.has(id)) this.duplicates++;
    this.seen.set(id, outcome);
  }
  exported(batch: AccountedBatch) {
    this._note(batch, 'exported');
  }
  sampledOut(batch: AccountedBatch, _id: string, reason: string) {
    this._note(batch, `sampledOut:${reason}`);
  }
  dropped(batch: AccountedBatch, _id: string, reason: string) {
    this._note(batch, `dropped:${reason}`);
  }
}

const policyPool = [
  { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
  { name: 'slow', type: 'latency', latency: { threshold_ms: 300 } },
  { name: 'prob', type: 'probabilistic', probabilistic: { sampling_percentage: 30 } },
  { name: 'rate', type: 'rate_limiting', rate_limiting: { spans_per_second: 6 } },
  { name: 'vip', type: 'string_attribute', string_attribute: { key: 'tier', values: ['vip'], invert_match: true } },
  { name: 'drop-b', type: 'drop', drop: { drop_sub_policy: [{ name: 'b', type: 'string_attribute', string_attribute: { key: 'tier', values: ['bot'] } }] } },
  { name: 'big', type: 'span_count', span_count: { min_spans: 4 } },
  { name: 'comp', type: 'composite', composite: { max_total_spans_per_second: 10, composite_sub_policy: [{ name: 'c1', type: 'always_sample' }], rate_allocation: [] } },
];

const configArb = fc.record({
  decision_wait: fc.constantFrom('1s', '2s', '3s'),
  num_traces: fc.integer({ min: 1, max: 15 }),
  sample_on_first_match: fc.boolean(),
  drop_pending_traces_on_shutdown: fc.boolean(),
  decision_wait_after_root_received: fc.constantFrom('0s', '1s'),
  maximum_trace_size_bytes: fc.constantFrom(0, 400, 2000),
  decision_cache: fc.record({ sampled_cache_size: fc.integer({ min: 0, max: 5 }), non_sampled_cache_size: fc.integer({ min: 0, max: 5 }) }),
  policies: fc.subarray(policyPool),
  sampling_strategy: fc.constantFrom('trace-complete', 'span-ingest'),
});

const eventArb = fc.record({
  gapMs: fc.integer({ min: 0, max: 900 }),
  trace: fc.integer({ min: 1, max: 25 }),
  spans: fc.integer({ min: 1, max: 4 }),
  error: fc.boolean(),
  root: fc.boolean(),
  tier: fc.constantFrom('vip', 'bot', 'std'),
  durMs: fc.integer({ min: 0, max: 600 }),
  sinkFails: fc.integer({ min: 0, max: 9 }),
});

describe('tail_sampling properties', () => {
  test.prop([configArb, fc.constantFrom('current' as const, 'classic' as const), fc.array(eventArb, { maxLength: 60 })], { numRuns: 150 })(
    'every span that enters leaves exactly once, whatever the traffic and config',
    async (raw, compat, events) => {
      const stateful = new Set(['rate']);
      const cfgRaw = raw.sampling_strategy === 'span-ingest' ? { ...raw, policies: raw.policies.filter((p) => !stateful.has(p.name)) } : raw;
      const parsed = tailSamplingFactory.parseConfig(cfgRaw, 'p');
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      const base = createTestHost(T0);
      const ledger = new SpanLedger();
      const host: Host = { ...base, accounting: ledger };
      const sink = new TracesSink();
      const proc = tailSamplingFactory.createTraces({ id: 'tail_sampling', compat }, parsed.config, sink);
      await proc.start(host);
      const sent: Span[] = [];
      let now = 0;
      for (const e of events) {
        now += e.gapMs;
        await base.clock.advanceTo(T0 + now);
        sink.failWith = e.sinkFails === 0 ? () => new RetryableError('busy') : undefined;
        const spans = Array.from({ length: e.spans }, (_, i) =>
          makeSpan({ traceId: traceIdOf(e.trace), startMs: now, endMs: now + e.durMs, status: e.error ? 2 : 0, root: e.root && i === 0, attributes: { tier: e.tier } }),
        );
        sent.push(...spans);
        await proc.consumeTraces(batchOf(spans));
      }
      await base.clock.advanceTo(T0 + now + 2500);
      await proc.shutdown();
      for (const s of sink.spans()) ledger.note(s, 'forwarded');
      expect(ledger.duplicates).toBe(0);
      expect(ledger.seen.size).toBe(sent.length);
      for (const s of sent) expect(ledger.seen.has(idToHex(s.spanId))).toBe(true);
      expect((proc as unknown as { heldBytes(): number }).heldBytes()).toBe(0);
    },
  );

  const statelessPolicies = [
    { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
    { name: 'prob', type: 'probabilistic', probabilistic: { sampling_percentage: 20, hash_salt: 's' } },
    { name: 'vip', type: 'string_attribute', string_attribute: { key: 'tier', values: ['vip'] } },
  ];
  test.prop([
    fc.array(fc.record({ trace: fc.integer({ min: 1, max: 10_000 }), error: fc.boolean(), tier: fc.constantFrom('vip', 'std') }), { minLength: 1, maxLength: 40 }),
    fc.integer({ min: 0, max: 1000 }),
  ])('decisions depend only on the trace (same id ⇒ same decision in any order, in any processor)', async (spansSpec, shuffleSeed) => {
    const parsed = tailSamplingFactory.parseConfig({ decision_wait: '1s', policies: statelessPolicies }, 'p');
    if (!parsed.ok) throw new Error('config');
    const run = async (order: typeof spansSpec) => {
      const host = createTestHost(T0);
      const sink = new TracesSink();
      const proc = tailSamplingFactory.createTraces({ id: 'tail_sampling', compat: 'current' }, parsed.config, sink);
      await proc.start(host);
      for (const s of order) await proc.consumeTraces(batchOf([makeSpan({ traceId: traceIdOf(s.trace), status: s.error ? 2 : 0, attributes: { tier: s.tier } })]));
      await host.clock.advanceTo(T0 + 2000);
      return new Set(sink.spans().map((s) => s.traceId));
    };
    const shuffled = [...spansSpec];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = (shuffleSeed * 7919 + i * 104729) % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    expect(await run(shuffled)).toEqual(await run(spansSpec));
  });
});
