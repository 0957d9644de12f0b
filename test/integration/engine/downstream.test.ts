/**
 * Sim runs with a modelled downstream (scenario `downstream`): the network exporter's sending
 * queue and retries run against a backend with latency and outage windows, on the virtual clock.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../../../src/engine/run.js';
import { InputError } from '../../../src/shared/errors.js';

const root = join(import.meta.dirname, '..', '..', '..');
let dir: string;

/** ci-smoke's collector with otlp exporters (never contacted in sim) in front of debug: `otlp/tempo`, and `extra` after it. */
function collectorWithOtlp(extra = ''): string {
  const tempo = '  otlp/tempo:\n    endpoint: tempo.example:4317\n    tls: { insecure: true }\n    sending_queue: { queue_size: 2, num_consumers: 2 }\n    retry_on_failure: { max_elapsed_time: 300s }\n';
  const text = readFileSync(join(root, 'scenarios', 'ci-smoke.collector.yaml'), 'utf8')
    .replace('exporters:\n  debug:', `exporters:\n${tempo}${extra ? tempo.replaceAll('tempo', extra) : ''}  debug:`)
    .replace('exporters: [debug]', `exporters: [otlp/tempo, ${extra ? `otlp/${extra}, ` : ''}debug]`);
  const path = join(dir, `collector${extra}.yaml`);
  writeFileSync(path, text);
  return path;
}

function scenario(downstream: string, extraExporter = ''): string {
  const text = readFileSync(join(root, 'scenarios', 'ci-smoke.yaml'), 'utf8')
    .replace('collector: ci-smoke.collector.yaml', `collector: ${collectorWithOtlp(extraExporter)}`)
    .replace(/^gates:\n( {2}- .*\n)+/m, '');
  const path = join(dir, `s-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, `${text}\n${downstream}`);
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tracesim-downstream-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('downstream model', () => {
  test('an outage fills the sending queue: what does not fit is lost, the rest is exported after it, late', async () => {
    const down = scenario('downstream:\n  latency: 20ms\n  outages:\n    - { start: 4s, end: 12s, exporters: [otlp/tempo] }\n');
    const healthy = scenario('downstream:\n  latency: 20ms\n');
    const one = await run({ scenarioPath: down, workers: 1 });
    const two = await run({ scenarioPath: down, workers: 2 });
    const ok = await run({ scenarioPath: healthy, workers: 1 });
    for (const r of [one.report, two.report, ok.report]) {
      expect(r.ledger).toEqual({ balanced: true, residual: 0 });
      expect(r.spans.inFlight).toBe(0);
    }
    expect(two.report.spans).toEqual(one.report.spans);
    expect(two.report.dropped).toEqual(one.report.dropped);
    // healthy: nothing lost, each span exported within its SDK delay + decision wait + tick + batch timeout + a round trip
    expect(ok.report.dropped.total).toBe(0);
    // down for 8 s with room for 2 requests: the batches that do not fit are lost at the exporter
    const lost = one.report.dropped.byReason.exporter_enqueue_failed;
    expect(lost?.component).toBe('otlp/tempo');
    expect(lost!.spans).toBeGreaterThan(0);
    expect(one.report.spans.exported + lost!.spans).toBe(ok.report.spans.exported);
    // the queued ones waited out the outage (retry backoff from 5 s): later than any healthy export
    expect(one.report.latency['spanToExport']!.max).toBeGreaterThan(ok.report.latency['spanToExport']!.max + 1000);
  });

  test('an outage longer than max_elapsed_time exhausts the retries', async () => {
    const down = scenario('downstream:\n  outages:\n    - { start: 0s, end: 10m }\n');
    const { report } = await run({ scenarioPath: down, workers: 1, set: ['collector.exporters["otlp/tempo"].retry_on_failure.max_elapsed_time=40s'] });
    expect(report.ledger.balanced).toBe(true);
    expect(report.spans.exported).toBe(0);
    expect(report.dropped.byReason.exporter_send_failed_retry_exhausted?.spans).toBeGreaterThan(0);
  });

  test('losses of an exporter the ledger does not follow (a fan-out copy) are named by an advisory', async () => {
    const down = scenario('downstream:\n  outages:\n    - { start: 4s, end: 12s, exporters: [otlp/jaeger] }\n', 'jaeger');
    const { report } = await run({ scenarioPath: down, workers: 1 });
    expect(report.dropped.total).toBe(0); // the ledger follows otlp/tempo, which was up
    const lost = (report.telemetry ?? []).filter((p) => p.labels['exporter'] === 'otlp/jaeger' && p.name === 'otelcol_exporter_enqueue_failed_spans');
    const spans = lost.reduce((a, p) => a + p.value, 0);
    expect(spans).toBeGreaterThan(0);
    expect(report.advisories.find((a) => a.code === 'fanout_copy_lost')?.message).toContain(`otlp/jaeger lost ${spans} spans`);
  });

  test('a backend slower than the exporter timeout delivers nothing, and an advisory says why and what to set', async () => {
    const slow = scenario('downstream:\n  latency: 6s\n');
    const { report } = await run({ scenarioPath: slow, workers: 1, set: ['collector.exporters["otlp/tempo"].retry_on_failure.max_elapsed_time=30s'] });
    expect(report.ledger.balanced).toBe(true);
    expect(report.spans.exported).toBe(0);
    expect(report.dropped.total).toBe(report.spans.generated - report.spans.sampledOut);
    const advisory = report.advisories.find((a) => a.code === 'backend_slower_than_timeout');
    expect(advisory?.message).toMatch(/^exporters\.otlp\/tempo: the backend answers after 6s \(downstream\.latency\), at or above the exporter's timeout 5s: .* Fix: set exporters\.otlp\/tempo\.timeout above the backend's latency \(≥ 7\.5s\)/);
    // with a timeout above the latency (and a queue for the requests the 6 s round trips hold up), it delivers and the advisory is gone
    const fixed = await run({ scenarioPath: slow, workers: 1, set: ['collector.exporters["otlp/tempo"].timeout=8s', 'collector.exporters["otlp/tempo"].sending_queue.queue_size=100'] });
    expect(fixed.report.dropped.total).toBe(0);
    expect(fixed.report.advisories.map((a) => a.code)).not.toContain('backend_slower_than_timeout');
  });

  test('a network exporter without a sending queue cannot face a modelled backend: refused before the run', async () => {
    const path = scenario('downstream:\n  latency: 5ms\n');
    const text = readFileSync(join(dir, 'collector.yaml'), 'utf8').replace('sending_queue: { queue_size: 2, num_consumers: 2 }', 'sending_queue: { enabled: false }');
    writeFileSync(join(dir, 'noqueue.yaml'), text);
    const err = await run({ scenarioPath: path, workers: 1, collectorConfigPath: join(dir, 'noqueue.yaml') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems[0]!.message).toContain('exporters.otlp/tempo has sending_queue.enabled: false');
  });

  test('an outage naming an exporter the collector config does not have is refused before the run, with its key path', async () => {
    const typo = scenario('downstream:\n  outages:\n    - { start: 1s, end: 2s, exporters: [otlp/tempoo] }\n');
    const err = await run({ scenarioPath: typo, workers: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems).toEqual([
      { path: 'downstream.outages[0].exporters[0]', message: `"otlp/tempoo" is not an otlp/otlphttp exporter of a traces pipeline in ${join(dir, 'collector.yaml')} (its network exporters: otlp/tempo)` },
    ]);
    const noNetwork = scenario('downstream:\n  latency: 5ms\n');
    const err2 = await run({ scenarioPath: noNetwork, workers: 1, collectorConfigPath: join(root, 'scenarios', 'ci-smoke.collector.yaml') }).catch((e: unknown) => e);
    expect((err2 as InputError).problems[0]!.path).toBe('downstream');
  });
});
