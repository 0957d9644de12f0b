/**
 * Cases found by reviewing the processor against upstream `processor.go` (current),
 * `internal/idbatcher/id_batcher.go` and `internal/sampling/string_tag_filter.go`.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { batchOf, makeSpan, resourceSpans, traceIdOf, view } from './fixtures.js';
import { counter, rig } from './harness.js';
import { RetryableError } from '../../../../../src/pipeline/errors.js';
import { pdataResourceSpansSize } from '../../../../../src/protocol/otlp/pdata-size.js';
import { exportRequestProtoSize, varint32Size } from '../../../../../src/protocol/otlp/size.js';
import { createStringAttributePolicy } from '../../../../../src/components/processors/tail-sampling/policies/string-attribute.js';
import { createLatencyPolicy } from '../../../../../src/components/processors/tail-sampling/policies/latency.js';
import { Decision } from '../../../../../src/components/processors/tail-sampling/policies/decision.js';
import { tailSamplingFactory } from '../../../../../src/components/processors/tail-sampling/factory.js';

const always = { name: 'all', type: 'always_sample' };
const errors = { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } };
const spansOf = (n: number, trace: number, extra: Parameters<typeof makeSpan>[0] = {}) =>
  Array.from({ length: n }, () => makeSpan({ traceId: traceIdOf(trace), ...extra }));

describe('decision batches hold trace ids, not trace records (upstream idbatcher Batch = set of ids)', () => {
  // num_traces 1: trace 1 (batch 2) is evicted by trace 2 (batch 2), whose eviction lets trace 1
  // back in at 1.5 s (batch 3). At the 3 s tick upstream looks trace 1's id up in the map, finds
  // the re-added trace and decides it; only trace 2 is "dropped too early". At 4 s trace 1 is
  // already decided (no cache: skipped) or gone (cache: counted).
  const scenario = async (decisionCache: Record<string, number> | undefined) => {
    const r = await rig({ decision_wait: '2s', num_traces: 1, policies: [always], ...(decisionCache ? { decision_cache: decisionCache } : {}) });
    await r.at(100);
    await r.proc.consumeTraces(batchOf(spansOf(2, 1)));
    await r.at(200);
    await r.proc.consumeTraces(batchOf(spansOf(1, 2)));
    await r.at(1500);
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    return r;
  };
  it('without a decision cache: the re-added trace is decided at the old id entry, counted once as too early', async () => {
    const r = await scenario(undefined);
    await r.at(3000);
    expect(r.sink.spanCount).toBe(1);
    expect(counter(r.host, 'sampling_trace_dropped_too_early')).toBe(1);
    await r.at(4000);
    expect(r.sink.spanCount).toBe(1);
    expect(counter(r.host, 'sampling_trace_dropped_too_early')).toBe(1);
    expect(counter(r.host, 'global_count_traces_sampled')).toBe(1);
  });
  it('with a decision cache: the second id entry finds nothing in the map and counts', async () => {
    const r = await scenario({ sampled_cache_size: 10 });
    await r.at(3000);
    expect(r.sink.spanCount).toBe(1);
    expect(counter(r.host, 'sampling_trace_dropped_too_early')).toBe(1);
    await r.at(4000);
    expect(counter(r.host, 'sampling_trace_dropped_too_early')).toBe(2);
  });
  it('span-ingest with a decision cache: a trace released on ingest is not removed from its batch', async () => {
    const r = await rig({ decision_wait: '1s', sampling_strategy: 'span-ingest', decision_cache: { sampled_cache_size: 10 }, policies: [errors] });
    await r.proc.consumeTraces(batchOf(spansOf(1, 1, { status: 2 })));
    expect(r.sink.spanCount).toBe(1);
    await r.at(2000);
    expect(counter(r.host, 'sampling_trace_dropped_too_early')).toBe(1);
  });
  it('a trace dropped as too large is removed from its batch (RemoveFromBatch): nothing counts at the tick', async () => {
    const r = await rig({ decision_wait: '1s', maximum_trace_size_bytes: 10, decision_cache: { non_sampled_cache_size: 10 }, policies: [always] });
    await r.proc.consumeTraces(batchOf(spansOf(2, 1)));
    expect(counter(r.host, 'traces_dropped_too_large')).toBe(1);
    await r.at(2000);
    expect(counter(r.host, 'sampling_trace_dropped_too_early')).toBe(0);
  });
  it('a late span of a trace dropped as too large has no decision time: no late_span_age', async () => {
    const r = await rig({ decision_wait: '1s', maximum_trace_size_bytes: 10, policies: [always] });
    await r.proc.consumeTraces(batchOf(spansOf(2, 1)));
    await r.at(2500);
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    expect(r.host.accounting.droppedSpans.get('late_span_dropped')).toBe(1);
    expect(r.host.telemetry.snapshot().find((p) => p.name.endsWith('sampling_late_span_age'))?.count).toBe(0);
  });
  it('shutdown drains like ticks: an evicted trace still counts as dropped too early', async () => {
    const r = await rig({ decision_wait: '5s', num_traces: 1, policies: [always] });
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    await r.proc.consumeTraces(batchOf(spansOf(1, 2)));
    await r.proc.shutdown();
    expect(counter(r.host, 'sampling_trace_dropped_too_early')).toBe(1);
    expect(r.sink.spanCount).toBe(1);
  });
});

describe('span-ingest evaluation (upstream makeDecisionOnSpanIngest)', () => {
  it('policies see the trace span count accumulated so far, not only this batch', async () => {
    const r = await rig({ decision_wait: '5s', sampling_strategy: 'span-ingest', policies: [{ name: 'big', type: 'span_count', span_count: { min_spans: 3 } }] });
    await r.proc.consumeTraces(batchOf(spansOf(2, 1)));
    expect(r.sink.spanCount).toBe(0);
    await r.proc.consumeTraces(batchOf(spansOf(2, 1)));
    expect(r.sink.spanCount).toBe(4); // SpanCount = 4 >= 3: released at once
  });
  it('once a drop policy is pending no other policy is evaluated; every evaluated vote is counted', async () => {
    const drop = { name: 'drop-bots', type: 'drop', drop: { drop_sub_policy: [{ name: 'b', type: 'string_attribute', string_attribute: { key: 'tier', values: ['bot'] } }] } };
    const r = await rig({ decision_wait: '1s', sampling_strategy: 'span-ingest', policies: [always, drop, errors] });
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    expect(counter(r.host, 'count_traces_sampled', { policy: 'drop-bots', decision: 'not_sampled' })).toBe(1);
    expect(counter(r.host, 'count_traces_sampled', { policy: 'all' })).toBe(0);
    expect(counter(r.host, 'sampling_policy_execution_count', { policy: 'all' })).toBe(0);
    expect(counter(r.host, 'sampling_policy_execution_count', { policy: 'errors' })).toBe(0);
  });
  it('a NotSampled vote on ingest is counted under its policy', async () => {
    const r = await rig({ decision_wait: '1s', sampling_strategy: 'span-ingest', policies: [errors, always] });
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    expect(counter(r.host, 'count_traces_sampled', { policy: 'errors', decision: 'not_sampled' })).toBe(1);
    expect(counter(r.host, 'count_traces_sampled', { policy: 'all', decision: 'sampled' })).toBe(1);
  });
});

describe('per-trace ResourceSpans as upstream builds them (newResourceSpanFromSpanAndScopes)', () => {
  const withSchemas = (trace: number) => {
    const rs = resourceSpans(spansOf(1, trace));
    return { ...rs, schemaUrl: 'https://opentelemetry.io/schemas/1.26.0', scopeSpans: rs.scopeSpans.map((ss) => ({ ...ss, schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' })) };
  };
  it('only the resource and the scope are copied: schema URLs do not reach the next consumer', async () => {
    const r = await rig({ decision_wait: '1s', policies: [always] });
    await r.proc.consumeTraces({ resourceSpans: [withSchemas(1)] });
    await r.at(2000);
    const out = r.sink.batches[0]!.resourceSpans[0]!;
    expect(out.schemaUrl).toBe('');
    expect(out.scopeSpans[0]!.schemaUrl).toBe('');
  });
  it('maximum_trace_size_bytes compares the sum of the collector\'s ResourceSpans sizes (no TracesData framing), strictly greater', async () => {
    const rs = withSchemas(1);
    const perTrace = { ...rs, schemaUrl: '', scopeSpans: rs.scopeSpans.map((ss) => ({ ...ss, schemaUrl: '' })) };
    const size = pdataResourceSpansSize(perTrace);
    const atLimit = await rig({ decision_wait: '1s', maximum_trace_size_bytes: size, policies: [always] });
    await atLimit.proc.consumeTraces({ resourceSpans: [rs] });
    expect(counter(atLimit.host, 'traces_dropped_too_large')).toBe(0);
    const below = await rig({ decision_wait: '1s', maximum_trace_size_bytes: size - 1, policies: [always] });
    await below.proc.consumeTraces({ resourceSpans: [rs] });
    expect(counter(below.host, 'traces_dropped_too_large')).toBe(1);
  });
});

describe('byte limits count the collector\'s protobuf sizes (pdata field presence), not the SDK\'s', () => {
  // upstream sizes with ptrace.ProtoMarshaler: zero counts and status codes are not written, an
  // empty parent_span_id is. Here the collector's size is smaller than the SDK's by several
  // bytes, so a limit set to the collector's size tells the two apart.
  const rs = () => resourceSpans(spansOf(3, 1));
  it('bytes_limiting: a burst of exactly the trace\'s TracesSize samples it, one byte less does not', async () => {
    const body = pdataResourceSpansSize(rs());
    const tracesSize = 1 + varint32Size(body) + body;
    expect(exportRequestProtoSize({ resourceSpans: [rs()] })).toBeGreaterThan(tracesSize);
    const decide = async (burst: number) => {
      const r = await rig({ decision_wait: '1s', policies: [{ name: 'bytes', type: 'bytes_limiting', bytes_limiting: { bytes_per_second: burst, burst_capacity: burst } }] });
      await r.proc.consumeTraces({ resourceSpans: [rs()] });
      await r.at(2000);
      return r.sink.spanCount;
    };
    expect(await decide(tracesSize)).toBe(3);
    expect(await decide(tracesSize - 1)).toBe(0);
  });
});

describe('string_attribute regex values are Go RE2 (regexp.MustCompile + MatchString)', () => {
  const policy = (values: string[]) =>
    createStringAttributePolicy({ key: 'route', values, enabledRegexMatching: true, cacheMaxSize: 0, invertMatch: false }, { invertDecisions: false, compat: 'current' });
  const matches = (values: string[], value: string) => policy(values).evaluate(view([makeSpan({ attributes: { route: value } })]), 0) === Decision.Sampled;
  it('accepts RE2 syntax JS lacks: leading (?i), (?P<name>), escaped punctuation, a literal {, POSIX classes, \\z, \\Q…\\E', () => {
    expect(matches(['(?i)^/HEALTH'], '/health/live')).toBe(true);
    expect(matches(['(?P<ver>v[0-9]+)/users'], '/api/v2/users')).toBe(true);
    expect(matches(['^/api\\-v1\\@x'], '/api-v1@x')).toBe(true);
    expect(matches(['a{,2}'], 'xa{,2}')).toBe(true);
    expect(matches(['a{,2}'], 'aa')).toBe(false);
    expect(matches(['[[:digit:]]+$'], 'order-123')).toBe(true);
    expect(matches(['[[:digit:]]+$'], 'order-12x')).toBe(false);
    expect(matches(['json\\z'], 'a.json')).toBe(true);
    expect(matches(['json\\z'], 'a.json\n')).toBe(false);
    expect(matches(['\\Q/a.b\\E'], '/a.b')).toBe(true);
    expect(matches(['\\Q/a.b\\E'], '/axb')).toBe(false);
    expect(matches(['^\\pL+$'], 'héllo')).toBe(true);
  });
  it('keeps RE2 meanings: . matches \\r, \\s is ASCII space only', () => {
    expect(matches(['^a.b$'], 'a\rb')).toBe(true);
    expect(matches(['^a.b$'], 'a\nb')).toBe(false);
    expect(matches(['(?s)^a.b$'], 'a\nb')).toBe(true);
    expect(matches(['a\\sb'], 'a\u00a0b')).toBe(false);
    expect(matches(['a\\sb'], 'a\tb')).toBe(true);
  });
  it('(?m): ^ and $ match at \\n and the text ends only, not at \\r or U+2028 (Go EmptyOpContext)', () => {
    expect(matches(['(?m)^abc$'], 'x\nabc\ny')).toBe(true);
    expect(matches(['(?m)^abc$'], 'abc')).toBe(true);
    expect(matches(['(?m)^abc$'], 'x\rabc\ry')).toBe(false);
    expect(matches(['(?m)^abc$'], 'x\u2028abc\u2028y')).toBe(false);
    expect(matches(['^abc$'], 'x\nabc\ny')).toBe(false);
  });
  it('config: RE2-valid patterns load; what RE2 rejects is a problem at the value path', () => {
    const problems = (values: string[]) => {
      const r = tailSamplingFactory.parseConfig(
        { policies: [{ name: 's', type: 'string_attribute', string_attribute: { key: 'k', values, enabled_regex_matching: true } }] },
        'processors.tail_sampling',
      );
      return r.ok ? [] : r.problems.map((p) => p.path);
    };
    expect(problems(['(?i)health', '(?P<n>x)', '\\-', 'a{,2}', '[[:alpha:]]'])).toEqual([]);
    expect(problems(['(?=x)', '(?<!x)y', '(a)\\1', 'a{1001}', '(?U)a+'])).toEqual([0, 1, 2, 3, 4].map((i) => `processors.tail_sampling.policies[0].string_attribute.values[${i}]`));
  });
});

describe('latency without an upper bound (fast path) agrees with upstream incremental walk', () => {
  // Reference walk, written from latency.go: bounds with `== 0` as unset, test after each span.
  const upstream = (spans: { s: bigint; e: bigint }[], thresholdMs: bigint) => {
    let min = 0n;
    let max = 0n;
    for (const sp of spans) {
      if (min === 0n || sp.s < min) min = sp.s;
      if (max === 0n || sp.e > max) max = sp.e;
      if ((max - min) / 1_000_000n >= thresholdMs) return Decision.Sampled;
    }
    return Decision.NotSampled;
  };
  test.prop([
    fc.array(fc.record({ s: fc.constantFrom(0n, 1n, 5_000_000n, 1_000_000_000n, 2_500_000_000n), e: fc.constantFrom(0n, 1n, 999_999n, 1_000_000_000n, 3_000_000_000n) }), { maxLength: 6 }),
    fc.constantFrom(-1n, 0n, 1n, 1000n, 2500n),
  ])('same decision for any spans, zero timestamps included', (spans, thresholdMs) => {
    const p = createLatencyPolicy({ thresholdMs: Number(thresholdMs), upperThresholdMs: 0 });
    const v = view(spans.map(({ s, e }) => ({ ...makeSpan(), startTimeUnixNano: s, endTimeUnixNano: e })));
    expect(p.evaluate(v, 0)).toBe(upstream(spans, thresholdMs));
  });
});

describe('spans of one trace in one ResourceSpans are handled as one group (upstream groupSpansByTraceKey)', () => {
  it('interleaved traces under num_traces pressure: a trace is evicted with all its spans, never re-created within the batch', async () => {
    const r = await rig({ decision_wait: '1s', num_traces: 1, policies: [always] });
    const [a1, a2] = spansOf(2, 1);
    const [b1] = spansOf(1, 2);
    await r.proc.consumeTraces(batchOf([a1!, b1!, a2!]));
    // upstream: trace 1's group (2 spans) enters, trace 2's group evicts it (group order here:
    // first appearance; upstream iterates a Go map, either order gives two new ids)
    expect(counter(r.host, 'new_trace_id_received')).toBe(2);
    expect(r.host.accounting.droppedSpans.get('tail_buffer_evicted')).toBe(2);
    await r.at(2000);
    expect(r.sink.spanCount).toBe(1);
    expect(r.sink.batches[0]!.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.traceId).toEqual(traceIdOf(2));
    expect(counter(r.host, 'sampling_trace_dropped_too_early')).toBe(1);
  });
  it('a decided trace evicted in the middle of a batch keeps its late-span route for the rest of the batch', async () => {
    const r = await rig({ decision_wait: '1s', num_traces: 1, policies: [always] });
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    await r.at(2000); // trace 1 sampled, stays in the map (no cache)
    const [a1, a2] = spansOf(2, 1);
    const [b1] = spansOf(1, 2);
    await r.proc.consumeTraces(batchOf([a1!, b1!, a2!]));
    expect(r.sink.spanCount).toBe(3); // both late spans of trace 1 forwarded
    expect(counter(r.host, 'new_trace_id_received')).toBe(2);
  });
  it('late_span_age is recorded once per trace per ResourceSpans', async () => {
    const r = await rig({ decision_wait: '1s', policies: [always] });
    await r.proc.consumeTraces(batchOf([...spansOf(1, 1), ...spansOf(1, 2)]));
    await r.at(2000);
    const [a1, a2] = spansOf(2, 1);
    const [b1] = spansOf(1, 2);
    await r.proc.consumeTraces(batchOf([a1!, b1!, a2!]));
    expect(r.host.telemetry.snapshot().find((p) => p.name.endsWith('sampling_late_span_age'))?.count).toBe(2);
  });
});

describe('block_on_overflow (upstream waitForSpace blocks only for a new trace id, never evicts)', () => {
  it('spans of traces already held (or cached) are accepted while the map is full', async () => {
    const r = await rig({ num_traces: 1, block_on_overflow: true, decision_wait: '1s', policies: [always] });
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    await r.proc.consumeTraces(batchOf(spansOf(2, 1)));
    await r.at(2000);
    expect(r.sink.spanCount).toBe(3);
  });
  it('a batch bringing more new traces than free slots is refused whole; nothing is evicted', async () => {
    const r = await rig({ num_traces: 2, block_on_overflow: true, policies: [always] });
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    await expect(r.proc.consumeTraces(batchOf([...spansOf(1, 2), ...spansOf(1, 3)]))).rejects.toBeInstanceOf(RetryableError);
    expect(r.host.accounting.totalDropped).toBe(0);
    expect(r.proc.tailSamplingStats().tracesHeld).toBe(1);
    await r.proc.consumeTraces(batchOf([...spansOf(1, 2), ...spansOf(2, 2)])); // one new trace fits
    expect(r.proc.tailSamplingStats().tracesHeld).toBe(2);
  });
});

describe('tick telemetry as upstream samplingPolicyOnTick records it (processor.go, current)', () => {
  const point = (r: Awaited<ReturnType<typeof rig>>, suffix: string) =>
    r.host.telemetry.snapshot().find((p) => p.name === `otelcol_processor_tail_sampling_${suffix}`);
  it('sampling_traces_on_memory is the map size recorded at the last tick: no point before the first tick', async () => {
    const r = await rig({ decision_wait: '5s', policies: [always] });
    await r.proc.consumeTraces(batchOf([...spansOf(1, 1), ...spansOf(1, 2)]));
    expect(point(r, 'sampling_traces_on_memory')).toBeUndefined();
    await r.at(1000);
    expect(point(r, 'sampling_traces_on_memory')?.value).toBe(2);
    await r.proc.consumeTraces(batchOf(spansOf(1, 3)));
    expect(point(r, 'sampling_traces_on_memory')?.value).toBe(2); // ingestion records nothing
    await r.at(2000);
    expect(point(r, 'sampling_traces_on_memory')?.value).toBe(3);
  });
  it('the shutdown drain is N+1 ticks: each records the timer latency and the map size', async () => {
    const r = await rig({ decision_wait: '3s', policies: [always] });
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    await r.at(1000);
    await r.proc.shutdown();
    expect(point(r, 'sampling_decision_timer_latency')?.count).toBe(1 + 4);
    expect(point(r, 'sampling_traces_on_memory')?.value).toBe(1); // decided, kept (no cache) at the last drain tick
  });
  it('drop_pending_traces_on_shutdown: no drain ticks', async () => {
    const r = await rig({ decision_wait: '3s', drop_pending_traces_on_shutdown: true, policies: [always] });
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    await r.proc.shutdown();
    expect(point(r, 'sampling_decision_timer_latency')?.count).toBe(0);
    expect(point(r, 'sampling_traces_on_memory')).toBeUndefined();
  });
  it('span-ingest: every ingest evaluation records the timer latency (recordImmediateDecisionMetrics)', async () => {
    const r = await rig({ decision_wait: '5s', sampling_strategy: 'span-ingest', policies: [errors] });
    await r.proc.consumeTraces(batchOf([...spansOf(1, 1), ...spansOf(1, 2)]));
    await r.proc.consumeTraces(batchOf(spansOf(1, 1, { status: 2 })));
    expect(point(r, 'sampling_decision_timer_latency')?.count).toBe(3);
    await r.proc.consumeTraces(batchOf(spansOf(1, 1))); // decided: a late span, no evaluation
    expect(point(r, 'sampling_decision_timer_latency')?.count).toBe(3);
  });
});

describe('decision_wait_after_root_received: a root span is one whose parent span id is empty (pcommon.SpanID.IsEmpty)', () => {
  it('an all-zero parent span id counts as a root, as the 8 zero bytes pdata reads it as', async () => {
    const r = await rig({ decision_wait: '30s', decision_wait_after_root_received: '1s', policies: [always] });
    await r.at(100);
    await r.proc.consumeTraces(batchOf([{ ...makeSpan({ traceId: traceIdOf(1) }), parentSpanId: '\0'.repeat(8) }]));
    await r.at(2000); // moved to the batch taken 1 tick from now: the tick at 2 s
    expect(r.sink.spanCount).toBe(1);
  });
  it('a parent span id with any non-zero byte is not a root', async () => {
    const r = await rig({ decision_wait: '30s', decision_wait_after_root_received: '1s', policies: [always] });
    await r.at(100);
    await r.proc.consumeTraces(batchOf([{ ...makeSpan({ traceId: traceIdOf(1) }), parentSpanId: '\0'.repeat(7) + '\x01' }]));
    await r.at(30_000);
    expect(r.sink.spanCount).toBe(0);
  });
});

describe('block_on_overflow never evicts, in classic too (classic-era processor.go: BlockingTracesLimiter replaces the deleteChan limiter)', () => {
  it('classic: a trace is not pushed out by num_traces newer ids while block_on_overflow is set', async () => {
    const run = async (blockOnOverflow: boolean) => {
      const r = await rig(
        { decision_wait: '1s', num_traces: 2, block_on_overflow: blockOnOverflow, decision_cache: { sampled_cache_size: 10 }, policies: [errors] },
        'classic',
      );
      await r.at(100);
      await r.proc.consumeTraces(batchOf([...spansOf(1, 1), ...spansOf(1, 2, { status: 2 })]));
      await r.at(2000); // trace 1 not sampled, kept (no non-sampled cache); trace 2 sampled and cached: it leaves
      await r.proc.consumeTraces(batchOf(spansOf(1, 3))); // the map has room for it
      return r;
    };
    const evicting = await run(false);
    expect(evicting.proc.tailSamplingStats().tracesHeld).toBe(1); // deleteChan pushed trace 1 out
    const blocking = await run(true);
    expect(blocking.proc.tailSamplingStats().tracesHeld).toBe(2);
    await blocking.proc.consumeTraces(batchOf(spansOf(1, 1, { status: 2 })));
    expect(blocking.host.accounting.droppedSpans.get('late_span_dropped')).toBe(1); // trace 1 still decides its late span
  });
});

describe('values upstream Validate accepts (QA replay D5, D6)', () => {
  it('a negative decision_wait is one decision batch; a negative decision_wait_after_root_received is off', async () => {
    const r = await rig({ decision_wait: '-5s', decision_wait_after_root_received: '-1s', policies: [always] });
    await r.proc.consumeTraces(batchOf(spansOf(2, 1)));
    await r.at(1000);
    expect(r.sink.spanCount).toBe(0);
    await r.at(2000);
    expect(r.sink.spanCount).toBe(2);
  });
  it('sampling_percentage .inf keeps every trace, -.inf none; .nan is refused', () => {
    const parse = (pct: number) => tailSamplingFactory.parseConfig({ policies: [{ name: 'p', type: 'probabilistic', probabilistic: { sampling_percentage: pct } }] }, 'processors.tail_sampling');
    expect(parse(Number.POSITIVE_INFINITY).ok).toBe(true);
    expect(parse(Number.NEGATIVE_INFINITY).ok).toBe(true);
    expect(parse(Number.NaN).ok).toBe(false);
  });
});

describe('durations as the collector decodes them (a bare number is a time.Duration: nanoseconds)', () => {
  it('decision_wait: 5000000000 is 5 s; decision_wait: 5 is 5 ns, not 5 ms or 5 s', () => {
    const wait = (v: unknown) => {
      const r = tailSamplingFactory.parseConfig({ decision_wait: v, policies: [always] }, 'processors.tail_sampling');
      return r.ok ? r.config.decisionWaitMs : undefined;
    };
    expect(wait(5_000_000_000)).toBe(5000);
    expect(wait(5)).toBe(0.000005);
    expect(wait('5s')).toBe(5000);
  });
});

describe('policy extension settings (sharedPolicyCfg.ExtensionCfg, mapstructure ",remain")', () => {
  it('an unknown policy key holding a map loads and is ignored, with a warning naming it; any other unknown key is a problem', () => {
    const r = tailSamplingFactory.parseConfig(
      {
        policies: [
          { name: 'flags', type: 'trace_flags', trace_flags: {} },
          { name: 'both', type: 'and', and: { and_sub_policy: [{ name: 'x', type: 'always_sample', my_ext: { a: 1 } }] } },
        ],
      },
      'processors.tail_sampling',
    );
    expect(r.ok).toBe(true);
    expect(r.ok && r.warnings).toEqual([
      'processors.tail_sampling.policies[0].trace_flags: ignored, as the collector ignores an unknown policy key holding a map (policy extension settings); check its spelling',
      'processors.tail_sampling.policies[1].and.and_sub_policy[0].my_ext: ignored, as the collector ignores an unknown policy key holding a map (policy extension settings); check its spelling',
    ]);
    const bad = tailSamplingFactory.parseConfig({ policies: [{ name: 'l', type: 'latency', latncy: 5 }] }, 'processors.tail_sampling');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.map((p) => p.path)).toEqual(['processors.tail_sampling.policies[0].latncy']);
  });
});
