/**
 * The `roundrobin` connector between traces pipelines (collector-contrib
 * `connector/roundrobinconnector`): each incoming batch goes, whole, to the next of the traces
 * pipelines receiving from it, in turn (their order in the config). It has no settings.
 */
import type { AccountedBatch } from '../../../pipeline/accounting.js';
import type { Component, Settings } from '../../../pipeline/component.js';
import type { TracesConsumer } from '../../../pipeline/consumer.js';
import { PermanentError } from '../../../pipeline/errors.js';

export class RoundRobinConnector implements Component, TracesConsumer {
  /** Its pipelines may change the spans: a fan-out before it gives it its own copy. */
  readonly capabilities = { mutatesData: true };
  private readonly _id: string;
  private _pipelines: readonly TracesConsumer[] = [];
  private _next = 0;

  constructor(settings: Settings) {
    this._id = settings.id;
  }

  connect(pipelines: readonly TracesConsumer[]): void {
    this._pipelines = pipelines;
  }

  async start(): Promise<void> {}

  async shutdown(): Promise<void> {}

  async consumeTraces(batch: AccountedBatch): Promise<void> {
    if (this._pipelines.length === 0) throw new PermanentError(`internal error: connector ${this._id} is not connected`);
    const target = this._pipelines[this._next]!;
    this._next = (this._next + 1) % this._pipelines.length;
    await target.consumeTraces(batch);
  }
}
