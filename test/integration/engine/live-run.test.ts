/**
 * Live runs on real loopback OTLP: the bundled collector on 127.0.0.1:0 over gRPC and HTTP/JSON,
 * and `--target` against the scriptable test backend (refusals retried, partial success counted).
 * The machine is shared, so the lag bound is relaxed here; validity rules are tested with an
 * impossible rate in the CLI tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { run } from '../../../src/engine/run.js';
import type { Report } from '../../../src/report/model.js';
import { startOtlpTestServer, type OtlpTestServer } from '../../helpers/otlp-test-server.js';

const root = join(import.meta.dirname, '..', '..', '..');
const smoke = join(root, 'scenarios', 'ci-smoke.yaml');
const relaxed = { maxLagP99Ms: 5000, workers: 1, duration: '2s' } as const;

function expectBalanced(r: Report): void {
  expect(r.ledger).toEqual({ balanced: true, residual: 0 });
  expect(r.spans.inFlight).toBe(0);
  expect(r.spans.generated).toBe(r.spans.exported + r.spans.sampledOut + r.spans.dropped);
}

describe('live run against the bundled collector', () => {
  test.each(['grpc', 'http/json'] as const)('over %s: every span reaches the pipeline and is decided', async (protocol) => {
    const { report, outcome } = await run({ scenarioPath: smoke, mode: 'live', protocol, ...relaxed });
    expect(report.mode).toBe('live');
    expectBalanced(report);
    expect(report.spans.generated).toBeGreaterThan(100);
    expect(report.dropped.total).toBe(0);
    expect(report.spans.exported).toBeGreaterThan(0);
    const live = outcome.live!;
    expect(live.protocol).toBe(protocol);
    expect(live.endpoint).toMatch(/127\.0\.0\.1:\d+/);
    expect(live.requests.accepted).toBe(live.requests.sent);
    expect(live.requests.missed).toBe(0);
    expect(live.scheduleLagMs.count).toBe(live.requests.sent);
    expect(live.exportLatencyMs.count).toBe(live.requests.sent);
    expect(report.throughput.achievedSpansPerSecond).toBe(report.throughput.targetSpansPerSecond);
    expect(report.latency['exportLatency']?.count).toBe(live.requests.sent);
    expect(report.timeseries?.achievedSpansPerSecond?.length).toBe(report.timeseries?.t.length);
    // one point per interval from the schedule's start, labelled 0, 1, 2, … (no lead-in point, no gaps)
    const ts = report.timeseries!;
    expect(ts.t).toEqual(ts.t.map((_, i) => (i * ts.intervalMs) / 1000));
  });
});

describe('the --max-lag-p99 bound', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracesim-lag-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** One service whose SDK exports every span alone, soon: `rate × 2 s` sends. */
  const scenario = (rate: number): string => {
    const path = join(dir, `s${rate}.yaml`);
    writeFileSync(
      path,
      `name: lag\nseed: 5\ncollector: ${join(root, 'scenarios', 'ci-smoke.collector.yaml')}\ntraffic: { rate: ${rate}/s, duration: 2s, arrival: uniform }\n` +
        `routes: [{ service: api, operation: GET }]\nservices:\n  - name: api\n    sdk: { scheduled_delay: 10ms, max_export_batch_size: 1 }\n    operations:\n      GET: { kind: server, latency: 1ms }\n`,
    );
    return path;
  };

  // A send exactly on time has a lag of 0, so only a bound below 0 is exceeded by every run.
  test('judges the lag p99 from 100 sends on: a bound below any lag makes such a run invalid', async () => {
    const { report, outcome } = await run({ scenarioPath: scenario(100), mode: 'live', workers: 1, maxLagP99Ms: -1 });
    expect(outcome.live!.scheduleLagMs.count).toBeGreaterThanOrEqual(100);
    expect(report.valid).toBe(false);
    expect(report.invalidReasons.join('\n')).toMatch(/schedule lag p99 [\d.]+ ms exceeds the bound of -1 ms/);
  });

  test('below 100 sends the p99 is one stall: an excess is a warning, not an invalid run', async () => {
    const { report, outcome } = await run({ scenarioPath: scenario(10), mode: 'live', workers: 1, maxLagP99Ms: -1 });
    expect(outcome.live!.scheduleLagMs.count).toBeLessThan(100);
    expect(report.valid).toBe(true);
    expect(outcome.warnings.join('\n')).toMatch(/exceeds the bound of -1 ms \(--max-lag-p99\) over only \d+ sends: not judged/);
    expectBalanced(report);
  });
});

describe('live run interrupted', () => {
  test('stops promptly on abort, reports interrupted with the ledger balanced', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 3000);
    const t0 = performance.now();
    const { report } = await run({ scenarioPath: smoke, mode: 'live', signal: controller.signal, maxLagP99Ms: 5000, workers: 1, duration: '60s' });
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(report.interrupted).toBe(true);
    expect(report.ledger.residual).toBe(0);
    expect(report.window.seconds).toBeLessThan(10);
  });
});

describe('live run against --target', () => {
  let server: OtlpTestServer;
  beforeEach(async () => {
    server = await startOtlpTestServer();
  });
  afterEach(async () => server.close());

  test('counts accepted spans as exported, retries refusals, books partial-success rejections', async () => {
    server.script([{ kind: 'refuse' }, { kind: 'partial', rejected: 2, message: 'two too many' }]);
    const { report, outcome } = await run({ scenarioPath: smoke, mode: 'live', target: `grpc://${server.grpcEndpoint}`, ...relaxed });
    expectBalanced(report);
    const live = outcome.live!;
    expect(live.requests.refused).toBe(1);
    expect(live.requests.retried).toBe(1);
    expect(live.requests.partialRejectedSpans).toBe(2);
    expect(report.dropped.byReason.backend_partial_reject?.spans).toBe(2);
    expect(report.spans.exported).toBe(server.acceptedSpans());
    expect(report.spans.exported + 2).toBe(report.spans.generated);
    expect(server.receivedSpans()).toBeGreaterThan(report.spans.generated); // the refused request came twice
    // the refusal is an event in the report, by the receiving end (a live client cannot know the component)
    const refusedSpans = server.receivedSpans() - report.spans.generated;
    expect(report.refusals).toEqual({ spansByComponent: { target: refusedSpans }, exportsRetriedOk: 1, exportsGaveUp: 0 });
    // The scenario names a local collector config (tail_sampling), but the remote pipeline is what
    // runs: nothing of the local config appears in the report.
    expect(report.collector.path).toBe('(none: --target)');
    expect(report.retention.byPolicy).toEqual({});
    expect(report.advisories.map((a) => a.code)).not.toContain('sdk_delay_near_decision_wait');
  });

  test('a refused export holds its SDK while it is retried: the queue overflows meanwhile (sdk_queue_full)', async () => {
    // One span per trace, 100/s; the SDK exports 8 spans every ~80 ms and queues at most 16. The
    // first request is refused with a 1 s retry hint: its SDK sends nothing for that second and
    // drops what does not fit its queue. Without the hold no span would ever be dropped.
    const dir = mkdtempSync(join(tmpdir(), 'tracesim-hold-'));
    try {
      const scenario = join(dir, 'hold.yaml');
      writeFileSync(
        scenario,
        'seed: 3\ntraffic: { rate: 100/s, duration: 2s, arrival: uniform }\nroutes: [{ service: a, operation: op }]\nservices:\n' +
          '  - name: a\n    sdk: { scheduled_delay: 50ms, max_export_batch_size: 8, max_queue_size: 16 }\n    operations:\n      op: { latency: 1ms }\n',
      );
      server.script([{ kind: 'refuse', retryAfterMs: 1000 }]);
      const { report, outcome } = await run({ scenarioPath: scenario, mode: 'live', target: `grpc://${server.grpcEndpoint}`, maxLagP99Ms: 5000, workers: 1 });
      expectBalanced(report);
      expect(outcome.live!.requests.retried).toBe(1);
      const sdkDropped = report.dropped.byReason.sdk_queue_full?.spans ?? 0;
      expect(sdkDropped).toBeGreaterThan(40);
      expect(report.spans.exported).toBe(server.acceptedSpans());
      expect(report.spans.exported + sdkDropped).toBe(report.spans.generated);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('needs no collector config of its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracesim-target-'));
    try {
      const scenario = join(dir, 'bare.yaml');
      writeFileSync(scenario, 'seed: 1\ntraffic: { rate: 50/s, duration: 1s }\nroutes: [{ service: a, operation: op }]\nservices:\n  - name: a\n    sdk: { scheduled_delay: 200ms }\n    operations:\n      op: { latency: 1ms }\n');
      const { report } = await run({ scenarioPath: scenario, mode: 'live', target: `grpc://${server.grpcEndpoint}`, maxLagP99Ms: 5000, workers: 1 });
      expectBalanced(report);
      expect(report.spans.exported).toBe(server.acceptedSpans());
      expect(report.spans.exported).toBe(report.spans.generated);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an SDK waits for a slow answer before its next export: its queue overflows (sdk_queue_full) instead of piling up requests', async () => {
    // every answer takes 1.5 s; 4 SDK instances with 128-span queues at 200 traces/s cannot keep up
    server.setDefault({ kind: 'delay', ms: 1500, then: { kind: 'accept' } });
    const queues = ['frontend', 'catalog', 'cart'].map((svc) => `services[name=${svc}].sdk.max_queue_size=128`);
    const batches = ['frontend', 'catalog', 'cart'].map((svc) => `services[name=${svc}].sdk.max_export_batch_size=128`);
    const { report } = await run({ scenarioPath: smoke, mode: 'live', target: server.httpEndpoint, protocol: 'http/protobuf', rate: '200/s', set: [...queues, ...batches], ...relaxed });
    expectBalanced(report);
    expect(report.dropped.byReason.sdk_queue_full?.spans).toBeGreaterThan(report.spans.generated / 4);
    expect(report.spans.exported + (report.dropped.byReason.sdk_queue_full?.spans ?? 0)).toBe(report.spans.generated);
    // one export in flight per instance: about 2 s / 1.5 s + the flush, never dozens
    expect(server.requests.http).toBeLessThanOrEqual(4 * 4);
  });

  test('a target nobody answers on is not a collector refusing: the run is invalid and no refusal is reported', async () => {
    // a port that was just free: connection refused
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { report } = await run({ scenarioPath: smoke, mode: 'live', target: `grpc://127.0.0.1:${port}`, protocol: 'grpc', ...relaxed });
    expectBalanced(report);
    expect(report.valid).toBe(false);
    expect(report.invalidReasons.join('\n')).toMatch(/send attempts got no answer from the target grpc:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\): it was never reached/);
    expect(report.refusals?.spansByComponent ?? {}).toEqual({});
    expect(report.advisories.map((a) => a.code)).not.toContain('backpressure_lost_at_source');
    expect(report.dropped.byReason.client_gave_up?.spans).toBe(report.spans.generated);
  });

  test('gives up on a permanently failing endpoint and says where the spans went', async () => {
    server.setDefault({ kind: 'fail', message: 'no' });
    const { report } = await run({ scenarioPath: smoke, mode: 'live', target: `${server.httpEndpoint}`, protocol: 'http/protobuf', ...relaxed });
    expectBalanced(report);
    expect(report.spans.exported).toBe(0);
    expect(report.dropped.byReason.receiver_refused_downstream?.spans).toBe(report.spans.generated);
    expect(server.requests.http).toBeGreaterThan(0);
  });
});
