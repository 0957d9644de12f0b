/**
 * Hands one batch to several consumers (a receiver shared by pipelines, a pipeline's exporters),
 * as the collector's `fanoutconsumer`, with tracesim's accounting rule:
 *
 *   batch ──► consumer[0]            the original; the ledger follows this copy
 *         ├─► consumer[1]  shadow    a copy marked `shadow: true` (telemetry only, not the ledger)
 *         └─► consumer[n]  shadow
 *
 * Copies: a consumer that mutates (`capabilities.mutatesData`) always gets its own deep clone.
 * Read-only consumers share the span tree through a thin wrapper carrying only the `shadow` mark —
 * unless consumer[0] mutates the original, in which case they share one deep clone made before
 * anyone runs. Consumers are called in order; every one is called even when an earlier one fails.
 * The result rejects when any consumer rejected: with a `PermanentError` if all failures were
 * permanent, otherwise with the first retryable error (the sender may retry).
 */
import type { AccountedBatch } from './accounting.js';
import type { TracesConsumer } from './consumer.js';
import { isPermanent } from './errors.js';
import type { TraceBatch } from '../protocol/otlp/model.js';
import { cloneBatch } from '../protocol/otlp/model.js';

export function createFanout(consumers: readonly TracesConsumer[]): TracesConsumer {
  if (consumers.length === 0) throw new Error('internal error: fan-out needs at least one consumer');
  if (consumers.length === 1) return consumers[0]!;
  const firstMutates = consumers[0]!.capabilities.mutatesData;
  return {
    capabilities: { mutatesData: false },
    async consumeTraces(batch: TraceBatch): Promise<void> {
      const shadowOf = (b: TraceBatch): AccountedBatch => ({ resourceSpans: b.resourceSpans, shadow: true });
      // Copies are made before consumer[0] runs, so it may mutate the original freely.
      const shared = firstMutates ? cloneBatch(batch) : batch;
      const copies: AccountedBatch[] = consumers.map((c, i) => {
        if (i === 0) return batch;
        return c.capabilities.mutatesData ? { ...cloneBatch(batch), shadow: true } : shadowOf(shared);
      });
      const errors: unknown[] = [];
      for (let i = 0; i < consumers.length; i++) {
        try {
          await consumers[i]!.consumeTraces(copies[i]!);
        } catch (err) {
          errors.push(err);
        }
      }
      if (errors.length === 0) return;
      throw errors.find((e) => !isPermanent(e)) ?? errors[0];
    },
  };
}
