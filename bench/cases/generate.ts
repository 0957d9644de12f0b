/**
 * generate: spans/s produced by the generator with 2 workers, beside the OpenTelemetry JS SDK
 * creating the same spans in memory, in the same run (interleaved rounds, medians).
 *
 * `ours` is the worker pool's production rate: scenarios/checkout.yaml's arrival schedule cut into
 * tasks of 512 traces, run on a `GeneratorPool` of 2 worker threads (at most 2 × workers tasks in
 * flight, as the traffic source keeps them); each task builds its traces and encodes every span as
 * an OTLP protobuf `Span` into one buffer that is transferred (Piscina.move) to the main thread,
 * which counts the spans and hands the spent buffer back with its next task (as the traffic
 * source does). That is the generator's product: encoded spans delivered to the main
 * thread, what live mode sends and what the pipeline ingests. Per round: wall clock from the first
 * submission to the last result; the pool is started and warmed up (JIT) once before the rounds,
 * like a long-running generator.
 *
 * The note adds the full traffic source rate (`createTrafficSource`, 2 workers: the same
 * production plus main-thread merge, BatchSpanProcessor model per instance and decoding every span
 * into a model `Span` for the export events), measured once per round too, and its ratio.
 *
 * Reference: `BasicTracerProvider` + `SimpleSpanProcessor` + `InMemorySpanExporter` on one thread,
 * the same names, kinds, attribute keys and values, parents, start and end times and statuses
 * (taken from our own traces, prepared outside timing); spans are ended and collected in memory.
 * Target: ratio ≥ 10.
 */
import { fileURLToPath } from 'node:url';
import { serialize } from 'node:v8';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span as ApiSpan } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { compileScenario } from '../../src/generator/compile.js';
import { GeneratorPool } from '../../src/generator/pool.js';
import { buildTrace } from '../../src/generator/trace-builder.js';
import { createTrafficSource } from '../../src/generator/traffic.js';
import { GENERATOR_MESSAGE_VERSION, type GenerateResult } from '../../src/generator/worker/messages.js';
import { scheduleForScenario } from '../../src/load/from-scenario.js';
import type { AnyValue, Span } from '../../src/protocol/otlp/model.js';
import { loadScenarioFile, scenarioHash } from '../../src/scenario/load.js';
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

const WORKERS = 2;
const CHUNK_TRACES = 512;

/**
 * The worker pool's production: every task of `durationMs` of traffic run on `pool`, results
 * (transferred buffers) received in order; spans counted from each result.
 */
async function poolRate(pool: GeneratorPool, scenario: Scenario, durationMs: number): Promise<Rates & { spans: number }> {
  const schedule = scheduleForScenario(scenario, durationMs);
  const key = scenarioHash(scenario);
  const scenarioBytes = serialize(scenario);
  const chunks = Math.ceil(schedule.count / CHUNK_TRACES);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const inFlight: Promise<GenerateResult>[] = [];
  let submitted = 0;
  let spans = 0;
  // Spent span buffers go back to the workers with the next task, as the traffic source does.
  let recycled: ArrayBuffer[] = [];
  const submit = () => {
    const first = submitted * CHUNK_TRACES;
    const n = Math.min(CHUNK_TRACES, schedule.count - first);
    inFlight.push(
      pool.run({
        version: GENERATOR_MESSAGE_VERSION,
        type: 'generate',
        scenarioKey: key,
        scenarioBytes,
        startUnixMs: START_MS,
        firstIndex: first,
        arrivalOffsetsMs: schedule.fillOffsets(first, new Float64Array(n)),
        recycled,
      }),
    );
    recycled = [];
    submitted++;
  };
  while (submitted < chunks && inFlight.length < 2 * WORKERS) submit();
  while (inFlight.length > 0) {
    const r = await inFlight.shift()!;
    spans += r.spanCount;
    recycled.push(r.spanBytes.buffer as ArrayBuffer);
    if (submitted < chunks) submit();
  }
  return { perSecond: spans / ((performance.now() - t0) / 1000), perCpuSecond: spans / cpuSeconds(c0), spans };
}

/** The whole traffic source: spans delivered as decoded export batches for `durationMs` of traffic. */
async function oursRate(scenario: Scenario, durationMs: number): Promise<Rates> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const source = createTrafficSource(scenario, { workers: WORKERS, durationMs, startUnixMs: START_MS });
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
    const index = new Map(spans.map((s, k) => [s.spanId, k]));
    out.push(
      spans.map((s) => ({
        name: s.name,
        kind: KINDS[s.kind]!,
        attributes: Object.fromEntries(s.attributes.map((kv) => [kv.key, toAttr(kv.value)])),
        startMs: Number(s.startTimeUnixNano / 1000n) / 1000,
        endMs: Number(s.endTimeUnixNano / 1000n) / 1000,
        error: s.status.code === 2,
        message: s.status.message,
        parent: s.parentSpanId === '' ? -1 : (index.get(s.parentSpanId) ?? -1),
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
    // checkout: ≈ 2 270 spans per simulated second; 180 s virtual ≈ 408 000 spans per pool round.
    const durationMs = ctx.smoke ? 2_000 : 180_000;
    const sourceDurationMs = ctx.smoke ? 2_000 : 180_000;
    const traces = referenceTraces(scenario, ctx.smoke ? 200 : 2_000);
    const rounds = ctx.smoke ? 1 : 5;
    const pool = new GeneratorPool({ workers: WORKERS });
    const ours: Rates[] = [];
    const source: Rates[] = [];
    const reference: Rates[] = [];
    let roundSpans = 0;
    try {
      await poolRate(pool, scenario, ctx.smoke ? 2_000 : 90_000); // start threads, compile, JIT (≈ 200 000 spans)
      for (let r = 0; r < rounds; r++) {
        const o = await poolRate(pool, scenario, durationMs);
        roundSpans = o.spans;
        ours.push(o);
        reference.push(referenceRate(traces, ctx.smoke ? 50 : 1_000));
        source.push(await oursRate(scenario, sourceDurationMs));
      }
    } finally {
      await pool.close();
    }
    const o = median(ours.map((x) => x.perSecond));
    const ref = median(reference.map((x) => x.perSecond));
    const src = median(source.map((x) => x.perSecond));
    const oCpu = median(ours.map((x) => x.perCpuSecond));
    const srcCpu = median(source.map((x) => x.perCpuSecond));
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
          `target ≥ 10; ours: spans encoded by a ${WORKERS}-worker pool and delivered to the main thread as transferred buffers ` +
          `(checkout, ${durationMs / 1000}s virtual ≈ ${roundSpans} spans per round, warm pool), median of ${rounds} interleaved rounds; ` +
          `full traffic source (same workers + main-thread merge, SDK batching model, decode to model Spans; fresh pool each round, ` +
          `${sourceDurationMs / 1000}s virtual): ${Math.round(src)} spans/s, ratio ${(src / ref).toFixed(2)}; ` +
          `per CPU-second of all threads: pool ${Math.round(oCpu)}, traffic source ${Math.round(srcCpu)}, SDK ${Math.round(refCpu)}`,
      },
    ];
  },
};

export default generateCase;
