/**
 * Hand-computable storage: a scenario whose rate, spans per trace, retention and bytes per span
 * are known gives the hand-computed bytes per day (DESIGN.md "The report", reference §6(a)).
 *
 *   100 traces/s × 1 span, uniform arrivals for 60 s → 6 000 spans, all exported (no sampling)
 *   production_rate 1 000/s → ×10;  bytes_per_span 500;  backend tempo with compression 5, RF 2
 *   exported spans/day = 6 000 / 60 × 86 400 × 10      = 86 400 000
 *   exportedBytesPerDay = 86 400 000 × 500              = 43 200 000 000
 *   diskBytesPerDay     = 86 400 000 × 500 / 5 × 2      = 17 280 000 000
 *   with 50 % probabilistic tail sampling: both halve (within the sampler's exact count)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { run } from '../../../src/engine/run.js';

const SCENARIO = `name: hand
seed: 3
collector: collector.yaml
storage: { backend: tempo, bytes_per_span: 500, compression: "5", replication_factor: 2, retention_days: 10 }
traffic: { rate: 100/s, duration: 60s, arrival: uniform, production_rate: 1000/s }
routes: [{ service: api, operation: GET }]
services:
  - name: api
    sdk: { scheduled_delay: 1s }
    operations:
      GET: { kind: server, latency: 10ms }
`;

const COLLECTOR = (processors: string, policies: string) => `receivers:
  otlp:
    protocols: { grpc: }
processors:
  tail_sampling:
    decision_wait: 2s
    policies:
${policies}
exporters:
  debug:
service:
  pipelines:
    traces: { receivers: [otlp], processors: [${processors}], exporters: [debug] }
`;

describe('hand-computable storage', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracesim-storage-'));
    writeFileSync(join(dir, 'scenario.yaml'), SCENARIO);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('everything exported: the hand-computed bytes per day', async () => {
    writeFileSync(join(dir, 'collector.yaml'), COLLECTOR('', '      - { name: all, type: always_sample }'));
    const { report } = await run({ scenarioPath: join(dir, 'scenario.yaml'), workers: 1 });
    expect(report.spans.generated).toBe(6000);
    expect(report.spans.exported).toBe(6000);
    expect(report.window.seconds).toBe(60);
    expect(report.storage.bytesPerSpan).toBe(500);
    expect(report.storage.exportedBytesPerDay).toBe(43_200_000_000);
    expect(report.storage.diskBytesPerDay).toBe(17_280_000_000);
    expect(report.storage.replicationFactor).toBe(2);
    expect(report.storage.retentionDays).toBe(10);
    expect(report.retention.bytes).toBe(1);
  });

  test('a processor that grows spans on the way (the sampler writes tracestate) keeps byte retention at 1 when every span is kept', async () => {
    const sampler = (pct: number) =>
      COLLECTOR('tail_sampling', '      - { name: all, type: always_sample }')
        .replace('processors:\n', `processors:\n  probabilistic_sampler: { sampling_percentage: ${pct} }\n`)
        .replace('processors: [tail_sampling]', 'processors: [probabilistic_sampler]');
    writeFileSync(join(dir, 'collector.yaml'), sampler(100));
    const { report, outcome } = await run({ scenarioPath: join(dir, 'scenario.yaml'), workers: 1 });
    expect(report.spans.exported).toBe(6000);
    // on the wire each span carries ot=rv:…;th:0 now: more bytes out than in, yet nothing more was kept
    expect(outcome.ledger.bytes.exported).toBeGreaterThan(outcome.ledger.bytes.generated);
    expect(report.retention.bytes).toBe(1);
    writeFileSync(join(dir, 'collector.yaml'), sampler(30));
    const thirty = (await run({ scenarioPath: join(dir, 'scenario.yaml'), workers: 1 })).report;
    // one-span traces of one shape: byte retention is the span retention (to the header rounding)
    expect(thirty.retention.bytes).toBeCloseTo(thirty.retention.spans!, 3);
  });

  test('storage.index_overhead and storage.headroom from the scenario: o = 2 doubles the disk bytes, h = 0.5 adds half to the steady state', async () => {
    writeFileSync(join(dir, 'collector.yaml'), COLLECTOR('', '      - { name: all, type: always_sample }'));
    writeFileSync(join(dir, 'scenario.yaml'), SCENARIO.replace('retention_days: 10 }', 'retention_days: 10, index_overhead: 2, headroom: 0.5 }'));
    const { report } = await run({ scenarioPath: join(dir, 'scenario.yaml'), workers: 1 });
    // 86 400 000 spans/day × 500 B × o 2 / c 5 × RF 2; steady state × (D 10 + g 0) × (1 + h 0.5)
    expect(report.storage.diskBytesPerDay).toBe(34_560_000_000);
    expect(report.storage.steadyStateBytes).toBe(518_400_000_000);
  });

  test('50 % sampling: bytes per day follow the exported share', async () => {
    writeFileSync(join(dir, 'collector.yaml'), COLLECTOR('tail_sampling', '      - { name: half, type: probabilistic, probabilistic: { sampling_percentage: 50 } }'));
    const { report } = await run({ scenarioPath: join(dir, 'scenario.yaml'), workers: 1 });
    const exported = report.spans.exported;
    expect(exported).toBeGreaterThan(2700);
    expect(exported).toBeLessThan(3300);
    // exported spans/day = exported / 60 × 86 400 × 10; × 500 bytes
    expect(report.storage.exportedBytesPerDay).toBe(Math.round((exported / 60) * 86_400 * 10 * 500));
    expect(report.storage.diskBytesPerDay).toBe(Math.round(((exported / 60) * 86_400 * 10 * 500 * 2) / 5));
  });

  test('a token-bucket policy: no confidence interval, and an advisory that the ×10 projection does not hold for it', async () => {
    writeFileSync(join(dir, 'collector.yaml'), COLLECTOR('tail_sampling', '      - { name: capped, type: rate_limiting, rate_limiting: { spans_per_second: 20 } }'));
    const { report } = await run({ scenarioPath: join(dir, 'scenario.yaml'), workers: 1 });
    expect(report.retention.byPolicy['capped']!.attributedTraces).toBeGreaterThan(0);
    expect(report.retention.tracesCi95).toBeNull();
    const advisory = report.advisories.find((a) => a.code === 'non_probabilistic_retention');
    expect(advisory?.message).toMatch(/policy 'capped' \(rate_limiting\) kept \d+ traces through a token bucket.*×10 to the production rate/);
    // what the bucket refused is an intended removal of its own kind (reference §6(d) 3)
    expect(report.sampledOut.byReason.rate_limited_policy).toEqual({ spans: report.spans.sampledOut, component: 'tail_sampling' });
    expect(report.sampledOut.byReason.sampled_out).toBeUndefined();
  });

  test('probabilistic retention keeps its confidence interval and gets no token-bucket advisory', async () => {
    writeFileSync(join(dir, 'collector.yaml'), COLLECTOR('tail_sampling', '      - { name: half, type: probabilistic, probabilistic: { sampling_percentage: 50 } }'));
    const { report } = await run({ scenarioPath: join(dir, 'scenario.yaml'), workers: 1 });
    expect(report.retention.tracesCi95).not.toBeNull();
    expect(report.advisories.map((a) => a.code)).not.toContain('non_probabilistic_retention');
    expect(report.sampledOut).toEqual({ total: report.spans.sampledOut, byReason: { sampled_out: { spans: report.spans.sampledOut, component: 'tail_sampling' } } });
  });
});
