import { describe, expect, it } from 'vitest';
import { formatDurationMs, parseBytes, parseDurationMs, parseRatePerSecond } from '../../../src/shared/units.js';

describe('parseDurationMs', () => {
  it.each([
    ['10s', 10_000],
    ['250ms', 250],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['500us', 0.5],
    ['0', 0],
    ['-2s', -2000],
    ['2d', 172_800_000],
  ])('%s → %d ms', (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  it.each(['', '10', 'ten seconds', '5 s', '1m30', 's'])('rejects %j', (text) => expect(parseDurationMs(text)).toBeUndefined());
});

describe('parseBytes', () => {
  it.each([
    ['4MiB', 4 * 1024 * 1024],
    ['500GB', 500e9],
    ['1.5 TB', 1.5e12],
    ['512', 512],
  ])('%s → %d', (text, bytes) => expect(parseBytes(text)).toBe(bytes));
  it('rejects unknown units', () => expect(parseBytes('5 parsecs')).toBeUndefined());
});

describe('parseRatePerSecond', () => {
  it.each([
    ['500/s', 500],
    ['30000/min', 500],
    ['7200/h', 2],
    [12, 12],
    ['12', 12],
  ] as const)('%s → %d/s', (text, rate) => expect(parseRatePerSecond(text)).toBe(rate));
  it('rejects a bad period', () => expect(parseRatePerSecond('5/fortnight')).toBeUndefined());
});

describe('formatDurationMs', () => {
  it.each([
    [250, '250ms'],
    [12_500, '12.5s'],
    [200_000, '3m20s'],
    [120_000, '2m'],
    // 59.5 s past the minute rounds into the next minute, never "1m60s"
    [119_600, '2m'],
    [7_499_999.6, '125m'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDurationMs(ms)).toBe(text);
  });
});
