import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { goYamlNumber, parseCollectorDocument } from '../../../src/shared/go-yaml.js';
import { collectorProblems } from '../../helpers/collector.js';
import { loadCollectorConfig } from '../../../src/pipeline/config-loader.js';

const read = (text: string): unknown => parseCollectorDocument(`v: ${text}`).toJS()['v' as never];

describe('collector YAML scalars, as go-yaml v3 resolves them', () => {
  it.each([
    ['100_000', 100000],
    ['1_0.5', 10.5],
    ['-2_5', -25],
    ['0x1F', 31],
    ['+0x1f', 31],
    ['-0x10', -16],
    ['0o17', 15],
    ['017', 15], // a leading 0 is octal (strconv.ParseInt base 0)
    ['08', 8], // not octal, so a float
    ['0b101', 5],
    ['0', 0],
    ['1e3', 1000],
    ['.5', 0.5],
    ['18446744073709551615', 2 ** 64], // uint64 max still reads as a number (the nearest double)
    ['.inf', Number.POSITIVE_INFINITY],
    ['-.Inf', Number.NEGATIVE_INFINITY],
  ])('%s → %s', (text, value) => {
    expect(read(text)).toBe(value);
  });

  it.each(['1.2.3', '10 s', '5s', '2024-01-01', '_100', '.5_0', '0x', '1e', 'yes', 'on', '+'])('%s stays a string', (text) => {
    expect(read(text)).toBe(text);
  });

  it('keeps YAML 1.2 booleans, nulls and quoted numbers', () => {
    expect(parseCollectorDocument('a: true\nb: ~\nc: "100_000"\nd: NaN\ne: .nan').toJS()).toEqual({ a: true, b: null, c: '100_000', d: 'NaN', e: Number.NaN });
  });

  test.prop([fc.maxSafeInteger(), fc.array(fc.nat(), { maxLength: 4 })])('digit separators anywhere after the first digit do not change an integer', (n, cuts) => {
    const digits = String(Math.abs(n));
    let text = digits;
    for (const c of cuts) {
      const at = 1 + (c % Math.max(1, text.length));
      text = `${text.slice(0, at)}_${text.slice(at)}`;
    }
    expect(goYamlNumber(`${n < 0 ? '-' : ''}${text}`)).toBe(n === 0 ? 0 : n);
  });

  it('loads the tail_sampling README example that writes cache sizes with separators', () => {
    const text = [
      'receivers: { otlp: { protocols: { grpc: } } }',
      'processors:',
      '  tail_sampling:',
      '    num_traces: 100_000',
      '    decision_cache: { sampled_cache_size: 100_000, non_sampled_cache_size: 0x10 }',
      '    policies: [{ name: all, type: always_sample }]',
      'exporters: { debug: }',
      'service: { pipelines: { traces: { receivers: [otlp], processors: [tail_sampling], exporters: [debug] } } }',
    ].join('\n');
    expect(collectorProblems(text)).toEqual([]);
    const spec = loadCollectorConfig(text, 'c.yaml', {}).config.processors.get('tail_sampling')!;
    expect(spec.config).toMatchObject({ numTraces: 100_000 });
  });
});
