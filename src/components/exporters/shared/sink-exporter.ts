/**
 * The lifecycle and bookkeeping every terminal, non-network exporter shares (`nop`, `debug`,
 * `file`, the storage sink): refuse before start and after shutdown, count
 * `otelcol_exporter_sent_spans` / `otelcol_exporter_send_failed_spans` (label `exporter`), and report
 * accepted spans to the ledger as exported.
 *
 * A failed `write` rejects with a `PermanentError` and is only counted in telemetry: the caller
 * that gives up on the batch (batch processor, receiver, engine) reports the loss to the ledger,
 * so a span is never accounted twice.
 */
import type { Component, Host, Settings } from '../../../pipeline/component.js';
import type { TracesConsumer } from '../../../pipeline/consumer.js';
import { PermanentError, ShutdownError, isPermanent } from '../../../pipeline/errors.js';
import type { Counter } from '../../../pipeline/telemetry.js';
import type { TraceBatch } from '../../../protocol/otlp/model.js';
import { spanCount } from '../../../protocol/otlp/model.js';

export const EXPORTER_SENT_SPANS = 'otelcol_exporter_sent_spans';
export const EXPORTER_SEND_FAILED_SPANS = 'otelcol_exporter_send_failed_spans';

export interface SinkBehaviour {
  write(batch: TraceBatch, host: Host): void | Promise<void>;
  start?(host: Host): void | Promise<void>;
  /** Flush and release; called once, only after a successful start. */
  shutdown?(): void | Promise<void>;
}

export class SinkExporter implements Component, TracesConsumer {
  readonly capabilities = { mutatesData: false };
  readonly id: string;
  private readonly _behaviour: SinkBehaviour;
  private _host: Host | undefined;
  private _sent: Counter | undefined;
  private _failed: Counter | undefined;
  private _state: 'created' | 'started' | 'stopped' = 'created';

  constructor(settings: Settings, behaviour: SinkBehaviour) {
    this.id = settings.id;
    this._behaviour = behaviour;
  }

  async start(host: Host): Promise<void> {
    if (this._state !== 'created') return;
    this._host = host;
    this._sent = host.telemetry.counter(EXPORTER_SENT_SPANS, { exporter: this.id });
    this._failed = host.telemetry.counter(EXPORTER_SEND_FAILED_SPANS, { exporter: this.id });
    await this._behaviour.start?.(host);
    this._state = 'started';
  }

  async shutdown(): Promise<void> {
    if (this._state === 'stopped') return;
    const wasStarted = this._state === 'started';
    this._state = 'stopped';
    if (wasStarted) await this._behaviour.shutdown?.();
  }

  async consumeTraces(batch: TraceBatch): Promise<void> {
    if (this._state === 'stopped') throw new ShutdownError(this.id);
    const host = this._host;
    if (!host || this._state !== 'started') throw new PermanentError(`${this.id} is not started`);
    const n = spanCount(batch);
    try {
      await this._behaviour.write(batch, host);
    } catch (err) {
      this._failed!.add(n);
      throw isPermanent(err) ? err : new PermanentError(`${this.id}: ${(err as Error).message ?? String(err)}`, { cause: err });
    }
    this._sent!.add(n);
    host.accounting.exported(batch, this.id);
  }
}
