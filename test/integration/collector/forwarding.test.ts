/**
 * `tracesim collector` forwarding with its `otlp` and `otlphttp` exporters to the test OTLP
 * server: a permanently failing backend and a partially rejecting one land under their drop
 * reasons in report.json, and the ledger balances.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../../../src/report/model.js';
import { encodeExportRequest } from '../../../src/protocol/otlp/proto-encode.js';
import { startOtlpTestServer, type OtlpTestServer } from '../../helpers/otlp-test-server.js';
import { makeBatch } from '../../unit/components/receivers/otlp/batches.js';

const MAIN = resolve('dist/cli/main.js');

describe('tracesim collector forwarding to a failing backend', () => {
  let dir: string;
  let grpcBackend: OtlpTestServer;
  let httpBackend: OtlpTestServer;
  let report: Report;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error('dist/cli/main.js is missing: run `npm run build` first');
    dir = mkdtempSync(join(tmpdir(), 'tracesim-forward-'));
    grpcBackend = await startOtlpTestServer();
    grpcBackend.setDefault({ kind: 'fail' });
    httpBackend = await startOtlpTestServer();
    httpBackend.setDefault({ kind: 'partial', rejected: 1 });
    const config = join(dir, 'collector.yaml');
    writeFileSync(
      config,
      `receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
exporters:
  otlp/primary:
    endpoint: ${grpcBackend.grpcEndpoint}
    tls:
      insecure: true
  otlphttp/secondary:
    endpoint: ${httpBackend.httpEndpoint}
service:
  telemetry:
    metrics:
      level: none
  pipelines:
    traces/a:
      receivers: [otlp]
      exporters: [otlp/primary]
    traces/b:
      receivers: [otlp]
      exporters: [otlphttp/secondary]
`,
    );
    const child = spawn(process.execPath, [MAIN, 'collector', '--config', config, '--out', join(dir, 'out')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const httpAddress = await new Promise<string>((resolvePromise) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const m = /^listening otlp http (\S+)$/.exec(line);
        if (m) resolvePromise(m[1]!);
      });
    });
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`http://${httpAddress}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: encodeExportRequest(makeBatch(5)),
      });
      expect(res.status).toBe(200);
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report;
  });

  afterAll(async () => {
    await grpcBackend?.close();
    await httpBackend?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the ledger copy (first pipeline, first exporter) carries the permanent failures', () => {
    expect(report.spans).toMatchObject({ generated: 20, exported: 0, dropped: 20 });
    expect(report.dropped.byReason.exporter_send_failed_permanent).toMatchObject({ spans: 20, component: 'otlp/primary' });
    expect(report.ledger.balanced).toBe(true);
    expect(grpcBackend.requests.grpc).toBe(4);
  });

  test('the second pipeline got a shadow copy: its partial rejects show in telemetry, not in the ledger', () => {
    expect(httpBackend.acceptedSpans()).toBe(16);
    expect(report.dropped.byReason.backend_partial_reject).toBeUndefined();
    const sent = report.telemetry!.find((t) => t.name === 'otelcol_exporter_sent_spans' && t.labels['exporter'] === 'otlphttp/secondary');
    expect(sent?.value).toBe(20);
  });
});
