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
import { deserialize } from 'node:v8';
import { idToBytes, type KeyValue } from '../../protocol/otlp/model.js';
import { encodeKeyValueBody, encodeTemplatedSpanInto, nanosBase, spanTemplate, SpanWriter, type NanosBase, type SpanTemplate } from '../../protocol/otlp/proto-encode.js';
import type { Scenario } from '../../scenario/schema.js';
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
    const cs = compileScenario(deserialize(task.scenarioBytes) as Scenario);
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

/**
 * Encodes each emitted span at the end of `writer` and records its columns, in creation order.
 * Span `i`'s bytes are `[starts[i], starts[i + 1])` (`finish` writes the last bound).
 */
class ChunkSink implements SpanSink {
  readonly attributeScratch: KeyValue[][] = []; // attributes are encoded before `span` returns
  /** Current trace (relative to the task's first) and the next span ordinal in it. */
  trace = 0;
  ordinal = 0;
  count = 0;
  starts: Uint32Array;
  traces: Uint32Array;
  ordinals: Uint32Array;
  instances: Uint32Array;
  scopes: Uint32Array;
  ends: Float64Array;
  private readonly _writer: SpanWriter;
  private readonly _templates: readonly SpanTemplate[];
  private readonly _base: NanosBase;

  constructor(writer: SpanWriter, templates: readonly SpanTemplate[], base: NanosBase, capacity: number) {
    this._writer = writer;
    this._templates = templates;
    this._base = base;
    this.starts = new Uint32Array(capacity + 1);
    this.traces = new Uint32Array(capacity);
    this.ordinals = new Uint32Array(capacity);
    this.instances = new Uint32Array(capacity);
    this.scopes = new Uint32Array(capacity);
    this.ends = new Float64Array(capacity);
  }

  span(e: EmittedSpan): void {
    if (this.count === this.ends.length) this._grow();
    const i = this.count++;
    this.starts[i] = this._writer.length;
    encodeTemplatedSpanInto(this._templates[e.opIndex]!, this._base, e, this._writer);
    this.traces[i] = this.trace;
    this.ordinals[i] = this.ordinal++;
    this.instances[i] = e.instance;
    this.scopes[i] = e.op.scopeIndex;
    this.ends[i] = e.endMs;
  }

  finish(): void {
    this.starts[this.count] = this._writer.length;
  }

  private _grow(): void {
    const n = this.ends.length * 2;
    const u32 = (a: Uint32Array, size: number) => {
      const b = new Uint32Array(size);
      b.set(a);
      return b;
    };
    this.starts = u32(this.starts, n + 1);
    this.traces = u32(this.traces, n);
    this.ordinals = u32(this.ordinals, n);
    this.instances = u32(this.instances, n);
    this.scopes = u32(this.scopes, n);
    const ends = new Float64Array(n);
    ends.set(this.ends);
    this.ends = ends;
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
    traceIds.set(idToBytes(summary.traceId), t * 16);
  }
  sink.finish();
  const spanCount = sink.count;
  if (traceCount > 0) bytesPerTrace = writer.length / traceCount;

  // Sort by (end, trace, ordinal): the SDK models see spans in end order. Index order already
  // sorts (trace, ordinal), so a stable sort by end is enough.
  const ends = sink.ends;
  const order = stableOrderByKey(ends, spanCount);
  const spanStart = new Uint32Array(spanCount);
  const spanEnd = new Uint32Array(spanCount);
  const spanTrace = new Uint32Array(spanCount);
  const spanOrdinal = new Uint32Array(spanCount);
  const spanInstance = new Uint32Array(spanCount);
  const spanScope = new Uint32Array(spanCount);
  const spanEndMs = new Float64Array(spanCount);
  const { starts, traces, ordinals, instances, scopes } = sink;
  for (let i = 0; i < spanCount; i++) {
    const j = order[i]!;
    spanStart[i] = starts[j]!;
    spanEnd[i] = starts[j + 1]!;
    spanTrace[i] = traces[j]!;
    spanOrdinal[i] = ordinals[j]!;
    spanInstance[i] = instances[j]!;
    spanScope[i] = scopes[j]!;
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

/**
 * The indices 0 … n − 1 ordered by `keys[i]`, equal keys in index order. Non-negative finite keys
 * (span end times always are) take a byte-wise LSD radix sort of their IEEE-754 bits — for such
 * doubles the bit patterns order like the values, LSD radix sorting is stable, and passes whose
 * byte is the same for every key (the high bytes of nearby times) are skipped; other keys take a
 * stable merge sort. Both are a few times faster than `TypedArray#sort` with a comparator.
 */
export function stableOrderByKey(keys: Float64Array, n: number): Uint32Array {
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    // −0 compares equal to 0 but its sign bit would sort it last.
    if (!(k >= 0 && k < Infinity) || (k === 0 && 1 / k < 0)) return mergeOrderByKey(keys, n);
  }
  const bits = new Uint8Array(keys.buffer, keys.byteOffset, n * 8); // little-endian: byte 7 is the top
  let a = new Uint32Array(n);
  let b = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  const count = new Uint32Array(256);
  for (let byte = 0; byte < 8; byte++) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[bits[i * 8 + byte]!]!++;
    if (count[bits[byte]!] === n) continue; // one bucket: this byte does not reorder anything
    let sum = 0;
    for (let v = 0; v < 256; v++) {
      const c = count[v]!;
      count[v] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const x = a[i]!;
      b[count[bits[x * 8 + byte]!]!++] = x;
    }
    const t = a;
    a = b;
    b = t;
  }
  return a;
}

/** Runs sorted by insertion before merging (short runs are cheapest that way). */
const RUN = 32;

/** Stable bottom-up merge sort of the indices by key (any non-NaN keys). */
function mergeOrderByKey(keys: Float64Array, n: number): Uint32Array {
  let a = new Uint32Array(n);
  let ka = keys.slice(0, n);
  let b = new Uint32Array(n);
  let kb = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(lo + RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const x = a[i]!;
      const kx = ka[i]!;
      let j = i - 1;
      // Strictly greater moves right: equal keys keep their (index) order.
      while (j >= lo && ka[j]! > kx) {
        a[j + 1] = a[j]!;
        ka[j + 1] = ka[j]!;
        j--;
      }
      a[j + 1] = x;
      ka[j + 1] = kx;
    }
  }
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      if (mid >= hi || ka[mid - 1]! <= ka[mid]!) {
        // Already in order (common: traces arrive in time order).
        b.set(a.subarray(lo, hi), lo);
        kb.set(ka.subarray(lo, hi), lo);
        continue;
      }
      while (i < mid && j < hi) {
        // Left wins ties: stability.
        if (ka[j]! < ka[i]!) {
          kb[k] = ka[j]!;
          b[k++] = a[j++]!;
        } else {
          kb[k] = ka[i]!;
          b[k++] = a[i++]!;
        }
      }
      while (i < mid) {
        kb[k] = ka[i]!;
        b[k++] = a[i++]!;
      }
      while (j < hi) {
        kb[k] = ka[j]!;
        b[k++] = a[j++]!;
      }
    }
    const t = a;
    a = b;
    b = t;
    const tk = ka;
    ka = kb;
    kb = tk;
  }
  return a;
}
