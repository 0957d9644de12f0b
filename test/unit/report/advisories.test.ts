import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { adviseAll, predictedEvictionShare, requiredNumTraces, trialsToDecide, type AdvisoryInput } from '../../../src/report/advisories.js';
import { straddles, wilsonInterval } from '../../../src/report/stats.js';

const empty: AdvisoryInput = { pipelines: [], tailSampling: [], samplingStages: [], rateGates: [] };
const codes = (input: Partial<AdvisoryInput>) => adviseAll({ ...empty, ...input }).map((a) => a.code);

describe('sizing advisor', () => {
  it('says nothing about a well-sized, well-ordered config', () => {
    expect(
      codes({
        pipelines: [{ name: 'traces', processors: [{ id: 'memory_limiter', type: 'memory_limiter' }, { id: 'tail_sampling', type: 'tail_sampling' }, { id: 'batch', type: 'batch' }] }],
        tailSampling: [{ id: 'tail_sampling', numTraces: 50_000, decisionWaitMs: 10_000, newTracesPerSecond: 1000, bytesPerTrace: 5000, measured: { tracesReceived: 1e5, evictedTraces: 0, peakHeldBytes: 60e6 } }],
        memoryLimiter: { limitBytes: 1e9, spikeLimitBytes: 2e8 },
        sdk: { scheduledDelayMs: 1000 },
      }),
    ).toEqual([]);
  });

  it('flags refusals that cost spans at the source, and not refusals that the retries absorbed', () => {
    const refused = { refusedSpansBy: { memory_limiter: 7014 }, generatedSpans: 14_961 };
    const [a] = adviseAll({ ...empty, backpressure: { ...refused, sdkQueueFullSpans: 1949, gaveUpSpans: 430 } });
    expect(a!.code).toBe('backpressure_lost_at_source');
    expect(a!.message).toContain('cost 2379 spans at the source (15.9% of generated)');
    expect(a!.message).toContain('1949 sdk_queue_full while exports were retried, 430 client_gave_up');
    expect(a!.message).toContain('refused by memory_limiter (7014 span deliveries)');
    expect(a!.message).toContain('Fix: ');
    expect(codes({ backpressure: { ...refused, sdkQueueFullSpans: 0, gaveUpSpans: 0 } })).toEqual([]);
    // an SDK queue that overflows without any refusal is the SDK's own limit, not backpressure
    expect(codes({ backpressure: { refusedSpansBy: {}, generatedSpans: 100, sdkQueueFullSpans: 40, gaveUpSpans: 0 } })).toEqual([]);
  });

  it('says a finished run without a single trace generated nothing, and not of an interrupted one', () => {
    const [a] = adviseAll({ ...empty, traffic: { generatedTraces: 0, durationMs: 1, interrupted: false } });
    expect(a!.code).toBe('no_traffic');
    expect(a!.message).toContain('generated no trace in 1ms');
    expect(a!.message).toContain('Fix: raise traffic.rate (--rate) or traffic.duration (--duration)');
    expect(codes({ traffic: { generatedTraces: 0, durationMs: 200, interrupted: true } })).toEqual([]);
    expect(codes({ traffic: { generatedTraces: 1, durationMs: 1, interrupted: false } })).toEqual([]);
  });

  it('names the losses of an exporter the ledger does not follow; none when it lost nothing', () => {
    const [a] = adviseAll({ ...empty, fanoutLosses: [{ exporter: 'otlp/jaeger', spans: 3151, ledgerExporter: 'otlp/tempo' }] });
    expect(a!.code).toBe('fanout_copy_lost');
    expect(a!.message).toContain('otlp/jaeger lost 3151 spans');
    expect(a!.message).toContain('the ledger follows otlp/tempo');
    expect(codes({ fanoutLosses: [{ exporter: 'otlp/jaeger', spans: 0, ledgerExporter: 'otlp/tempo' }] })).toEqual([]);
  });

  it('predicts the eviction share from τ, W and num_traces', () => {
    // lifetime N/τ = 10 s, decisions at W..W+1 s
    expect(predictedEvictionShare({ numTraces: 10_000, newTracesPerSecond: 1000, decisionWaitMs: 8000 })).toBe(0);
    expect(predictedEvictionShare({ numTraces: 10_000, newTracesPerSecond: 1000, decisionWaitMs: 9500 })).toBeCloseTo(0.5, 12);
    expect(predictedEvictionShare({ numTraces: 10_000, newTracesPerSecond: 1000, decisionWaitMs: 30_000 })).toBe(1);
    expect(requiredNumTraces({ newTracesPerSecond: 1000, decisionWaitMs: 30_000 })).toBe(31_000);
  });

  it('flags num_traces below τ × (W + 1 s), with predicted and measured shares and a fix', () => {
    const [a] = adviseAll({
      ...empty,
      tailSampling: [{ id: 'tail_sampling', numTraces: 50_000, decisionWaitMs: 30_000, newTracesPerSecond: 2000, measured: { tracesReceived: 600_000, evictedTraces: 450_000 } }],
    });
    expect(a!.code).toBe('num_traces_too_small');
    expect(a!.message).toContain('num_traces 50,000 < 2,000 new traces/s');
    expect(a!.message).toContain('= 62,000');
    expect(a!.message).toContain('predicted 100%');
    expect(a!.message).toContain('measured 75% (450,000 of 600,000)');
    expect(a!.message).toContain('num_traces ≥ 77,500');
  });

  it('flags measured evictions even when the mean rate fits (bursts)', () => {
    expect(codes({ tailSampling: [{ id: 't', numTraces: 50_000, decisionWaitMs: 1000, newTracesPerSecond: 10, measured: { tracesReceived: 100, evictedTraces: 3 } }] })).toEqual(['num_traces_too_small']);
  });

  it('flags a tail buffer above the memory limiter soft limit (expected or measured)', () => {
    const t = { id: 'tail_sampling', numTraces: 100_000, decisionWaitMs: 10_000, newTracesPerSecond: 5000 };
    // 55 000 traces × 20 kB = 1.1 GB ≥ soft 800 MB
    const [a] = adviseAll({ ...empty, tailSampling: [{ ...t, bytesPerTrace: 20_000 }], memoryLimiter: { limitBytes: 1e9, spikeLimitBytes: 2e8 } });
    expect(a!.code).toBe('tail_buffer_over_memory_limit');
    expect(a!.message).toContain('55000 traces');
    expect(a!.message).toContain('soft limit 800 MB');
    expect(codes({ tailSampling: [{ ...t, measured: { tracesReceived: 1, evictedTraces: 0, peakHeldBytes: 9e8 } }], memoryLimiter: { limitBytes: 1e9, spikeLimitBytes: 2e8 } })).toEqual([
      'tail_buffer_over_memory_limit',
    ]);
    expect(codes({ tailSampling: [{ ...t, bytesPerTrace: 20_000 }] })).toEqual([]);
  });

  it('flags an SDK export delay close to or above decision_wait', () => {
    const t = { id: 'tail_sampling', numTraces: 1e6, decisionWaitMs: 5000, newTracesPerSecond: 10 };
    expect(codes({ tailSampling: [t], sdk: { scheduledDelayMs: 2000 } })).toEqual([]);
    const [close] = adviseAll({ ...empty, tailSampling: [t], sdk: { scheduledDelayMs: 3000 } });
    expect(close!.message).toContain('close to decision_wait 5s');
    const [above] = adviseAll({ ...empty, tailSampling: [{ ...t, measured: { tracesReceived: 10, evictedTraces: 0, lateSpans: 12 } }], sdk: { scheduledDelayMs: 5000 } });
    expect(above!.message).toContain('at or above');
    expect(above!.message).toContain('12 late spans');
  });

  it('flags memory_limiter not first and batch before tail_sampling', () => {
    const advisories = adviseAll({
      ...empty,
      pipelines: [{ name: 'traces', processors: [{ id: 'batch', type: 'batch' }, { id: 'memory_limiter', type: 'memory_limiter' }, { id: 'tail_sampling/a', type: 'tail_sampling' }] }],
    });
    expect(advisories.map((a) => a.code)).toEqual(['memory_limiter_not_first', 'batch_before_tail_sampling']);
    expect(advisories[0]!.message).toContain('processor #2 after batch');
    expect(advisories[1]!.message).toContain('batch comes before tail_sampling/a');
  });

  it('flags the same salt in two probabilistic stages of one kind, including the default', () => {
    const advisories = adviseAll({
      ...empty,
      samplingStages: [
        { component: 'tail_sampling/edge', policy: 'p10', kind: 'tail_probabilistic', salt: '' },
        { component: 'tail_sampling/core', policy: 'p1', kind: 'tail_probabilistic', salt: 'default-hash-seed' },
        { component: 'probabilistic_sampler', kind: 'probabilistic_sampler', salt: '0' },
        { component: 'tail_sampling/x', policy: 'own', kind: 'tail_probabilistic', salt: 'mine' },
      ],
    });
    expect(advisories).toHaveLength(1);
    expect(advisories[0]!.code).toBe('hash_salt_reused');
    expect(advisories[0]!.message).toContain('tail_sampling/edge.p10 and tail_sampling/core.p1 use the same hash_salt "default-hash-seed"');
  });

  it('flags a rate gate whose Wilson interval contains the bound, with the traces needed', () => {
    const [a] = adviseAll({ ...empty, rateGates: [{ expression: 'retention.byClass.error >= 0.999', bound: 0.999, successes: 199, trials: 200 }] });
    expect(a!.code).toBe('gate_undecidable');
    expect(a!.message).toMatch(/199 of 200 traces give 99.5% with 95% interval \[97.22%, 99.91%\], which contains the bound 99.9%/);
    expect(a!.message).toContain(`run ≥ ${trialsToDecide(0.995, 0.999)} traces`);
    const [cls] = adviseAll({ ...empty, rateGates: [{ expression: 'retention.byClass.error >= 0.99', bound: 0.99, successes: 9, trials: 9, population: 'error traces' }] });
    // all kept: the lower bound n/(n + z²) exceeds 0.99 once n > 0.99·z²/0.01 = 380.3
    expect(cls!.message).toContain('9 of 9 error traces give 100%');
    expect(cls!.message).toContain('run ≥ 381 error traces');
    // far from the bound: decidable
    expect(codes({ rateGates: [{ expression: 'retention.traces <= 0.2', bound: 0.2, successes: 1000, trials: 10_000 }] })).toEqual([]);
  });

  test.prop([fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.001, max: 0.999, noNaN: true })])(
    'trialsToDecide is the smallest n that decides the bound',
    (p, bound) => {
      const n = trialsToDecide(p, bound);
      if (p === bound) return expect(n).toBeNull();
      if (n === null) return;
      expect(straddles(wilsonInterval(p * n, n)!, bound)).toBe(false);
      if (n > 1) expect(straddles(wilsonInterval(p * (n - 1), n - 1)!, bound)).toBe(true);
    },
  );
});
