/**
 * Our exporters into our receiver over loopback: `otlp` (gRPC, gzip) and `otlphttp` (protobuf and
 * JSON, gzip) deliver every span with its attributes, and both ledgers agree.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { otlpExporterFactory } from '../../../../../src/components/exporters/otlp/factory.js';
import { otlpHttpExporterFactory } from '../../../../../src/components/exporters/otlphttp/factory.js';
import type { QueuedRetryExporter } from '../../../../../src/components/exporters/shared/exporter-helper.js';
import { otlpReceiverFactory } from '../../../../../src/components/receivers/otlp/factory.js';
import type { OtlpReceiver } from '../../../../../src/components/receivers/otlp/receiver.js';
import type { ExporterFactory } from '../../../../../src/pipeline/factory.js';
import { getAttribute } from '../../../../../src/protocol/otlp/model.js';
import { TracesSink } from '../../../../helpers/traces-sink.js';
import { makeBatch } from '../../receivers/otlp/batches.js';
import { createLiveHost } from '../../receivers/otlp/live-host.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function receiver(): Promise<{ sink: TracesSink; grpc: string; http: string }> {
  const parsed = otlpReceiverFactory.parseConfig({ protocols: { grpc: { endpoint: '127.0.0.1:0' }, http: { endpoint: '127.0.0.1:0' } } }, 'receivers.otlp');
  if (!parsed.ok) throw new Error('config');
  const sink = new TracesSink();
  const r = otlpReceiverFactory.createTraces({ id: 'otlp', compat: 'current' }, parsed.config, sink) as OtlpReceiver;
  await r.start(createLiveHost());
  stops.push(() => r.shutdown());
  const port = (p: string) => r.endpoints().find((e) => e.protocol === p)!.port;
  return { sink, grpc: `127.0.0.1:${port('grpc')}`, http: `http://127.0.0.1:${port('http')}` };
}

describe('our exporters into our receiver', () => {
  test.each([
    ['otlp', otlpExporterFactory, (rx: { grpc: string }) => ({ endpoint: rx.grpc, tls: { insecure: true }, compression: 'gzip' })],
    ['otlphttp', otlpHttpExporterFactory, (rx: { http: string }) => ({ endpoint: rx.http, compression: 'gzip' })],
    ['otlphttp/json', otlpHttpExporterFactory, (rx: { http: string }) => ({ endpoint: rx.http, encoding: 'json', compression: 'gzip' })],
  ] as const)('%s delivers every span with its attributes', async (id, factory, raw) => {
    const rx = await receiver();
    const parsed = (factory as ExporterFactory).parseConfig(raw(rx), `exporters.${id}`);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const exporter = (factory as ExporterFactory).createTraces({ id, compat: 'current' }, parsed.config) as QueuedRetryExporter;
    const host = createLiveHost();
    await exporter.start(host);
    stops.push(() => exporter.shutdown());
    for (let i = 0; i < 3; i++) await exporter.consumeTraces(makeBatch(10, `svc-${i}`));
    await exporter.shutdown();
    expect(host.accounting.exportedSpans).toBe(30);
    expect(rx.sink.spanCount).toBe(30);
    const services = rx.sink.batches.map((b) => getAttribute(b.resourceSpans[0]!.resource.attributes, 'service.name')).sort();
    expect(services).toEqual(['svc-0', 'svc-1', 'svc-2']);
    for (const span of rx.sink.spans()) {
      expect(getAttribute(span.attributes, 'http.route')).toBe('/item/:id');
      expect(typeof getAttribute(span.attributes, 'seq')).toBe('bigint');
    }
  });
});
