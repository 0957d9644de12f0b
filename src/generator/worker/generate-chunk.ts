/**
 * The work of one generator task, as a pure function (the piscina entry wraps it; the main thread
 * calls it directly for in-process generation with `workers: 0`). Streams each trace
 * (`streamTrace`: no model `Span` objects) and appends each span's protobuf body to ONE growing
 * buffer, stamping ids, times, variable attribute values and status into its operation's
 * pre-encoded template (`encodeTemplatedSpanInto`: no allocation per span; the bytes equal
 * `encodeSpan` of `buildTrace`'s span), in creation order; then sorts the spans by (end time,
 * trace, ordinal) as (start, end) byte ranges, so the bytes are never copied again. Everything
 * goes into fresh typed arrays, transferred whole.
 */
import type { KeyValue } from '../../protocol/otlp/model.js';
import {
  encodeKeyValueBody,
  encodeTemplatedSpanInto,
  nanosBase,
  spanTemplate,
  SpanWriter,
  type NanosBase,
  type SpanTemplate,
} from '../../protocol/otlp/proto-codec.js';
import type { AttributeMaker } from '../attributes.js';
import { compileScenario, type CompiledScenario } from '../compile.js';
import { streamTrace, TRACE_CLASS_CODES, type EmittedSpan, type SpanSink } from '../trace-builder.js';
import { GENERATOR_MESSAGE_VERSION, type GenerateResult, type GenerateTask } from './messages.js';

interface Compiled {
  cs: CompiledScenario;
  /** Pre-encoded bodies of the scenario's constant attributes (shared `KeyValue` objects). */
  constants: Map<KeyValue, Uint8Array>;
  /** Per operation: its spans' name, kind and attribute layout, pre-encoded. */
  templates: SpanTemplate[];
}

const compiledCache = new Map<string, Compiled>();
/** Encoded bytes per trace of the last task (a capacity hint only; the output does not depend on it). */
let bytesPerTrace = 4096;
/** Recycled span buffers (`GenerateTask.recycled`), reused as writers' backing stores. */
const spare: ArrayBuffer[] = [];
const MAX_SPARE = 8;

/** A spare buffer of at least `bytes` (dropping spares too small to be useful), if any. */
function takeSpare(bytes: number): ArrayBuffer | undefined {
  while (spare.length > 0) {
    const b = spare.pop()!;
    if (b.byteLength >= bytes) return b;
  }
  return undefined;
}

function compiledFor(task: GenerateTask): Compiled {
  let c = compiledCache.get(task.scenarioKey);
  if (c === undefined) {
    // Few scenarios live at once (compare/sweep runs reuse one); keep the cache small.
    if (compiledCache.size >= 8) compiledCache.clear();
    const cs = compileScenario(task.scenario);
    c = { cs, constants: constantAttributes(cs), templates: cs.operations.map((op) => spanTemplate(op.spanName, op.kind, op.attributes)) };
    compiledCache.set(task.scenarioKey, c);
  }
  return c;
}

/**
 * Constant attribute makers share one `KeyValue` object between all spans (see attributes.ts), so
 * the encoder copies their bytes, encoded once here, instead of encoding key and value per span.
 */
function constantAttributes(cs: CompiledScenario): Map<KeyValue, Uint8Array> {
  const constants = new Map<KeyValue, Uint8Array>();
  const add = (makers: readonly AttributeMaker[]) => {
    for (const m of makers) if ('constant' in m) constants.set(m.constant, encodeKeyValueBody(m.constant));
  };
  for (const op of cs.operations) {
    add(op.attributes);
    add(op.errorAttributes);
    for (const e of op.events) add(e.attributes);
    for (const l of op.links) add(l.attributes);
  }
  return constants;
}

/** A growable column of numbers. */
class Column<A extends Uint32Array | Float64Array> {
  data: A;
  length = 0;
  private readonly _make: (n: number) => A;
  constructor(make: (n: number) => A, capacity: number) {
    this._make = make;
    this.data = make(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = this._make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
}

/** Encodes each emitted span at the end of `writer` and records its columns (creation order). */
class ChunkSink implements SpanSink {
  readonly consumesAttributes = true; // encoded before `span` returns
  trace = 0;
  ordinal = 0;
  readonly starts: Column<Uint32Array>;
  readonly traceCol: Column<Uint32Array>;
  readonly ordinalCol: Column<Uint32Array>;
  readonly instance: Column<Uint32Array>;
  readonly scope: Column<Uint32Array>;
  readonly endMs: Column<Float64Array>;
  private readonly _writer: SpanWriter;
  private readonly _templates: readonly SpanTemplate[];
  private readonly _base: NanosBase;

  constructor(writer: SpanWriter, templates: readonly SpanTemplate[], base: NanosBase, capacity: number) {
    this._writer = writer;
    this._templates = templates;
    this._base = base;
    this.starts = new Column((n) => new Uint32Array(n), capacity);
    this.traceCol = new Column((n) => new Uint32Array(n), capacity);
    this.ordinalCol = new Column((n) => new Uint32Array(n), capacity);
    this.instance = new Column((n) => new Uint32Array(n), capacity);
    this.scope = new Column((n) => new Uint32Array(n), capacity);
    this.endMs = new Column((n) => new Float64Array(n), capacity);
  }

  span(e: EmittedSpan): void {
    this.starts.push(this._writer.length);
    encodeTemplatedSpanInto(this._templates[e.opIndex]!, this._base, e, this._writer);
    this.traceCol.push(this.trace);
    this.ordinalCol.push(this.ordinal++);
    this.instance.push(e.instance);
    this.scope.push(e.op.scopeIndex);
    this.endMs.push(e.endMs);
  }
}

export function generateChunk(task: GenerateTask): GenerateResult {
  if (task.version !== GENERATOR_MESSAGE_VERSION || task.type !== 'generate') {
    throw new Error(`generator worker: unsupported task ${String(task.type)} v${String(task.version)}`);
  }
  const { cs, constants, templates } = compiledFor(task);
  const traceCount = task.arrivalOffsetsMs.length;
  const traceClass = new Uint8Array(traceCount);
  const traceSpanCount = new Uint32Array(traceCount);
  const traceRoute = new Uint32Array(traceCount);
  const traceArrivalMs = new Float64Array(traceCount);
  const traceIds = new Uint8Array(traceCount * 16);

  // Sized from the previous task's bytes per trace (+1/8), so the buffer rarely grows.
  if (task.recycled !== undefined) for (const b of task.recycled) if (spare.length < MAX_SPARE) spare.push(b);
  const writer = new SpanWriter(Math.ceil(traceCount * bytesPerTrace * 1.125) + 1024, constants, takeSpare(traceCount * bytesPerTrace * 1.125 + 1024));
  const sink = new ChunkSink(writer, templates, nanosBase(BigInt(task.startUnixMs) * 1_000_000n), traceCount * 16);
  for (let t = 0; t < traceCount; t++) {
    const offset = task.arrivalOffsetsMs[t]!;
    sink.trace = t;
    sink.ordinal = 0;
    const summary = streamTrace(cs, task.firstIndex + t, offset, task.startUnixMs, sink);
    traceClass[t] = TRACE_CLASS_CODES.indexOf(summary.class);
    traceSpanCount[t] = summary.spanCount;
    traceRoute[t] = summary.route;
    traceArrivalMs[t] = task.startUnixMs + offset;
    traceIds.set(summary.traceId, t * 16);
  }
  const { starts, traceCol: trace, ordinalCol: ordinal, instance, scope, endMs } = sink;

  // Sort by (end, trace, ordinal): the SDK models see spans in end order.
  const spanCount = trace.length;
  starts.push(writer.length); // span j's bytes: [starts[j], starts[j + 1])
  if (traceCount > 0) bytesPerTrace = writer.length / traceCount;
  const ends = endMs.data;
  // Index order already sorts (trace, ordinal), so a stable sort by end is enough.
  const order = stableOrderByKey(ends, spanCount);

  const spanStart = new Uint32Array(spanCount);
  const spanEnd = new Uint32Array(spanCount);
  const spanTrace = new Uint32Array(spanCount);
  const spanOrdinal = new Uint32Array(spanCount);
  const spanInstance = new Uint32Array(spanCount);
  const spanScope = new Uint32Array(spanCount);
  const spanEndMs = new Float64Array(spanCount);
  const at = starts.data;
  for (let i = 0; i < spanCount; i++) {
    const j = order[i]!;
    spanStart[i] = at[j]!;
    spanEnd[i] = at[j + 1]!;
    spanTrace[i] = trace.data[j]!;
    spanOrdinal[i] = ordinal.data[j]!;
    spanInstance[i] = instance.data[j]!;
    spanScope[i] = scope.data[j]!;
    spanEndMs[i] = ends[j]!;
  }
  return {
    version: GENERATOR_MESSAGE_VERSION,
    type: 'generated',
    firstIndex: task.firstIndex,
    traceCount,
    spanCount,
    spanBytes: writer.written(),
    spanStart,
    spanEnd,
    spanTrace,
    spanOrdinal,
    spanInstance,
    spanScope,
    spanEndMs,
    traceClass,
    traceSpanCount,
    traceRoute,
    traceArrivalMs,
    traceIds,
  };
}

/** Runs sorted by insertion before merging (short runs are cheapest that way). */
const RUN = 32;

/**
 * The indices 0 … n − 1 ordered by `keys[i]`, equal keys in index order (a stable bottom-up merge
 * sort over index arrays: no comparator calls, which made `TypedArray#sort` the chunk's costliest
 * step). Keys must not be NaN.
 */
export function stableOrderByKey(keys: Float64Array, n: number): Uint32Array {
  let a = new Uint32Array(n);
  let b = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(lo + RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const x = a[i]!;
      const kx = keys[x]!;
      let j = i - 1;
      // Strictly greater moves right: equal keys keep their (index) order.
      while (j >= lo && keys[a[j]!]! > kx) {
        a[j + 1] = a[j]!;
        j--;
      }
      a[j + 1] = x;
    }
  }
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        // Left wins ties: stability.
        if (keys[a[j]!]! < keys[a[i]!]!) b[k++] = a[j++]!;
        else b[k++] = a[i++]!;
      }
      while (i < mid) b[k++] = a[i++]!;
      while (j < hi) b[k++] = a[j++]!;
    }
    const t = a;
    a = b;
    b = t;
  }
  return a;
}
