/**
 * Policy decisions and what a policy sees of a trace (reference/tail-sampling.md §2.0).
 */
import type { InstrumentationScope, Resource, Span } from '../../../../protocol/otlp/model.js';

/** Upstream `samplingpolicy.Decision` values; the numbers are irrelevant to behaviour. */
export const Decision = {
  Pending: 1,
  Sampled: 2,
  NotSampled: 3,
  Dropped: 4,
  /** The policy failed; the final decision ignores it. */
  Error: 5,
  /** Produced only by the classic profile (`invert_match`). */
  InvertSampled: 6,
  InvertNotSampled: 7,
} as const;
export type Decision = (typeof Decision)[keyof typeof Decision];

/** True for the decisions that vote "keep" (`Sampled`, `InvertSampled`). */
export function isSampling(d: Decision): boolean {
  return d === Decision.Sampled || d === Decision.InvertSampled;
}

/**
 * Where a buffered span came from: its incoming ResourceSpans and ScopeSpans, as much of them as
 * a policy or the release reads (the resource and the scope, shared, never copied). The processor
 * makes one `resourceSpans` object per incoming ResourceSpans and one `scopeSpans` per ScopeSpans,
 * so it does not keep the incoming batch's arrays alive; identity still tells the pieces apart.
 */
export interface SpanOrigin {
  readonly resourceSpans: { readonly resource: Resource };
  readonly scopeSpans: { readonly scope: InstrumentationScope };
}

/**
 * Everything received so far for one trace, in arrival order. Read-only for policies.
 * `origins[i]` is where `spans[i]` came from; consecutive spans with the same
 * `origins[i].resourceSpans` are one upstream `ReceivedBatches` ResourceSpans.
 */
export interface TraceView {
  readonly traceId: string;
  readonly spans: readonly Span[];
  readonly origins: readonly SpanOrigin[];
  readonly spanCount: number;
  /** OTLP `TracesData` protobuf size of the spans (computed only when a policy reads it). */
  readonly sizeBytes: number;
  /**
   * Aggregates of exactly `spans`, kept by the processor while they arrive (only when a policy
   * reads them). Absent ⇒ policies walk `spans`; present ⇒ they may answer from it instead.
   */
  readonly summary?: SpanSummary | undefined;
}

/** What `status_code` and `latency` need of a trace, accumulated span by span on ingest. */
export interface SpanSummary {
  /** Number of spans summarized (`spans.length`, known without reading `spans`). */
  readonly heldSpans: number;
  /** Bit `c & 31` set ⇔ some span has status code `c` (`1 << c`, as the policy tests it). */
  readonly statusMask: number;
  /** True when some span has a start or end of 0 (then `latency` walks the spans, §2.2). */
  readonly zeroTime: boolean;
  /** Earliest start and latest end over the spans (meaningful when there are spans and no zero time). */
  readonly minStartNs: bigint;
  readonly maxEndNs: bigint;
}

/** One configured policy, ready to evaluate. */
export interface PolicyEvaluator {
  /** `nowMs` is the host clock at the decision tick (rate windows, token buckets). */
  evaluate(trace: TraceView, nowMs: number): Decision;
  /**
   * A policy that votes NotSampled both when nothing matched and when a span budget ran out
   * (`composite`) says which the last vote was: true for the budget (`rate_limited_policy`).
   */
  readonly lastRefusedByBudget?: boolean;
}

/** Behaviour switches a policy needs from the compat profile (§8). */
export interface PolicyOptions {
  /** classic: `invert_match` yields InvertSampled/InvertNotSampled; current: plain Sampled/NotSampled. */
  readonly invertDecisions: boolean;
  readonly compat: 'current' | 'classic';
}
