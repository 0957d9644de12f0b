/** `memory_limiter` settings (reference storage-retention-drops.md §3.2). */
import { z } from 'zod';
import { collectorDurationMs } from '../../../shared/schema.js';

export interface MemoryLimiterConfig {
  readonly checkIntervalMs: number;
  /** Hard limit in MiB; takes precedence over the percentages when > 0. */
  readonly limitMib: number;
  /** Hard − soft in MiB; 0 ⇒ 20 % of the hard limit. */
  readonly spikeLimitMib: number;
  /** Hard limit as a percentage of total memory (used when `limitMib` is 0). */
  readonly limitPercentage: number;
  readonly spikeLimitPercentage: number;
  /**
   * Forced-GC pacing (`min/max_gc_interval_when_{soft,hard}_limited`). Validated as upstream; a
   * simulation has no GC to force (held span data is live), so they change nothing else.
   */
  readonly gc: GcIntervals;
}

export interface GcIntervals {
  readonly minSoftMs: number;
  readonly minHardMs: number;
  /** 0 = no backoff on that path. */
  readonly maxSoftMs: number;
  readonly maxHardMs: number;
}

/** Upstream `NewDefaultConfig` GC intervals: min 10 s soft / 0 hard, backoff caps 30 s. */
export function defaultGcIntervals(): GcIntervals {
  return { minSoftMs: 10_000, minHardMs: 0, maxSoftMs: 30_000, maxHardMs: 30_000 };
}

/** A usable default (upstream's default config has check_interval 0 and no limit, which does not validate). */
export function defaultMemoryLimiterConfig(): MemoryLimiterConfig {
  return { checkIntervalMs: 1000, limitMib: 0, spikeLimitMib: 0, limitPercentage: 80, spikeLimitPercentage: 25, gc: defaultGcIntervals() };
}

export const memoryLimiterSchema = z.strictObject({
  check_interval: collectorDurationMs().optional(),
  limit_mib: z.number().int().min(0).optional(),
  spike_limit_mib: z.number().int().min(0).optional(),
  limit_percentage: z.number().int().min(0).optional(),
  spike_limit_percentage: z.number().int().min(0).optional(),
  min_gc_interval_when_soft_limited: collectorDurationMs().optional(),
  min_gc_interval_when_hard_limited: collectorDurationMs().optional(),
  max_gc_interval_when_soft_limited: collectorDurationMs().optional(),
  max_gc_interval_when_hard_limited: collectorDurationMs().optional(),
});

export function memoryLimiterConfigFrom(v: z.output<typeof memoryLimiterSchema>): MemoryLimiterConfig {
  const gc = defaultGcIntervals();
  return {
    checkIntervalMs: v.check_interval ?? 0,
    limitMib: v.limit_mib ?? 0,
    spikeLimitMib: v.spike_limit_mib ?? 0,
    limitPercentage: v.limit_percentage ?? 0,
    spikeLimitPercentage: v.spike_limit_percentage ?? 0,
    gc: {
      minSoftMs: v.min_gc_interval_when_soft_limited ?? gc.minSoftMs,
      minHardMs: v.min_gc_interval_when_hard_limited ?? gc.minHardMs,
      maxSoftMs: v.max_gc_interval_when_soft_limited ?? gc.maxSoftMs,
      maxHardMs: v.max_gc_interval_when_hard_limited ?? gc.maxHardMs,
    },
  };
}

type Problem = { path: string[]; message: string };

/**
 * Upstream `internal/memorylimiter` `Config.Validate`, its rules and messages (check_interval's
 * without upstream's quotes), every problem at once (upstream stops at the first). The percentage
 * rules apply even when `limit_mib` is set.
 */
export function validateMemoryLimiterConfig(c: MemoryLimiterConfig): Problem[] {
  const problems: Problem[] = [];
  if (c.checkIntervalMs <= 0) problems.push({ path: ['check_interval'], message: 'check_interval must be greater than zero' });
  problems.push(...gcIntervalProblems(c.gc));
  if (c.limitMib === 0 && c.limitPercentage === 0) {
    problems.push({ path: ['limit_mib'], message: "'limit_mib' or 'limit_percentage' must be greater than zero" });
  }
  if (c.limitPercentage > 100 || c.spikeLimitPercentage > 100) {
    problems.push({ path: ['limit_percentage'], message: "'limit_percentage' and 'spike_limit_percentage' must be greater than zero and less than or equal to hundred" });
  }
  if (c.limitMib > 0 && c.limitMib <= c.spikeLimitMib) problems.push({ path: ['spike_limit_mib'], message: "'spike_limit_mib' must be smaller than 'limit_mib'" });
  if (c.limitPercentage > 0 && c.limitPercentage <= c.spikeLimitPercentage) {
    problems.push({ path: ['spike_limit_percentage'], message: "'spike_limit_percentage' must be smaller than 'limit_percentage'" });
  }
  return problems;
}

/** The GC-interval rules: min soft ≥ min hard; caps non-negative, ≥ their min when set, soft cap ≥ hard cap when both set. */
function gcIntervalProblems(gc: GcIntervals): Problem[] {
  const problems: Problem[] = [];
  const at = (key: string, message: string) => problems.push({ path: [key], message });
  if (gc.minSoftMs < gc.minHardMs) at('min_gc_interval_when_soft_limited', "'min_gc_interval_when_soft_limited' should be larger than 'min_gc_interval_when_hard_limited'");
  if (gc.maxSoftMs < 0) at('max_gc_interval_when_soft_limited', "'max_gc_interval_when_soft_limited' must be non-negative");
  if (gc.maxHardMs < 0) at('max_gc_interval_when_hard_limited', "'max_gc_interval_when_hard_limited' must be non-negative");
  if (gc.maxSoftMs > 0 && gc.maxSoftMs < gc.minSoftMs) {
    at('max_gc_interval_when_soft_limited', "'max_gc_interval_when_soft_limited' must be greater than or equal to 'min_gc_interval_when_soft_limited' (or 0 to disable)");
  }
  if (gc.maxHardMs > 0 && gc.maxHardMs < gc.minHardMs) {
    at('max_gc_interval_when_hard_limited', "'max_gc_interval_when_hard_limited' must be greater than or equal to 'min_gc_interval_when_hard_limited' (or 0 to disable)");
  }
  if (gc.maxSoftMs > 0 && gc.maxHardMs > 0 && gc.maxSoftMs < gc.maxHardMs) {
    at('max_gc_interval_when_soft_limited', "'max_gc_interval_when_soft_limited' should be larger than or equal to 'max_gc_interval_when_hard_limited' (when both are set)");
  }
  return problems;
}
