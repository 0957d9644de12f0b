import type { BytesLimitingConfig } from '../config.js';
import { Decision, type PolicyEvaluator, type TraceView } from './decision.js';
import { TokenBucket } from './token-bucket.js';

/**
 * `bytes_limiting` (reference §2.9): token bucket of `bytes_per_second`, burst `burst_capacity`
 * (default 2×rate); a trace passes when its OTLP `TracesData` size fits in the tokens.
 */
export function createBytesLimitingPolicy(cfg: BytesLimitingConfig): PolicyEvaluator {
  const bucket = new TokenBucket(cfg.bytesPerSecond, cfg.burstCapacity > 0 ? cfg.burstCapacity : 2 * cfg.bytesPerSecond);
  return { evaluate: (t: TraceView, nowMs: number): Decision => (bucket.allowN(nowMs, t.sizeBytes) ? Decision.Sampled : Decision.NotSampled) };
}
