import type { LatencyConfig } from '../config.js';
import { Decision, type PolicyEvaluator, type TraceView } from './decision.js';

/**
 * `latency` (reference §2.2): the duration from the earliest start to the latest end, checked
 * incrementally while walking the spans in arrival order. Without an upper bound the test is
 * `durationMs >= threshold_ms` (inclusive); with one it is `threshold_ms < durationMs <= upper`
 * (exclusive lower bound), and an early prefix of spans in range samples the trace even if the
 * whole trace ends up longer — upstream's behaviour, kept bit for bit. Milliseconds are whole
 * (Go `Duration.Milliseconds()` truncates); timestamps of 0 count as unset.
 */
export function createLatencyPolicy(cfg: LatencyConfig): PolicyEvaluator {
  const threshold = BigInt(cfg.thresholdMs);
  const upper = BigInt(cfg.upperThresholdMs);
  const hit = (minTime: bigint, maxTime: bigint): boolean => {
    const durationMs = (maxTime - minTime) / 1_000_000n;
    return upper === 0n ? durationMs >= threshold : threshold < durationMs && durationMs <= upper;
  };
  /** Upstream's walk: the test after every span that moved a bound. */
  const incremental = (spans: TraceView['spans']): Decision => {
    let minTime = 0n;
    let maxTime = 0n;
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i]!;
      let changed = false;
      if (minTime === 0n || span.startTimeUnixNano < minTime) {
        minTime = span.startTimeUnixNano;
        changed = true;
      }
      if (maxTime === 0n || span.endTimeUnixNano > maxTime) {
        maxTime = span.endTimeUnixNano;
        changed = true;
      }
      // Unchanged bounds give the answer of the previous span, which was "no hit".
      if (changed && hit(minTime, maxTime)) return Decision.Sampled;
    }
    return Decision.NotSampled;
  };
  if (upper !== 0n) return { evaluate: (trace: TraceView): Decision => incremental(trace.spans) };
  return {
    evaluate(trace: TraceView): Decision {
      // Without an upper bound the test only gets truer as the bounds widen, so a prefix hits iff
      // the whole trace does: one duration at the end, no BigInt arithmetic per span (comparisons
      // do not allocate). A zero timestamp resets a bound upstream, so those traces take the walk.
      // The summary answers without reading `spans` (the processor decodes them on first read).
      const summary = trace.summary;
      if (summary) {
        if (summary.heldSpans === 0) return Decision.NotSampled;
        return summary.zeroTime ? incremental(trace.spans) : hit(summary.minStartNs, summary.maxEndNs) ? Decision.Sampled : Decision.NotSampled;
      }
      const spans = trace.spans;
      if (spans.length === 0) return Decision.NotSampled;
      let minTime = spans[0]!.startTimeUnixNano;
      let maxTime = spans[0]!.endTimeUnixNano;
      for (let i = 0; i < spans.length; i++) {
        const start = spans[i]!.startTimeUnixNano;
        const end = spans[i]!.endTimeUnixNano;
        if (start === 0n || end === 0n) return incremental(spans);
        if (start < minTime) minTime = start;
        if (end > maxTime) maxTime = end;
      }
      return hit(minTime, maxTime) ? Decision.Sampled : Decision.NotSampled;
    },
  };
}
