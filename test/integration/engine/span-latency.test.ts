/**
 * The report's sim-run span delays (`latency.spanToCollector`, `latency.spanToExport`) against
 * bounds the configuration implies, and a gate on them.
 *
 * One span per trace (so no trace has late spans, and a trace's first arrival is its span's), 20
 * traces/s uniform for 10 s, SDK `scheduled_delay` S = 1 s and `export_duration` D = 5 ms, no
 * memory limiter, tail_sampling
 * `always_sample` with decision_wait W, then `batch` (timeout B = 500 ms, size far above the
 * traffic), then `debug` (sim exporters account a batch the instant they get it). Per span:
 *
 *   span end ─[0, S + D]─► collector ─[W, W + 1 s)─► decision ─[0, B]─► exporter
 *
 * (the SDK exports S after the first span queued on an idle exporter; a span that ends while an
 * export is in flight waits for it, at most D, before that timer starts — scenarios/README.md; a
 * trace is decided at the N-th 1 s tick after its first span, W = N s: tail-sampling README).
 * So every spanToCollector lies in [0, S + D] and every spanToExport in [W, S + D + W + 1 s + B].
 * HDR percentiles report a bucket's highest value (≥ the value at that rank) clamped to the exact
 * max, which is exact: so `p50 ≥ W` and `max ≤ S + D + W + 1 s + B` hold with no rounding slack.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../../../src/engine/run.js';
import { reportExitCode } from '../../../src/report/build.js';

const S_MS = 1000;
const D_MS = 5;
const B_MS = 500;
const TICK_MS = 1000;

const SCENARIO = `name: span-latency
seed: 11
collector: collector.yaml
traffic: { rate: 20/s, duration: 10s, arrival: uniform }
routes: [{ service: api, operation: GET }]
services:
  - name: api
    sdk: { scheduled_delay: ${S_MS}ms, export_duration: ${D_MS}ms }
    operations:
      GET: { kind: server, latency: 10ms }
`;

const COLLECTOR = `receivers:
  otlp:
    protocols: { grpc: }
processors:
  tail_sampling:
    decision_wait: 2s
    policies:
      - { name: all, type: always_sample }
  batch:
    send_batch_size: 8192
    timeout: ${B_MS}ms
exporters:
  debug:
service:
  pipelines:
    traces: { receivers: [otlp], processors: [tail_sampling, batch], exporters: [debug] }
`;

describe('span delays in a sim run', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracesim-span-latency-'));
    writeFileSync(join(dir, 'scenario.yaml'), SCENARIO);
    writeFileSync(join(dir, 'collector.yaml'), COLLECTOR);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each([2000, 5000])('decision_wait %i ms: delays within the bounds the config implies', async (waitMs) => {
    const { report } = await run({ scenarioPath: join(dir, 'scenario.yaml'), workers: 1, set: [`collector.processors.tail_sampling.decision_wait=${waitMs}ms`] });
    expect(report.mode).toBe('sim');
    expect(report.spans.generated).toBe(200);
    expect(report.spans.exported).toBe(200);
    expect(Object.keys(report.latency)).toEqual(['spanToCollector', 'spanToExport']);
    const toCollector = report.latency['spanToCollector']!;
    const toExport = report.latency['spanToExport']!;

    // one value per span the SDK exported (none dropped here) and per span exported
    expect(toCollector.count).toBe(report.spans.generated);
    expect(toExport.count).toBe(report.spans.exported);

    // SDK batching alone: at most S + D; the first span queued on an idle SDK waits exactly S
    expect(toCollector.max).toBeGreaterThanOrEqual(S_MS);
    expect(toCollector.max).toBeLessThanOrEqual(S_MS + D_MS);
    // 20 spans per 1 s export at even spacing wait S, S − 50 ms, …, 50 ms: the median near S/2
    expect(toCollector.p50).toBeGreaterThan(S_MS / 4);
    expect(toCollector.p50).toBeLessThan((3 * S_MS) / 4);

    // held for the decision, then batched
    expect(toExport.p50).toBeGreaterThanOrEqual(waitMs);
    expect(toExport.max).toBeLessThanOrEqual(S_MS + D_MS + waitMs + TICK_MS + B_MS);
    for (const p of [toExport.p50, toExport.p90, toExport.p99]) expect(p).toBeLessThanOrEqual(toExport.max);
    // every span waited longer for the exporter than for the collector
    expect(toExport.p50).toBeGreaterThan(toCollector.max);
  });

  test('a gate on latency.spanToExport.p99 is evaluated on the sim run', async () => {
    const boundMs = S_MS + D_MS + 2000 + TICK_MS + B_MS;
    const { report } = await run({
      scenarioPath: join(dir, 'scenario.yaml'),
      workers: 1,
      gates: [`latency.spanToExport.p99 <= ${boundMs / 1000}s`, 'latency.spanToExport.p99 < 2s', `latency.spanToCollector.max <= ${S_MS + D_MS}ms`],
    });
    const p99 = report.latency['spanToExport']!.p99;
    expect(p99).toBeGreaterThanOrEqual(2000);
    expect(report.gates.map((g) => [g.pass, g.actual])).toEqual([
      [true, p99],
      [false, p99],
      [true, report.latency['spanToCollector']!.max],
    ]);
    expect(reportExitCode(report)).toBe(3);
  });
});
