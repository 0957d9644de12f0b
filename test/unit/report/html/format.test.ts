import { describe, expect, test } from 'vitest';
import { formatPercent, formatValue, tickFormatter } from '../../../../src/report/html/format.js';

describe('tick labels share one prefix and precision per axis', () => {
  test('bytes', () => {
    const f = tickFormatter('bytes', 1.5e9, 0.5e9);
    expect([0, 0.5e9, 1e9, 1.5e9].map(f)).toEqual(['0', '0.5 GB', '1.0 GB', '1.5 GB']);
  });
  test('counts', () => {
    const f = tickFormatter('count', 30_000, 5_000);
    expect([0, 5_000, 30_000].map(f)).toEqual(['0', '5k', '30k']);
  });
  test('fractions as percentages', () => {
    expect([0, 0.05, 0.1].map(tickFormatter('fraction', 0.1, 0.05))).toEqual(['0%', '5%', '10%']);
    expect([0.995, 1].map(tickFormatter('fraction', 1, 0.001))).toEqual(['99.5%', '100.0%']);
  });
});

describe('single values', () => {
  test('percentages keep the digits that matter near 0 % and 100 %', () => {
    expect(formatPercent(0.12345)).toBe('12.3%');
    expect(formatPercent(0.999)).toBe('99.9%');
    expect(formatPercent(0.9996)).toBe('99.96%');
    expect(formatPercent(0.00042)).toBe('0.042%');
    expect(formatPercent(1)).toBe('100%');
  });
  test('bytes, rates, counts, missing values', () => {
    expect(formatValue(46_912_345_678, 'bytes')).toBe('46.9 GB');
    expect(formatValue(512, 'bytes')).toBe('512 B');
    expect(formatValue(22_180, 'perSecond')).toBe('22.2k/s');
    expect(formatValue(1_330_087, 'count')).toBe('1,330,087');
    expect(formatValue(null, 'fraction')).toBe('n/a');
  });
});

describe('label truncation keeps both ends', () => {
  test('drop reason and component, directory and file name', async () => {
    const { truncate } = await import('../../../../src/report/html/svg-common.js');
    expect(truncate('short', 10)).toBe('short');
    const t = truncate('/tmp/tracesim-html-e2e-YnCtfL/keep-50pct.yaml', 24);
    expect(t).toHaveLength(24);
    expect(t.startsWith('/tmp/tra')).toBe(true);
    expect(t.endsWith('-50pct.yaml')).toBe(true);
    expect(t).toContain('…');
  });
});
