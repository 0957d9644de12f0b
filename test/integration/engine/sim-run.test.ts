/**
 * Sim runs end to end through `run()` with real generator workers (from dist/): identical reports
 * for 1 and 2 workers, pinned against the committed baseline, balanced ledgers, replicas behind
 * trace-id routing, and an aborted run that still reports a balanced ledger.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { run } from '../../../src/engine/run.js';
import type { Report } from '../../../src/report/model.js';

const root = join(import.meta.dirname, '..', '..', '..');
const smoke = join(root, 'scenarios', 'ci-smoke.yaml');
const baselinePath = join(root, 'reports', 'baselines', 'ci-smoke.report.json');

/**
 * The numbers a regression must not move: every report key except provenance, the source texts
 * and the internal telemetry listing (components add metrics over time; their effects show in the
 * ledger, retention, drops and time series, which are pinned).
 */
function pinned(r: Report): unknown {
  const { tool: _tool, inputs: _inputs, telemetry: _telemetry, collector, ...rest } = r;
  return { ...rest, collector: { hash: collector.hash } };
}

function expectBalanced(r: Report): void {
  expect(r.ledger).toEqual({ balanced: true, residual: 0 });
  expect(r.spans.inFlight).toBe(0);
  expect(r.spans.generated).toBe(r.spans.exported + r.spans.sampledOut + r.spans.dropped);
  expect(r.traces.generated).toBe(r.traces.exported + r.traces.sampledOut + r.traces.dropped);
}

describe('sim run', () => {
  test('gives the same report with 1 and 2 workers, equal to the committed baseline', async () => {
    const one = await run({ scenarioPath: smoke, workers: 1 });
    const two = await run({ scenarioPath: smoke, workers: 2 });
    expectBalanced(one.report);
    expect(pinned(two.report)).toEqual(pinned(one.report));
    const baseline = JSON.parse(readFileSync(baselinePath, 'utf8')) as Report;
    expect(pinned(one.report)).toEqual(pinned(baseline));
  });

  test('runs every generated span through the pipeline to a decided outcome', async () => {
    const { report, outcome } = await run({ scenarioPath: smoke, workers: 1, set: ['collector.processors.tail_sampling.policies[name=sampling-policy].probabilistic.sampling_percentage=100'] });
    expectBalanced(report);
    // 100 % probabilistic: every trace is kept (nothing dropped in this small scenario)
    expect(report.retention.traces).toBe(1);
    expect(report.spans.exported).toBe(report.spans.generated);
    expect(report.retention.bytes).toBe(1);
    // the time series adds up to the totals
    const ts = report.timeseries!;
    expect(ts.spansExported.reduce((a, b) => a + b, 0)).toBe(report.spans.exported);
    expect(ts.t.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(ts.tailTracesHeld)).toEqual(['tail_sampling']);
    expect(report.limits?.tailNumTraces).toEqual({ tail_sampling: 10000 });
    expect(report.limits?.memoryLimitBytes).toBe(512 * 1024 * 1024);
    expect(report.limits?.memorySpikeLimitBytes).toBe(128 * 1024 * 1024);
    expect(outcome.client.gaveUp).toBe(0);
  });

  test('chart limits and the memory advisory use the limits the memory limiter runs with (spike default: 20 % of the hard limit)', async () => {
    const { report } = await run({ scenarioPath: smoke, workers: 1, duration: '2s', set: ['collector.processors.memory_limiter.spike_limit_mib=0'] });
    expect(report.limits?.memoryLimitBytes).toBe(512 * 1024 * 1024);
    expect(report.limits?.memorySpikeLimitBytes).toBeCloseTo(0.2 * 512 * 1024 * 1024, 0);
  });

  test('routes traces to collector replicas by trace id, each with its own tail buffer', async () => {
    const single = await run({ scenarioPath: smoke, workers: 1 });
    const { report } = await run({ scenarioPath: smoke, workers: 1, set: ['collector_replicas=3'] });
    expectBalanced(report);
    expect(report.replicas).toHaveLength(3);
    const replicas = report.replicas!;
    expect(replicas.map((r) => r.id)).toEqual(['r0', 'r1', 'r2']);
    expect(replicas.reduce((a, r) => a + r.tracesReceived, 0)).toBe(report.traces.generated);
    for (const r of replicas) {
      expect(r.tracesReceived).toBeGreaterThan(report.traces.generated / 6);
      expect(r.peakTracesHeld).toBeGreaterThan(0);
    }
    expect(Object.keys(report.timeseries!.tailTracesHeld).sort()).toEqual(['r0/tail_sampling', 'r1/tail_sampling', 'r2/tail_sampling']);
    // the decisions are per trace (hash of the trace id), so splitting the traffic keeps them
    expect(report.retention.byPolicy).toEqual(single.report.retention.byPolicy);
    expect(report.spans.exported).toBe(single.report.spans.exported);
  });

  test('an overloaded collector backs up into the SDKs: a retried export holds its SDK, whose queue overflows', async () => {
    // catalog and cart back on the SDK default delay (5 s): longer holds, so some clients give up
    const sdkDefaults = ['services[name=catalog].sdk.scheduled_delay=5s', 'services[name=cart].sdk.scheduled_delay=5s'];
    const overload = [...sdkDefaults, 'traffic.rate=400/s', 'collector.processors.memory_limiter.spike_limit_mib=0'];
    const refusing = [...overload, 'collector.processors.memory_limiter.limit_mib=1'];
    const one = await run({ scenarioPath: smoke, workers: 1, set: refusing });
    const two = await run({ scenarioPath: smoke, workers: 2, set: refusing });
    const roomy = await run({ scenarioPath: smoke, workers: 1, set: [...overload, 'collector.processors.memory_limiter.limit_mib=4096'] });
    for (const r of [one.report, two.report, roomy.report]) expectBalanced(r);
    expect(pinned(two.report)).toEqual(pinned(one.report));
    // the same traffic without refusals never fills an SDK queue (max_queue_size 2048)
    expect(roomy.report.refusals).toBeUndefined();
    expect(roomy.report.dropped.byReason.sdk_queue_full).toBeUndefined();
    expect(roomy.report.advisories.map((a) => a.code)).not.toContain('backpressure_lost_at_source');
    // with refusals, the SDKs keep their spans while the client retries; the queues overflow.
    // Pinned (deterministic for the seed): a change to the backpressure model or its wiring (how
    // long a hold lasts, when it ends) moves these; update them with the reason.
    expect(one.report.refusals).toEqual({ spansByComponent: { memory_limiter: 7014 }, exportsRetriedOk: 5, exportsGaveUp: 2 });
    expect(one.report.dropped.byReason.sdk_queue_full?.spans).toBe(1949);
    expect(one.report.dropped.byReason.client_gave_up?.spans).toBe(430);
    // the advisory counts only the overflow while an export was held (1944 of the 1949)
    expect(one.report.advisories.find((a) => a.code === 'backpressure_lost_at_source')?.message).toContain(
      'cost 2374 spans at the source (15.87% of generated): 1944 sdk_queue_full while exports were retried, 430 client_gave_up',
    );
    // behind two replicas the export is held until both parts have ended
    const replicas = await run({ scenarioPath: smoke, workers: 1, set: [...refusing, 'collector_replicas=2'] });
    expectBalanced(replicas.report);
    expect(replicas.report.dropped.byReason.sdk_queue_full?.spans).toBe(2017);
    expect(replicas.report.refusals).toEqual({ spansByComponent: { memory_limiter: 4336 }, exportsRetriedOk: 18, exportsGaveUp: 0 });
  });

  test('an aborted run reports interrupted with a balanced ledger, spans in flight counted', async () => {
    const controller = new AbortController();
    let events = 0;
    const { report } = await run({
      scenarioPath: smoke,
      workers: 1,
      duration: '30m',
      signal: controller.signal,
      onProgress: () => {
        if (++events === 2) controller.abort();
      },
    });
    expect(report.interrupted).toBe(true);
    expect(report.ledger.residual).toBe(0);
    expect(report.ledger.balanced).toBe(true);
    expect(report.spans.generated).toBe(report.spans.exported + report.spans.sampledOut + report.spans.dropped + report.spans.inFlight);
    expect(report.window.seconds).toBeLessThan(30 * 60);
  });
});
