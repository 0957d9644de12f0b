import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectKind } from '../../../src/cli/commands/validate.js';
import { memoryContext } from '../../../src/cli/context.js';
import { runCli } from '../../../src/cli/program.js';

const ENV = { MY_POD_IP: '127.0.0.1', ENVOY_PORT: '8080', TEMPO_ENDPOINT: 'tempo:4317', DD_API_KEY: 'k' };

describe('tracesim validate', () => {
  it('detects the kind of a file from its top-level keys', () => {
    expect(detectKind({ receivers: {}, service: {} })).toBe('collector');
    expect(detectKind({ service: {} })).toBe('collector');
    expect(detectKind({ services: [], traffic: {} })).toBe('scenario');
    expect(detectKind({ other: 1 })).toBeUndefined();
    expect(detectKind([1])).toBeUndefined();
  });

  it('real-world collector configs exit 0 and list what is not simulated', async () => {
    const m = memoryContext(['validate', 'test/fixtures/collector/otel-demo.yaml', 'test/fixtures/collector/tail-sampling-gateway.yaml'], { env: ENV });
    expect(await runCli(m.ctx)).toBe(0);
    const out = m.stdout();
    expect(out).toContain('test/fixtures/collector/otel-demo.yaml: ok — collector config, 1 traces pipeline (traces)');
    expect(out).toContain('    - processors.k8sattributes: processor k8sattributes is not simulated: needs the Kubernetes API to look up pod metadata; spans pass through it unchanged');
    expect(out).toContain('    - service.pipelines.metrics: metrics pipelines are not simulated (tracesim simulates traces)');
    expect(out).toContain('test/fixtures/collector/tail-sampling-gateway.yaml: ok — collector config, 2 traces pipelines (traces/tail, traces/vendor)');
    expect(out).toContain('exporters.datadog: exporter datadog is not simulated; a storage sink counts and sizes the spans that reach it');
    expect(m.stderr()).toBe('');
  });

  it('warns about unset environment variables without failing', async () => {
    const m = memoryContext(['validate', 'test/fixtures/collector/otel-demo.yaml'], { env: { ENVOY_PORT: '1' } });
    expect(await runCli(m.ctx)).toBe(0);
    expect(m.stdout()).toContain('  warning: receivers.otlp.protocols.grpc.endpoint: environment variable MY_POD_IP is not set; using an empty string');
  });

  it('a broken config exits 2 with every problem and its key path; the other files are still checked', async () => {
    const m = memoryContext(['validate', 'test/fixtures/collector/broken/tail-sampling-typos.yaml', 'test/fixtures/collector/minimal.yaml', 'no/such/file.yaml']);
    expect(await runCli(m.ctx)).toBe(2);
    const err = m.stderr();
    expect(err).toContain('error: test/fixtures/collector/broken/tail-sampling-typos.yaml: invalid collector config');
    expect(err).toContain('  - processors.batch.timeout: expected a duration such as 5s or 250ms, got "5 seconds"');
    expect(err).toContain('  - processors.memory_limiter.limit_mb: unknown key');
    expect(err).toContain('  - processors.tail_sampling.policies[1].latency.threshold_ms: expected a number');
    expect(err).toContain('  - service.pipelines.traces.exporters[1]: exporter "otlp/tempo" is not defined in exporters or connectors');
    expect(err).toContain('error: no/such/file.yaml: cannot read file: ENOENT');
    expect(m.stdout()).toContain('test/fixtures/collector/minimal.yaml: ok');
  });

  it('a scenario prints its derived load and checks the collector config it names', async () => {
    const m = memoryContext(['validate', 'scenarios/ci-smoke.yaml']);
    expect(await runCli(m.ctx)).toBe(0);
    expect(m.stdout()).toContain('scenarios/ci-smoke.yaml: ok — scenario ci-smoke');
    expect(m.stdout()).toMatch(/traces\/s/);
    expect(m.stdout()).toContain('scenarios/ci-smoke.yaml → collector ci-smoke.collector.yaml: ok — collector config');
    // every ci-smoke SDK exports after 1 s, well inside decision_wait 5s: no late-span advisory
    expect(m.stdout()).not.toContain('sdk_delay_near_decision_wait');
  });

  it('prints the advisories the scenario and its collector config raise before any run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracesim-validate-'));
    try {
      // one service back on the SDK default (5 s) against decision_wait 5s: late spans, as a run reports
      const path = join(dir, 'late.yaml');
      const text = readFileSync('scenarios/ci-smoke.yaml', 'utf8')
        .replace('collector: ci-smoke.collector.yaml', `collector: ${resolve('scenarios/ci-smoke.collector.yaml')}`)
        .replace("    sdk: { scheduled_delay: 1s }   # well inside the collector's decision_wait (5s): no late spans\n", '');
      writeFileSync(path, text);
      const m = memoryContext(['validate', path]);
      expect(await runCli(m.ctx)).toBe(0);
      expect(m.stdout()).toContain('  advisory sdk_delay_near_decision_wait: tail_sampling: SDK export delay 5s is at or above decision_wait 5s');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks a scenario’s downstream outages against the exporters of its collector config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracesim-validate-'));
    try {
      const path = join(dir, 'outage.yaml');
      const text = readFileSync('scenarios/checkout.yaml', 'utf8').replace('collector: checkout.collector.yaml', `collector: ${resolve('scenarios/checkout.collector.yaml')}`);
      writeFileSync(path, `${text}\ndownstream:\n  outages:\n    - { start: 20s, end: 50s, exporters: [otlp/tempoo] }\n`);
      const m = memoryContext(['validate', path]);
      expect(await runCli(m.ctx)).toBe(2);
      expect(m.stderr()).toContain(`  - downstream.outages[0].exporters[0]: "otlp/tempoo" is not an otlp/otlphttp exporter of a traces pipeline`);
      expect(m.stderr()).toContain('(its network exporters: otlp/tempo)');
      expect(m.stdout()).not.toContain('ok — scenario');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file that is neither is an input error', async () => {
    const m = memoryContext(['validate', 'package.json']);
    expect(await runCli(m.ctx)).toBe(2);
    expect(m.stderr()).toContain('package.json: cannot tell what this file is');
  });
});
