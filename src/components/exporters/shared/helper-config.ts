/**
 * The exporterhelper settings every network exporter shares, as the collector spells them:
 * `timeout`, `sending_queue`, `retry_on_failure` (reference storage-retention-drops.md §3.4).
 * Keys tracesim accepts without acting on (persistent `storage`, `sizer`, `batch`, …) are listed
 * so production configs load; `block_on_overflow: true` and a non-`requests` sizer are accepted
 * but behave as the defaults (noted in the exporters' READMEs).
 */
import { z } from 'zod';
import { durationMs } from '../../../shared/schema.js';
import { defaultQueueConfig, type ExporterHelperConfig } from './exporter-helper.js';
import { defaultRetryConfig } from './retry.js';

export const sendingQueueSchema = z.strictObject({
  enabled: z.boolean().optional(),
  num_consumers: z.number().int().min(1).optional(),
  queue_size: z.number().int().min(1).optional(),
  storage: z.string().optional(),
  blocking: z.boolean().optional(),
  block_on_overflow: z.boolean().optional(),
  wait_for_result: z.boolean().optional(),
  sizer: z.enum(['requests', 'items', 'bytes']).optional(),
  batch: z.union([z.record(z.string(), z.unknown()), z.null()]).optional(),
});

export const retryOnFailureSchema = z.strictObject({
  enabled: z.boolean().optional(),
  initial_interval: durationMs({ min: 0 }).optional(),
  randomization_factor: z.number().min(0).max(1).optional(),
  multiplier: z.number().min(1).optional(),
  max_interval: durationMs({ min: 0 }).optional(),
  max_elapsed_time: durationMs({ min: 0 }).optional(),
});

export type SendingQueueRaw = z.output<typeof sendingQueueSchema>;
export type RetryOnFailureRaw = z.output<typeof retryOnFailureSchema>;

/** Raw YAML values over the defaults; `defaultTimeoutMs` differs per exporter (otlp 5 s, otlphttp 30 s). */
export function helperConfigFrom(
  raw: { timeout?: number | undefined; sending_queue?: SendingQueueRaw | undefined; retry_on_failure?: RetryOnFailureRaw | undefined },
  defaultTimeoutMs: number,
): ExporterHelperConfig {
  const q = defaultQueueConfig();
  const r = defaultRetryConfig();
  const sq = raw.sending_queue ?? {};
  const rf = raw.retry_on_failure ?? {};
  return {
    timeoutMs: raw.timeout ?? defaultTimeoutMs,
    sendingQueue: {
      enabled: sq.enabled ?? q.enabled,
      numConsumers: sq.num_consumers ?? q.numConsumers,
      queueSize: sq.queue_size ?? q.queueSize,
    },
    retryOnFailure: {
      enabled: rf.enabled ?? r.enabled,
      initialIntervalMs: rf.initial_interval ?? r.initialIntervalMs,
      randomizationFactor: rf.randomization_factor ?? r.randomizationFactor,
      multiplier: rf.multiplier ?? r.multiplier,
      maxIntervalMs: rf.max_interval ?? r.maxIntervalMs,
      maxElapsedTimeMs: rf.max_elapsed_time ?? r.maxElapsedTimeMs,
    },
  };
}

/** Problems in an already-built helper config. */
export function validateHelperConfig(cfg: ExporterHelperConfig): string[] {
  const problems: string[] = [];
  if (!(cfg.timeoutMs >= 0)) problems.push('timeout: must not be negative');
  if (!(cfg.sendingQueue.numConsumers >= 1)) problems.push('sending_queue.num_consumers: must be at least 1');
  if (!(cfg.sendingQueue.queueSize >= 1)) problems.push('sending_queue.queue_size: must be at least 1');
  const r = cfg.retryOnFailure;
  if (!(r.randomizationFactor >= 0 && r.randomizationFactor <= 1)) problems.push('retry_on_failure.randomization_factor: must be in [0, 1]');
  if (!(r.multiplier >= 1)) problems.push('retry_on_failure.multiplier: must be at least 1');
  if (!(r.initialIntervalMs >= 0)) problems.push('retry_on_failure.initial_interval: must not be negative');
  if (!(r.maxIntervalMs >= r.initialIntervalMs)) problems.push('retry_on_failure.max_interval: must be at least initial_interval');
  return problems;
}
