import type { TraceBatch } from '../protocol/otlp/model.js';

/**
 * Where every span ends up. Components report each span they stop carrying exactly once, under
 * one outcome, and the ledger (`src/ledger/`) checks at the end of a run that
 * `generated = exported + sampledOut + dropped` with nothing left in flight.
 *
 * A batch marked `shadow` is a copy made by a fan-out (second pipeline on a receiver, second
 * exporter of a pipeline). Its outcomes feed per-component telemetry but not the ledger: the
 * ledger follows one copy of each span, the one that travels the first pipeline to its first
 * exporter, so a span is never counted twice.
 */
export interface SpanAccounting {
  /** The spans reached an exporter and were handed to the backend (or the sink accepted them). */
  exported(batch: AccountedBatch, componentId: string): void;
  /** The spans were removed by an intended sampling or filtering decision. */
  sampledOut(batch: AccountedBatch, componentId: string, reason: SampledOutReason): void;
  /** The spans were lost. */
  dropped(batch: AccountedBatch, componentId: string, reason: DropReason): void;
  /**
   * Optional: exactly `sampledOut` of a batch holding `spans` spans (≥ 1), all of the trace
   * `traceId`, flagged `shadow` like that batch. For components that keep spans encoded and would
   * decode them only to have them counted; an accounting implements it only when an outcome
   * depends on nothing but the trace id and the count.
   */
  sampledOutOfTrace?(traceId: string, spans: number, shadow: boolean, componentId: string, reason: SampledOutReason): void;
  /** Optional: exactly `dropped` of such a batch (see `sampledOutOfTrace`). */
  droppedOfTrace?(traceId: string, spans: number, shadow: boolean, componentId: string, reason: DropReason): void;
}

/** A batch as accounting sees it; `shadow` marks a fan-out copy (see `SpanAccounting`). */
export interface AccountedBatch extends TraceBatch {
  shadow?: boolean;
}

/** Intended removals: these lower retention, they are not loss. */
export type SampledOutReason =
  /** a sampler decided "not sampled" (tail_sampling, probabilistic_sampler). */
  | 'sampled_out'
  /** a tail-sampling `drop` policy matched. */
  | 'drop_policy'
  /**
   * not sampled, and a token-bucket policy (`rate_limiting`, `bytes_limiting`) voted not sampled:
   * its bucket was empty, or it would have kept the trace (reference §6(d) 3).
   */
  | 'rate_limited_policy'
  /** the filter processor (or a transform) removed the spans. */
  | 'filtered';

/** Losses, from the reference's list of drop reasons (storage-retention-drops.md §6(d)). */
export type DropReason =
  | 'sdk_queue_full'
  | 'schedule_missed'
  | 'client_gave_up'
  | 'memory_limiter_refused'
  | 'receiver_refused_downstream'
  | 'receiver_rejected_size'
  | 'receiver_rejected_invalid'
  | 'tail_buffer_evicted'
  | 'trace_too_large'
  | 'batch_send_failed'
  | 'exporter_enqueue_failed'
  | 'exporter_send_failed_permanent'
  | 'exporter_send_failed_retry_exhausted'
  | 'exporter_queue_dropped_on_shutdown'
  | 'backend_partial_reject'
  | 'late_span_dropped'
  | 'late_span_unexpected_decision'
  | 'no_randomness_refused'
  | 'pending_on_shutdown';

/** Reasons in the order reports list them. */
export const DROP_REASONS: readonly DropReason[] = [
  'sdk_queue_full',
  'schedule_missed',
  'client_gave_up',
  'memory_limiter_refused',
  'receiver_refused_downstream',
  'receiver_rejected_size',
  'receiver_rejected_invalid',
  'tail_buffer_evicted',
  'trace_too_large',
  'batch_send_failed',
  'exporter_enqueue_failed',
  'exporter_send_failed_permanent',
  'exporter_send_failed_retry_exhausted',
  'exporter_queue_dropped_on_shutdown',
  'backend_partial_reject',
  'late_span_dropped',
  'late_span_unexpected_decision',
  'no_randomness_refused',
  'pending_on_shutdown',
];

/** Accounting that records nothing, for tests and for tools that only forward. */
export const nopAccounting: SpanAccounting = {
  exported() {},
  sampledOut() {},
  dropped() {},
  sampledOutOfTrace() {},
  droppedOfTrace() {},
};
