import { describe, expect, it } from 'vitest';
import { batchOf, makeSpan, traceIdOf } from './fixtures.js';
import { counter, rig } from './harness.js';
import { isTailSamplingStats } from '../../../../../src/components/processors/tail-sampling/stats.js';
import { holdsBytes } from '../../../../../src/pipeline/component.js';
import { RetryableError, ShutdownError } from '../../../../../src/pipeline/errors.js';
import { spanCount } from '../../../../../src/protocol/otlp/model.js';

const always = { name: 'all', type: 'always_sample' };
const errors = { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } };
const spansOf = (n: number, trace: number, extra: Parameters<typeof makeSpan>[0] = {}) =>
  Array.from({ length: n }, () => makeSpan({ traceId: traceIdOf(trace), ...extra }));

describe('timing (§3.1)', () => {
  it('decides a trace N to N+1 seconds after its first span (decision_wait 2s)', async () => {
    const r = await rig({ decision_wait: '2s', policies: [always] });
    await r.at(500);
    await r.proc.consumeTraces(batchOf(spansOf(3, 1)));
    await r.at(2999);
    expect(r.sink.spanCount).toBe(0);
    await r.at(3000); // ticks at 1 s, 2 s, 3 s: taken at the third
    expect(r.sink.spanCount).toBe(3);
  });
  it('a trace first seen right after a tick waits almost N+1 seconds', async () => {
    const r = await rig({ decision_wait: '2s', policies: [always] });
    await r.at(1000);
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    await r.at(3999);
    expect(r.sink.spanCount).toBe(0);
    await r.at(4000);
    expect(r.sink.spanCount).toBe(1);
  });
  it('decision_wait below one second still waits one batch; 1.9s truncates to 1', async () => {
    for (const wait of ['500ms', '1.9s']) {
      const r = await rig({ decision_wait: wait, policies: [always] });
      await r.at(100);
      await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
      await r.at(1000);
      expect(r.sink.spanCount).toBe(0);
      await r.at(2000);
      expect(r.sink.spanCount).toBe(1);
    }
  });
  it('spans arriving before the decision join the trace and leave with it', async () => {
    const r = await rig({ decision_wait: '3s', policies: [always] });
    await r.proc.consumeTraces(batchOf(spansOf(2, 1)));
    await r.at(2500);
    await r.proc.consumeTraces(batchOf(spansOf(3, 1)));
    await r.at(3999);
    expect(r.sink.spanCount).toBe(0);
    await r.at(4000); // first span at 0 ⇒ in the batch closed by the 1 s tick ⇒ taken 3 ticks later
    expect(r.sink.spanCount).toBe(5);
    expect(r.sink.batches).toHaveLength(1);
    expect(r.sink.batches[0]!.resourceSpans).toHaveLength(2);
  });
  it('decision_wait_after_root_received moves a trace to an earlier batch when its root arrives', async () => {
    const r = await rig({ decision_wait: '30s', decision_wait_after_root_received: '1s', policies: [always] });
    await r.at(100);
    await r.proc.consumeTraces(batchOf(spansOf(2, 1)));
    await r.at(5500);
    expect(r.sink.spanCount).toBe(0);
    await r.proc.consumeTraces(batchOf([makeSpan({ traceId: traceIdOf(1), root: true })]));
    await r.at(6000);
    expect(r.sink.spanCount).toBe(0);
    await r.at(7000); // k = 1 tick from now: the batch taken at the second tick after the root
    expect(r.sink.spanCount).toBe(3);
  });
});

describe('outcomes and accounting', () => {
  it('sampled spans go downstream, the rest are sampled out; drop policies count as drop_policy', async () => {
    const r = await rig({
      decision_wait: '1s',
      policies: [errors, { name: 'drop-health', type: 'drop', drop: { drop_sub_policy: [{ name: 'h', type: 'string_attribute', string_attribute: { key: 'route', values: ['/health'] } }] } }],
    });
    await r.proc.consumeTraces(batchOf([...spansOf(2, 1, { status: 2 }), ...spansOf(3, 2), ...spansOf(4, 3, { status: 2, attributes: { route: '/health' } })]));
    await r.at(2000);
    expect(r.sink.spanCount).toBe(2);
    expect(r.host.accounting.sampledOutSpans.get('sampled_out')).toBe(3);
    expect(r.host.accounting.sampledOutSpans.get('drop_policy')).toBe(4);
    expect(counter(r.host, 'global_count_traces_sampled', { decision: 'sampled' })).toBe(1);
    expect(counter(r.host, 'global_count_traces_sampled', { decision: 'not_sampled' })).toBe(1);
    expect(counter(r.host, 'global_count_traces_sampled', { decision: 'dropped' })).toBe(1);
    expect(counter(r.host, 'new_trace_id_received')).toBe(3);
  });
  it('emitted batches keep the shadow flag of the incoming ones', async () => {
    const r = await rig({ decision_wait: '1s', policies: [errors] });
    await r.proc.consumeTraces({ ...batchOf([...spansOf(1, 1, { status: 2 }), ...spansOf(1, 2)]), shadow: true } as never);
    await r.at(2000);
    expect((r.sink.batches[0] as { shadow?: boolean }).shadow).toBe(true);
    expect(r.host.accounting.totalSampledOut).toBe(0); // RecordingAccounting ignores shadow copies
  });
  it('a downstream rejection of a release is accounted once', async () => {
    const r = await rig({ decision_wait: '1s', policies: [always] });
    r.sink.failWith = () => new RetryableError('down');
    await r.proc.consumeTraces(batchOf(spansOf(3, 1)));
    await r.at(2000);
    expect(r.host.accounting.droppedSpans.get('batch_send_failed')).toBe(3);
  });
  it('after shutdown, consuming is refused', async () => {
    const r = await rig({ policies: [always] });
    await r.proc.shutdown();
    await r.proc.shutdown();
    await expect(r.proc.consumeTraces(batchOf(spansOf(1, 1)))).rejects.toBeInstanceOf(ShutdownError);
  });
});

describe('decision precedence (§3.4)', () => {
  const dropAll = { name: 'drop-all', type: 'drop', drop: { drop_sub_policy: [{ name: 'x', type: 'always_sample' }] } };
  it('current: drop policies are evaluated first, so sample_on_first_match cannot skip them', async () => {
    const r = await rig({ decision_wait: '1s', sample_on_first_match: true, policies: [always, dropAll] });
    await r.proc.consumeTraces(batchOf(spansOf(2, 1)));
    await r.at(2000);
    expect(r.host.accounting.sampledOutSpans.get('drop_policy')).toBe(2);
    // drop breaks the loop: always_sample was never evaluated
    expect(counter(r.host, 'count_traces_sampled', { policy: 'all' })).toBe(0);
  });
  it('classic: config order; a matching policy before the drop policy wins with sample_on_first_match', async () => {
    const r = await rig({ decision_wait: '1s', sample_on_first_match: true, policies: [always, dropAll] }, 'classic');
    await r.proc.consumeTraces(batchOf(spansOf(2, 1)));
    await r.at(2000);
    expect(r.sink.spanCount).toBe(2);
    expect(counter(r.host, 'count_traces_sampled', { policy: 'drop-all' })).toBe(0);
  });
  it('classic invert: InvertNotSampled beats Sampled; InvertSampled loses to NotSampled', async () => {
    const invert = { name: 'not-a', type: 'string_attribute', string_attribute: { key: 'k', values: ['a'], invert_match: true } };
    const r = await rig({ decision_wait: '1s', policies: [always, invert] }, 'classic');
    await r.proc.consumeTraces(batchOf([...spansOf(1, 1, { attributes: { k: 'a' } }), ...spansOf(1, 2, { attributes: { k: 'b' } })]));
    await r.at(2000);
    expect(r.sink.spans().map((s) => s.traceId.charCodeAt(15))).toEqual([2]);
    const r2 = await rig({ decision_wait: '1s', policies: [errors, invert] }, 'classic');
    await r2.proc.consumeTraces(batchOf(spansOf(1, 3, { attributes: { k: 'b' } })));
    await r2.at(2000);
    expect(r2.sink.spanCount).toBe(0); // IS + NotSampled ⇒ not sampled
    const r3 = await rig({ decision_wait: '1s', policies: [errors, invert] }, 'current');
    await r3.proc.consumeTraces(batchOf(spansOf(1, 3, { attributes: { k: 'b' } })));
    await r3.at(2000);
    expect(r3.sink.spanCount).toBe(1); // current: plain Sampled wins
  });
  it('sample_on_first_match stops after the first Sampled; per-policy counters show it', async () => {
    const r = await rig({ decision_wait: '1s', sample_on_first_match: true, policies: [errors, always] });
    await r.proc.consumeTraces(batchOf([...spansOf(1, 1, { status: 2 }), ...spansOf(1, 2)]));
    await r.at(2000);
    expect(counter(r.host, 'count_traces_sampled', { policy: 'errors' })).toBe(2);
    expect(counter(r.host, 'count_traces_sampled', { policy: 'all' })).toBe(1);
  });
  it('ottl_condition policies decide through the processor', async () => {
    const r = await rig({ decision_wait: '1s', policies: [{ name: 'o', type: 'ottl_condition', ottl_condition: { span: ['name == "x"'] } }] });
    await r.proc.consumeTraces(batchOf([...spansOf(1, 1, { name: 'x' }), ...spansOf(1, 2, { name: 'y' })]));
    await r.at(2000);
    expect(r.sink.spanCount).toBe(1);
    expect(r.sink.spans()[0]!.name).toBe('x');
  });
});

describe('stats for the report', () => {
  it('sampled / attributed / exclusive per policy; attributed sums to traces kept', async () => {
    const slow = { name: 'slow', type: 'latency', latency: { threshold_ms: 100 } };
    const r = await rig({ decision_wait: '1s', policies: [errors, slow] });
    const slowSpan = (t: number, status: 0 | 2) => makeSpan({ traceId: traceIdOf(t), startMs: 0, endMs: 500, status });
    await r.proc.consumeTraces(batchOf([slowSpan(1, 2), slowSpan(2, 0), ...spansOf(1, 3, { status: 2 }), ...spansOf(1, 4)]));
    await r.at(2000);
    expect(isTailSamplingStats(r.proc)).toBe(true);
    const s = r.proc.tailSamplingStats();
    expect(s.byPolicy).toEqual({
      errors: { sampledTraces: 2, attributedTraces: 2, exclusiveTraces: 1 },
      slow: { sampledTraces: 2, attributedTraces: 1, exclusiveTraces: 1 },
    });
    expect(s.sampledTraces).toBe(3);
    expect(s.notSampledTraces).toBe(1);
    expect(s.decidedTraces).toBe(4);
    expect(s.decisionWaitMs).toBe(1000);
    expect(s.numTraces).toBe(50_000);
  });
  it('held bytes follow the buffered spans and return to 0 after the decision', async () => {
    const r = await rig({ decision_wait: '1s', policies: [always] });
    expect(holdsBytes(r.proc)).toBe(true);
    await r.proc.consumeTraces(batchOf(spansOf(5, 1)));
    expect(r.proc.heldBytes()).toBeGreaterThan(5 * 20);
    expect(r.proc.tailSamplingStats().tracesPending).toBe(1);
    await r.at(2000);
    expect(r.proc.heldBytes()).toBe(0);
    expect(r.proc.tailSamplingStats().tracesHeld).toBe(1); // no cache: kept for late spans
  });
});

describe('num_traces eviction', () => {
  it('current: FIFO eviction when full; evicted spans are tail_buffer_evicted, found missing at their tick', async () => {
    const r = await rig({ decision_wait: '2s', num_traces: 10, policies: [always] });
    await r.at(100);
    for (let t = 1; t <= 30; t++) await r.proc.consumeTraces(batchOf(spansOf(2, t)));
    expect(r.host.accounting.droppedSpans.get('tail_buffer_evicted')).toBe(40);
    expect(r.proc.tailSamplingStats().evictedTraces).toBe(20);
    await r.at(3000);
    expect(r.sink.spanCount).toBe(20);
    expect(new Set(r.sink.spans().map((s) => s.traceId.charCodeAt(15)))).toEqual(new Set([21, 22, 23, 24, 25, 26, 27, 28, 29, 30]));
    expect(counter(r.host, 'sampling_trace_dropped_too_early')).toBe(20);
  });
  it('eviction count when num_traces is too small for the rate: 100 traces/s, decided 2–3 s after arrival', async () => {
    // A trace is evicted once num_traces newer traces arrived: after num_traces / 100 seconds.
    const run = async (numTraces: number) => {
      const r = await rig({ decision_wait: '2s', num_traces: numTraces, policies: [always] });
      for (let i = 0; i < 1000; i++) {
        await r.at(5 + i * 10);
        await r.proc.consumeTraces(batchOf(spansOf(1, i + 1)));
      }
      await r.at(20_000); // arrivals stop: the youngest traces are decided undisturbed
      return r;
    };
    // 150 slots = 1.5 s < 2 s: every trace but the last 150 is evicted undecided
    const small = await run(150);
    expect(small.proc.tailSamplingStats().evictedTraces).toBe(850);
    expect(counter(small.host, 'sampling_trace_dropped_too_early')).toBe(850);
    expect(small.host.accounting.droppedSpans.get('tail_buffer_evicted')).toBe(850);
    expect(small.sink.spanCount).toBe(150);
    // 350 slots = 3.5 s > 3 s: only decided traces are evicted, which loses nothing
    const large = await run(350);
    expect(large.proc.tailSamplingStats().evictedTraces).toBe(0);
    expect(large.sink.spanCount).toBe(1000);
    expect(counter(large.host, 'sampling_trace_dropped_too_early')).toBe(0);
  });
  it('current: decided traces kept for late spans are evicted first-in and are not losses', async () => {
    const r = await rig({ decision_wait: '1s', num_traces: 2, policies: [always] });
    await r.proc.consumeTraces(batchOf([...spansOf(1, 1), ...spansOf(1, 2)]));
    await r.at(2000);
    await r.proc.consumeTraces(batchOf([...spansOf(1, 3), ...spansOf(1, 4)]));
    expect(r.host.accounting.totalDropped).toBe(0);
    await r.at(4000);
    expect(r.sink.spanCount).toBe(4);
    expect(counter(r.host, 'sampling_trace_dropped_too_early')).toBe(0);
  });
  it('classic: a trace is evicted once num_traces newer ids arrived, even if the map has room', async () => {
    const cache = { sampled_cache_size: 100, non_sampled_cache_size: 100 };
    const cls = await rig({ decision_wait: '2s', num_traces: 3, decision_cache: cache, policies: [always] }, 'classic');
    const cur = await rig({ decision_wait: '2s', num_traces: 3, decision_cache: cache, policies: [always] }, 'current');
    for (const r of [cls, cur]) {
      await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
      await r.proc.consumeTraces(batchOf(spansOf(1, 2)));
      await r.at(3000); // both decided and removed (cached): the map is empty
      await r.proc.consumeTraces(batchOf(spansOf(1, 3)));
      await r.proc.consumeTraces(batchOf(spansOf(1, 4)));
      await r.proc.consumeTraces(batchOf(spansOf(1, 5)));
    }
    // classic's queue still held ids 1 and 2, so 3 was pushed out by 5... only after two pops of stale ids
    expect(cls.host.accounting.totalDropped).toBe(0);
    await cls.proc.consumeTraces(batchOf(spansOf(1, 6)));
    expect(cls.host.accounting.droppedSpans.get('tail_buffer_evicted')).toBe(1);
    await cur.proc.consumeTraces(batchOf(spansOf(1, 6)));
    expect(cur.host.accounting.droppedSpans.get('tail_buffer_evicted')).toBe(1);
    await cls.proc.consumeTraces(batchOf(spansOf(1, 7)));
    await cur.proc.consumeTraces(batchOf(spansOf(1, 7)));
    expect(cls.host.accounting.droppedSpans.get('tail_buffer_evicted')).toBe(2);
    expect(cur.host.accounting.droppedSpans.get('tail_buffer_evicted')).toBe(2);
  });
  it('block_on_overflow refuses (retryable) instead of evicting', async () => {
    const r = await rig({ num_traces: 1, block_on_overflow: true, policies: [always] });
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    await expect(r.proc.consumeTraces(batchOf(spansOf(1, 2)))).rejects.toBeInstanceOf(RetryableError);
    expect(r.host.accounting.totalDropped).toBe(0);
    // without a decision cache a decided trace keeps its slot (upstream's limiter frees a slot
    // only when a trace leaves the map), so the buffer stays full
    await r.at(40_000);
    expect(r.sink.spanCount).toBe(1);
    await expect(r.proc.consumeTraces(batchOf(spansOf(1, 3)))).rejects.toBeInstanceOf(RetryableError);
    const cached = await rig({ num_traces: 1, block_on_overflow: true, decision_wait: '1s', decision_cache: { sampled_cache_size: 10 }, policies: [always] });
    await cached.proc.consumeTraces(batchOf(spansOf(1, 1)));
    await cached.at(2000);
    await cached.proc.consumeTraces(batchOf(spansOf(1, 2)));
    expect(cached.proc.tailSamplingStats().tracesPending).toBe(1);
  });
});

describe('late spans (§3.2)', () => {
  it('without caches: inherit the decision while the trace is in the map', async () => {
    const r = await rig({ decision_wait: '1s', policies: [errors] });
    await r.proc.consumeTraces(batchOf([...spansOf(1, 1, { status: 2 }), ...spansOf(1, 2)]));
    await r.at(2000);
    await r.at(4500);
    await r.proc.consumeTraces(batchOf([...spansOf(2, 1), ...spansOf(3, 2, { status: 2 })]));
    expect(r.sink.spanCount).toBe(3);
    expect(r.host.accounting.droppedSpans.get('late_span_dropped')).toBe(3);
    expect(counter(r.host, 'early_releases_from_cache_decision')).toBe(0);
    expect(r.host.telemetry.snapshot().find((p) => p.name.endsWith('sampling_late_span_age'))?.value).toBe(4); // 2 × floor(2.5 s)
  });
  it('with caches: decided traces leave the map; late spans are released by the cache', async () => {
    const r = await rig({ decision_wait: '1s', decision_cache: { sampled_cache_size: 10, non_sampled_cache_size: 10 }, policies: [errors] });
    await r.proc.consumeTraces(batchOf([...spansOf(1, 1, { status: 2 }), ...spansOf(1, 2)]));
    await r.at(2000);
    expect(r.proc.tailSamplingStats().tracesHeld).toBe(0);
    await r.proc.consumeTraces(batchOf([...spansOf(2, 1), ...spansOf(3, 2, { status: 2 })]));
    expect(r.sink.spanCount).toBe(3);
    expect(r.host.accounting.droppedSpans.get('late_span_dropped')).toBe(3);
    expect(counter(r.host, 'early_releases_from_cache_decision', { sampled: 'true' })).toBe(2);
    expect(counter(r.host, 'early_releases_from_cache_decision', { sampled: 'false' })).toBe(3);
  });
  it('the cache is keyed by the right half of the trace id', async () => {
    const r = await rig({ decision_wait: '1s', decision_cache: { sampled_cache_size: 10 }, policies: [errors] });
    await r.proc.consumeTraces(batchOf(spansOf(1, 1, { status: 2 })));
    await r.at(2000);
    const one = traceIdOf(1);
    const twin = String.fromCharCode(one.charCodeAt(0) ^ 0xff) + one.slice(1); // same low 8 bytes, different trace
    await r.proc.consumeTraces(batchOf([makeSpan({ traceId: twin })]));
    expect(r.sink.spanCount).toBe(2);
  });
  it('after eviction, late spans start a new trace and are decided on their own', async () => {
    const r = await rig({ decision_wait: '1s', num_traces: 1, policies: [errors] });
    await r.proc.consumeTraces(batchOf(spansOf(1, 1, { status: 2 })));
    await r.at(2000);
    await r.proc.consumeTraces(batchOf(spansOf(1, 2)));
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    expect(counter(r.host, 'new_trace_id_received')).toBe(3);
    await r.at(4000);
    expect(r.sink.spanCount).toBe(1); // the re-decided late span had no error
  });
  it('current: a late span of a trace dropped by a drop policy is an unexpected decision', async () => {
    const r = await rig({ decision_wait: '1s', policies: [{ name: 'd', type: 'drop', drop: { drop_sub_policy: [{ name: 'x', type: 'always_sample' }] } }] });
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    await r.at(2000);
    await r.proc.consumeTraces(batchOf(spansOf(2, 1)));
    expect(r.host.accounting.droppedSpans.get('late_span_unexpected_decision')).toBe(2);
    expect(r.host.warnings.length).toBe(1);
  });
});

describe('maximum_trace_size_bytes and shutdown', () => {
  it('drops a trace once its size exceeds the limit; later spans are late', async () => {
    const r = await rig({ decision_wait: '5s', maximum_trace_size_bytes: 300, policies: [always] });
    await r.proc.consumeTraces(batchOf(spansOf(2, 1)));
    expect(r.host.accounting.totalDropped).toBe(0);
    await r.proc.consumeTraces(batchOf(spansOf(10, 1)));
    expect(r.host.accounting.droppedSpans.get('trace_too_large')).toBe(12);
    expect(counter(r.host, 'traces_dropped_too_large')).toBe(1);
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    expect(r.host.accounting.droppedSpans.get('late_span_dropped')).toBe(1);
    await r.at(10_000);
    expect(r.sink.spanCount).toBe(0);
  });
  it('shutdown decides every pending trace immediately', async () => {
    const r = await rig({ decision_wait: '30s', policies: [errors] });
    await r.proc.consumeTraces(batchOf([...spansOf(2, 1, { status: 2 }), ...spansOf(3, 2)]));
    await r.proc.shutdown();
    expect(r.sink.spanCount).toBe(2);
    expect(r.host.accounting.sampledOutSpans.get('sampled_out')).toBe(3);
    expect(r.proc.heldBytes()).toBe(0);
  });
  it('drop_pending_traces_on_shutdown drops them as pending_on_shutdown', async () => {
    const r = await rig({ decision_wait: '30s', drop_pending_traces_on_shutdown: true, policies: [errors] });
    await r.proc.consumeTraces(batchOf([...spansOf(2, 1, { status: 2 }), ...spansOf(3, 2)]));
    await r.proc.shutdown();
    expect(r.sink.spanCount).toBe(0);
    expect(r.host.accounting.droppedSpans.get('pending_on_shutdown')).toBe(5);
  });
});

describe('telemetry names', () => {
  it('uses upstream names; the policy attribute is <name>.<policy> for a named processor', async () => {
    const r = await rig({ decision_wait: '1s', policies: [always] }, 'current', 'tail_sampling/edge');
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    await r.at(2000);
    const names = new Set(r.host.telemetry.snapshot().map((p) => p.name));
    for (const n of [
      'count_traces_sampled',
      'global_count_traces_sampled',
      'new_trace_id_received',
      'sampling_trace_dropped_too_early',
      'sampling_traces_on_memory',
      'sampling_decision_timer_latency',
      'sampling_policy_execution_count',
      'early_releases_from_cache_decision',
      'traces_dropped_too_large',
      'sampling_policy_evaluation_error',
    ])
      expect(names.has(`otelcol_processor_tail_sampling_${n}`), n).toBe(true);
    expect(counter(r.host, 'count_traces_sampled', { policy: 'edge.all', sampled: 'true', decision: 'sampled' })).toBe(1);
    const mem = r.host.telemetry.snapshot().find((p) => p.name === 'otelcol_processor_tail_sampling_sampling_traces_on_memory');
    expect(mem?.value).toBe(1);
  });
  it('classic: no decision attribute and the per-policy latency histogram', async () => {
    const r = await rig({ decision_wait: '1s', policies: [always] }, 'classic');
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    await r.at(2000);
    const pts = r.host.telemetry.snapshot();
    const global = pts.filter((p) => p.name.endsWith('global_count_traces_sampled'));
    expect(global.map((p) => p.labels)).toEqual([{ processor: 'tail_sampling', sampled: 'false' }, { processor: 'tail_sampling', sampled: 'true' }]);
    expect(global.map((p) => p.value)).toEqual([0, 1]);
    expect(pts.some((p) => p.name.endsWith('sampling_decision_latency'))).toBe(true);
  });
});

describe('span conservation in emitted batches', () => {
  it('spans of several traces in one resource are split per trace, resource and scope kept', async () => {
    const r = await rig({ decision_wait: '1s', policies: [always] });
    const b = batchOf([...spansOf(1, 1), ...spansOf(2, 2), ...spansOf(1, 1)], { 'service.name': 'cart' });
    const resource = b.resourceSpans[0]!.resource;
    await r.proc.consumeTraces(b);
    await r.at(2000);
    expect(r.sink.batches.map(spanCount)).toEqual([2, 2]);
    expect(r.sink.batches[0]!.resourceSpans[0]!.resource).toBe(resource);
  });
});

describe('composite through the processor', () => {
  it('allocates spans per second per sub-policy; budgets reset every second', async () => {
    const r = await rig({
      decision_wait: '1s',
      policies: [
        {
          name: 'comp',
          type: 'composite',
          composite: {
            max_total_spans_per_second: 10,
            policy_order: ['errs', 'rest'],
            composite_sub_policy: [errors, { name: 'rest', type: 'always_sample' }],
            rate_allocation: [{ policy: 'errors', percent: 50 }, { policy: 'rest', percent: 50 }],
          },
        },
      ],
    });
    // 5 error traces of 2 spans: errors sub gets 5 spans/s → 2 traces (4 spans) fit, the third would make 6
    await r.proc.consumeTraces(batchOf(Array.from({ length: 5 }, (_, i) => spansOf(2, i + 1, { status: 2 })).flat()));
    await r.at(2000);
    expect(r.sink.spanCount).toBe(4);
    // the 3 traces over the errors budget were refused by a span budget, as a token bucket refuses
    expect(r.host.accounting.sampledOutSpans.get('rate_limited_policy')).toBe(6);
    expect(r.host.accounting.sampledOutSpans.get('sampled_out')).toBeUndefined();
  });

  it('a trace no sub-policy samples is sampled_out, not rate limited', async () => {
    const r = await rig({
      decision_wait: '1s',
      policies: [{ name: 'comp', type: 'composite', composite: { max_total_spans_per_second: 100, policy_order: ['errs'], composite_sub_policy: [errors], rate_allocation: [{ policy: 'errors', percent: 100 }] } }],
    });
    await r.proc.consumeTraces(batchOf([...spansOf(2, 1), ...spansOf(2, 2, { status: 2 })]));
    await r.at(2000);
    expect(r.sink.spanCount).toBe(2);
    expect(r.host.accounting.sampledOutSpans.get('sampled_out')).toBe(2);
    expect(r.host.accounting.sampledOutSpans.get('rate_limited_policy')).toBeUndefined();
  });
});

describe('sampling_strategy: span-ingest (§3.7)', () => {
  it('samples on arrival, releasing what was buffered; the rest is finalized NotSampled at its tick', async () => {
    const r = await rig({ decision_wait: '2s', sampling_strategy: 'span-ingest', policies: [errors] });
    await r.proc.consumeTraces(batchOf([...spansOf(2, 1), ...spansOf(2, 2)]));
    expect(r.sink.spanCount).toBe(0);
    await r.at(500);
    await r.proc.consumeTraces(batchOf(spansOf(1, 1, { status: 2 })));
    expect(r.sink.spanCount).toBe(3); // buffered 2 + the error span, at once
    await r.proc.consumeTraces(batchOf(spansOf(1, 1)));
    expect(r.sink.spanCount).toBe(4); // later spans follow the decision
    await r.at(3000);
    expect(r.host.accounting.sampledOutSpans.get('sampled_out')).toBe(2);
  });
  it('judges each batch alone: an error seen earlier does not sample a later batch of another trace', async () => {
    const r = await rig({ decision_wait: '1s', sampling_strategy: 'span-ingest', policies: [errors] });
    await r.proc.consumeTraces(batchOf(spansOf(1, 2)));
    await r.proc.consumeTraces(batchOf(spansOf(1, 2)));
    await r.at(2000);
    expect(r.sink.spanCount).toBe(0);
    expect(r.host.accounting.sampledOutSpans.get('sampled_out')).toBe(2);
  });
  it('a drop policy that does not drop forbids sampling on that batch; one that drops drops now', async () => {
    const drop = { name: 'drop-bots', type: 'drop', drop: { drop_sub_policy: [{ name: 'b', type: 'string_attribute', string_attribute: { key: 'tier', values: ['bot'] } }] } };
    const r = await rig({ decision_wait: '1s', sampling_strategy: 'span-ingest', policies: [always, drop] });
    await r.proc.consumeTraces(batchOf([...spansOf(1, 1), ...spansOf(2, 2, { attributes: { tier: 'bot' } })]));
    expect(r.sink.spanCount).toBe(0);
    expect(r.host.accounting.sampledOutSpans.get('drop_policy')).toBe(2);
    await r.at(2000);
    expect(r.host.accounting.sampledOutSpans.get('sampled_out')).toBe(1);
  });
});
