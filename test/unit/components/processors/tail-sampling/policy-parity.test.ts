/**
 * Policy-by-policy parity with upstream `processor/tailsamplingprocessor` (current unless a case
 * says classic). Each `describe` names the upstream file or test the expectation comes from.
 * Cases marked "fix" failed before the matching change in `config.ts` / `policies/*.ts`.
 */
import { describe, expect, it } from 'vitest';
import { tailSamplingFactory } from '../../../../../src/components/processors/tail-sampling/factory.js';
import { Decision, type PolicyOptions } from '../../../../../src/components/processors/tail-sampling/policies/decision.js';
import { createNumericAttributePolicy } from '../../../../../src/components/processors/tail-sampling/policies/numeric-attribute.js';
import { createStringAttributePolicy } from '../../../../../src/components/processors/tail-sampling/policies/string-attribute.js';
import { createBooleanAttributePolicy } from '../../../../../src/components/processors/tail-sampling/policies/boolean-attribute.js';
import { createTraceStatePolicy } from '../../../../../src/components/processors/tail-sampling/policies/trace-state.js';
import { createLatencyPolicy } from '../../../../../src/components/processors/tail-sampling/policies/latency.js';
import { createSpanCountPolicy } from '../../../../../src/components/processors/tail-sampling/policies/span-count.js';
import { batchOf, makeSpan, traceIdOf, view } from './fixtures.js';
import { rig } from './harness.js';

const P = 'processors.tail_sampling';
const current: PolicyOptions = { invertDecisions: false, compat: 'current' };
const classic: PolicyOptions = { invertDecisions: true, compat: 'classic' };

function parse(raw: unknown) {
  const r = tailSamplingFactory.parseConfig(raw, P);
  return r.ok ? { ok: true as const, policies: r.config.policies } : { ok: false as const, problems: r.problems.map((p) => `${p.path}: ${p.message}`) };
}
const numeric = (cfg: Record<string, unknown>) => ({ policies: [{ name: 'n', type: 'numeric_attribute', numeric_attribute: { key: 'code', ...cfg } }] });
const withCode = (v: unknown) => view([makeSpan({ attributes: { code: v as bigint } })]);

describe('numeric_attribute bounds (upstream processor.go getSharedPolicyEvaluator, numeric_tag_filter.go, numeric_tag_filter_test.go)', () => {
  it('fix: min_value > max_value is not a config error; the range is empty (no such check upstream, current or classic)', () => {
    const r = parse(numeric({ min_value: 500, max_value: 100 }));
    expect(r).toMatchObject({ ok: true });
    for (const opts of [current, classic]) {
      const p = createNumericAttributePolicy({ key: 'code', minValue: 500n, maxValue: 100n, invertMatch: false }, opts);
      expect(p.evaluate(withCode(300n), 0)).toBe(Decision.NotSampled);
      expect(p.evaluate(withCode(500n), 0)).toBe(Decision.NotSampled);
    }
    // invert over an empty range: every resource and span passes
    const inv = createNumericAttributePolicy({ key: 'code', minValue: 500n, maxValue: 100n, invertMatch: true }, current);
    expect(inv.evaluate(withCode(300n), 0)).toBe(Decision.Sampled);
  });

  it('fix (current): both bounds 0 / unset give no evaluator upstream (TestNumericTagFilterNilBounds) — a config error', () => {
    // processor.go only takes a bound's address when it is != 0, so 0 is "unset".
    for (const cfg of [{ min_value: 0, max_value: 0 }, { min_value: 0 }, { max_value: 0 }, {}]) {
      const r = parse(numeric(cfg));
      expect(r.ok ? [] : r.problems).toEqual([`${P}.policies[0].numeric_attribute: at least one of min_value or max_value must be set (the collector treats 0 as unset)`]);
    }
    // one non-zero bound is enough; the zero one is unbounded
    expect(parse(numeric({ min_value: 0, max_value: 100 }))).toMatchObject({ ok: true });
    const p = createNumericAttributePolicy({ key: 'code', minValue: 0n, maxValue: 100n, invertMatch: false }, current);
    expect(p.evaluate(withCode(-5n), 0)).toBe(Decision.Sampled);
  });

  it('classic (bounds are plain values): no bounds at all is the range [0, 0], as for explicit zeros', async () => {
    const rigged = await rig({ decision_wait: '1s', ...numeric({}) }, 'classic');
    await rigged.proc.consumeTraces(batchOf([makeSpan({ traceId: traceIdOf(1), attributes: { code: 0n } })]));
    await rigged.proc.consumeTraces(batchOf([makeSpan({ traceId: traceIdOf(2), attributes: { code: 7n } })]));
    await rigged.at(3000);
    expect(rigged.sink.spanCount).toBe(1);
  });

  it('classic (processor.go 8108fabf passes &min, &max): explicit zeros are the range [0, 0] — non-int values read as 0 match', async () => {
    const r = await rig({ decision_wait: '1s', ...numeric({ min_value: 0, max_value: 0 }) }, 'classic');
    await r.proc.consumeTraces(batchOf([makeSpan({ traceId: traceIdOf(1), attributes: { code: 0n } })]));
    await r.proc.consumeTraces(batchOf([makeSpan({ traceId: traceIdOf(2), attributes: { code: 'x' } })]));
    await r.proc.consumeTraces(batchOf([makeSpan({ traceId: traceIdOf(3), attributes: { code: 7n } })]));
    await r.at(3000);
    expect(r.sink.spanCount).toBe(2);
  });
});

describe('[]string fields accept a plain string split on "," (collector confmap decodeConfig: mapstructure.StringToSliceHookFunc(","))', () => {
  it('fix: status_codes / values given as a string', () => {
    const sc = parse({ policies: [{ name: 's', type: 'status_code', status_code: { status_codes: 'ERROR' } }] });
    expect(sc).toMatchObject({ ok: true, policies: [{ statusCode: { statusCodes: ['ERROR'] } }] });
    const two = parse({ policies: [{ name: 's', type: 'status_code', status_code: { status_codes: 'OK,ERROR' } }] });
    expect(two).toMatchObject({ ok: true, policies: [{ statusCode: { statusCodes: ['OK', 'ERROR'] } }] });
    // split on every comma, no trimming: " ERROR" is not a status code
    expect(parse({ policies: [{ name: 's', type: 'status_code', status_code: { status_codes: 'OK, ERROR' } }] })).toEqual({
      ok: false,
      problems: [`${P}.policies[0].status_code.status_codes[1]: unknown status code " ERROR", supported: OK, ERROR, UNSET`],
    });
    // "" is an empty list
    expect(parse({ policies: [{ name: 's', type: 'status_code', status_code: { status_codes: '' } }] })).toEqual({
      ok: false,
      problems: [`${P}.policies[0].status_code.status_codes: expected at least one status code to filter on`],
    });
    const sa = parse({ policies: [{ name: 'a', type: 'string_attribute', string_attribute: { key: 'k', values: 'a,b' } }] });
    expect(sa).toMatchObject({ ok: true, policies: [{ stringAttribute: { values: ['a', 'b'] } }] });
    const ts = parse({ policies: [{ name: 't', type: 'trace_state', trace_state: { key: 'k', values: 'on' } }] });
    expect(ts).toMatchObject({ ok: true, policies: [{ traceState: { values: ['on'] } }] });
  });
  it('a number is still not a string list (no weakly typed input)', () => {
    expect(parse({ policies: [{ name: 's', type: 'status_code', status_code: { status_codes: 2 } }] })).toMatchObject({ ok: false });
  });
});

describe('verified the same as upstream (regression guards)', () => {
  it('string_attribute regex: the resource value may be empty or non-string (Str() = ""), a span value may not (string_tag_filter.go)', () => {
    const p = createStringAttributePolicy({ key: 'k', values: ['^$'], enabledRegexMatching: true, cacheMaxSize: 0, invertMatch: false }, current);
    expect(p.evaluate(view([makeSpan()], { k: '' }), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(view([makeSpan()], { k: 5n as never }), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(view([makeSpan({ attributes: { k: '' } })]), 0)).toBe(Decision.NotSampled);
    expect(p.evaluate(view([makeSpan({ attributes: { k: 5n } })]), 0)).toBe(Decision.NotSampled);
  });

  it('boolean_attribute invert: a present non-bool reads false, so value:false fails it (boolean_tag_filter.go)', () => {
    const p = createBooleanAttributePolicy({ key: 'k', value: false, invertMatch: true }, current);
    expect(p.evaluate(view([makeSpan({ attributes: { k: 'yes' } })]), 0)).toBe(Decision.NotSampled);
    expect(p.evaluate(view([makeSpan({ attributes: { k: true } })]), 0)).toBe(Decision.Sampled);
    expect(createBooleanAttributePolicy({ key: 'k', value: false, invertMatch: true }, classic).evaluate(view([makeSpan()]), 0)).toBe(Decision.InvertSampled);
  });

  it('trace_state: per span — a malformed header only loses that span; OWS trimmed; more than 32 members is malformed (otel-go ParseTraceState)', () => {
    const p = createTraceStatePolicy({ key: 'vendor', values: ['on'] });
    expect(p.evaluate(view([makeSpan({ traceState: 'vendor=on,bad' }), makeSpan({ traceState: ' a=1 ,\tvendor=on\t' })]), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(view([makeSpan({ traceState: 'vendor=on,bad' })]), 0)).toBe(Decision.NotSampled);
    const members = Array.from({ length: 32 }, (_, i) => `k${i}=v`);
    expect(p.evaluate(view([makeSpan({ traceState: [...members.slice(0, 31), 'vendor=on'].join(',') })]), 0)).toBe(Decision.Sampled);
    expect(p.evaluate(view([makeSpan({ traceState: [...members, 'vendor=on'].join(',') })]), 0)).toBe(Decision.NotSampled);
    expect(p.evaluate(view([makeSpan({ traceState: 'vendor =on' })]), 0)).toBe(Decision.NotSampled);
  });

  it('latency: upper without lower keeps the exclusive lower bound 0 (latency.go)', () => {
    const p = createLatencyPolicy({ thresholdMs: 0, upperThresholdMs: 100 });
    expect(p.evaluate(view([makeSpan({ startMs: 1000, endMs: 1000 })]), 0)).toBe(Decision.NotSampled);
    expect(p.evaluate(view([makeSpan({ startMs: 1000, endMs: 1000.9 })]), 0)).toBe(Decision.NotSampled);
    expect(p.evaluate(view([makeSpan({ startMs: 1000, endMs: 1001 })]), 0)).toBe(Decision.Sampled);
  });

  it('span_count: min_spans > max_spans (max != 0) never samples (span_count_sampler.go)', () => {
    const p = createSpanCountPolicy({ minSpans: 5, maxSpans: 2 });
    expect(p.evaluate(view(Array.from({ length: 5 }, () => makeSpan())), 0)).toBe(Decision.NotSampled);
  });
});
