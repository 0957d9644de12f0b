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
  return {
    evaluate(trace: TraceView): Decision {
      let minTime = 0n;
      let maxTime = 0n;
      const spans = trace.spans;
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
        if (!changed) continue;
        const durationMs = (maxTime - minTime) / 1_000_000n;
        const hit = upper === 0n ? durationMs >= threshold : threshold < durationMs && durationMs <= upper;
        if (hit) return Decision.Sampled;
      }
      return Decision.NotSampled;
    },
  };
}
