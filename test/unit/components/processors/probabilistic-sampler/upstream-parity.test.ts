/**
 * probabilistic_sampler behaviours read from collector-contrib (tracesprocessor.go,
 * sampler_mode.go, pkg/sampling oteltracestate.go / w3ctracestate.go), each with our own vectors:
 * which tracestate a sampled span leaves with, the policy names counted, the fixed
 * `sampling.priority` attribute, strict tracestate parsing, and config validation.
 */
import { describe, expect, it } from 'vitest';
import { defaultProbabilisticSamplerConfig, type ProbabilisticSamplerConfig } from '../../../../../src/components/processors/probabilistic-sampler/config.js';
import { probabilisticSamplerFactory } from '../../../../../src/components/processors/probabilistic-sampler/factory.js';
import { SpanSampler, fnv1a32Seeded, hashSeedRandomness } from '../../../../../src/components/processors/probabilistic-sampler/sampler.js';
import { parseTraceState, serializeTraceState } from '../../../../../src/components/processors/probabilistic-sampler/tracestate.js';
import { idFromBytes, type KeyValue, type Span } from '../../../../../src/protocol/otlp/model.js';
import { makeSpan } from '../../../../helpers/spans.js';

const cfg = (over: Partial<ProbabilisticSamplerConfig>): ProbabilisticSamplerConfig => ({ ...defaultProbabilisticSamplerConfig(), ...over });

/** A trace id whose low 56 bits (the W3C randomness) are `r`; the leading bytes are 0x11. */
function idWithRandomness(r: bigint): string {
  const id = new Uint8Array(16).fill(0x11);
  for (let i = 15; i >= 9; i--) {
    id[i] = Number(r & 0xffn);
    r >>= 8n;
  }
  return idFromBytes(id);
}

const span = (traceId: string, traceState = '', attributes: KeyValue[] = []): Span => makeSpan({ traceId, traceState, attributes });
const priority = (value: KeyValue['value']): KeyValue[] => [{ key: 'sampling.priority', value }];
const ZERO_ID = idFromBytes(new Uint8Array(16));

describe('tracestate written for sampled spans (updateThreshold + reserialize)', () => {
  it('fail open on an inconsistent arriving th: the th is erased, then set to 0', () => {
    const s = new SpanSampler(cfg({ mode: 'equalizing', samplingPercentage: 100, failClosed: false }));
    // R = 0x30… < th 0x8…: inconsistent
    expect(s.decide(span(idWithRandomness(0x30000000000000n), 'ot=rv:30000000000000;th:8,acme=1'))).toMatchObject({
      sampled: true,
      policy: 'sampling_randomness',
      traceState: 'ot=rv:30000000000000;th:0,acme=1',
    });
  });

  it('fail open on missing randomness: th:0 (consistent modes), rv of all ones and th:0 (hash_seed)', () => {
    const open = { samplingPercentage: 30, failClosed: false };
    expect(new SpanSampler(cfg({ ...open, mode: 'proportional' })).decide(span(ZERO_ID, 'acme=1'))).toMatchObject({
      sampled: true,
      policy: 'missing_randomness',
      traceState: 'ot=th:0,acme=1',
    });
    expect(new SpanSampler(cfg({ ...open, mode: 'hash_seed' })).decide(span(ZERO_ID))).toMatchObject({
      sampled: true,
      policy: 'missing_randomness',
      traceState: 'ot=rv:ffffffffffffff;th:0',
    });
  });

  it('sampling.priority > 0 keeps a stricter arriving th (probability is never raised)', () => {
    const s = new SpanSampler(cfg({ mode: 'equalizing', samplingPercentage: 10 }));
    // th:c is 25 %; R = 0xd… passes it but not the configured 10 % (th ≈ e666)
    expect(s.decide(span(idWithRandomness(0xd0000000000000n), 'ot=th:c', priority(1n)))).toMatchObject({
      sampled: true,
      policy: 'sampling_priority',
      traceState: 'ot=th:c',
    });
  });

  it('sampling.priority > 0 in hash_seed mode writes the hashed rv along with th:0', () => {
    const id = idFromBytes(Uint8Array.from({ length: 16 }, (_, i) => 0x20 + i));
    const rv = hashSeedRandomness(fnv1a32Seeded(9, id)).toString(16).padStart(14, '0');
    expect(new SpanSampler(cfg({ samplingPercentage: 1, hashSeed: 9 })).decide(span(id, '', priority('2')))).toMatchObject({
      sampled: true,
      policy: 'sampling_priority',
      traceState: `ot=rv:${rv};th:0`,
    });
  });

  it('proportional: a re-rounded threshold below the arriving th leaves the arriving th', () => {
    // th:7fff4 at precision 4 rounds to 7fff, which would raise the probability
    const s = new SpanSampler(cfg({ mode: 'proportional', samplingPercentage: 100, samplingPrecision: 4 }));
    expect(s.decide(span(idWithRandomness(0xf0000000000000n), 'ot=th:7fff4'))).toMatchObject({ sampled: true, traceState: 'ot=th:7fff4' });
  });
});

describe('policy names and the priority attribute', () => {
  it('the never sampler (0 %, or hash_seed rounding to no bucket) counts as sampling_priority', () => {
    const id = idWithRandomness(0xffffffffffffffn);
    for (const c of [cfg({ samplingPercentage: 0, mode: 'equalizing' }), cfg({ samplingPercentage: 0.001 })]) {
      expect(new SpanSampler(c).decide(span(id))).toEqual({ sampled: false, policy: 'sampling_priority' });
    }
  });

  it('hash_seed: an ot rv already present is an error counted under the hash policy', () => {
    const d = new SpanSampler(cfg({ samplingPercentage: 50 })).decide(span(idWithRandomness(5n), 'ot=rv:01234567890abc'));
    expect(d).toMatchObject({ sampled: false, policy: 'trace_id_hash', error: 'randomness already in use (ot=rv)' });
  });

  it('traces always read the sampling.priority attribute; the sampling_priority key is logs-only', () => {
    const parsed = probabilisticSamplerFactory.parseConfig({ sampling_percentage: 100, sampling_priority: 'keep.me' }, 'p');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const s = new SpanSampler(parsed.config);
    const id = idWithRandomness(0x42n);
    expect(s.decide(span(id, '', [{ key: 'keep.me', value: 0n }]))).toMatchObject({ sampled: true, policy: 'trace_id_hash' });
    expect(s.decide(span(id, '', priority(0n)))).toEqual({ sampled: false, policy: 'sampling_priority' });
  });
});

describe('tracestate parsing (pkg/sampling rules)', () => {
  it('accepts upper-case hex in rv and th and keeps rv as written', () => {
    const s = new SpanSampler(cfg({ mode: 'equalizing', samplingPercentage: 50 }));
    expect(s.decide(span(idWithRandomness(1n), 'ot=rv:C0000000000000'))).toMatchObject({ sampled: true, traceState: 'ot=rv:C0000000000000;th:8' });
    expect(s.decide(span(idWithRandomness(0xe0000000000000n), 'ot=th:C'))).toMatchObject({ sampled: true, traceState: 'ot=th:c' });
  });

  it.each([
    ['an upper-case key', 'Vendor=x'],
    ['= in a value', 'a=b=c'],
    ['an empty value', 'a='],
    ['a trailing ; in ot', 'ot=th:8;'],
    ['an upper-case ot key', 'ot=TH:8'],
    ['a space inside ot', 'ot=th:8 x'],
    ['a 32nd member', `${Array.from({ length: 31 }, (_, i) => `k${i}=v`).join(',')},ot=th:8`],
    ['over 1024 chars', `a=${'x'.repeat(1024)}`],
  ])('%s is an error: fail_closed drops, fail open keeps the tracestate as is', (_what, ts) => {
    const id = idWithRandomness(0xf0000000000000n);
    expect(new SpanSampler(cfg({ mode: 'equalizing', samplingPercentage: 50 })).decide(span(id, ts))).toMatchObject({ sampled: false, policy: 'missing_randomness' });
    const open = new SpanSampler(cfg({ mode: 'equalizing', samplingPercentage: 50, failClosed: false })).decide(span(id, ts));
    expect(open.sampled).toBe(true);
    expect(open.traceState).toBeUndefined();
  });

  it('trims spaces and tabs, skips empty members, puts ot first; a later ot replaces an earlier one', () => {
    expect(serializeTraceState(parseTraceState(' acme=1 ,\t, ot=th:8;x:y , b@sys=2').state)).toBe('ot=th:8;x:y,acme=1,b@sys=2');
    expect(parseTraceState('ot=rv:00000000000001,ot=th:4').state).toMatchObject({ rv: undefined, th: '4' });
  });

  it('a bad rv/th value drops only that value; a syntax error drops everything', () => {
    expect(parseTraceState('ot=th:8;rv:123,acme=1')).toEqual({ state: { otExtra: [], rv: undefined, th: '8', others: ['acme=1'] }, error: 'invalid rv' });
    expect(parseTraceState('acme=1,Bad=2')).toEqual({ state: { otExtra: [], rv: undefined, th: undefined, others: [] }, error: 'invalid tracestate syntax' });
  });
});

describe('config validation', () => {
  it('accepts a negative sampling_precision like upstream (only 0 and > 14 are errors)', () => {
    const r = probabilisticSamplerFactory.parseConfig({ sampling_percentage: 50, mode: 'equalizing', sampling_precision: -1 }, 'p');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // no hex digit left: the 50 % threshold rounds to 0, every span is kept and marked th:0
    expect(new SpanSampler(r.config).decide(span(idWithRandomness(1n)))).toMatchObject({ sampled: true, traceState: 'ot=th:0' });
  });

  it('attribute_source: upstream message', () => {
    const r = probabilisticSamplerFactory.parseConfig({ sampling_percentage: 5, attribute_source: 'span' }, 'p');
    expect(r.ok ? [] : r.problems).toEqual([{ path: 'p.attribute_source', message: 'invalid attribute source: span. Expected: traceID or record' }]);
  });
});
