/**
 * otlp-encode / otlp-decode: 512-span ExportTraceServiceRequests of typical spans (6 attributes,
 * a few services' resources).
 *
 * - encode: ours (`encodeExportRequest` over the model) vs @opentelemetry/otlp-transformer's
 *   `ProtobufTraceSerializer` over ReadableSpans, on identical spans: the SDK creates the
 *   ReadableSpans once and our model objects are decoded once from the reference's bytes, both
 *   outside timing.
 * - decode: ours (`decodeExportRequest`) vs protobufjs reflection (`Type.decode`) of our .proto,
 *   on the same bytes.
 *
 * Rates are spans/s, medians of interleaved rounds. The note gives the encoded size difference.
 */
import { fileURLToPath } from 'node:url';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import protobuf from 'protobufjs';
import { decodeExportRequest } from '../../src/protocol/otlp/proto-decode.js';
import { encodeExportRequest } from '../../src/protocol/otlp/proto-encode.js';
import { spanCount } from '../../src/protocol/otlp/model.js';
import { interleave, measureRate } from '../harness.js';
import type { BenchCase, BenchEntry } from '../harness.js';

const SPANS_PER_REQUEST = 512;
const SERVICES = ['frontend', 'cart', 'checkout', 'payments'];
const ROUTES = ['/api/cart', '/api/checkout', '/api/products/{id}', '/api/recommendations'];

/** 512 finished SDK spans: 4 services (one resource each), parent/child pairs, 6 attributes each. */
export function makeReadableSpans(): ReadableSpan[] {
  const spans: ReadableSpan[] = [];
  const perService = SPANS_PER_REQUEST / SERVICES.length;
  for (const [s, service] of SERVICES.entries()) {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        'service.name': service,
        'service.version': '1.4.2',
        'deployment.environment.name': 'production',
        'host.name': `${service}-7d9f8b6c5-x${s}k2p`,
        'k8s.namespace.name': 'shop',
        'telemetry.sdk.language': 'nodejs',
      }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('@opentelemetry/instrumentation-http', '0.57.0');
    const t0 = 1_700_000_000;
    for (let i = 0; i < perService / 2; i++) {
      const route = ROUTES[i % ROUTES.length]!;
      const server = tracer.startSpan(`GET ${route}`, {
        kind: SpanKind.SERVER,
        startTime: [t0 + i, 1_000 * i],
        attributes: {
          'http.request.method': 'GET',
          'http.route': route,
          'http.response.status_code': 200,
          'url.scheme': 'https',
          'server.address': `${service}.shop.svc.cluster.local`,
          'server.port': 8080,
        },
      });
      const client = tracer.startSpan(
        `SELECT shop.items`,
        {
          kind: SpanKind.CLIENT,
          startTime: [t0 + i, 1_000 * i + 200_000],
          attributes: {
            'db.system.name': 'postgresql',
            'db.namespace': 'shop',
            'db.operation.name': 'SELECT',
            'db.collection.name': 'items',
            'server.address': 'postgres.shop.svc.cluster.local',
            'server.port': 5432,
          },
        },
        trace.setSpan(ROOT_CONTEXT, server),
      );
      client.end([t0 + i, 1_000 * i + 3_400_000]);
      server.end([t0 + i, 1_000 * i + 5_100_000]);
    }
    spans.push(...exporter.getFinishedSpans());
  }
  return spans;
}

function loadRequestType(): protobuf.Type {
  const protoDir = fileURLToPath(new URL('../../../src/protocol/otlp/proto/', import.meta.url));
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => protoDir + target;
  root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto');
  root.resolveAll();
  return root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
}

/** Items per second of this process's CPU time (user + system) while running `fn` for ~durationMs. */
function ratePerCpuSecond(fn: () => void, itemsPerCall: number, durationMs: number): number {
  const end = performance.now() + durationMs;
  const before = process.cpuUsage();
  let calls = 0;
  while (performance.now() < end) {
    fn();
    calls++;
  }
  const used = process.cpuUsage(before);
  return (calls * itemsPerCall) / ((used.user + used.system) / 1e6);
}

const otlpCase: BenchCase = {
  names: ['otlp-encode', 'otlp-decode'],
  async run(ctx): Promise<BenchEntry[]> {
    const readable = makeReadableSpans();
    const referenceBytes = ProtobufTraceSerializer.serializeRequest(readable)!;
    const batch = decodeExportRequest(referenceBytes); // our model of the very same spans
    const ourBytes = encodeExportRequest(batch);
    const n = spanCount(batch);
    if (n !== SPANS_PER_REQUEST) throw new Error(`expected ${SPANS_PER_REQUEST} spans, got ${n}`);
    const requestType = loadRequestType();

    const durationMs = ctx.smoke ? 25 : 400;
    const rounds = ctx.smoke ? 1 : 7;
    let sink = 0; // keeps results alive so nothing is optimized away
    const encode = interleave(
      () => measureRate(() => (sink += encodeExportRequest(batch).length), n, durationMs),
      () => measureRate(() => (sink += ProtobufTraceSerializer.serializeRequest(readable)!.length), n, durationMs),
      rounds,
    );
    const decode = interleave(
      () => measureRate(() => (sink += decodeExportRequest(ourBytes).resourceSpans.length), n, durationMs),
      () => measureRate(() => (sink += (requestType.decode(ourBytes) as unknown as { resourceSpans: unknown[] }).resourceSpans.length), n, durationMs),
      rounds,
    );
    // On a shared machine wall-clock rates drop when other processes take the cores; the rate
    // per CPU-second of this process (all its threads, so GC helpers count against us) shows
    // what one core does.
    const decodeCpu = ratePerCpuSecond(() => (sink += decodeExportRequest(ourBytes).resourceSpans.length), n, durationMs);
    if (sink === 0) throw new Error('benchmark produced nothing');

    const sizeDiffPct = ((ourBytes.length - referenceBytes.length) / referenceBytes.length) * 100;
    const sizeNote = `${SPANS_PER_REQUEST}-span request: ours ${ourBytes.length} B, reference ${referenceBytes.length} B (${sizeDiffPct >= 0 ? '+' : ''}${sizeDiffPct.toFixed(2)}%)`;
    return [
      {
        name: 'otlp-encode',
        unit: 'spans/s',
        ours: encode.a,
        reference: encode.b,
        referenceName: 'otlp-transformer ProtobufTraceSerializer',
        ratio: encode.a / encode.b,
        note: `target ratio >= 1.5; ${sizeNote}; median of ${rounds} interleaved rounds`,
      },
      {
        name: 'otlp-decode',
        unit: 'spans/s',
        ours: decode.a,
        reference: decode.b,
        referenceName: 'protobufjs reflection Type.decode',
        ratio: decode.a / decode.b,
        note: `target >= 600,000 spans/s; ours per CPU-second ${Math.round(decodeCpu).toLocaleString('en-US')}; median of ${rounds} interleaved rounds`,
      },
    ];
  },
};

export default otlpCase;
