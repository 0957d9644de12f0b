/**
 * The limits drawn as lines on the report's charts: each tail_sampling instance's `num_traces`
 * and the first memory_limiter's hard and soft limits (spike = hard − soft).
 */
import type { CollectorConfigResult } from '../pipeline/config-loader.js';
import type { ChartLimits } from '../report/model.js';
import type { CollectorSet } from './collector-set.js';

export function chartLimits(collector: CollectorConfigResult, collectors: CollectorSet): ChartLimits {
  const limits: ChartLimits = { tailNumTraces: {} };
  for (const s of collectors.tailSamplers()) limits.tailNumTraces[s.id] = s.stats().numTraces;
  for (const spec of collector.config.processors.values()) {
    if (spec.type !== 'memory_limiter' || spec.simulation !== 'simulated') continue;
    const cfg = spec.config as Partial<Record<string, unknown>>;
    const hard = firstNumber(cfg, ['limitBytes', 'limitMib']);
    const spike = firstNumber(cfg, ['spikeLimitBytes', 'spikeLimitMib']);
    const scale = typeof cfg['limitBytes'] === 'number' ? 1 : 1024 * 1024;
    if (hard !== undefined) limits.memoryLimitBytes = hard * scale;
    if (spike !== undefined) limits.memorySpikeLimitBytes = spike * scale;
    break;
  }
  return limits;
}

function firstNumber(cfg: Partial<Record<string, unknown>>, keys: readonly string[]): number | undefined {
  for (const k of keys) {
    const v = cfg[k];
    if (typeof v === 'number' && v > 0) return v;
  }
  return undefined;
}
