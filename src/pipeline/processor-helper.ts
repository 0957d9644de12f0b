/**
 * The collector's `processorhelper` for tracesim: wraps a processing function with the lifecycle
 * rules, the generic processor telemetry and the `next` call.
 *
 *   consumeTraces(batch) ─► incoming_items += spans ─► process(batch, host) ─► null: stop (dropped on purpose)
 *                                                                        └─► batch': outgoing_items += spans ─► next
 *
 * Contract for `process`:
 * - it may mutate `batch` in place only when the processor declares `mutatesData: true` (the
 *   helper then drops the source encodings the batch's ScopeSpans carry: they would be stale);
 * - every span it removes it reports itself through `host.accounting` (it knows the reason);
 *   the helper only counts: a processor's removals are `incoming − outgoing`, as upstream;
 * - returning `null`, or a batch with no spans, ends the call successfully without calling `next`.
 *
 * A batch returned by `process` inherits the input's `shadow` mark (see accounting.ts).
 * Consuming before `start` or after `shutdown` is refused with a `PermanentError`.
 *
 * Metrics: `otelcol_processor_incoming_items` and `otelcol_processor_outgoing_items`, labelled
 * `{processor: <id>, otel_signal: "traces"}`.
 */
import type { AccountedBatch } from './accounting.js';
import type { Component, Host, Settings } from './component.js';
import type { TracesConsumer } from './consumer.js';
import { PermanentError, ShutdownError } from './errors.js';
import type { Counter } from './telemetry.js';
import type { TraceBatch } from '../protocol/otlp/model.js';
import { spanCount } from '../protocol/otlp/model.js';

export type ProcessFn = (batch: TraceBatch, host: Host) => TraceBatch | null;

export interface ProcessorHelperOptions {
  readonly settings: Settings;
  readonly next: TracesConsumer;
  readonly mutatesData: boolean;
  readonly process: ProcessFn;
  /** Extra start work (timers), after the helper has the host. */
  readonly start?: (host: Host) => Promise<void> | void;
  /** Extra shutdown work; runs once. */
  readonly shutdown?: () => Promise<void> | void;
}

export const PROCESSOR_INCOMING_ITEMS = 'otelcol_processor_incoming_items';
export const PROCESSOR_OUTGOING_ITEMS = 'otelcol_processor_outgoing_items';

/** The helper-built processor; `host` is available to subclasses of behaviour after start. */
export class HelperProcessor implements Component, TracesConsumer {
  readonly capabilities: { readonly mutatesData: boolean };
  private readonly _opts: ProcessorHelperOptions;
  private _host: Host | undefined;
  private _incoming: Counter | undefined;
  private _outgoing: Counter | undefined;
  private _state: 'created' | 'started' | 'stopped' = 'created';

  constructor(opts: ProcessorHelperOptions) {
    this._opts = opts;
    this.capabilities = { mutatesData: opts.mutatesData };
  }

  async start(host: Host): Promise<void> {
    if (this._state !== 'created') return;
    this._host = host;
    const labels = { processor: this._opts.settings.id, otel_signal: 'traces' };
    this._incoming = host.telemetry.counter(PROCESSOR_INCOMING_ITEMS, labels);
    this._outgoing = host.telemetry.counter(PROCESSOR_OUTGOING_ITEMS, labels);
    this._state = 'started';
    await this._opts.start?.(host);
  }

  async shutdown(): Promise<void> {
    if (this._state === 'stopped') return;
    const wasStarted = this._state === 'started';
    this._state = 'stopped';
    if (wasStarted) await this._opts.shutdown?.();
  }

  async consumeTraces(batch: TraceBatch): Promise<void> {
    if (this._state === 'stopped') throw new ShutdownError(this._opts.settings.id);
    const host = this._host;
    if (!host) throw new PermanentError(`${this._opts.settings.id} is not started`);
    this._incoming!.add(spanCount(batch));
    if (this._opts.mutatesData) dropEncodedBodies(batch);
    const out = this._opts.process(batch, host) as AccountedBatch | null;
    if (out === null) return;
    if (out !== batch && (batch as AccountedBatch).shadow) out.shadow = true;
    const n = spanCount(out);
    if (n === 0) return;
    this._outgoing!.add(n);
    await this._opts.next.consumeTraces(out);
  }
}

function dropEncodedBodies(batch: TraceBatch): void {
  for (const rs of batch.resourceSpans) for (const ss of rs.scopeSpans) if (ss.encoded !== undefined) ss.encoded = undefined;
}

export function processorHelper(opts: ProcessorHelperOptions): HelperProcessor {
  return new HelperProcessor(opts);
}
