/**
 * Optional capability of a tail-sampling processor instance: the figures the report needs,
 * read by the run engine over time (`isTailSamplingStats(component)`).
 */
export interface PolicyStats {
  /** Traces for which this policy itself voted to sample (Sampled or InvertSampled). */
  sampledTraces: number;
  /** Kept traces whose first sampling vote in configuration order was this policy's; sums to traces kept. */
  attributedTraces: number;
  /** Kept traces for which this was the only policy voting to sample. */
  exclusiveTraces: number;
}

export interface TailSamplingSnapshot {
  /** Per policy name, in configuration order. */
  byPolicy: Record<string, PolicyStats>;
  /** Traces in the map now (undecided, plus decided ones kept for late spans). */
  tracesHeld: number;
  /** Undecided traces now. */
  tracesPending: number;
  /** OTLP protobuf bytes of the spans buffered now. */
  bytesHeld: number;
  /** `num_traces`. */
  numTraces: number;
  /** `decision_wait` in milliseconds. */
  decisionWaitMs: number;
  /** Undecided traces evicted by `num_traces` pressure so far (their spans: `tail_buffer_evicted`). */
  evictedTraces: number;
  /** Decisions made so far (a trace re-decided after eviction counts again). */
  decidedTraces: number;
  /** Final decisions so far by outcome. */
  sampledTraces: number;
  notSampledTraces: number;
  droppedTraces: number;
}

export interface TailSamplingStats {
  tailSamplingStats(): TailSamplingSnapshot;
}

export function isTailSamplingStats(c: object): c is TailSamplingStats {
  return typeof (c as Partial<TailSamplingStats>).tailSamplingStats === 'function';
}
