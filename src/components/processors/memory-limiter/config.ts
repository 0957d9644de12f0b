/** `memory_limiter` settings (reference storage-retention-drops.md §3.2). */
import { z } from 'zod';
import { durationMs } from '../../../shared/schema.js';

export interface MemoryLimiterConfig {
  readonly checkIntervalMs: number;
  /** Hard limit in MiB; takes precedence over the percentages when > 0. */
  readonly limitMib: number;
  /** Hard − soft in MiB; 0 ⇒ 20 % of the hard limit. */
  readonly spikeLimitMib: number;
  /** Hard limit as a percentage of total memory (used when `limitMib` is 0). */
  readonly limitPercentage: number;
  readonly spikeLimitPercentage: number;
}

/** A usable default (upstream's default config has check_interval 0 and no limit, which does not validate). */
export function defaultMemoryLimiterConfig(): MemoryLimiterConfig {
  return { checkIntervalMs: 1000, limitMib: 0, spikeLimitMib: 0, limitPercentage: 80, spikeLimitPercentage: 25 };
}

export const memoryLimiterSchema = z.strictObject({
  check_interval: durationMs().optional(),
  limit_mib: z.number().int().min(0).optional(),
  spike_limit_mib: z.number().int().min(0).optional(),
  limit_percentage: z.number().int().min(0).optional(),
  spike_limit_percentage: z.number().int().min(0).optional(),
  min_gc_interval_when_soft_limited: durationMs().optional(),
  min_gc_interval_when_hard_limited: durationMs().optional(),
  max_gc_interval_when_soft_limited: durationMs().optional(),
  max_gc_interval_when_hard_limited: durationMs().optional(),
});

export function memoryLimiterConfigFrom(v: z.output<typeof memoryLimiterSchema>): MemoryLimiterConfig {
  return {
    checkIntervalMs: v.check_interval ?? 0,
    limitMib: v.limit_mib ?? 0,
    spikeLimitMib: v.spike_limit_mib ?? 0,
    limitPercentage: v.limit_percentage ?? 0,
    spikeLimitPercentage: v.spike_limit_percentage ?? 0,
  };
}

/** Upstream `Config.Validate`, with its messages. */
export function validateMemoryLimiterConfig(c: MemoryLimiterConfig): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  if (c.checkIntervalMs <= 0) problems.push({ path: ['check_interval'], message: 'check_interval must be greater than zero' });
  if (c.limitMib > 0) {
    if (c.spikeLimitMib >= c.limitMib) problems.push({ path: ['spike_limit_mib'], message: "'spike_limit_mib' must be smaller than 'limit_mib'" });
  } else if (c.limitPercentage > 0 || c.spikeLimitPercentage > 0) {
    if (c.limitPercentage <= 0 || c.limitPercentage > 100 || c.spikeLimitPercentage > 100) {
      problems.push({ path: ['limit_percentage'], message: "'limit_percentage' and 'spike_limit_percentage' must be greater than zero and less than or equal to hundred" });
    } else if (c.spikeLimitPercentage >= c.limitPercentage) {
      problems.push({ path: ['spike_limit_percentage'], message: "'spike_limit_percentage' must be smaller than 'limit_percentage'" });
    }
  } else {
    problems.push({ path: ['limit_mib'], message: "'limit_mib' or 'limit_percentage' must be greater than zero" });
  }
  return problems;
}
