/**
 * The exporterhelper settings every network exporter shares, as the collector spells them:
 * `timeout`, `sending_queue`, `retry_on_failure` (reference storage-retention-drops.md §3.4).
 * Keys tracesim accepts without acting on (persistent `storage`, `batch`, …) are listed so
 * production configs load; `block_on_overflow: true` and `wait_for_result: true` are accepted but
 * behave as the defaults (noted in the exporters' READMEs).
 *
 * Validation follows upstream's `Validate` methods, which check a section only when it is enabled
 * (`queuebatch.Config`, `configretry.BackOffConfig`, `TimeoutConfig`), with their rules and words.
 */
import { z } from 'zod';
import { collectorDurationMs } from '../../../shared/schema.js';
import { defaultQueueConfig, type ExporterHelperConfig } from './exporter-helper.js';
import { defaultRetryConfig, type RetryConfig } from './retry.js';

export const sendingQueueSchema = z.strictObject({
  enabled: z.boolean().optional(),
  num_consumers: z.number().int().optional(),
  queue_size: z.number().int().optional(),
  storage: z.string().optional(),
  blocking: z.boolean().optional(),
  block_on_overflow: z.boolean().optional(),
  wait_for_result: z.boolean().optional(),
  sizer: z.enum(['requests', 'items', 'bytes']).optional(),
  batch: z.union([z.record(z.string(), z.unknown()), z.null()]).optional(),
});

export const retryOnFailureSchema = z.strictObject({
  enabled: z.boolean().optional(),
  initial_interval: collectorDurationMs().optional(),
  randomization_factor: z.number().optional(),
  multiplier: z.number().optional(),
  max_interval: collectorDurationMs().optional(),
  max_elapsed_time: collectorDurationMs().optional(),
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
      sizer: sq.sizer ?? q.sizer,
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

/**
 * The `sending_queue` settings that load but act like the defaults here, each as a "not simulated"
 * entry at its key path under `path` (listed in every report, so a run does not silently model a
 * different queue than the config describes).
 */
export function helperNotSimulated(sq: SendingQueueRaw | undefined, path: string): { path: string; reason: string }[] {
  const out: { path: string; reason: string }[] = [];
  if (sq === undefined || sq.enabled === false) return out;
  if (sq.storage !== undefined) {
    out.push({ path: `${path}.sending_queue.storage`, reason: 'persistent queue not simulated: the queue is modelled in memory (same size and consumers); a full disk and surviving a restart are not' });
  }
  if (sq.block_on_overflow === true || sq.blocking === true) {
    out.push({ path: `${path}.sending_queue.block_on_overflow`, reason: 'not simulated: a full queue drops the request (exporter_enqueue_failed) instead of making the caller wait' });
  }
  if (sq.wait_for_result === true) {
    out.push({ path: `${path}.sending_queue.wait_for_result`, reason: 'not simulated: the caller does not wait for the export result' });
  }
  return out;
}

/** Problems in an already-built helper config, each as `key: message`. */
export function validateHelperConfig(cfg: ExporterHelperConfig): string[] {
  const problems: string[] = [];
  if (!(cfg.timeoutMs >= 0)) problems.push("timeout: 'timeout' must be non-negative");
  if (cfg.sendingQueue.enabled) problems.push(...queueProblems(cfg.sendingQueue));
  if (cfg.retryOnFailure.enabled) problems.push(...retryProblems(cfg.retryOnFailure));
  return problems;
}

/** Upstream `queuebatch.Config.Validate` for an in-memory queue without batching. */
function queueProblems(q: ExporterHelperConfig['sendingQueue']): string[] {
  const problems: string[] = [];
  if (!(q.numConsumers > 0)) problems.push('sending_queue.num_consumers: `num_consumers` must be positive');
  if (!(q.queueSize > 0)) problems.push('sending_queue.queue_size: `queue_size` must be positive');
  return problems;
}

/**
 * Upstream `configretry.BackOffConfig.Validate`: every value non-negative, the factor within
 * [0, 1], and a finite `max_elapsed_time` no shorter than `initial_interval` or `max_interval`.
 * A `multiplier` below 1 and a `max_interval` below `initial_interval` are allowed (the interval
 * then shrinks, or is capped from the second wait on).
 */
function retryProblems(r: RetryConfig): string[] {
  const problems: string[] = [];
  if (!(r.initialIntervalMs >= 0)) problems.push("retry_on_failure.initial_interval: 'initial_interval' must be non-negative");
  if (!(r.randomizationFactor >= 0 && r.randomizationFactor <= 1)) problems.push("retry_on_failure.randomization_factor: 'randomization_factor' must be within [0, 1]");
  if (!(r.multiplier >= 0)) problems.push("retry_on_failure.multiplier: 'multiplier' must be non-negative");
  if (!(r.maxIntervalMs >= 0)) problems.push("retry_on_failure.max_interval: 'max_interval' must be non-negative");
  if (!(r.maxElapsedTimeMs >= 0)) problems.push("retry_on_failure.max_elapsed_time: 'max_elapsed_time' must be non-negative");
  if (r.maxElapsedTimeMs > 0 && r.maxElapsedTimeMs < r.initialIntervalMs) {
    problems.push("retry_on_failure.max_elapsed_time: 'max_elapsed_time' must not be less than 'initial_interval'");
  }
  if (r.maxElapsedTimeMs > 0 && r.maxElapsedTimeMs < r.maxIntervalMs) {
    problems.push("retry_on_failure.max_elapsed_time: 'max_elapsed_time' must not be less than 'max_interval'");
  }
  return problems;
}
