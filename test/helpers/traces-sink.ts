import type { TraceBatch, Span } from '../../src/protocol/otlp/model.js';
import { spanCount, forEachSpan } from '../../src/protocol/otlp/model.js';
import type { TracesConsumer } from '../../src/pipeline/consumer.js';
import type { Component } from '../../src/pipeline/component.js';

/** A terminal consumer that keeps every batch it accepts (the collector's `consumertest.TracesSink`). */
export class TracesSink implements TracesConsumer, Component {
  readonly capabilities = { mutatesData: false };
  readonly batches: TraceBatch[] = [];
  /** When set, the next calls reject with what it returns (undefined = accept). */
  failWith: ((batch: TraceBatch) => Error | undefined) | undefined;

  async consumeTraces(batch: TraceBatch): Promise<void> {
    const err = this.failWith?.(batch);
    if (err) throw err;
    this.batches.push(batch);
  }

  async start(): Promise<void> {}
  async shutdown(): Promise<void> {}

  get spanCount(): number {
    return this.batches.reduce((n, b) => n + spanCount(b), 0);
  }

  spans(): Span[] {
    const out: Span[] = [];
    for (const b of this.batches) forEachSpan(b, (s) => out.push(s));
    return out;
  }

  reset(): void {
    this.batches.length = 0;
  }
}

/** A consumer that accepts and forgets. */
export const nopConsumer: TracesConsumer = {
  capabilities: { mutatesData: false },
  async consumeTraces() {},
};
