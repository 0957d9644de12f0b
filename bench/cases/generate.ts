/**
 * generate: spans/s the generator delivers end to end — `createTrafficSource` on
 * scenarios/checkout.yaml with 2 worker threads (build traces, encode spans, transfer, merge in
 * order, BatchSpanProcessor model per instance, decoded `TraceBatch` exports out) — beside the
 * OpenTelemetry JS SDK creating the same spans on one thread: `BasicTracerProvider` +
 * `SimpleSpanProcessor` + `InMemorySpanExporter`, same names, kinds, attributes, parents, start
 * and end times and statuses (taken from our own traces, prepared outside timing).
 *
 * Wall-clock rates (ours uses 3 threads, the SDK one: that is the comparison users make when
 * choosing a load generator), medians of interleaved rounds; the note adds spans per CPU-second
 * of the whole process, which a loaded shared machine distorts less. Target: ratio ≥ 10.
 */
import { fileURLToPath } from 'node:url';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span as ApiSpan } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { compileScenario } from '../../src/generator/compile.js';
import { buildTrace } from '../../src/generator/trace-builder.js';
import { createTrafficSource } from '../../src/generator/traffic.js';
import { toHex, type AnyValue, type Span } from '../../src/protocol/otlp/model.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { median } from '../harness.js';
import type { BenchCase, BenchEntry } from '../harness.js';

const SCENARIO = fileURLToPath(new URL('../../../scenarios/checkout.yaml', import.meta.url));
const START_MS = Date.UTC(2025, 0, 1);
const KINDS = [SpanKind.INTERNAL, SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER];

interface Rates {
  /** Wall clock. */
  perSecond: number;
  /** Per CPU-second of the whole process (all threads): less sensitive to a shared machine. */
  perCpuSecond: number;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

/** Our generator: spans delivered in export batches for `durationMs` of traffic. */
async function oursRate(scenario: Scenario, durationMs: number): Promise<Rates> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const source = createTrafficSource(scenario, { workers: 2, durationMs, startUnixMs: START_MS });
  let spans = 0;
  for await (const e of source) {
    if (e.type !== 'export') continue;
    for (const rs of e.batch.resourceSpans) for (const ss of rs.scopeSpans) spans += ss.spans.length;
  }
  return { perSecond: spans / ((performance.now() - t0) / 1000), perCpuSecond: spans / cpuSeconds(c0) };
}

interface RefSpan {
  name: string;
  kind: SpanKind;
  attributes: Attributes;
  startMs: number;
  endMs: number;
  error: boolean;
  message: string;
  parent: number; // index in the trace's list, -1 for the root
}

function toAttr(v: AnyValue): string | number | boolean {
  return typeof v === 'bigint' ? Number(v) : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
}

/** Our traces as SDK inputs, each trace's spans in start order (parents before children). */
function referenceTraces(scenario: Scenario, count: number): RefSpan[][] {
  const cs = compileScenario(scenario);
  const out: RefSpan[][] = [];
  for (let i = 0; i < count; i++) {
    const spans: Span[] = buildTrace(cs, i, i * 5, START_MS)
      .spans.map((b) => b.span)
      .sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0));
    const index = new Map(spans.map((s, k) => [toHex(s.spanId), k]));
    out.push(
      spans.map((s) => ({
        name: s.name,
        kind: KINDS[s.kind]!,
        attributes: Object.fromEntries(s.attributes.map((kv) => [kv.key, toAttr(kv.value)])),
        startMs: Number(s.startTimeUnixNano / 1000n) / 1000,
        endMs: Number(s.endTimeUnixNano / 1000n) / 1000,
        error: s.status.code === 2,
        message: s.status.message,
        parent: s.parentSpanId.length === 0 ? -1 : (index.get(toHex(s.parentSpanId)) ?? -1),
      })),
    );
  }
  return out;
}

/** The SDK making the same spans, for at least `minMs`. */
function referenceRate(traces: RefSpan[][], minMs: number): Rates {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('tracesim-bench', '1.0.0');
  let spans = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (const t of traces) {
      const made: ApiSpan[] = [];
      for (const s of t) {
        const ctx = s.parent === -1 ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, made[s.parent]!);
        const span = tracer.startSpan(s.name, { kind: s.kind, attributes: s.attributes, startTime: s.startMs }, ctx);
        if (s.error) span.setStatus({ code: SpanStatusCode.ERROR, message: s.message });
        made.push(span);
      }
      for (let k = t.length - 1; k >= 0; k--) made[k]!.end(t[k]!.endMs);
      spans += t.length;
    }
    exporter.reset();
    elapsed = performance.now() - t0;
  }
  return { perSecond: spans / (elapsed / 1000), perCpuSecond: spans / cpuSeconds(c0) };
}

const generateCase: BenchCase = {
  names: ['generate'],
  async run(ctx): Promise<BenchEntry[]> {
    const { scenario } = loadScenarioFile(SCENARIO);
    // checkout: ≈ 2 270 spans per simulated second; 3 virtual minutes (≈ 408 000 spans) so the
    // fresh workers' JIT warm-up, paid by every run, does not dominate.
    const durationMs = ctx.smoke ? 2_000 : 180_000;
    const traces = referenceTraces(scenario, ctx.smoke ? 200 : 2_000);
    const rounds = ctx.smoke ? 1 : 3;
    const ours: Rates[] = [];
    const reference: Rates[] = [];
    for (let r = 0; r < rounds; r++) {
      ours.push(await oursRate(scenario, durationMs));
      reference.push(referenceRate(traces, ctx.smoke ? 50 : 1_000));
    }
    const o = median(ours.map((x) => x.perSecond));
    const ref = median(reference.map((x) => x.perSecond));
    const oCpu = median(ours.map((x) => x.perCpuSecond));
    const refCpu = median(reference.map((x) => x.perCpuSecond));
    return [
      {
        name: 'generate',
        unit: 'spans/s',
        ours: o,
        reference: ref,
        referenceName: 'OTel JS SDK BasicTracerProvider + InMemorySpanExporter (same spans)',
        ratio: o / ref,
        note:
          `target ≥ 10; ours: 2 workers end to end (checkout, ${durationMs / 1000}s virtual), median of ${rounds}; ` +
          `per CPU-second (all threads): ours ${Math.round(oCpu)}, SDK ${Math.round(refCpu)}, ratio ${(oCpu / refCpu).toFixed(2)}`,
      },
    ];
  },
};

export default generateCase;
