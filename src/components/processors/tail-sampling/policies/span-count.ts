import type { SpanCountConfig } from '../config.js';
import { Decision, type PolicyEvaluator, type TraceView } from './decision.js';

/**
 * `span_count` (reference §2.10) on every span received so far: `max_spans == 0` ⇒ `n >= min`;
 * otherwise `min <= n <= max`, both inclusive.
 */
export function createSpanCountPolicy(cfg: SpanCountConfig): PolicyEvaluator {
  return {
    evaluate(t: TraceView): Decision {
      const n = t.spanCount;
      if (cfg.maxSpans === 0 && n >= cfg.minSpans) return Decision.Sampled;
      if (n >= cfg.minSpans && n <= cfg.maxSpans) return Decision.Sampled;
      return Decision.NotSampled;
    },
  };
}
