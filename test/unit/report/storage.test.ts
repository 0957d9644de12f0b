import { describe, expect, it } from 'vitest';
import { BACKEND_PRESETS, estimateStorage } from '../../../src/report/storage.js';
import { STORAGE_BACKENDS } from '../../../src/shared/storage-backends.js';
import { InputError } from '../../../src/shared/errors.js';

describe('estimateStorage', () => {
  it('reproduces the reference worked example (λ=10 000/s, R_S=0.10, B=500, Tempo 75 B/span, D=14)', () => {
    // 10 s simulated at 10 000 spans/s, 10 % persisted, 500 B per span
    const s = estimateStorage({
      exportedSpans: 10_000 * 10 * 0.1,
      exportedBytes: 10_000 * 10 * 0.1 * 500,
      compressedBytes: 0,
      windowSeconds: 10,
      simulatedSpansPerSecond: 10_000,
      overrides: { backend: 'tempo', headroom: 0 },
    });
    expect(s.assumptions['exportedSpansPerDay']!.value).toBe(86_400_000);
    expect(s.exportedBytesPerDay).toBe(43_200_000_000);
    expect(s.assumptions['diskBytesPerSpan']!.value).toBe(75);
    expect(s.diskBytesPerDay).toBe(6_480_000_000);
    // 6.48 GB × 14 days = 90.72 GB ≈ 91 GB
    expect(s.steadyStateBytes).toBe(90_720_000_000);
    expect(s.retentionDays).toBe(14);
    expect(s.replicationFactor).toBe(1);
  });

  it('gives the hand-computed bytes per day for a hand-computable scenario', () => {
    // 100 traces/s × 10 spans/trace = 1 000 spans/s; 20 % of traces kept; 400 B/span (override);
    // 60 s window → 12 000 spans exported.
    // per day: 1 000 × 0.2 × 86 400 = 17 280 000 spans × 400 B = 6 912 000 000 B
    const s = estimateStorage({
      exportedSpans: 12_000,
      exportedBytes: 12_000 * 321, // measured, but the override wins
      compressedBytes: 12_000 * 107,
      windowSeconds: 60,
      simulatedSpansPerSecond: 1_000,
      overrides: { backend: 'raw', bytesPerSpan: 400 },
    });
    expect(s.exportedBytesPerDay).toBe(6_912_000_000);
    expect(s.diskBytesPerDay).toBe(6_912_000_000);
    expect(s.bytesPerSpan).toBe(400);
    // compressed per span keeps the measured wire ratio (107/321 = 1/3)
    expect(s.compressedBytesPerSpan).toBeCloseTo(400 / 3, 1);
    expect(s.assumptions['bytesPerSpan']!.source).toBe('scenario storage.bytes_per_span');
  });

  it('scales to the production rate and applies RF, retention, granularity and headroom', () => {
    // 500 spans/s simulated, production 5 000/s (×10); all exported; measured 600 B/span
    const s = estimateStorage({
      exportedSpans: 500 * 100,
      exportedBytes: 500 * 100 * 600,
      compressedBytes: 0,
      windowSeconds: 100,
      simulatedSpansPerSecond: 500,
      productionSpansPerSecond: 5_000,
      overrides: { backend: 'jaeger-elasticsearch', compression: 2, replicationFactor: 3, retentionDays: 5, headroom: 0.2 },
    });
    const spansPerDay = 5_000 * 86_400;
    expect(s.exportedBytesPerDay).toBe(spansPerDay * 600);
    expect(s.diskBytesPerDay).toBe(spansPerDay * 300 * 3);
    // daily indices: (5 + 1) days, 20 % headroom
    expect(s.steadyStateBytes).toBe(Math.round(spansPerDay * 300 * 3 * 6 * 1.2));
    expect(s.assumptions['productionSpansPerSecond']!.source).toBe('scenario production_rate');
  });

  it('uses the measured compression on request', () => {
    const s = estimateStorage({ exportedSpans: 10, exportedBytes: 5000, compressedBytes: 1000, windowSeconds: 1, simulatedSpansPerSecond: 10, overrides: { compression: 'measured', headroom: 0 } });
    expect(s.assumptions['compression']!.value).toBe(5);
    expect(s.diskBytesPerDay).toBe(10 * 86_400 * 100);
    expect(() => estimateStorage({ exportedSpans: 10, exportedBytes: 5000, compressedBytes: 0, windowSeconds: 1, simulatedSpansPerSecond: 10, overrides: { compression: 'measured' } })).toThrow(InputError);
  });

  it('is zero, not NaN, when nothing was exported', () => {
    const s = estimateStorage({ exportedSpans: 0, exportedBytes: 0, compressedBytes: 0, windowSeconds: 10, simulatedSpansPerSecond: 100 });
    expect([s.bytesPerSpan, s.exportedBytesPerDay, s.diskBytesPerDay, s.steadyStateBytes]).toEqual([0, 0, 0, 0]);
  });

  it('names the known backends for an unknown one', () => {
    expect(() => estimateStorage({ exportedSpans: 1, exportedBytes: 1, compressedBytes: 0, windowSeconds: 1, simulatedSpansPerSecond: 1, overrides: { backend: 'loki' } })).toThrow(/unknown backend "loki".*tempo, jaeger-cassandra/);
  });

  it('every preset figure has a source, and every assumption lands in the report', () => {
    for (const b of STORAGE_BACKENDS) {
      const p = BACKEND_PRESETS[b];
      for (const f of [p.compression, p.indexOverhead, p.replicationFactor, p.retentionDays, p.granularityDays, p.headroom]) {
        expect(f.source.length).toBeGreaterThan(5);
        expect(Number.isFinite(f.value)).toBe(true);
      }
      const s = estimateStorage({ exportedSpans: 1, exportedBytes: 500, compressedBytes: 0, windowSeconds: 1, simulatedSpansPerSecond: 1, overrides: { backend: b } });
      expect(s.backend).toBe(b);
      for (const key of ['bytesPerSpan', 'compression', 'replicationFactor', 'retentionDays', 'retentionGranularityDays', 'headroom', 'productionSpansPerSecond']) {
        expect(s.assumptions[key]?.source, key).toBeTruthy();
      }
    }
  });
});
