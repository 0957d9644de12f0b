/**
 * The work of one generator task, as a pure function (the piscina entry wraps it; the main thread
 * calls it directly for in-process generation with `workers: 0`). Builds each trace, encodes each
 * span once with `encodeSpan`, and packs everything into fresh typed arrays.
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

  const encoded: Uint8Array[] = [];
  const spanTrace: number[] = [];
  const spanInstance: number[] = [];
  const spanScope: number[] = [];
  const spanEndMs: number[] = [];
  let totalBytes = 0;
  for (let t = 0; t < traceCount; t++) {
    const offset = task.arrivalOffsetsMs[t]!;
    const trace = buildTrace(cs, task.firstIndex + t, offset, task.startUnixMs);
    traceClass[t] = TRACE_CLASS_CODES.indexOf(trace.class);
    traceSpanCount[t] = trace.spans.length;
    traceRoute[t] = trace.route;
    traceArrivalMs[t] = task.startUnixMs + offset;
    traceIds.set(trace.traceId, t * 16);
    for (const s of trace.spans) {
      const bytes = encodeSpan(s.span);
      // encodeSpan may return a view of a scratch buffer: copy now.
      encoded.push(bytes.slice());
      totalBytes += bytes.length;
      spanTrace.push(t);
      spanInstance.push(s.instance);
      spanScope.push(s.scope);
      spanEndMs.push(s.endMs);
    }
  }
  const spanCount = encoded.length;
  const spanBytes = new Uint8Array(totalBytes);
  const spanOffsets = new Uint32Array(spanCount + 1);
  let pos = 0;
  for (let i = 0; i < spanCount; i++) {
    const b = encoded[i]!;
    spanBytes.set(b, pos);
    pos += b.length;
    spanOffsets[i + 1] = pos;
  }
  return {
    version: GENERATOR_MESSAGE_VERSION,
    type: 'generated',
    firstIndex: task.firstIndex,
    traceCount,
    spanCount,
    spanBytes,
    spanOffsets,
    spanTrace: Uint32Array.from(spanTrace),
    spanInstance: Uint32Array.from(spanInstance),
    spanScope: Uint32Array.from(spanScope),
    spanEndMs: Float64Array.from(spanEndMs),
    traceClass,
    traceSpanCount,
    traceRoute,
    traceArrivalMs,
    traceIds,
  };
}
