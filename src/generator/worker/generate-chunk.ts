/**
 * The work of one generator task, as a pure function (the piscina entry wraps it; the main thread
 * calls it directly for in-process generation with `workers: 0`). Builds each trace and appends
 * each span's protobuf body to ONE growing buffer (`encodeSpanInto`: no allocation per span), in
 * creation order; then sorts the spans by (end time, trace, ordinal) as (start, end) byte ranges,
 * so the bytes are never copied again. Everything goes into fresh typed arrays, transferred whole.
 */
import type { KeyValue } from '../../protocol/otlp/model.js';
import { encodeKeyValueBody, encodeSpanInto, SpanWriter } from '../../protocol/otlp/proto-codec.js';
import type { AttributeMaker } from '../attributes.js';
import { compileScenario, type CompiledScenario } from '../compile.js';
import { buildTrace, TRACE_CLASS_CODES } from '../trace-builder.js';
import { GENERATOR_MESSAGE_VERSION, type GenerateResult, type GenerateTask } from './messages.js';

interface Compiled {
  cs: CompiledScenario;
  /** Pre-encoded bodies of the scenario's constant attributes (shared `KeyValue` objects). */
  constants: Map<KeyValue, Uint8Array>;
}

const compiledCache = new Map<string, Compiled>();
/** Encoded bytes per trace of the last task (a capacity hint only; the output does not depend on it). */
let bytesPerTrace = 4096;

function compiledFor(task: GenerateTask): Compiled {
  let c = compiledCache.get(task.scenarioKey);
  if (c === undefined) {
    // Few scenarios live at once (compare/sweep runs reuse one); keep the cache small.
    if (compiledCache.size >= 8) compiledCache.clear();
    const cs = compileScenario(task.scenario);
    c = { cs, constants: constantAttributes(cs) };
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

export function generateChunk(task: GenerateTask): GenerateResult {
  if (task.version !== GENERATOR_MESSAGE_VERSION || task.type !== 'generate') {
    throw new Error(`generator worker: unsupported task ${String(task.type)} v${String(task.version)}`);
  }
  const { cs, constants } = compiledFor(task);
  const traceCount = task.arrivalOffsetsMs.length;
  const traceClass = new Uint8Array(traceCount);
  const traceSpanCount = new Uint32Array(traceCount);
  const traceRoute = new Uint32Array(traceCount);
  const traceArrivalMs = new Float64Array(traceCount);
  const traceIds = new Uint8Array(traceCount * 16);

  const capacity = traceCount * 16;
  // Sized from the previous task's bytes per trace (+1/8), so the buffer rarely grows.
  const writer = new SpanWriter(Math.ceil(traceCount * bytesPerTrace * 1.125) + 1024, constants);
  const starts = new Column((n) => new Uint32Array(n), capacity);
  const trace = new Column((n) => new Uint32Array(n), capacity);
  const ordinal = new Column((n) => new Uint32Array(n), capacity);
  const instance = new Column((n) => new Uint32Array(n), capacity);
  const scope = new Column((n) => new Uint32Array(n), capacity);
  const endMs = new Column((n) => new Float64Array(n), capacity);
  for (let t = 0; t < traceCount; t++) {
    const offset = task.arrivalOffsetsMs[t]!;
    const built = buildTrace(cs, task.firstIndex + t, offset, task.startUnixMs);
    traceClass[t] = TRACE_CLASS_CODES.indexOf(built.class);
    traceSpanCount[t] = built.spans.length;
    traceRoute[t] = built.route;
    traceArrivalMs[t] = task.startUnixMs + offset;
    traceIds.set(built.traceId, t * 16);
    for (let k = 0; k < built.spans.length; k++) {
      const s = built.spans[k]!;
      starts.push(writer.length);
      encodeSpanInto(s.span, writer);
      trace.push(t);
      ordinal.push(k);
      instance.push(s.instance);
      scope.push(s.scope);
      endMs.push(s.endMs);
    }
  }

  // Sort by (end, trace, ordinal): the SDK models see spans in end order.
  const spanCount = trace.length;
  starts.push(writer.length); // span j's bytes: [starts[j], starts[j + 1])
  if (traceCount > 0) bytesPerTrace = writer.length / traceCount;
  const ends = endMs.data;
  const order = new Uint32Array(spanCount);
  for (let i = 0; i < spanCount; i++) order[i] = i;
  // Index order already sorts (trace, ordinal), so comparing ends then indices is enough.
  order.sort((a, b) => ends[a]! - ends[b]! || a - b);

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
