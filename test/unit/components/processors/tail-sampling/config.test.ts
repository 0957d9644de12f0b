import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tailSamplingFactory } from '../../../../../src/components/processors/tail-sampling/factory.js';

const P = 'processors.tail_sampling';
const problems = (raw: unknown) => {
  const r = tailSamplingFactory.parseConfig(raw, P);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
};

describe('tail_sampling config', () => {
  it('defaults follow upstream', () => {
    const r = tailSamplingFactory.parseConfig(null, P);
    expect(r.ok && r.config).toMatchObject({ decisionWaitMs: 30_000, numTraces: 50_000, expectedNewTracesPerSec: 0, sampleOnFirstMatch: false, policies: [] });
    expect(tailSamplingFactory.defaultConfig().decisionCache).toEqual({ sampledCacheSize: 0, nonSampledCacheSize: 0 });
  });

  it('reads the upstream README example (flow and block style)', () => {
    const yaml = `
decision_wait: 10s
num_traces: 100
expected_new_traces_per_sec: 10
decision_cache: {sampled_cache_size: 100000, non_sampled_cache_size: 100000}
policies:
  [
    { name: test-policy-1, type: always_sample },
    { name: test-policy-2, type: latency, latency: {threshold_ms: 5000, upper_threshold_ms: 10000} },
    { name: test-policy-3, type: numeric_attribute, numeric_attribute: {key: key1, min_value: 50, max_value: 100} },
    { name: test-policy-4, type: probabilistic, probabilistic: {sampling_percentage: 10} },
    { name: test-policy-5, type: status_code, status_code: {status_codes: [ERROR, UNSET]} },
    { name: test-policy-6, type: string_attribute, string_attribute: {key: key2, values: [value1, value2]} },
    { name: test-policy-7, type: string_attribute, string_attribute: {key: key2, values: [value1, val*], enabled_regex_matching: true, cache_max_size: 10} },
    { name: test-policy-8, type: rate_limiting, rate_limiting: {spans_per_second: 35} },
    { name: test-policy-9, type: string_attribute, string_attribute: {key: http.url, values: [\\/health, \\/metrics], enabled_regex_matching: true, invert_match: true} },
    { name: test-policy-10, type: span_count, span_count: {min_spans: 2, max_spans: 20} },
    { name: test-policy-11, type: trace_state, trace_state: { key: key3, values: [value1, value2] } },
    { name: test-policy-12, type: boolean_attribute, boolean_attribute: {key: key4, value: true} },
    { name: test-policy-13, type: ottl_condition, ottl_condition: { error_mode: ignore, span: ["attributes[\\"test_attr_key_1\\"] == \\"test_attr_val_1\\""] } },
    { name: and-policy-1, type: and, and: { and_sub_policy: [ { name: a1, type: numeric_attribute, numeric_attribute: { key: key1, min_value: 50, max_value: 100 } }, { name: a2, type: string_attribute, string_attribute: { key: key2, values: [ value1 ] } } ] } },
    { name: composite-policy-1, type: composite, composite: { max_total_spans_per_second: 1000, policy_order: [c1, c2, c3], composite_sub_policy: [ { name: c1, type: numeric_attribute, numeric_attribute: {key: key1, min_value: 50, max_value: 100} }, { name: c2, type: string_attribute, string_attribute: {key: key2, values: [value1]} }, { name: c3, type: always_sample } ], rate_allocation: [ { policy: c1, percent: 50 }, { policy: c2, percent: 25 } ] } },
    { name: drop-it, type: drop, drop: { drop_sub_policy: [ { name: d1, type: string_attribute, string_attribute: {key: url.path, values: [\\/health]} } ] } },
    { name: not-it, type: not, not: { not_sub_policy: { name: n1, type: trace_flags } } },
  ]
`;
    const r = tailSamplingFactory.parseConfig(parse(yaml), P);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.config.decisionWaitMs).toBe(10_000);
    expect(r.config.policies.map((p) => p.type)).toEqual([
      'always_sample', 'latency', 'numeric_attribute', 'probabilistic', 'status_code', 'string_attribute', 'string_attribute',
      'rate_limiting', 'string_attribute', 'span_count', 'trace_state', 'boolean_attribute', 'ottl_condition', 'and', 'composite', 'drop', 'not',
    ]);
  });

  it('reports every problem at once with full key paths', () => {
    const got = problems({
      decision_wait: 'soon',
      num_traces: -1,
      bogus: 1,
      sampling_strategy: 'eager',
      policies: [
        { name: 'a', type: 'latency', latency: { threshold_ms: 'x' } },
        { name: 'a', type: 'always_sample' },
        { type: 'status_code', status_code: { status_codes: ['ERR'] } },
        { name: 'c', type: 'nope' },
      ],
    });
    expect(got).toEqual(expect.arrayContaining([
      expect.stringMatching(/^processors\.tail_sampling\.decision_wait: expected a duration/),
      expect.stringMatching(/^processors\.tail_sampling\.num_traces: /),
      'processors.tail_sampling.bogus: unknown key',
      expect.stringMatching(/^processors\.tail_sampling\.policies\[0\]\.latency\.threshold_ms: /),
    ]));
    const semantic = problems({
      sampling_strategy: 'eager',
      policies: [
        { name: 'a', type: 'always_sample' },
        { name: 'a', type: 'always_sample' },
        { type: 'status_code', status_code: { status_codes: ['ERR'] } },
        { name: 'c', type: 'nope' },
        { name: 'd', type: 'status_code' },
        { name: 'e', type: 'numeric_attribute', numeric_attribute: { key: 'k' } },
        { name: 'f', type: 'and', and: { and_sub_policy: [{ name: 'g', type: 'composite' }] } },
        { name: 'h', type: 'string_attribute', string_attribute: { key: 'k', values: ['(?=x)'], enabled_regex_matching: true } },
        { name: 'i', type: 'ottl_condition', ottl_condition: {} },
      ],
    });
    expect(semantic).toEqual([
      'processors.tail_sampling.sampling_strategy: invalid sampling_strategy "eager", expected one of "trace-complete" or "span-ingest"',
      'processors.tail_sampling.policies[1].name: duplicate policy name "a"',
      'processors.tail_sampling.policies[2].name: policy name cannot be empty',
      'processors.tail_sampling.policies[2].status_code.status_codes[0]: unknown status code "ERR", supported: OK, ERROR, UNSET',
      'processors.tail_sampling.policies[3].type: unknown sampling policy type nope',
      'processors.tail_sampling.policies[4].status_code.status_codes: expected at least one status code to filter on',
      'processors.tail_sampling.policies[5].numeric_attribute: at least one of min_value or max_value must be set (the collector treats 0 as unset)',
      'processors.tail_sampling.policies[6].and.and_sub_policy[0].type: unknown sampling policy type composite',
      expect.stringMatching(/^processors\.tail_sampling\.policies\[7\]\.string_attribute\.values\[0\]: error parsing regexp/),
      'processors.tail_sampling.policies[8].ottl_condition: expected at least one OTTL condition to filter on',
    ]);
  });

  it('a schema problem in one place does not hide the semantic and OTTL problems elsewhere', () => {
    expect(
      problems({
        sampling_strategy: 'span-ingest',
        policies: [
          { name: 'typo', type: 'latency', latencyy: 5 },
          { name: 'code', type: 'status_code', status_code: { status_codes: ['FAILED'] } },
          { name: 'ottl', type: 'ottl_condition', ottl_condition: { span: ['IsRootSpan()'] } },
          { name: 'rate', type: 'rate_limiting', rate_limiting: { spans_per_second: 5 } },
        ],
      }).map((p) => p.replace(/ is outside the supported OTTL subset: .*/, ' is outside the supported OTTL subset')),
    ).toEqual([
      'processors.tail_sampling.policies[0].latencyy: unknown key',
      'processors.tail_sampling.policies[1].status_code.status_codes[0]: unknown status code "FAILED", supported: OK, ERROR, UNSET',
      'processors.tail_sampling.policies[2].ottl_condition.span[0]: "IsRootSpan()" is outside the supported OTTL subset',
      'processors.tail_sampling.policies[3]: sampling_strategy "span-ingest" requires all policies to be stateless, but policy "rate" is stateful',
    ]);
    expect(problems({ decision_wait: '10x', policies: [{ name: 'code', type: 'status_code', status_code: { status_codes: ['FAILED'] } }] })).toEqual([
      'processors.tail_sampling.decision_wait: expected a duration such as 5s or 250ms, got "10x"',
      'processors.tail_sampling.policies[0].status_code.status_codes[0]: unknown status code "FAILED", supported: OK, ERROR, UNSET',
    ]);
  });

  it('an OTTL condition outside the subset is a problem that quotes it', () => {
    const got = problems({ policies: [{ name: 'o', type: 'ottl_condition', ottl_condition: { span: ['name == "a"', 'Concat(["a"], "") == "a"'] } }] });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^processors\.tail_sampling\.policies\[0\]\.ottl_condition\.span\[1\]: "Concat/);
  });

  it('error_mode is read in any letter case, as OTTL ErrorMode.UnmarshalText lower-cases it', () => {
    const ottl = (mode: string) => ({ policies: [{ name: 'o', type: 'ottl_condition', ottl_condition: { error_mode: mode, span: ['name == "a"'] } }] });
    const r = tailSamplingFactory.parseConfig(ottl('IGNORE'), P);
    expect(r.ok && r.config.policies[0]).toMatchObject({ ottlCondition: { errorMode: 'ignore' } });
    expect(problems(ottl('Silent'))).toEqual([]);
    expect(problems(ottl('Loud'))).toEqual(['processors.tail_sampling.policies[0].ottl_condition.error_mode: unknown error mode loud']);
  });

  it('a rate_allocation entry may leave out percent or policy (upstream zero values: percent 0 = equal share)', () => {
    const r = tailSamplingFactory.parseConfig(
      {
        policies: [
          {
            name: 'c',
            type: 'composite',
            composite: {
              max_total_spans_per_second: 100,
              composite_sub_policy: [{ name: 'a', type: 'always_sample' }, { name: 'b', type: 'always_sample' }],
              rate_allocation: [{ policy: 'a' }, { percent: 30 }],
            },
          },
        ],
      },
      P,
    );
    expect(r.ok && r.config.policies[0]).toMatchObject({ composite: { rateAllocation: [{ policy: 'a', percent: 0 }, { policy: '', percent: 30 }] } });
  });

  it('span-ingest requires stateless policies (a composite only counts when a sub-policy is stateful)', () => {
    const comp = (sub: object) => ({ name: 'c', type: 'composite', composite: { max_total_spans_per_second: 10, composite_sub_policy: [sub] } });
    expect(problems({ sampling_strategy: 'span-ingest', policies: [comp({ name: 'a', type: 'always_sample' })] })).toEqual([]);
    expect(problems({ sampling_strategy: 'span-ingest', policies: [comp({ name: 'b', type: 'bytes_limiting', bytes_limiting: { bytes_per_second: 5 } })] })).toHaveLength(1);
    expect(problems({ sampling_strategy: 'span-ingest', policies: [{ name: 'r', type: 'rate_limiting', rate_limiting: { spans_per_second: 5 } }] })).toEqual([
      'processors.tail_sampling.policies[0]: sampling_strategy "span-ingest" requires all policies to be stateless, but policy "r" is stateful',
    ]);
  });
});
