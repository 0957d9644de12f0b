/** `batch` processor settings (reference storage-retention-drops.md §3.3). */
import { z } from 'zod';
import { collectorDurationMs } from '../../../shared/schema.js';

export interface BatchProcessorConfig {
  /** Client metadata keys that would split batchers (accepted; tracesim keeps one batcher). */
  readonly metadataKeys: readonly string[];
  /** Spans that trigger a send (a trigger, not a cap). Default 8192. */
  readonly sendBatchSize: number;
  /** Upper bound per sent batch; larger batches are split. 0 = unlimited. */
  readonly sendBatchMaxSize: number;
  /** A non-empty buffer is sent at most this long after the timer's last reset; 0 = send at once. */
  readonly timeoutMs: number;
}

export function defaultBatchProcessorConfig(): BatchProcessorConfig {
  return { metadataKeys: [], sendBatchSize: 8192, sendBatchMaxSize: 0, timeoutMs: 200 };
}

export const batchProcessorSchema = z.strictObject({
  send_batch_size: z.number().int().min(0).optional(),
  send_batch_max_size: z.number().int().min(0).optional(),
  timeout: collectorDurationMs({ min: 0 }).optional(),
  metadata_keys: z.array(z.string()).optional(),
  metadata_cardinality_limit: z.number().int().min(0).optional(),
});

export function batchProcessorConfigFrom(v: z.output<typeof batchProcessorSchema>): BatchProcessorConfig {
  const d = defaultBatchProcessorConfig();
  return {
    metadataKeys: v.metadata_keys ?? d.metadataKeys,
    sendBatchSize: v.send_batch_size ?? d.sendBatchSize,
    sendBatchMaxSize: v.send_batch_max_size ?? d.sendBatchMaxSize,
    timeoutMs: v.timeout ?? d.timeoutMs,
  };
}

/** Upstream `Config.Validate`: the max is not below the trigger; metadata keys are unique ignoring case. */
export function validateBatchProcessorConfig(c: BatchProcessorConfig): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  if (c.sendBatchMaxSize > 0 && c.sendBatchMaxSize < c.sendBatchSize) {
    problems.push({ path: ['send_batch_max_size'], message: `must be greater or equal to send_batch_size (${c.sendBatchSize})` });
  }
  const seen = new Set<string>();
  c.metadataKeys.forEach((key, i) => {
    const lower = key.toLowerCase();
    if (seen.has(lower)) problems.push({ path: ['metadata_keys', i], message: `duplicate entry in metadata_keys: ${JSON.stringify(lower)} (case-insensitive)` });
    seen.add(lower);
  });
  return problems;
}
