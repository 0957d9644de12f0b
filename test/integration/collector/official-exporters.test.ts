/**
 * `tracesim collector` as a child process (from dist/), fed by the official OpenTelemetry JS
 * exporters — OTLP/gRPC, OTLP/HTTP protobuf and OTLP/HTTP JSON — through BasicTracerProvider with
 * Simple and Batch span processors. After SIGINT, report.json must count every span and the
 * collector's `file` exporter must hold every span with its attributes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as HttpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Report } from '../../../src/report/model.js';
import { readJsonLines } from '../../../src/protocol/otlp/json-codec.js';
import { forEachSpan, getAttribute } from '../../../src/protocol/otlp/model.js';

const MAIN = resolve('dist/cli/main.js');
const SPANS_PER_CLIENT = 25;

interface Running {
  child: ChildProcess;
  grpc: string;
  http: string;
  metricsUrl: string;
  exited: Promise<number | null>;
  stdout: string[];
}

function startCollector(configPath: string, outDir: string): Promise<Running> {
  const child = spawn(process.execPath, [MAIN, 'collector', '--config', configPath, '--out', outDir, '--status-interval', '1s'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const stdout: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolvePromise, reject) => {
    const found: Partial<Running> = { child, exited, stdout };
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout.push(line);
      const m = /^listening otlp (grpc|http) (\S+)$/.exec(line);
      if (m) found[m[1] as 'grpc' | 'http'] = m[2]!;
      if (line.startsWith('metrics ')) found.metricsUrl = line.slice('metrics '.length);
      if (line === 'ready') resolvePromise(found as Running);
    });
    void exited.then((code) => reject(new Error(`collector exited early (${code}): ${stderr}`)));
  });
}

async function sendSpans(exporter: SpanExporter, kind: string, batch: boolean): Promise<void> {
  const processor = batch ? new BatchSpanProcessor(exporter, { maxExportBatchSize: 10, scheduledDelayMillis: 50 }) : new SimpleSpanProcessor(exporter);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `svc-${kind}`, 'test.client': kind }),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer('integration', '1.0.0');
  for (let i = 0; i < SPANS_PER_CLIENT; i++) {
    const span = tracer.startSpan(`op-${kind}-${i}`, { attributes: { 'test.kind': kind, 'test.seq': i, 'test.ok': i % 2 === 0, 'test.ratio': (i + 0.5) / 4 } });
    span.end();
  }
  await provider.forceFlush();
  await provider.shutdown();
}

describe('tracesim collector with the official OpenTelemetry JS exporters', () => {
  let dir: string;
  let collector: Running;
  let report: Report;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error('dist/cli/main.js is missing: run `npm run build` first');
    dir = mkdtempSync(join(tmpdir(), 'tracesim-collector-'));
    const configPath = join(dir, 'collector.yaml');
    writeFileSync(
      configPath,
      [
        'receivers:',
        '  otlp:',
        '    protocols:',
        '      grpc:',
        '        endpoint: 127.0.0.1:0',
        '      http:',
        '        endpoint: 127.0.0.1:0',
        'processors:',
        '  batch:',
        '    timeout: 100ms',
        'exporters:',
        '  file:',
        `    path: ${join(dir, 'spans.jsonl')}`,
        'service:',
        '  telemetry:',
        '    metrics:',
        '      readers:',
        '        - pull:',
        '            exporter:',
        '              prometheus:',
        '                host: 127.0.0.1',
        '                port: 0',
        '  pipelines:',
        '    traces:',
        '      receivers: [otlp]',
        '      processors: [batch]',
        '      exporters: [file]',
        '',
      ].join('\n'),
    );
    collector = await startCollector(configPath, join(dir, 'out'));
    await sendSpans(new GrpcExporter({ url: `http://${collector.grpc}` }), 'grpc', false);
    await sendSpans(new HttpProtoExporter({ url: `http://${collector.http}/v1/traces` }), 'http-proto', true);
    await sendSpans(new HttpJsonExporter({ url: `http://${collector.http}/v1/traces` }), 'http-json', true);
    const metrics = await (await fetch(collector.metricsUrl)).text();
    expect(metrics).toContain('otelcol_receiver_accepted_spans_total{receiver="otlp",transport="grpc"} 25');
    collector.child.kill('SIGINT');
    expect(await collector.exited).toBe(0);
    report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report;
  });

  afterAll(() => {
    if (collector?.child.exitCode === null) collector.child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('report.json counts every span received and exported, and the ledger balances', () => {
    const total = 3 * SPANS_PER_CLIENT;
    expect(report.mode).toBe('collector');
    expect(report.spans).toMatchObject({ generated: total, exported: total, dropped: 0, inFlight: 0 });
    expect(report.ledger.balanced).toBe(true);
    const accepted = report.telemetry!.filter((t) => t.name === 'otelcol_receiver_accepted_spans');
    expect(Object.fromEntries(accepted.map((t) => [t.labels['transport'], t.value]))).toEqual({ grpc: SPANS_PER_CLIENT, http: 2 * SPANS_PER_CLIENT });
  });

  test('every span arrives with its attributes', () => {
    const seen = new Map<string, { kind: unknown; seq: unknown; ok: unknown; ratio: unknown; service: unknown }>();
    for (const batch of readJsonLines(readFileSync(join(dir, 'spans.jsonl'), 'utf8'))) {
      forEachSpan(batch, (span, rs) => {
        seen.set(span.name, {
          kind: getAttribute(span.attributes, 'test.kind'),
          seq: getAttribute(span.attributes, 'test.seq'),
          ok: getAttribute(span.attributes, 'test.ok'),
          ratio: getAttribute(span.attributes, 'test.ratio'),
          service: getAttribute(rs.resource.attributes, 'service.name'),
        });
      });
    }
    expect(seen.size).toBe(3 * SPANS_PER_CLIENT);
    for (const kind of ['grpc', 'http-proto', 'http-json']) {
      for (let i = 0; i < SPANS_PER_CLIENT; i++) {
        expect(seen.get(`op-${kind}-${i}`)).toEqual({ kind, seq: BigInt(i), ok: i % 2 === 0, ratio: (i + 0.5) / 4, service: `svc-${kind}` });
      }
    }
  });

  test('prints its bound addresses with the real ports', () => {
    expect(collector.stdout.some((l) => /^listening otlp grpc 127\.0\.0\.1:[1-9]\d*$/.test(l))).toBe(true);
    expect(collector.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*\/metrics$/);
  });
});
