/**
 * Stand-ins the graph builds itself (see config-loader.ts): a pass-through processor and an inlet
 * receiver for components tracesim does not simulate (always listed in the run's "not simulated"
 * section), and the `forward` connector between traces pipelines. They are not registered
 * factories.
 */
import type { Component, Host, Settings } from './component.js';
import type { TracesConsumer } from './consumer.js';
import { PermanentError, ShutdownError } from './errors.js';
import { processorHelper } from './processor-helper.js';
import type { Counter } from './telemetry.js';
import type { TraceBatch } from '../protocol/otlp/model.js';
import { spanCount } from '../protocol/otlp/model.js';

/** A processor that forwards every batch unchanged (still counted in/out like any processor). */
export function createPassThroughProcessor(settings: Settings, next: TracesConsumer): Component & TracesConsumer {
  return processorHelper({ settings, next, mutatesData: false, process: (batch) => batch });
}

export const RECEIVER_ACCEPTED_SPANS = 'otelcol_receiver_accepted_spans';
export const RECEIVER_REFUSED_SPANS = 'otelcol_receiver_refused_spans';

/**
 * A receiver that only forwards what the engine pushes into it (sim runs): counts accepted and
 * refused spans as the collector's receiver obsreport does (`transport: "sim"`). It never listens.
 */
export class InletReceiver implements Component, TracesConsumer {
  readonly capabilities = { mutatesData: false };
  private readonly _id: string;
  private readonly _next: TracesConsumer;
  private _accepted: Counter | undefined;
  private _refused: Counter | undefined;
  private _stopped = false;

  constructor(settings: Settings, next: TracesConsumer) {
    this._id = settings.id;
    this._next = next;
  }

  async start(host: Host): Promise<void> {
    const labels = { receiver: this._id, transport: 'sim' };
    this._accepted = host.telemetry.counter(RECEIVER_ACCEPTED_SPANS, labels);
    this._refused = host.telemetry.counter(RECEIVER_REFUSED_SPANS, labels);
  }

  async shutdown(): Promise<void> {
    this._stopped = true;
  }

  async consumeTraces(batch: TraceBatch): Promise<void> {
    if (this._stopped) throw new ShutdownError(this._id);
    if (!this._accepted || !this._refused) throw new PermanentError(`${this._id} is not started`);
    const n = spanCount(batch);
    try {
      await this._next.consumeTraces(batch);
    } catch (err) {
      this._refused.add(n);
      throw err;
    }
    this._accepted.add(n);
  }
}

/**
 * The `forward` connector: a batch reaching it at the end of one traces pipeline enters every
 * pipeline that names it as a receiver (`connect` wires their fan-out once the graph is built),
 * synchronously, as in the collector. It neither counts nor accounts: the components downstream
 * do. Declared mutating, so a fan-out hands it its own copy unless it is first (downstream
 * processors may change the spans).
 */
export class ForwardConnector implements Component, TracesConsumer {
  readonly capabilities = { mutatesData: true };
  private readonly _id: string;
  private _next: TracesConsumer | undefined;

  constructor(settings: Settings) {
    this._id = settings.id;
  }

  connect(next: TracesConsumer): void {
    this._next = next;
  }

  async start(): Promise<void> {}

  async shutdown(): Promise<void> {}

  async consumeTraces(batch: TraceBatch): Promise<void> {
    if (!this._next) throw new PermanentError(`internal error: connector ${this._id} is not connected`);
    await this._next.consumeTraces(batch);
  }
}
