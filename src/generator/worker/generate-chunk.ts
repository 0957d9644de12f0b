/**
 * The work of one generator task, as a pure function (the piscina entry wraps it; the main thread
 * calls it directly for in-process generation with `workers: 0`). Builds each trace, encodes each
 * span once with `encodeSpan`, sorts the spans by (end time, trace, ordinal) and packs everything
 * into fresh typed arrays.
 */
import { encodeSpan } from '../../protocol/otlp/proto-codec.js';
import { compileScenario, type CompiledScenario } from '../compile.js';
import { buildTrace, TRACE_CLASS_CODES } from '../trace-builder.js';
import { GENERATOR_MESSAGE_VERSION, type GenerateResult, type GenerateTask } from './messages.js';

const compiledCache = new Map<string, CompiledScenario>();

function compiledFor(task: GenerateTask): CompiledScenario {
  let cs = compiledCache.get(task.scenarioKey);
  if (cs === undefined) {
    // Few scenarios live at once (compare/sweep runs reuse one); keep the cache small.
    if (compiledCache.size >= 8) compiledCache.clear();
    cs = compileScenario(task.scenario);
    compiledCache.set(task.scenarioKey, cs);
  }
  return cs;
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
  const cs = compiledFor(task);
  const traceCount = task.arrivalOffsetsMs.length;
  const traceClass = new Uint8Array(traceCount);
  const traceSpanCount = new Uint32Array(traceCount);
  const traceRoute = new Uint32Array(traceCount);
  const traceArrivalMs = new Float64Array(traceCount);
  const traceIds = new Uint8Array(traceCount * 16);

  const capacity = traceCount * 16;
  const encoded: Uint8Array[] = [];
  const trace = new Column((n) => new Uint32Array(n), capacity);
  const ordinal = new Column((n) => new Uint32Array(n), capacity);
  const instance = new Column((n) => new Uint32Array(n), capacity);
  const scope = new Column((n) => new Uint32Array(n), capacity);
  const endMs = new Column((n) => new Float64Array(n), capacity);
  let totalBytes = 0;
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
      const bytes = encodeSpan(s.span); // a fresh array, owned by us
      encoded.push(bytes);
      totalBytes += bytes.length;
      trace.push(t);
      ordinal.push(k);
      instance.push(s.instance);
      scope.push(s.scope);
      endMs.push(s.endMs);
    }
  }

  // Sort by (end, trace, ordinal): the SDK models see spans in end order.
  const spanCount = encoded.length;
  const ends = endMs.data;
  const order = new Uint32Array(spanCount);
  for (let i = 0; i < spanCount; i++) order[i] = i;
  // Index order already sorts (trace, ordinal), so comparing ends then indices is enough.
  order.sort((a, b) => ends[a]! - ends[b]! || a - b);

  const spanBytes = new Uint8Array(totalBytes);
  const spanOffsets = new Uint32Array(spanCount + 1);
  const spanTrace = new Uint32Array(spanCount);
  const spanOrdinal = new Uint32Array(spanCount);
  const spanInstance = new Uint32Array(spanCount);
  const spanScope = new Uint32Array(spanCount);
  const spanEndMs = new Float64Array(spanCount);
  let pos = 0;
  for (let i = 0; i < spanCount; i++) {
    const j = order[i]!;
    const b = encoded[j]!;
    spanBytes.set(b, pos);
    pos += b.length;
    spanOffsets[i + 1] = pos;
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
    spanBytes,
    spanOffsets,
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
