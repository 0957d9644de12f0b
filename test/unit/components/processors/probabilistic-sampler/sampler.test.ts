import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { defaultProbabilisticSamplerConfig, type ProbabilisticSamplerConfig } from '../../../../../src/components/processors/probabilistic-sampler/config.js';
import { probabilisticSamplerFactory } from '../../../../../src/components/processors/probabilistic-sampler/factory.js';
import { SpanSampler, fnv1a32Seeded, hashSeedRandomness, hashSeedScaledBuckets } from '../../../../../src/components/processors/probabilistic-sampler/sampler.js';
import { formatThreshold, probabilityToThreshold } from '../../../../../src/components/processors/probabilistic-sampler/threshold.js';
import { idFromBytes, type Span } from '../../../../../src/protocol/otlp/model.js';
import { createTestHost } from '../../../../helpers/host.js';
import { TracesSink } from '../../../../helpers/traces-sink.js';
import { makeBatch, makeSpan } from '../../../../helpers/spans.js';

/** Slow reference: FNV-1a 32 with BigInt arithmetic over an explicit byte list (spec §5.2). */
function referenceFnv(seed: number, traceId: Uint8Array): bigint {
  const bytes = [seed & 0xff, (seed >>> 8) & 0xff, (seed >>> 16) & 0xff, (seed >>> 24) & 0xff, ...traceId];
  let h = 0x811c9dc5n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 0x01000193n) % 2n ** 32n;
  return h;
}

const cfg = (over: Partial<ProbabilisticSamplerConfig>): ProbabilisticSamplerConfig => ({ ...defaultProbabilisticSamplerConfig(), ...over });
/** A span of the trace whose id has the bytes `traceId`. */
const span = (traceId: Uint8Array, over: Partial<Span> = {}) => makeSpan({ traceId: idFromBytes(traceId), ...over });

describe('hash_seed mode (bit-exact, reference §5.2)', () => {
  it.each([
    [0.001, 0],
    [0.0061, 0],
    [0.0062, 1],
    [0.01, 1],
    [1, 163],
    [5, 819],
    [10, 1638],
    [15.3, 2506],
    [25, 4096],
    [33.333, 5461],
    [50, 8192],
    [75, 12288],
    [90, 14745],
    [99.99, 16382],
    [100, 16384],
    [250, 16384],
  ])('scaled(%s%%) = %s buckets (float32 arithmetic)', (pct, buckets) => {
    expect(hashSeedScaledBuckets(pct)).toBe(buckets);
  });

  test.prop([fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 0xffffffff })])('FNV-1a-32 of LE32(seed) ‖ traceId matches the slow reference', (id, seed) => {
    expect(BigInt(fnv1a32Seeded(seed, idFromBytes(id)))).toBe(referenceFnv(seed, id));
  });

  test.prop([fc.uint8Array({ minLength: 16, maxLength: 16 }).filter((a) => a.some((b) => b !== 0)), fc.integer({ min: 0, max: 0xffffffff }), fc.double({ min: 0.01, max: 100, noNaN: true })])(
    'decision: bucket < scaled, equivalently rnd56 ≥ th56; sampled spans carry rv/th',
    (id, seed, pct) => {
      const d = new SpanSampler(cfg({ samplingPercentage: Math.fround(pct), hashSeed: seed })).decide(span(id));
      const h = Number(referenceFnv(seed, id));
      const scaled = hashSeedScaledBuckets(pct);
      const bucket = h & 0x3fff;
      expect(d.sampled).toBe(bucket < scaled);
      const rnd56 = hashSeedRandomness(h);
      const th56 = BigInt(16384 - scaled) << 42n;
      expect(rnd56 >= th56).toBe(d.sampled);
      if (d.sampled) expect(d.traceState).toBe(`ot=rv:${rnd56.toString(16).padStart(14, '0')};th:${formatThreshold(th56)}`);
    },
  );

  it('keeps close to the configured share of traces', () => {
    const sampler = new SpanSampler(cfg({ samplingPercentage: 20, hashSeed: 7 }));
    let kept = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const id = new Uint8Array(16);
      new DataView(id.buffer).setUint32(0, i * 2654435761);
      new DataView(id.buffer).setUint32(12, i + 1);
      if (sampler.decide(span(id)).sampled) kept++;
    }
    // binomial sd = sqrt(n p (1-p)) ≈ 57; 20% of 16384 buckets is 3276/16384 = 0.19995
    expect(Math.abs(kept / n - 3276 / 16384)).toBeLessThan(0.015);
  });

  it('fail_closed decides missing randomness and an ot rv/th already present', () => {
    const closed = new SpanSampler(cfg({ samplingPercentage: 100 }));
    const open = new SpanSampler(cfg({ samplingPercentage: 100, failClosed: false }));
    const zero = span(new Uint8Array(16));
    expect(closed.decide(zero)).toMatchObject({ sampled: false, policy: 'missing_randomness' });
    expect(open.decide(zero)).toMatchObject({ sampled: true, policy: 'missing_randomness' });
    const withTh = span(new Uint8Array(16).fill(3), { traceState: 'ot=th:8' });
    expect(closed.decide(withTh)).toMatchObject({ sampled: false, error: 'threshold already in use (ot=th)' });
  });

  it('0% never samples; sampling.priority rescues or kills a span', () => {
    const never = new SpanSampler(cfg({ samplingPercentage: 0 }));
    const id = new Uint8Array(16).fill(9);
    expect(never.decide(span(id)).sampled).toBe(false);
    expect(never.decide(span(id, { attributes: [{ key: 'sampling.priority', value: 1n }] }))).toMatchObject({ sampled: true, policy: 'sampling_priority', traceState: 'ot=th:0' });
    const all = new SpanSampler(cfg({ samplingPercentage: 100 }));
    expect(all.decide(span(id, { attributes: [{ key: 'sampling.priority', value: '0' }] }))).toMatchObject({ sampled: false, policy: 'sampling_priority' });
    expect(all.decide(span(id, { attributes: [{ key: 'sampling.priority', value: -1 }] })).policy).toBe('trace_id_hash');
    expect(all.decide(span(id, { attributes: [{ key: 'sampling.priority', value: 'high' }] })).policy).toBe('trace_id_hash');
  });
});

describe('thresholds (OTEP 235, reference §5.3)', () => {
  it.each([
    [1, 4, '0'],
    [0.5, 4, '8'],
    [0.25, 4, 'c'],
    [0.1, 4, 'e666'],
    [0.01, 4, 'fd70a'],
    [0.5, 14, '8'],
  ])('p=%s precision %s → th:%s', (p, prec, th) => {
    expect(formatThreshold(probabilityToThreshold(p, prec))).toBe(th);
  });

  const idWithRandomness = (r: bigint): Uint8Array => {
    const id = new Uint8Array(16).fill(1);
    for (let i = 15; i >= 9; i--) {
      id[i] = Number(r & 0xffn);
      r >>= 8n;
    }
    return id;
  };

  it('equalizing keeps R ≥ max(T_config, T_incoming) and writes th', () => {
    const s = new SpanSampler(cfg({ mode: 'equalizing', samplingPercentage: 50 }));
    expect(s.decide(span(idWithRandomness(0x90000000000000n)))).toMatchObject({ sampled: true, policy: 'trace_id_w3c', traceState: 'ot=th:8' });
    expect(s.decide(span(idWithRandomness(0x70000000000000n))).sampled).toBe(false);
    // incoming 25% (th:c) is stricter than 50%: kept as is
    expect(s.decide(span(idWithRandomness(0xd0000000000000n), { traceState: 'ot=th:c,vendor=x' }))).toMatchObject({ sampled: true, traceState: 'ot=th:c,vendor=x' });
  });

  it('proportional multiplies probabilities: 50% of an incoming 50% is 25%', () => {
    const s = new SpanSampler(cfg({ mode: 'proportional', samplingPercentage: 50 }));
    expect(s.decide(span(idWithRandomness(0xd0000000000000n), { traceState: 'ot=th:8' }))).toMatchObject({ sampled: true, traceState: 'ot=th:c' });
    expect(s.decide(span(idWithRandomness(0xb0000000000000n), { traceState: 'ot=th:8' })).sampled).toBe(false);
  });

  it('explicit rv wins over the trace id; an inconsistent arriving th is an error for fail_closed', () => {
    const s = new SpanSampler(cfg({ mode: 'equalizing', samplingPercentage: 50 }));
    expect(s.decide(span(idWithRandomness(0n + 1n), { traceState: 'ot=rv:f0000000000000' }))).toMatchObject({ sampled: true, policy: 'sampling_randomness', traceState: 'ot=rv:f0000000000000;th:8' });
    expect(s.decide(span(idWithRandomness(0x10000000000000n), { traceState: 'ot=th:8' }))).toMatchObject({ sampled: false, error: 'inconsistent arriving threshold' });
  });
});

describe('probabilistic_sampler processor', () => {
  it('forwards sampled spans, reports not-sampled and refused spans to the ledger, counts per span', async () => {
    const parsed = probabilisticSamplerFactory.parseConfig({ sampling_percentage: 50, hash_seed: 1 }, 'processors.probabilistic_sampler');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const sink = new TracesSink();
    const host = createTestHost();
    const proc = probabilisticSamplerFactory.createTraces({ id: 'probabilistic_sampler', compat: 'current' }, parsed.config, sink);
    await proc.start(host);
    const spans = Array.from({ length: 200 }, (_, i) => span(Uint8Array.from({ length: 16 }, (_, j) => (i * 13 + j * 29 + 3) & 0xff)));
    spans.push(span(new Uint8Array(16)));
    await proc.consumeTraces(makeBatch(spans));
    const kept = sink.spanCount;
    const sampledOut = host.accounting.sampledOutSpans.get('sampled_out') ?? 0;
    expect(kept + sampledOut + (host.accounting.droppedSpans.get('no_randomness_refused') ?? 0)).toBe(201);
    expect(host.accounting.droppedSpans.get('no_randomness_refused')).toBe(1);
    expect(kept).toBeGreaterThan(60);
    expect(kept).toBeLessThan(140);
    expect(host.telemetry.sum('otelcol_processor_probabilistic_sampler_count_traces_sampled', { sampled: 'true' })).toBe(kept);
    expect(host.telemetry.sum('otelcol_processor_outgoing_items')).toBe(kept);
    for (const s of sink.spans()) expect(s.traceState).toMatch(/^ot=rv:[0-9a-f]{14};th:[0-9a-f]+$/);
    await proc.shutdown();
  });

  it('validates as upstream', () => {
    const r = probabilisticSamplerFactory.parseConfig({ sampling_percentage: 1e-20, sampling_precision: 0 }, 'p');
    expect(r.ok ? [] : r.problems).toEqual([
      { path: 'p.sampling_percentage', message: 'sampling rate is too small' },
      { path: 'p.sampling_precision', message: 'invalid sampling precision: 0' },
    ]);
  });
});
