import type { TraceBatch } from '../protocol/otlp/model.js';

/**
 * The one interface every pipeline stage implements (the collector's `consumer.Traces`).
 *
 * Ownership: the caller hands the batch over. After `consumeTraces` is called the caller must not
 * read or modify the batch again; a stage that fans out to several consumers clones first unless
 * every consumer declares `mutatesData: false`.
 *
 * Result: the promise resolves when the stage has accepted the batch (which may mean "buffered",
 * not "exported"); it rejects with a `PermanentError` (do not retry) or any other error (retryable).
 * A stage that drops or samples out spans on purpose resolves and accounts for them itself.
 */
export interface TracesConsumer {
  readonly capabilities: ConsumerCapabilities;
  consumeTraces(batch: TraceBatch): Promise<void>;
}

export interface ConsumerCapabilities {
  /** True when the stage modifies the batch in place, so a fan-out must give it its own copy. */
  readonly mutatesData: boolean;
}
