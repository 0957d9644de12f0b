import { describe, expect, it } from 'vitest';
import { Decision } from '../../../../../src/components/processors/tail-sampling/policies/decision.js';
import { createLatencyPolicy } from '../../../../../src/components/processors/tail-sampling/policies/latency.js';
import { createNumericAttributePolicy } from '../../../../../src/components/processors/tail-sampling/policies/numeric-attribute.js';
import { createStringAttributePolicy } from '../../../../../src/components/processors/tail-sampling/policies/string-attribute.js';
import { createBooleanAttributePolicy } from '../../../../../src/components/processors/tail-sampling/policies/boolean-attribute.js';
import { createStatusCodePolicy } from '../../../../../src/components/processors/tail-sampling/policies/status-code.js';
import { createSpanCountPolicy } from '../../../../../src/components/processors/tail-sampling/policies/span-count.js';
import { createTraceStatePolicy, parseTraceState } from '../../../../../src/components/processors/tail-sampling/policies/trace-state.js';
import { traceFlags } from '../../../../../src/components/processors/tail-sampling/policies/trace-flags.js';
import { createRateLimitingPolicy } from '../../../../../src/components/processors/tail-sampling/policies/rate-limiting.js';
import { createBytesLimitingPolicy } from '../../../../../src/components/processors/tail-sampling/policies/bytes-limiting.js';
import { createAndPolicy, createDropPolicy, createNotPolicy } from '../../../../../src/components/processors/tail-sampling/policies/combinators.js';
import { compositeAllocations, createCompositePolicy } from '../../../../../src/components/processors/tail-sampling/policies/composite.js';
import { alwaysSample } from '../../../../../src/components/processors/tail-sampling/policies/always-sample.js';
import { createOttlConditionPolicy } from '../../../../../src/components/processors/tail-sampling/policies/ottl-condition.js';
import { parseOttlCondition } from '../../../../../src/components/shared/ottl/index.js';
import type { PolicyEvaluator, PolicyOptions, TraceView } from '../../../../../src/components/processors/tail-sampling/policies/decision.js';
import { makeSpan, resourceSpans, view, viewOf } from './fixtures.js';

const current: PolicyOptions = { invertDecisions: false, compat: 'current' };
const classic: PolicyOptions = { invertDecisions: true, compat: 'classic' };
const fixed = (d: Decision): PolicyEvaluator => ({ evaluate: () => d });

describe('latency', () => {
  const span = (startMs: number, durMs: number) => makeSpan({ startMs, endMs: startMs + durMs });
  it('lower bound is inclusive without an upper bound (upstream TestEvaluate_Latency)', () => {
    const p = createLatencyPolicy({ thresholdMs: 5000, upperThresholdMs: 0 });
    expect(p.evaluate(view([span(1000, 4500)]), 0)).toBe(Decision.NotSampled);
    expect(p.evaluate(view([span(1000, 5000)]), 0)).toBe(Decision.Sampled);
    // every span shorter, the trace (earliest start → latest end = 5500 ms) longer
    expect(p.evaluate(view([span(1000, 3000), span(3500, 3000)]), 0)).toBe(Decision.Sampled);
  });
  it('milliseconds are truncated: 4999.9 ms is below 5000', () => {
    const p = createLatencyPolicy({ thresholdMs: 5000, upperThresholdMs: 0 });
    expect(p.evaluate(view([span(1000, 4999.9)]), 0)).toBe(Decision.NotSampled);
  });
  it('with an upper bound the lower bound is exclusive and the upper inclusive', () => {
    const p = createLatencyPolicy({ thresholdMs: 1000, upperThresholdMs: 2000 });
    expect(p.evaluate(view([span(1000, 1000)]), 0)).toBe(Decision.NotSampled);
    expect(p.evaluate(view([span(1000, 1001)]), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(view([span(1000, 2000)]), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(view([span(1000, 2001)]), 0)).toBe(Decision.NotSampled);
  });
  it('checks incrementally: an in-range prefix samples a trace that ends out of range', () => {
    const p = createLatencyPolicy({ thresholdMs: 1000, upperThresholdMs: 2000 });
    expect(p.evaluate(view([span(1000, 1500), span(1000, 5000)]), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(view([span(1000, 5000), span(1000, 1500)]), 0)).toBe(Decision.NotSampled);
  });
});

describe('numeric_attribute', () => {
  const cfg = (min: bigint | undefined, max: bigint | undefined, invert = false) => ({ key: 'code', minValue: min, maxValue: max, invertMatch: invert });
  const withCode = (v: unknown) => view([makeSpan({ attributes: { code: v as bigint } })]);
  it('bounds are inclusive; resource attributes count too', () => {
    const p = createNumericAttributePolicy(cfg(400n, 499n), current);
    expect(p.evaluate(withCode(400n), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(withCode(499n), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(withCode(399n), 0)).toBe(Decision.NotSampled);
    expect(p.evaluate(withCode(500n), 0)).toBe(Decision.NotSampled);
    expect(p.evaluate(view([makeSpan()], { code: 450n }), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(view([makeSpan()]), 0)).toBe(Decision.NotSampled);
  });
  it('non-int values read as 0 (pdata Value.Int)', () => {
    const p = createNumericAttributePolicy(cfg(-1n, 1n), current);
    expect(p.evaluate(withCode(500.0), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(withCode('500'), 0)).toBe(Decision.Sampled);
    expect(createNumericAttributePolicy(cfg(400n, 600n), current).evaluate(withCode(500.0), 0)).toBe(Decision.NotSampled);
  });
  it('current: an omitted or zero bound is unbounded; classic: an omitted max is 0 (issue #41562)', () => {
    expect(createNumericAttributePolicy(cfg(400n, undefined), current).evaluate(withCode(10_000n), 0)).toBe(Decision.Sampled);
    expect(createNumericAttributePolicy(cfg(400n, undefined), classic).evaluate(withCode(10_000n), 0)).toBe(Decision.NotSampled);
    expect(createNumericAttributePolicy(cfg(undefined, 10n), current).evaluate(withCode(-(2n ** 62n)), 0)).toBe(Decision.Sampled);
  });
  it('invert: sampled iff no resource or span is in range; absent attribute passes', () => {
    const cur = createNumericAttributePolicy(cfg(400n, 499n, true), current);
    const cls = createNumericAttributePolicy(cfg(400n, 499n, true), classic);
    expect(cur.evaluate(withCode(450n), 0)).toBe(Decision.NotSampled);
    expect(cur.evaluate(withCode(200n), 0)).toBe(Decision.Sampled);
    expect(cur.evaluate(view([makeSpan()]), 0)).toBe(Decision.Sampled);
    expect(cls.evaluate(withCode(450n), 0)).toBe(Decision.InvertNotSampled);
    expect(cls.evaluate(withCode(200n), 0)).toBe(Decision.InvertSampled);
  });
});

describe('string_attribute', () => {
  const cfg = (values: string[], o: { regex?: boolean; invert?: boolean } = {}) => ({
    key: 'route',
    values,
    enabledRegexMatching: o.regex ?? false,
    cacheMaxSize: 0,
    invertMatch: o.invert ?? false,
  });
  const withRoute = (v: unknown, res: Record<string, never> = {}) => view([makeSpan({ attributes: { route: v as string } })], res);
  it('exact match on span or resource', () => {
    const p = createStringAttributePolicy(cfg(['/a', '/b']), current);
    expect(p.evaluate(withRoute('/a'), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(withRoute('/ab'), 0)).toBe(Decision.NotSampled);
    expect(p.evaluate(view([makeSpan()], { route: '/b' }), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(view([makeSpan()]), 0)).toBe(Decision.NotSampled);
  });
  it('empty configured values never match; non-string values read as ""', () => {
    const p = createStringAttributePolicy(cfg(['']), current);
    expect(p.evaluate(withRoute(''), 0)).toBe(Decision.NotSampled);
    expect(p.evaluate(view([makeSpan()], { route: 5n as never }), 0)).toBe(Decision.NotSampled);
  });
  it('regex is an unanchored search', () => {
    const p = createStringAttributePolicy(cfg(['^/api', 'health'], { regex: true }), current);
    expect(p.evaluate(withRoute('/api/v1'), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(withRoute('/x/healthz'), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(withRoute('/x/api'), 0)).toBe(Decision.NotSampled);
    // the memo does not change answers
    expect(p.evaluate(withRoute('/x/healthz'), 0)).toBe(Decision.Sampled);
  });
  it('invert: sampled iff nothing matches; empty span values pass; classic yields Invert*', () => {
    const cur = createStringAttributePolicy(cfg(['/a'], { invert: true }), current);
    expect(cur.evaluate(withRoute('/a'), 0)).toBe(Decision.NotSampled);
    expect(cur.evaluate(withRoute('/z'), 0)).toBe(Decision.Sampled);
    expect(cur.evaluate(withRoute(''), 0)).toBe(Decision.Sampled);
    expect(cur.evaluate(view([makeSpan()], { route: '/a' } as never), 0)).toBe(Decision.NotSampled);
    const cls = createStringAttributePolicy(cfg(['/a'], { invert: true }), classic);
    expect(cls.evaluate(withRoute('/a'), 0)).toBe(Decision.InvertNotSampled);
    expect(cls.evaluate(withRoute('/z'), 0)).toBe(Decision.InvertSampled);
  });
  it('looks at every resource in order, resource before its spans', () => {
    const p = createStringAttributePolicy(cfg(['/a']), current);
    const t = viewOf([resourceSpans([makeSpan()]), resourceSpans([makeSpan({ attributes: { route: '/a' } })])]);
    expect(p.evaluate(t, 0)).toBe(Decision.Sampled);
  });
});

describe('boolean_attribute', () => {
  it('matches value; value:false also matches a present non-bool (pdata Bool() quirk)', () => {
    const t = createBooleanAttributePolicy({ key: 'k', value: true, invertMatch: false }, current);
    const f = createBooleanAttributePolicy({ key: 'k', value: false, invertMatch: false }, current);
    expect(t.evaluate(view([makeSpan({ attributes: { k: true } })]), 0)).toBe(Decision.Sampled);
    expect(t.evaluate(view([makeSpan({ attributes: { k: false } })]), 0)).toBe(Decision.NotSampled);
    expect(f.evaluate(view([makeSpan({ attributes: { k: 'yes' } })]), 0)).toBe(Decision.Sampled);
    expect(f.evaluate(view([makeSpan()]), 0)).toBe(Decision.NotSampled);
  });
  it('invert', () => {
    const p = createBooleanAttributePolicy({ key: 'k', value: true, invertMatch: true }, current);
    expect(p.evaluate(view([makeSpan({ attributes: { k: true } })]), 0)).toBe(Decision.NotSampled);
    expect(p.evaluate(view([makeSpan()]), 0)).toBe(Decision.Sampled);
  });
});

describe('status_code, span_count, trace_flags, trace_state', () => {
  it('status_code: any span with a listed code', () => {
    const p = createStatusCodePolicy({ statusCodes: ['ERROR'] });
    expect(p.evaluate(view([makeSpan(), makeSpan({ status: 2 })]), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(view([makeSpan({ status: 1 })]), 0)).toBe(Decision.NotSampled);
    expect(createStatusCodePolicy({ statusCodes: ['UNSET'] }).evaluate(view([makeSpan()]), 0)).toBe(Decision.Sampled);
  });
  it('span_count: inclusive bounds; max 0 = unbounded', () => {
    const spans = (n: number) => view(Array.from({ length: n }, () => makeSpan()));
    const p = createSpanCountPolicy({ minSpans: 2, maxSpans: 3 });
    expect([1, 2, 3, 4].map((n) => p.evaluate(spans(n), 0))).toEqual([Decision.NotSampled, Decision.Sampled, Decision.Sampled, Decision.NotSampled]);
    expect(createSpanCountPolicy({ minSpans: 2, maxSpans: 0 }).evaluate(spans(100), 0)).toBe(Decision.Sampled);
  });
  it('trace_flags: W3C sampled bit only', () => {
    expect(traceFlags.evaluate(view([makeSpan({ flags: 0x101 })]), 0)).toBe(Decision.Sampled);
    expect(traceFlags.evaluate(view([makeSpan({ flags: 0x100 })]), 0)).toBe(Decision.NotSampled);
  });
  it('trace_state: exact value of the key; unparsable headers never match', () => {
    const p = createTraceStatePolicy({ key: 'vendor', values: ['on', ''] });
    expect(p.evaluate(view([makeSpan({ traceState: 'a=1, vendor=on' })]), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(view([makeSpan({ traceState: 'vendor=off' })]), 0)).toBe(Decision.NotSampled);
    expect(p.evaluate(view([makeSpan({ traceState: 'vendor=on,vendor=on' })]), 0)).toBe(Decision.NotSampled);
    expect(p.evaluate(view([makeSpan({ traceState: 'Vendor=on' })]), 0)).toBe(Decision.NotSampled);
    expect(parseTraceState('a=1,,b=2')?.get('b')).toBe('2');
    expect(parseTraceState('a')).toBeUndefined();
  });
});

describe('rate_limiting and bytes_limiting', () => {
  const trace = (n: number, size = 0): TraceView => ({ ...view(Array.from({ length: n }, () => makeSpan())), sizeBytes: size });
  it('classic: strict < per whole second; a trace as big as the limit never passes', () => {
    const p = createRateLimitingPolicy({ spansPerSecond: 10, burstCapacity: 0 }, classic);
    const t0 = 5_000;
    expect(p.evaluate(trace(5), t0)).toBe(Decision.Sampled);
    expect(p.evaluate(trace(4), t0 + 100)).toBe(Decision.Sampled); // 9 < 10
    expect(p.evaluate(trace(1), t0 + 200)).toBe(Decision.NotSampled); // 10 is not < 10
    expect(p.evaluate(trace(1), t0 + 1000)).toBe(Decision.Sampled); // new second
    expect(p.evaluate(trace(10), t0 + 5000)).toBe(Decision.NotSampled);
  });
  it('current: token bucket starting full at 2× rate, refilling continuously', () => {
    const p = createRateLimitingPolicy({ spansPerSecond: 10, burstCapacity: 0 }, current);
    expect(p.evaluate(trace(20), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(trace(1), 0)).toBe(Decision.NotSampled);
    expect(p.evaluate(trace(5), 500)).toBe(Decision.Sampled); // 0.5 s × 10 = 5 tokens
    expect(p.evaluate(trace(1), 500)).toBe(Decision.NotSampled);
    expect(p.evaluate(trace(21), 100_000)).toBe(Decision.NotSampled); // above burst, never
    expect(p.evaluate(trace(20), 100_000)).toBe(Decision.Sampled);
  });
  it('current: a refused trace leaves the bucket as it was; the refill counts from the last grant (x/time/rate reserveN)', () => {
    // Counting 0.2 s, 0.7 s and 0.1 s of refill in three float steps gives 0.9999999999999999 token;
    // Go refills 1.0 s in one step from the grant at 0 and samples the trace at 1000 ms.
    const p = createRateLimitingPolicy({ spansPerSecond: 1, burstCapacity: 0 }, current);
    expect(p.evaluate(trace(2), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(trace(1), 200)).toBe(Decision.NotSampled);
    expect(p.evaluate(trace(1), 900)).toBe(Decision.NotSampled);
    expect(p.evaluate(trace(1), 1000)).toBe(Decision.Sampled);
  });
  it('token buckets with rate 0 spend the burst once and never refill (x/time/rate zero-limit branch)', () => {
    const p = createBytesLimitingPolicy({ bytesPerSecond: 0, burstCapacity: 100 });
    expect(p.evaluate(trace(1, 60), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(trace(1, 50), 0)).toBe(Decision.NotSampled);
    expect(p.evaluate(trace(1, 40), 1000)).toBe(Decision.Sampled);
    expect(p.evaluate(trace(1, 1), 1_000_000)).toBe(Decision.NotSampled);
  });
  it('bytes_limiting consumes the trace size', () => {
    const p = createBytesLimitingPolicy({ bytesPerSecond: 1000, burstCapacity: 1500 });
    expect(p.evaluate(trace(1, 1000), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(trace(1, 600), 0)).toBe(Decision.NotSampled);
    expect(p.evaluate(trace(1, 500), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(trace(1, 1000), 1000)).toBe(Decision.Sampled);
  });
});

describe('and, drop, not', () => {
  const t = view([makeSpan()]);
  it('and: all sampled ⇒ Sampled; any not-sampled ⇒ NotSampled; error ⇒ Error; empty ⇒ Sampled', () => {
    expect(createAndPolicy([fixed(Decision.Sampled), fixed(Decision.InvertSampled)]).evaluate(t, 0)).toBe(Decision.Sampled);
    expect(createAndPolicy([fixed(Decision.Sampled), fixed(Decision.InvertNotSampled)]).evaluate(t, 0)).toBe(Decision.NotSampled);
    expect(createAndPolicy([fixed(Decision.Error), fixed(Decision.Sampled)]).evaluate(t, 0)).toBe(Decision.Error);
    expect(createAndPolicy([]).evaluate(t, 0)).toBe(Decision.Sampled);
  });
  it('drop: all pass ⇒ Dropped', () => {
    expect(createDropPolicy([fixed(Decision.Sampled)]).evaluate(t, 0)).toBe(Decision.Dropped);
    expect(createDropPolicy([fixed(Decision.Sampled), fixed(Decision.NotSampled)]).evaluate(t, 0)).toBe(Decision.NotSampled);
    expect(createDropPolicy([]).evaluate(t, 0)).toBe(Decision.Dropped);
  });
  it('not: flips S/N, passes the rest through', () => {
    expect(createNotPolicy(alwaysSample).evaluate(t, 0)).toBe(Decision.NotSampled);
    expect(createNotPolicy(fixed(Decision.NotSampled)).evaluate(t, 0)).toBe(Decision.Sampled);
    expect(createNotPolicy(fixed(Decision.InvertSampled)).evaluate(t, 0)).toBe(Decision.InvertSampled);
    expect(createNotPolicy(fixed(Decision.Error)).evaluate(t, 0)).toBe(Decision.Error);
  });
});

describe('composite', () => {
  const trace = (n: number) => view(Array.from({ length: n }, () => makeSpan()));
  const subs = [
    { name: 'a', evaluator: alwaysSample },
    { name: 'b', evaluator: alwaysSample },
  ];
  it('allocation: percent of max_total, truncated; unlisted subs get 0 (classic) or an equal share (current)', () => {
    const s = { maxTotalSpansPerSecond: 1001, subs, rateAllocation: [{ policy: 'a', percent: 50 }] };
    expect(compositeAllocations(s, 'classic')).toEqual([500, 0]);
    expect(compositeAllocations(s, 'current')).toEqual([500, 500]);
    expect(compositeAllocations({ ...s, rateAllocation: [{ policy: 'a', percent: 0 }] }, 'classic')).toEqual([500, 0]);
  });
  it('the first matching sub decides (inclusive budget), no overflow to later subs, reset each second', () => {
    const p = createCompositePolicy({ maxTotalSpansPerSecond: 100, subs, rateAllocation: [{ policy: 'a', percent: 10 }, { policy: 'b', percent: 90 }] }, current);
    expect(p.evaluate(trace(6), 1000)).toBe(Decision.Sampled);
    expect(p.evaluate(trace(4), 1100)).toBe(Decision.Sampled); // 10 <= 10
    expect(p.evaluate(trace(1), 1200)).toBe(Decision.NotSampled); // a is full; b is never tried
    expect(p.evaluate(trace(1), 2000)).toBe(Decision.Sampled);
  });
  it('subs that do not vote to sample pass to the next', () => {
    const p = createCompositePolicy(
      { maxTotalSpansPerSecond: 100, subs: [{ name: 'n', evaluator: fixed(Decision.NotSampled) }, { name: 'b', evaluator: alwaysSample }], rateAllocation: [] },
      current,
    );
    expect(p.evaluate(trace(50), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(trace(1), 0)).toBe(Decision.NotSampled);
  });
});

describe('ottl_condition', () => {
  const cond = (text: string, ctx: 'span' | 'spanevent' = 'span') => {
    const r = parseOttlCondition(text, ctx);
    if (!r.ok) throw new Error(r.message);
    return r.condition;
  };
  it('span conditions are ORed over every span; span events are checked too', () => {
    const p = createOttlConditionPolicy('propagate', [cond('attributes["http.route"] == "/pay"'), cond('name == "checkout"')], []);
    expect(p.evaluate(view([makeSpan(), makeSpan({ name: 'checkout' })]), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(view([makeSpan({ attributes: { 'http.route': '/pay' } })]), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(view([makeSpan()]), 0)).toBe(Decision.NotSampled);
    const ev = createOttlConditionPolicy('propagate', [], [cond('name == "exception"', 'spanevent')]);
    const s = makeSpan();
    s.events.push({ timeUnixNano: 1n, name: 'exception', attributes: [], droppedAttributesCount: 0 });
    expect(ev.evaluate(view([s]), 0)).toBe(Decision.Sampled);
    expect(ev.evaluate(view([makeSpan()]), 0)).toBe(Decision.NotSampled);
  });
  it('resource attributes are visible to span conditions', () => {
    const p = createOttlConditionPolicy('propagate', [cond('resource.attributes["service.name"] == "cart"')], []);
    expect(p.evaluate(view([makeSpan()], { 'service.name': 'cart' }), 0)).toBe(Decision.Sampled);
  });
});
