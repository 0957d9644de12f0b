import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveLoad, formatDerivedLoad } from '../../../src/scenario/derive.js';
import { loadScenarioFile } from '../../../src/scenario/load.js';

const SCENARIOS = join(import.meta.dirname, '../../../scenarios');

describe('deriveLoad', () => {
  it('checkout: the rate, spans per trace and shares the scenario promises', () => {
    const { scenario } = loadScenarioFile(join(SCENARIOS, 'checkout.yaml'));
    const d = deriveLoad(scenario, { sampleTraces: 5_000 });
    expect(d.tracesPerSecond).toBeCloseTo(200, 0);
    expect(d.spansPerTrace).toBeGreaterThan(10);
    expect(d.spansPerTrace).toBeLessThan(14);
    expect(d.spansPerSecond).toBeCloseTo(d.tracesPerSecond * d.spansPerTrace, 6);
    // "about 1 % errors and a few percent slow traces"
    expect(d.errorShare).toBeGreaterThan(0.004);
    expect(d.errorShare).toBeLessThan(0.02);
    expect(d.slowShare).toBeGreaterThan(0.01);
    expect(d.slowShare).toBeLessThan(0.06);
    expect(Object.values(d.spansPerSecondByService).reduce((a, b) => a + b, 0)).toBeCloseTo(d.spansPerSecond, 6);
    expect(d.otlpBytesPerSecond).toBeGreaterThan(d.spansPerSecond * d.meanSpanBytes);
    expect(d.productionSpansPerSecond).toBeCloseTo(2000 * d.spansPerTrace, 6);
    expect(d.instances).toBe(16);
  });

  it('flash-sale: the mean rate integrates the ramp (200 → 600 → 200 traces/s)', () => {
    const { scenario } = loadScenarioFile(join(SCENARIOS, 'flash-sale.yaml'));
    const d = deriveLoad(scenario, { sampleTraces: 2_000 });
    // 20 s·200 + 30 s·400 + 60 s·600 + 10 s·400 = 56 000 traces in 120 s
    expect(d.durationMs).toBe(120_000);
    expect(d.tracesPerSecond).toBeCloseTo(56_000 / 120, 6);
    expect(d.peakTracesPerSecond).toBe(600);
  });

  it('formats the derived load as the lines validate prints', () => {
    const { scenario } = loadScenarioFile(join(SCENARIOS, 'ci-smoke.yaml'));
    const text = formatDerivedLoad(deriveLoad(scenario, { sampleTraces: 2_000 }));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^ci-smoke: 50 traces\/s \(peak 50\) for 10s → [\d,]+ traces$/);
    expect(lines[1]).toMatch(/^ {2}spans\/trace [\d.]+ · spans\/s [\d,]+ across 4 service instances$/);
    expect(lines[2]).toMatch(/^ {2}expected errors [\d.]+% · slow [\d.]+% \(from 2,000 sampled traces\)$/);
    expect(lines[3]).toMatch(/^ {2}OTLP ≈ [\d.]+ [KM]?B\/s \([\d,]+ B\/span\) in ≈ [\d.]+ export requests\/s$/);
  });
});
