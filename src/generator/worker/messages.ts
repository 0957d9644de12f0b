/**
 * The plain-data messages between the main thread and generator workers (piscina tasks). No
 * classes, no functions: a task is structured-cloned, a result's typed arrays are transferred
 * (each owns its whole ArrayBuffer). Bump `GENERATOR_MESSAGE_VERSION` on any change.
 */
export const GENERATOR_MESSAGE_VERSION = 4;

/** Make traces `firstIndex … firstIndex + arrivalOffsetsMs.length − 1`. */
export interface GenerateTask {
  version: typeof GENERATOR_MESSAGE_VERSION;
  type: 'generate';
  /** Cache key of the scenario in the worker (its hash); equal keys ⇒ equal scenarios. */
  scenarioKey: string;
  /**
   * The scenario as `v8.serialize` bytes (made once per run): copying them is a memcpy, and a
   * worker deserializes them only when it has not compiled `scenarioKey` yet — a `Scenario`
   * object would be structured-cloned and rebuilt for every task.
   */
  scenarioBytes: Uint8Array;
  /** The run's absolute start, integer ms since the Unix epoch. */
  startUnixMs: number;
  firstIndex: number;
  /** Arrival offset (ms since the start) of each trace in the range. */
  arrivalOffsetsMs: Float64Array;
  /**
   * Spent `spanBytes` buffers of earlier results, transferred back for reuse (a receiving thread
   * that keeps allocating fresh buffers pays for it in major GCs triggered by external memory).
   */
  recycled?: ArrayBuffer[];
}

/**
 * Columnar result of one task. Spans are sorted by (end time, trace, ordinal in trace) — the order
 * the main thread feeds them to the SDK model, so it merges chunks as sorted runs. Per span `s`:
 * its OTLP `Span` protobuf bytes are `spanBytes[spanStart[s] … spanEnd[s])` (the bytes themselves
 * lie in creation order; `spanBytes` may be a view of a larger buffer, transferred whole).
 */
export interface GenerateResult {
  version: typeof GENERATOR_MESSAGE_VERSION;
  type: 'generated';
  firstIndex: number;
  traceCount: number;
  spanCount: number;
  spanBytes: Uint8Array;
  /** Per span: first byte in `spanBytes`. */
  spanStart: Uint32Array;
  /** Per span: end (exclusive) in `spanBytes`. */
  spanEnd: Uint32Array;
  /** Trace of each span, relative to `firstIndex`. */
  spanTrace: Uint32Array;
  /** Creation ordinal of each span within its trace (children before parents). */
  spanOrdinal: Uint32Array;
  /** Global service-instance index of each span. */
  spanInstance: Uint32Array;
  /** Scope index of each span. */
  spanScope: Uint32Array;
  /** End time of each span, virtual ms since the Unix epoch. */
  spanEndMs: Float64Array;
  /** Per trace: index into TRACE_CLASS_CODES (0 normal, 1 slow, 2 error). */
  traceClass: Uint8Array;
  traceSpanCount: Uint32Array;
  traceRoute: Uint32Array;
  /** Per trace: arrival time, virtual ms since the Unix epoch. */
  traceArrivalMs: Float64Array;
  /** 16 bytes per trace. */
  traceIds: Uint8Array;
}

/** The buffers of a result, for the transfer list. */
export function resultBuffers(r: GenerateResult): ArrayBuffer[] {
  return [
    r.spanBytes, r.spanStart, r.spanEnd, r.spanTrace, r.spanOrdinal, r.spanInstance, r.spanScope, r.spanEndMs,
    r.traceClass, r.traceSpanCount, r.traceRoute, r.traceArrivalMs, r.traceIds,
  ].map((a) => a.buffer as ArrayBuffer);
}
