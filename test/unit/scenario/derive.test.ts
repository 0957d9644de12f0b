import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveLoad, formatDerivedLoad } from '../../../src/scenario/derive.js';
import { loadScenarioFile, parseScenario } from '../../../src/scenario/load.js';
import { MAX_SPANS_PER_TRACE } from '../../../src/generator/compile.js';

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

  const tiny = (extra: Record<string, unknown>) =>
    parseScenario(
      {
        name: 'tiny',
        traffic: { rate: '100/s', duration: '30s', arrival: 'uniform' },
        routes: [{ service: 'a', operation: 'x' }],
        services: [{ name: 'a', operations: { x: { latency: '1ms' } } }],
        ...extra,
      },
      'tiny.yaml',
    );

  it('weighs every arrival alike when the run has fewer traces than samples (an incident over half the run is half the traces)', () => {
    for (const [start, end] of [
      ['0s', '15s'],
      ['15s', '30s'],
    ]) {
      const d = deriveLoad(tiny({ incidents: [{ service: 'a', start, end, error_rate: 1 }] }), { sampleTraces: 20_000 });
      // 3 000 arrivals, each sampled 6 or 7 times: the share is 1/2 up to one arrival's weight
      expect(d.errorShare).toBeGreaterThan(0.495);
      expect(d.errorShare).toBeLessThan(0.505);
    }
  });

  it('spans per trace follow the per-trace span cap when the call graph would exceed it', () => {
    const d = deriveLoad(
      tiny({
        traffic: { rate: '1/s', duration: '5s' },
        services: [
          {
            name: 'a',
            operations: {
              x: { latency: '1ms', calls: [{ service: 'a', operation: 'y', repeat: 100 }] },
              y: { latency: '1ms', calls: [{ service: 'a', operation: 'z', repeat: 200, mode: 'parallel' }] },
              z: { latency: '1ms' },
            },
          },
        ],
      }),
      { sampleTraces: 20 },
    );
    expect(d.spansPerTrace).toBeGreaterThanOrEqual(MAX_SPANS_PER_TRACE);
    expect(d.spansPerTrace).toBeLessThan(MAX_SPANS_PER_TRACE + 10);
    expect(Object.values(d.spansPerSecondByService).reduce((a, b) => a + b, 0)).toBeCloseTo(d.spansPerSecond, 6);
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
