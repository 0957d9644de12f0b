import type { RateLimitingConfig } from '../config.js';
import { Decision, type PolicyEvaluator, type PolicyOptions, type TraceView } from './decision.js';
import { TokenBucket } from './token-bucket.js';

/**
 * `rate_limiting` (reference §2.8), state shared by every trace this policy sees.
 *
 * current: token bucket, rate `spans_per_second`, burst `burst_capacity` (default 2×rate); a
 * trace passes when its span count fits in the tokens.
 * classic: a fixed window per whole clock second; a trace passes iff
 * `spansInCurrentSecond + spanCount < spans_per_second` (strict), so at most `spans_per_second - 1`
 * spans pass per second and a trace with `spanCount >= spans_per_second` never passes.
 */
export function createRateLimitingPolicy(cfg: RateLimitingConfig, opts: PolicyOptions): PolicyEvaluator {
  if (opts.compat === 'current') {
    const bucket = new TokenBucket(cfg.spansPerSecond, cfg.burstCapacity > 0 ? cfg.burstCapacity : 2 * cfg.spansPerSecond);
    return { evaluate: (t: TraceView, nowMs: number): Decision => (bucket.allowN(nowMs, t.spanCount) ? Decision.Sampled : Decision.NotSampled) };
  }
  let currentSecond = Number.NaN;
  let spansInCurrentSecond = 0;
  return {
    evaluate(t: TraceView, nowMs: number): Decision {
      const second = Math.floor(nowMs / 1000);
      if (second !== currentSecond) {
        currentSecond = second;
        spansInCurrentSecond = 0;
      }
      const ifSampled = spansInCurrentSecond + t.spanCount;
      if (ifSampled < cfg.spansPerSecond) {
        spansInCurrentSecond = ifSampled;
        return Decision.Sampled;
      }
      return Decision.NotSampled;
    },
  };
}
