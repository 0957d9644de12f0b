/**
 * `tracesim collector` in-process through `runCli` with a memory context: a broken config exits 2
 * naming the key paths; a good one serves, prints its ports, stops on SIGTERM and writes report.json.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { memoryContext } from '../../../src/cli/context.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import type { Report } from '../../../src/report/model.js';
import { encodeExportRequest } from '../../../src/protocol/otlp/proto-encode.js';
import { makeBatch } from '../../unit/components/receivers/otlp/batches.js';

describe('tracesim collector (in-process)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracesim-collector-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a broken receiver or exporter config exits 2 with every key path', async () => {
    const config = join(dir, 'bad.yaml');
    writeFileSync(
      config,
      `receivers:
  otlp:
    protocols:
      grpc:
        endpoint: nowhere
        max_recv_msg_size: 4
exporters:
  otlphttp:
    endpoint: http://127.0.0.1:4318
    encoding: xml
    retry_on_failure:
      initial_interval: soon
service:
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [otlphttp]
`,
    );
    const m = memoryContext(['collector', '--config', config]);
    expect(await runCli(m.ctx)).toBe(ExitCode.INVALID_INPUT);
    for (const path of [
      'receivers.otlp.protocols.grpc.endpoint',
      'receivers.otlp.protocols.grpc.max_recv_msg_size',
      'exporters.otlphttp.encoding',
      'exporters.otlphttp.retry_on_failure.initial_interval',
    ]) {
      expect(m.stderr()).toContain(path);
    }
  });

  test('serves until SIGTERM, then writes report.json and exits 0', async () => {
    const config = join(dir, 'collector.yaml');
    writeFileSync(
      config,
      `receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
exporters:
  debug:
service:
  telemetry:
    metrics:
      address: 127.0.0.1:0
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [debug]
`,
    );
    const out = join(dir, 'out');
    const m = memoryContext(['collector', '--config', config, '--out', out]);
    const exit = runCli(m.ctx);
    while (!m.stdout().includes('ready\n')) await new Promise((r) => setTimeout(r, 10));
    const address = /^listening otlp http (\S+)$/m.exec(m.stdout())![1]!;
    const res = await fetch(`http://${address}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: encodeExportRequest(makeBatch(7)),
    });
    expect(res.status).toBe(200);
    const metricsUrl = /^metrics (\S+)$/m.exec(m.stdout())![1]!;
    expect(await (await fetch(metricsUrl)).text()).toContain('otelcol_receiver_accepted_spans_total{receiver="otlp",transport="http"} 7');
    m.raise('SIGTERM');
    expect(await exit).toBe(ExitCode.OK);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    expect(report.spans).toMatchObject({ generated: 7, exported: 7, dropped: 0 });
    expect(report.ledger).toEqual({ balanced: true, residual: 0 });
    // bytes are measured on what was exported, whatever the exporter (debug keeps no meter of its own)
    expect(report.storage.assumptions.bytesPerSpan?.value).toBeCloseTo(encodeExportRequest(makeBatch(7)).length / 7, 1);
    expect(report.storage.compressedBytesPerSpan).toBeGreaterThan(0);
    expect(m.stdout()).toContain(`report written to ${join(out, 'report.json')}`);
  });
});
