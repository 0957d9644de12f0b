/**
 * The limits drawn as lines on the report's charts: each tail_sampling instance's `num_traces`
 * and the first memory_limiter's hard and soft limits (spike = hard − soft), as that limiter
 * computed them at start (its spike default, percentages of the run's total memory).
 */
import { memoryLimiterLimits } from '../components/processors/memory-limiter/memory-limiter.js';
import type { ChartLimits } from '../report/model.js';
import type { CollectorSet } from './collector-set.js';

export function chartLimits(collectors: CollectorSet): ChartLimits {
  const limits: ChartLimits = { tailNumTraces: {} };
  for (const s of collectors.tailSamplers()) limits.tailNumTraces[s.id] = s.stats().numTraces;
  for (const node of collectors.replicas[0]?.graph.components() ?? []) {
    const l = memoryLimiterLimits(node.component);
    if (l === undefined) continue;
    limits.memoryLimitBytes = l.hardLimitBytes;
    limits.memorySpikeLimitBytes = l.hardLimitBytes - l.softLimitBytes;
    break;
  }
  return limits;
}
