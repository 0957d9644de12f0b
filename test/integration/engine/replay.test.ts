/**
 * Replay of recorded spans written by the official OpenTelemetry JS serializers
 * (@opentelemetry/otlp-transformer): OTLP JSON lines from `JsonTraceSerializer`, an OTLP protobuf
 * request file from `ProtobufTraceSerializer`, and a length-delimited protobuf stream. Ground truth
 * comes from the spans (error status, duration ≥ --slow).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { memoryContext } from '../../../src/cli/context.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { replay } from '../../../src/engine/replay-run.js';
import type { Report } from '../../../src/report/model.js';
import { writeJsonLine } from '../../../src/protocol/otlp/json-codec.js';
import { makeBatch, makeSpan } from '../../helpers/spans.js';

const root = join(import.meta.dirname, '..', '..', '..');
const collector = join(root, 'scenarios', 'ci-smoke.collector.yaml');

const TRACES = 200;
/** Every 10th trace has an ERROR span, every 10th (offset 1) lasts 2 s: ground truth 20 error, 20 slow. */
function recordSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'shop', 'service.version': '1.0.0' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('replay-test');
  const t0 = 1_760_000_000_000;
  for (let i = 0; i < TRACES; i++) {
    const start = t0 + i * 50;
    const durationMs = i % 10 === 1 ? 2000 : 20;
    const rootSpan = tracer.startSpan(`GET /item/${i % 7}`, { kind: SpanKind.SERVER, startTime: start, attributes: { 'http.route': '/item' } });
    const ctx = trace.setSpan(ROOT_CONTEXT, rootSpan);
    const child = tracer.startSpan('SELECT items', { kind: SpanKind.CLIENT, startTime: start + 1, attributes: { 'db.system.name': 'postgresql' } }, ctx);
    if (i % 10 === 0) child.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock' });
    child.end(start + durationMs - 1);
    rootSpan.end(start + durationMs);
  }
  return exporter.getFinishedSpans();
}

describe('replay', () => {
  let dir: string;
  let spans: ReadableSpan[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracesim-replay-'));
    spans = recordSpans();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function expectReplayReport(report: Report): void {
    expect(report.mode).toBe('replay');
    expect(report.spans.generated).toBe(2 * TRACES);
    expect(report.traces.generated).toBe(TRACES);
    expect(report.ledger).toEqual({ balanced: true, residual: 0 });
    expect(report.spans.inFlight).toBe(0);
    // errors and slow traces are kept by their policies; the ground truth came from the spans
    expect(report.retention.byClass.error).toBe(1);
    expect(report.retention.byClass.slow).toBe(1);
    expect(report.retention.byPolicy['errors']?.sampledTraces).toBe(TRACES / 10);
    expect(report.retention.byPolicy['slow']?.sampledTraces).toBe(TRACES / 10);
    const normal = report.retention.byClass.normal!;
    expect(normal).toBeGreaterThan(0.1);
    expect(normal).toBeLessThan(0.45);
  }

  test('OTLP JSON lines written by JsonTraceSerializer', async () => {
    const file = join(dir, 'spans.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < spans.length; i += 40) lines.push(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans.slice(i, i + 40))!));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { report } = await replay({ files: [file], collectorConfigPath: collector, arrivalDelayMs: 1000, slowThresholdMs: 1000 });
    expectReplayReport(report);
    // 200 traces 50 ms apart: the window is the arrival span, ≈ 10 s
    expect(report.window.seconds).toBeGreaterThan(9);
    expect(report.window.seconds).toBeLessThan(12);
  });

  test('span delays in virtual time: every span reaches the collector exactly --arrival-delay after its end', async () => {
    const file = join(dir, 'spans.bin');
    writeFileSync(file, ProtobufTraceSerializer.serializeRequest(spans)!);
    const { report } = await replay({ files: [file], collectorConfigPath: collector, arrivalDelayMs: 3000 });
    // whole-ms ends + 3 s: every value is 3 000 000 µs (its HDR bucket top is clamped to that max)
    expect(report.latency['spanToCollector']).toEqual({ p50: 3000, p90: 3000, p99: 3000, max: 3000, count: 2 * TRACES });
    // ci-smoke collector: decision_wait 5 s (decided 5 to 6 s after the trace's first span), batch
    // timeout 1 s. A trace's two spans arrive 1 ms apart, so each span is exported between
    // 3 s + 5 s − 1 ms and 3 s + 6 s + 1 s after its end.
    const toExport = report.latency['spanToExport']!;
    expect(toExport.count).toBe(report.spans.exported);
    expect(toExport.count).toBeGreaterThan(0);
    expect(toExport.p50).toBeGreaterThanOrEqual(3000 + 5000 - 1);
    expect(toExport.max).toBeLessThanOrEqual(3000 + 6000 + 1000);
  });

  test('OTLP protobuf: one request per file, and a length-delimited stream', async () => {
    const single = join(dir, 'all.bin');
    writeFileSync(single, ProtobufTraceSerializer.serializeRequest(spans)!);
    expectReplayReport((await replay({ files: [single], collectorConfigPath: collector })).report);

    const parts: Uint8Array[] = [];
    for (let i = 0; i < spans.length; i += 64) {
      const req = ProtobufTraceSerializer.serializeRequest(spans.slice(i, i + 64))!;
      const prefix: number[] = [];
      for (let n = req.length; ; n >>>= 7) {
        if (n < 0x80) {
          prefix.push(n);
          break;
        }
        prefix.push((n & 0x7f) | 0x80);
      }
      parts.push(Uint8Array.from(prefix), req);
    }
    const delimited = join(dir, 'stream.pb');
    writeFileSync(delimited, Buffer.concat(parts));
    expectReplayReport((await replay({ files: [delimited], collectorConfigPath: collector })).report);
  });

  test('bytes per span amortise resource and scope as the recorded requests did, not per replayed arrival', async () => {
    const keepAll = join(dir, 'keep-all.yaml');
    writeFileSync(keepAll, 'receivers: { otlp: { protocols: { grpc: } } }\nexporters: { debug: }\nservice: { pipelines: { traces: { receivers: [otlp], exporters: [debug] } } }\n');
    const request = ProtobufTraceSerializer.serializeRequest(spans)!;
    const file = join(dir, 'all.bin');
    writeFileSync(file, request);
    const { report } = await replay({ files: [file], collectorConfigPath: keepAll });
    expect(report.spans.exported).toBe(2 * TRACES);
    // every span exported: the exported bytes are the recorded request's, whatever the arrivals
    expect(report.storage.bytesPerSpan).toBeCloseTo(request.length / (2 * TRACES), 1);
    expect(report.retention.bytes).toBe(1);
  });

  test('a recording spanning more than 7 days is refused naming its files', async () => {
    const day = 86_400_000_000_000n;
    const at = (ns: bigint, name: string) => makeBatch([makeSpan({ name, startTimeUnixNano: ns, endTimeUnixNano: ns + 1_000_000n })]);
    const a = join(dir, 'monday.jsonl');
    const b = join(dir, 'next-week.jsonl');
    writeFileSync(a, writeJsonLine(at(1_767_225_600_000_000_000n, 'first')));
    writeFileSync(b, writeJsonLine(at(1_767_225_600_000_000_000n + 8n * day, 'late')));
    await expect(replay({ files: [a, b], collectorConfigPath: collector })).rejects.toThrow(`${a}, ${b}: the recorded spans end 8.0 days apart`);
  });

  test('a pretty-printed OTLP JSON request file', async () => {
    const file = join(dir, 'pretty.json');
    const request = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!)) as unknown;
    writeFileSync(file, JSON.stringify(request, null, 2));
    expectReplayReport((await replay({ files: [file], collectorConfigPath: collector })).report);
  });

  test('tracesim replay on the command line', async () => {
    const file = join(dir, 'spans.json');
    writeFileSync(file, `${new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!)}\n`);
    const out = join(dir, 'out');
    const m = memoryContext(['replay', file, '--collector-config', collector, '--arrival-delay', '2s', '--slow', '1s', '--out', out, '--format', 'table,json'], { cwd: root });
    expect(await runCli(m.ctx)).toBe(ExitCode.OK);
    expect(m.stdout()).toContain('replay');
    expectReplayReport(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report);

    const bad = memoryContext(['replay', join(dir, 'missing.jsonl'), '--collector-config', collector], { cwd: root });
    expect(await runCli(bad.ctx)).toBe(ExitCode.INVALID_INPUT);
    expect(bad.stderr()).toContain('missing.jsonl: cannot read recorded spans: ENOENT');
    const scenarioSet = memoryContext(['replay', file, '--collector-config', collector, '--set', 'traffic.rate=5'], { cwd: root });
    expect(await runCli(scenarioSet.ctx)).toBe(ExitCode.INVALID_INPUT);
    expect(scenarioSet.stderr()).toContain('--set paths must start with collector.');
  });
});
