/**
 * The traffic source: a scenario's whole synthetic load as one time-ordered stream of events,
 * identical for any worker count. The run engine consumes exactly this.
 *
 *   schedule ─► chunks of trace numbers ─► workers (ahead, at most 2 × workers in flight)
 *                                             │ results merged strictly in chunk order
 *                                             ▼
 *   event heap (time, kind, trace, span) ─► SDK batch model per service instance ─► events
 *
 * Events (`TrafficEvent`), in non-decreasing time:
 * - `trace`: ground truth of one trace, at its arrival time — always before any export holding
 *   one of its spans (spans end at or after their trace's arrival; exports happen at or after
 *   their spans' ends);
 * - `export`: one SDK export request of one service instance (`atMs` = when the SDK sends it):
 *   a `TraceBatch` with one ResourceSpans whose `resource` object is the instance's, shared by
 *   all its exports (a consumer that edits resources must copy them first), grouped by scope;
 * - `sdk_drop`: spans the instance's SDK dropped because its queue was full (`sdk_queue_full`).
 *
 * An encoded source (`createEncodedTrafficSource`, for live runs that only send) emits
 * `otlp_export` instead of `export`: the same request as OTLP protobuf bytes, assembled from the
 * workers' span bytes (request-assembler.ts) with no decoding, plus each span's trace id.
 *
 * Each chunk's spans arrive sorted by end time, so the heap merges per-chunk runs (a few entries
 * per live chunk) rather than holding every span.
 * Watermark rule: the heap only releases events earlier than the arrival time of the first trace
 * not yet merged, because every later trace's spans end after that time. All times are virtual
 * ms since the Unix epoch; span timestamps are the same instants in integer nanoseconds.
 *
 * SDK feedback (`SdkFeedback`): an export the collector refused keeps its SDK busy while the
 * client retries, and in live runs so does one whose answer is slower than the model's
 * `export_duration` (`SdkBatchModel.holdExport`). While any export is held, the source processes
 * heap events only up to the engine clock's next timer (`EngineClockPort`, attached by the
 * engine) and asks the engine to fire that timer before going on, so a retry that succeeds at t
 * frees the SDK at t exactly, before the source handles any span end after t. Without held
 * exports nothing of this runs, and the stream is the same as without an engine.
 */
import { serialize } from 'node:v8';
import type { EncodedSpanBodies, Span, TraceBatch, ScopeSpans } from '../protocol/otlp/model.js';
import { idFromBytes } from '../protocol/otlp/model.js';
import { decodeSpan } from '../protocol/otlp/proto-decode.js';
import { encodeResourceField, encodeScopeField } from '../protocol/otlp/proto-encode.js';
import { assembleExportRequest, type EncodedScopeSpans, type EncodedSpanRef } from '../protocol/otlp/request-assembler.js';
import { varint32Size } from '../protocol/otlp/size.js';
import { scheduleForScenario } from '../load/from-scenario.js';
import type { ArrivalSchedule } from '../load/schedule.js';
import { scenarioHash } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { ChunkPlan } from './chunk-plan.js';
import { compileScenario, type CompiledScenario } from './compile.js';
import { EventHeap, type HeapEvent } from './event-heap.js';
import { GeneratorPool } from './pool.js';
import { SdkBatchModel } from './sdk-batch-model.js';
import { TRACE_CLASS_CODES, type TraceClass } from './trace-builder.js';
import { GENERATOR_MESSAGE_VERSION, type GenerateResult } from './worker/messages.js';

export interface TrafficOptions {
  /** Generator worker threads; 0 generates on the calling thread (same output). */
  workers: number;
  /** Overrides `traffic.duration` (ms). */
  durationMs?: number;
  /** The run's absolute start, ms since the Unix epoch (rounded down to an integer). */
  startUnixMs: number;
  /** Traces per worker task after the first, smaller ones (chunk-plan.ts). The output does not depend on it; the default is 512. */
  chunkTraces?: number;
}

export interface TraceTruthEvent {
  type: 'trace';
  /** The trace id (binary string, as `Span.traceId`). */
  traceId: string;
  traceIndex: number;
  class: TraceClass;
  spanCount: number;
  /** Route index (into `scenario.routes`) and its name. */
  route: number;
  routeName: string;
  /** Arrival (root span start), virtual ms since the Unix epoch. */
  arrivalMs: number;
}

export interface ExportEvent {
  type: 'export';
  atMs: number;
  /** Global service-instance index (`TrafficSource.instances`). */
  instanceIndex: number;
  /** The instance's export number (from 0), for `SdkFeedback`. */
  exportSeq: number;
  batch: TraceBatch;
  /**
   * Σ over the batch's spans of each span's encoded size inside a request (tag, length prefix,
   * body), known from the workers' encoding; spares consumers a sizing walk (byte retention).
   */
  spanBytes?: number;
}

export interface SdkDropEvent {
  type: 'sdk_drop';
  atMs: number;
  instanceIndex: number;
  spans: Span[];
  /** The queue overflowed while a refused export was being retried (collector backpressure). */
  whileHeld: boolean;
}

/** An `ExportEvent` as OTLP bytes (encoded sources only). */
export interface EncodedExportEvent {
  type: 'otlp_export';
  atMs: number;
  instanceIndex: number;
  /** As `ExportEvent.exportSeq`. */
  exportSeq: number;
  /** The `ExportTraceServiceRequest`: byte for byte `encodeExportRequest` of the `export` event's batch. */
  request: Uint8Array;
  /** Per span, in request order: its trace id (the truth event's string). */
  traceIds: string[];
  /** As `ExportEvent.spanBytes`. */
  spanBytes: number;
}

export type TrafficEvent = TraceTruthEvent | ExportEvent | SdkDropEvent;
export type EncodedTrafficEvent = TraceTruthEvent | EncodedExportEvent | SdkDropEvent;

export interface TrafficStats {
  traces: number;
  spans: number;
  exports: number;
  sdkDroppedSpans: number;
}

/** The engine's virtual clock, as the source sees it while an export is held. */
export interface EngineClockPort {
  /** When the engine's next timer is due; undefined if none. */
  nextDueMs(): number | undefined;
  /** Fires the engine's timers due at `nextDueMs()` (and settles what they decide). */
  fireNext(): Promise<void>;
}

/** What the engine tells the source about SDK exports that were not accepted at once. */
export interface SdkFeedback {
  /** Lets the source keep its processing behind the engine's timers while exports are held. */
  attachEngineClock(clock: EngineClockPort): void;
  /** Export `exportSeq` of the instance, sent at `startedAtMs`, was refused and will be retried: its SDK stays busy. */
  holdExport(instanceIndex: number, exportSeq: number, startedAtMs: number): void;
  /**
   * A held export ended at `atMs` (accepted on a retry, refused for good, or given up); with
   * `roundTrip` the response to its last attempt comes one `export_duration` later (sim), without
   * it at `atMs` (live, or a stopped client). Exactly once per `holdExport`.
   */
  exportSettled(instanceIndex: number, exportSeq: number, atMs: number, roundTrip: boolean): void;
  /** The round trip the instance's SDK model assumes for an export (`export_duration`, capped by its timeout). */
  exportDurationMs(instanceIndex: number): number;
}

export interface TrafficSource<E = TrafficEvent> extends AsyncIterable<E>, SdkFeedback {
  /** The arrival schedule (offsets from `startUnixMs`); `schedule.count` traces will be made. */
  readonly schedule: ArrivalSchedule;
  readonly startUnixMs: number;
  /** Per global instance: service name and index (resources are in the export batches). */
  readonly instances: readonly { service: string; serviceIndex: number }[];
  /** Counters so far (complete once iteration ends). */
  readonly stats: Readonly<TrafficStats>;
  /** Stops the workers. Safe to call more than once, also mid-iteration. */
  close(): Promise<void>;
}

/** Heap event kinds, in tie-break order at equal times. */
const KIND_TRACE = 0;
const KIND_DUE = 1;
const KIND_SPAN = 2;

/**
 * A heap entry: the head of one chunk's sorted run of traces or spans (re-pushed, mutated, as the
 * run advances — the heap holds a few entries per live chunk, not one per span), or an SDK model's
 * next due time. Keys: (time, kind, trace index, span ordinal in trace) — chunk-size independent.
 */
interface TrafficHeapEvent extends HeapEvent {
  chunk: LiveChunk | undefined;
  /** Next position in the chunk's trace or span columns. */
  pos: number;
}

/** A merged chunk and how many of its spans are still queued in SDK models or not yet ended. */
interface LiveChunk {
  seq: number;
  result: GenerateResult;
  pending: number;
  /**
   * Per trace of the chunk: its id string, made once for the truth event; each decoded span of the
   * trace takes it instead of its own equal copy, so buffered spans share one id per trace.
   */
  traceIds: string[];
}

/** Span reference in SDK queues: chunk seq · 2²³ + position (chunks hold < 2²³ spans). */
const REF_SCALE = 2 ** 23;

const DEFAULT_CHUNK_TRACES = 512;

export function createTrafficSource(scenario: Scenario, options: TrafficOptions): TrafficSource {
  return new Traffic(scenario, options, false) as TrafficSource;
}

/** The same traffic with exports as OTLP request bytes (`otlp_export` events). */
export function createEncodedTrafficSource(scenario: Scenario, options: TrafficOptions): TrafficSource<EncodedTrafficEvent> {
  return new Traffic(scenario, options, true) as TrafficSource<EncodedTrafficEvent>;
}

class Traffic implements TrafficSource<TrafficEvent | EncodedTrafficEvent> {
  readonly schedule: ArrivalSchedule;
  readonly startUnixMs: number;
  readonly instances: { service: string; serviceIndex: number }[];
  readonly stats: TrafficStats = { traces: 0, spans: 0, exports: 0, sdkDroppedSpans: 0 };

  /** `v8.serialize(scenario)`, sent with every task (`GenerateTask.scenarioBytes`). */
  private readonly _scenarioBytes: Uint8Array;
  private readonly _key: string;
  private readonly _cs: CompiledScenario;
  private readonly _pool: GeneratorPool;
  private readonly _chunks: ChunkPlan;
  private readonly _lookahead: number;
  private readonly _heap = new EventHeap<TrafficHeapEvent>();
  private readonly _models: SdkBatchModel<number>[];
  private readonly _live = new Map<number, LiveChunk>();
  /** Per instance: the due time last pushed to the heap (to avoid duplicates). */
  private readonly _pushedDue: (number | undefined)[];
  private readonly _inFlight = new Map<number, Promise<GenerateResult>>();
  /** Spent span buffers, sent back with the next task (`GenerateTask.recycled`). */
  private _recycled: ArrayBuffer[] = [];
  private _nextSubmit = 0;
  private _nextMerge = 0;
  private _out: (TrafficEvent | EncodedTrafficEvent)[] = [];
  /** Encoded source: per instance its resource field, per scope its scope field (made on first use). */
  private readonly _encoded: { resourceFields: (Uint8Array | undefined)[]; scopeFields: (Uint8Array | undefined)[] } | undefined;
  private _outHead = 0;
  private _engineClock: EngineClockPort | undefined;
  /** Some SDK model may be holding an export (false: none is; true: check `_anyHolding`). */
  private _mayHold = false;
  /** Heap events before this time may be processed (arrival of the first unmerged trace). */
  private _watermarkMs = -Infinity;
  private _closed = false;

  constructor(scenario: Scenario, options: TrafficOptions, encoded: boolean) {
    this._scenarioBytes = serialize(scenario);
    this.startUnixMs = Math.floor(options.startUnixMs);
    this.schedule = scheduleForScenario(scenario, options.durationMs);
    this._key = scenarioHash(scenario);
    this._cs = compileScenario(scenario);
    this._chunks = new ChunkPlan(this.schedule.count, options.chunkTraces ?? DEFAULT_CHUNK_TRACES);
    this._pool = new GeneratorPool({ workers: options.workers });
    this._lookahead = Math.max(1, options.workers * 2);
    this.instances = this._cs.instanceService.map((si) => ({ service: this._cs.services[si]!.name, serviceIndex: si }));
    this._models = this._cs.instanceService.map((si, instanceIndex) => {
      const sdk = scenario.services[si]!.sdk;
      return new SdkBatchModel<number>(
        {
          scheduledDelayMs: sdk.scheduled_delay,
          maxExportBatchSize: sdk.max_export_batch_size,
          maxQueueSize: sdk.max_queue_size,
          exportTimeoutMs: sdk.export_timeout,
          exportDurationMs: sdk.export_duration,
        },
        {
          onExport: (atMs, items, seq) => this._emitExport(instanceIndex, atMs, items, seq),
          onDrop: (atMs, item, whileHeld) => this._emitDrop(instanceIndex, atMs, item, whileHeld),
        },
      );
    });
    this._pushedDue = this._models.map(() => undefined);
    this._encoded = encoded ? { resourceFields: [], scopeFields: [] } : undefined;
  }

  /**
   * Pull-based: heap events are processed only until some output is ready, so at most about one
   * export batch of decoded spans is alive at a time (decoding a whole chunk's exports ahead
   * would promote them out of the young generation and cost far more in GC). Processing never
   * stops between two events of the same time, so same-time drops coalesce the same way for any
   * chunk size.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<TrafficEvent | EncodedTrafficEvent> {
    try {
      for (;;) {
        if (this._outHead < this._out.length) {
          const e = this._out[this._outHead]!;
          this._outHead++;
          if (this._outHead === this._out.length) {
            this._out = [];
            this._outHead = 0;
          }
          yield e;
          continue;
        }
        if (this._closed) return;
        if (this._engineClock && this._anyHolding()) {
          // Stay behind the engine's next timer: it may settle a held export.
          const horizonMs = this._engineClock.nextDueMs() ?? Infinity;
          if (this._processUntilOutput(horizonMs)) continue;
          const top = this._heap.peek();
          if (top !== undefined && top.timeMs < this._watermarkMs) {
            await this._engineClock.fireNext();
            continue;
          }
        } else if (this._processUntilOutput(Infinity)) continue;
        if (this._nextMerge < this._chunks.count) {
          await this._mergeNextChunk();
        } else if (this._watermarkMs !== Infinity) {
          this._watermarkMs = Infinity;
        } else {
          await this.close();
          return;
        }
      }
    } finally {
      await this.close();
    }
  }

  attachEngineClock(clock: EngineClockPort): void {
    this._engineClock = clock;
  }

  holdExport(instanceIndex: number, exportSeq: number, startedAtMs: number): void {
    if (!this._models[instanceIndex]!.holdExport(exportSeq, startedAtMs)) return;
    this._mayHold = true;
    this._pushDue(instanceIndex);
  }

  exportSettled(instanceIndex: number, exportSeq: number, atMs: number, roundTrip: boolean): void {
    this._models[instanceIndex]!.exportSettled(exportSeq, atMs, roundTrip);
    this._pushDue(instanceIndex);
  }

  exportDurationMs(instanceIndex: number): number {
    return this._models[instanceIndex]!.exportDurationMs;
  }

  /** Whether any SDK model holds an export (a hold also ends at the BSP's timeout, inside the model). */
  private _anyHolding(): boolean {
    if (!this._mayHold) return false;
    for (const m of this._models) if (m.holding) return true;
    this._mayHold = false;
    return false;
  }

  async close(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    await this._pool.close();
  }

  private _submitAhead(): void {
    while (this._nextSubmit < this._chunks.count && this._nextSubmit < this._nextMerge + this._lookahead) {
      const c = this._nextSubmit++;
      const first = this._chunks.start(c);
      const n = Math.min(this._chunks.start(c + 1), this.schedule.count) - first;
      const p = this._pool.run({
        version: GENERATOR_MESSAGE_VERSION,
        type: 'generate',
        scenarioKey: this._key,
        scenarioBytes: this._scenarioBytes,
        startUnixMs: this.startUnixMs,
        firstIndex: first,
        arrivalOffsetsMs: this.schedule.fillOffsets(first, new Float64Array(n)),
        recycled: this._recycled,
      });
      this._recycled = [];
      // Rejections surface when this chunk is awaited in order; never unhandled meanwhile.
      p.catch(() => undefined);
      this._inFlight.set(c, p);
    }
  }

  private async _mergeNextChunk(): Promise<void> {
    this._submitAhead();
    const c = this._nextMerge;
    const chunk = await this._inFlight.get(c)!;
    this._inFlight.delete(c);
    this._nextMerge++;
    this._submitAhead();
    if (this._closed) return;

    if (chunk.spanCount >= REF_SCALE) throw new Error(`generator chunk ${c} has ${chunk.spanCount} spans; lower chunkTraces`);
    const live: LiveChunk = { seq: c, result: chunk, pending: chunk.spanCount, traceIds: new Array<string>(chunk.traceCount) };
    if (chunk.spanCount > 0) this._live.set(c, live);
    if (chunk.traceCount > 0) {
      this._heap.push({ timeMs: chunk.traceArrivalMs[0]!, kind: KIND_TRACE, a: chunk.firstIndex, b: 0, chunk: live, pos: 0 });
    }
    if (chunk.spanCount > 0) {
      this._heap.push({ timeMs: chunk.spanEndMs[0]!, kind: KIND_SPAN, a: chunk.firstIndex + chunk.spanTrace[0]!, b: chunk.spanOrdinal[0]!, chunk: live, pos: 0 });
    }
    const next = this._chunks.start(this._nextMerge);
    this._watermarkMs = next < this.schedule.count ? this.startUnixMs + this.schedule.arrivalOffsetMs(next) : Infinity;
  }

  /**
   * Handles heap events before the watermark and before `horizonMs` until output is ready and the
   * next event is later than the last one handled. Returns whether any output is ready.
   */
  private _processUntilOutput(horizonMs: number): boolean {
    const heap = this._heap;
    let lastMs = -Infinity;
    for (;;) {
      const e = heap.peek();
      if (e === undefined || !(e.timeMs < this._watermarkMs) || !(e.timeMs < horizonMs)) break;
      if (this._out.length > 0 && e.timeMs > lastMs) break;
      lastMs = e.timeMs;
      heap.pop();
      if (e.kind === KIND_SPAN) {
        const live = e.chunk!;
        const r = live.result;
        const pos = e.pos;
        const inst = r.spanInstance[pos]!;
        this._models[inst]!.spanEnded(e.timeMs, live.seq * REF_SCALE + pos);
        this._pushDue(inst);
        if (pos + 1 < r.spanCount) {
          e.pos = pos + 1;
          e.timeMs = r.spanEndMs[pos + 1]!;
          e.a = r.firstIndex + r.spanTrace[pos + 1]!;
          e.b = r.spanOrdinal[pos + 1]!;
          heap.push(e);
        }
      } else if (e.kind === KIND_DUE) {
        const inst = e.a;
        if (this._pushedDue[inst] !== e.timeMs) continue; // superseded
        this._pushedDue[inst] = undefined;
        this._models[inst]!.advanceTo(e.timeMs);
        this._pushDue(inst);
      } else {
        const r = e.chunk!.result;
        this._emitTrace(e.chunk!, e.pos);
        if (e.pos + 1 < r.traceCount) {
          e.pos++;
          e.timeMs = r.traceArrivalMs[e.pos]!;
          e.a = r.firstIndex + e.pos;
          heap.push(e);
        }
      }
    }
    return this._out.length > 0;
  }

  private _pushDue(inst: number): void {
    const due = this._models[inst]!.nextDueMs();
    if (due === undefined || due === this._pushedDue[inst]) return;
    this._pushedDue[inst] = due;
    this._heap.push({ timeMs: due, kind: KIND_DUE, a: inst, b: 0, chunk: undefined, pos: 0 });
  }

  private _emitTrace(live: LiveChunk, t: number): void {
    const chunk = live.result;
    const traceId = idFromBytes(chunk.traceIds, t * 16, t * 16 + 16);
    live.traceIds[t] = traceId;
    const route = chunk.traceRoute[t]!;
    this.stats.traces++;
    this.stats.spans += chunk.traceSpanCount[t]!;
    this._out.push({
      type: 'trace',
      traceId,
      traceIndex: chunk.firstIndex + t,
      class: TRACE_CLASS_CODES[chunk.traceClass[t]!]!,
      spanCount: chunk.traceSpanCount[t]!,
      route,
      routeName: this._cs.routes[route]!.name,
      arrivalMs: chunk.traceArrivalMs[t]!,
    });
  }

  private _emitExport(instanceIndex: number, atMs: number, refs: number[], exportSeq: number): void {
    if (this._encoded) return this._emitEncodedExport(instanceIndex, atMs, refs, exportSeq, this._encoded);
    const byScope = new Map<number, ScopeBodies>();
    const scopeSpans: ScopeSpans[] = [];
    let spanBytes = 0;
    for (const ref of refs) {
      const live = this._live.get(Math.floor(ref / REF_SCALE))!;
      const pos = ref % REF_SCALE;
      const r = live.result;
      const length = r.spanEnd[pos]! - r.spanStart[pos]!;
      spanBytes += 1 + varint32Size(length) + length;
      const scopeIndex = r.spanScope[pos]!;
      let group = byScope.get(scopeIndex);
      if (group === undefined) {
        group = { ss: { scope: this._cs.scopes[scopeIndex]!, spans: [], schemaUrl: '' }, sources: [], starts: [], lengths: [], bytes: 0 };
        byScope.set(scopeIndex, group);
        scopeSpans.push(group.ss);
      }
      // the body is read before `_take` may let the chunk's buffer go back to a worker
      group.sources.push(r.spanBytes);
      group.starts.push(r.spanStart[pos]!);
      group.lengths.push(length);
      group.bytes += length;
      group.ss.spans.push(this._take(live, pos));
    }
    for (const group of byScope.values()) group.ss.encoded = copyBodies(group);
    this.stats.exports++;
    this._out.push({
      type: 'export',
      atMs,
      instanceIndex,
      exportSeq,
      batch: { resourceSpans: [{ resource: this._cs.resources[instanceIndex]!, scopeSpans, schemaUrl: '' }] },
      spanBytes,
    });
  }

  private _emitEncodedExport(
    instanceIndex: number,
    atMs: number,
    refs: number[],
    exportSeq: number,
    fields: NonNullable<Traffic['_encoded']>,
  ): void {
    const byScope = new Map<number, EncodedSpanRef[]>();
    const scopes: EncodedScopeSpans[] = [];
    const traceIds = new Array<string>(refs.length);
    let spanBytes = 0;
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i]!;
      const live = this._live.get(Math.floor(ref / REF_SCALE))!;
      const pos = ref % REF_SCALE;
      const r = live.result;
      const start = r.spanStart[pos]!;
      const end = r.spanEnd[pos]!;
      spanBytes += 1 + varint32Size(end - start) + end - start;
      const scopeIndex = r.spanScope[pos]!;
      let spans = byScope.get(scopeIndex);
      if (spans === undefined) {
        spans = [];
        byScope.set(scopeIndex, spans);
        const scopeField = (fields.scopeFields[scopeIndex] ??= encodeScopeField(this._cs.scopes[scopeIndex]!));
        scopes.push({ scopeField, spans });
      }
      spans.push({ bytes: r.spanBytes, start, end });
      traceIds[i] = live.traceIds[r.spanTrace[pos]!]!;
    }
    const resourceField = (fields.resourceFields[instanceIndex] ??= encodeResourceField(this._cs.resources[instanceIndex]!));
    const request = assembleExportRequest(resourceField, scopes);
    for (const ref of refs) this._release(this._live.get(Math.floor(ref / REF_SCALE))!);
    this.stats.exports++;
    this._out.push({ type: 'otlp_export', atMs, instanceIndex, exportSeq, request, traceIds, spanBytes });
  }

  private _emitDrop(instanceIndex: number, atMs: number, ref: number, whileHeld: boolean): void {
    this.stats.sdkDroppedSpans++;
    const span = this._take(this._live.get(Math.floor(ref / REF_SCALE))!, ref % REF_SCALE);
    const last = this._out[this._out.length - 1];
    if (last !== undefined && last.type === 'sdk_drop' && last.instanceIndex === instanceIndex && last.atMs === atMs && last.whileHeld === whileHeld) {
      last.spans.push(span);
      return;
    }
    this._out.push({ type: 'sdk_drop', atMs, instanceIndex, spans: [span], whileHeld });
  }

  /** Decodes a span leaving the SDK model; releases its chunk once all its spans have left. */
  private _take(live: LiveChunk, pos: number): Span {
    const r = live.result;
    const span = decodeSpan(r.spanBytes, r.spanStart[pos]!, r.spanEnd[pos]!);
    const traceId = live.traceIds[r.spanTrace[pos]!];
    if (traceId === span.traceId) span.traceId = traceId; // equal strings: keep the trace's one
    this._release(live);
    return span;
  }

  /**
   * One of the chunk's spans has left its SDK model (decoded, or copied into a request); the chunk
   * is dropped once all have. Neither decoded spans nor assembled requests alias the chunk's span
   * bytes, so these can go back to a worker.
   */
  private _release(live: LiveChunk): void {
    if (--live.pending > 0) return;
    this._live.delete(live.seq);
    if (this._recycled.length < this._lookahead) this._recycled.push(live.result.spanBytes.buffer as ArrayBuffer);
  }
}

/** One ScopeSpans of an export being built, with where its spans' bodies are in the chunks. */
interface ScopeBodies {
  ss: ScopeSpans;
  /** Per span: the chunk bytes holding its body, where the body starts there, and its length. */
  sources: Uint8Array[];
  starts: number[];
  lengths: number[];
  /** Σ body lengths. */
  bytes: number;
}

/**
 * The spans' bodies copied out of the chunks (which go back to the workers) into one buffer, for
 * the pipeline to reuse instead of encoding the decoded spans again (`EncodedSpanBodies`).
 */
function copyBodies(group: ScopeBodies): EncodedSpanBodies {
  const spans = group.ss.spans;
  const bytes = new Uint8Array(group.bytes);
  const ends = new Uint32Array(spans.length);
  let at = 0;
  for (let i = 0; i < spans.length; i++) {
    const start = group.starts[i]!;
    const length = group.lengths[i]!;
    bytes.set(group.sources[i]!.subarray(start, start + length), at);
    at += length;
    ends[i] = at;
  }
  return { spans, bytes, ends };
}
