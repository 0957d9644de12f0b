/**
 * The `batch` processor (reference storage-retention-drops.md §3.3) on the host clock:
 *
 * - `consumeTraces` buffers and resolves; sends happen inside the call that crosses
 *   `send_batch_size` (the awaited send is the analogue of upstream's blocking channel) or on the
 *   timer. Upstream returns before export, so errors from downstream are swallowed: the spans are
 *   reported to the ledger as dropped `batch_send_failed` (upstream only logs "Sender failed").
 * - Size trigger: while buffered ≥ `send_batch_size`, send `min(buffered, send_batch_max_size || ∞)`
 *   spans, then reset the timer. With `timeout: 0` every call sends everything it buffered.
 * - Timer: upstream runs a periodic timer reset after every send. Instead of ticking while idle,
 *   the next fire is computed from the last reset, `due = lastReset + k·timeout` for the smallest
 *   k with `due > now`, and armed only while something is buffered — the same instants as upstream.
 * - Two lanes: ledger batches and fan-out `shadow` copies are never merged together, so every sent
 *   batch keeps a single accounting status.
 * - Holds bytes: the collector's protobuf size of what is buffered (`pdataTracesSize`; the memory
 *   limiter's heap stand-in).
 * - `shutdown` stops intake and sends everything buffered; that last send counts as a timeout
 *   trigger, as upstream's shard loop sends it with `triggerTimeout`.
 *
 * Metrics: `otelcol_processor_incoming_items` / `outgoing_items` {processor, otel_signal},
 * `otelcol_processor_batch_batch_size_trigger_send`, `…_timeout_trigger_send` {processor},
 * `otelcol_processor_batch_batch_send_size` (histogram, spans per sent batch) {processor}. The
 * trigger counters and the send-size histogram record only sends the next consumer accepted
 * (upstream `shard.sendItems` returns before recording when the export fails).
 */
import type { AccountedBatch } from '../../../pipeline/accounting.js';
import type { Timer } from '../../../pipeline/clock.js';
import type { Component, Host, HoldsBytes, Settings } from '../../../pipeline/component.js';
import type { TracesConsumer } from '../../../pipeline/consumer.js';
import { PermanentError, ShutdownError } from '../../../pipeline/errors.js';
import { PROCESSOR_INCOMING_ITEMS, PROCESSOR_OUTGOING_ITEMS } from '../../../pipeline/processor-helper.js';
import type { Counter, Histogram } from '../../../pipeline/telemetry.js';
import type { TraceBatch } from '../../../protocol/otlp/model.js';
import { spanCount } from '../../../protocol/otlp/model.js';
import { pdataTracesSize } from '../../../protocol/otlp/pdata-size.js';
import type { BatchProcessorConfig } from './config.js';
import { mergeBatches, splitSpans } from './split.js';

interface Part {
  batch: TraceBatch;
  spans: number;
  bytes: number;
}

class Lane {
  readonly parts: Part[] = [];
  spans = 0;
  bytes = 0;
  readonly shadow: boolean;
  constructor(shadow: boolean) {
    this.shadow = shadow;
  }

  push(batch: TraceBatch): void {
    const spans = spanCount(batch);
    if (spans === 0) return;
    const bytes = pdataTracesSize(batch);
    this.parts.push({ batch, spans, bytes });
    this.spans += spans;
    this.bytes += bytes;
  }

  /** Removes and returns up to `limit` spans (0 = all), merged into one batch. */
  take(limit: number): TraceBatch {
    const want = limit > 0 ? Math.min(limit, this.spans) : this.spans;
    const taken: TraceBatch[] = [];
    let got = 0;
    while (got < want) {
      const part = this.parts[0]!;
      if (got + part.spans <= want) {
        this.parts.shift();
        taken.push(part.batch);
        got += part.spans;
        this.spans -= part.spans;
        this.bytes -= part.bytes;
      } else {
        const n = want - got;
        const { head, rest } = splitSpans(part.batch, n);
        const restBytes = pdataTracesSize(rest);
        this.bytes -= part.bytes - restBytes;
        this.spans -= n;
        part.batch = rest;
        part.spans -= n;
        part.bytes = restBytes;
        taken.push(head);
        got = want;
      }
    }
    const out: AccountedBatch = mergeBatches(taken);
    if (this.shadow) out.shadow = true;
    return out;
  }
}

export class BatchProcessor implements Component, TracesConsumer, HoldsBytes {
  readonly capabilities = { mutatesData: false };
  private readonly _id: string;
  private readonly _cfg: BatchProcessorConfig;
  private readonly _next: TracesConsumer;
  private readonly _lanes = [new Lane(false), new Lane(true)] as const;
  private _host: Host | undefined;
  private _state: 'created' | 'started' | 'stopped' = 'created';
  private _timer: Timer | undefined;
  private _lastResetMs = 0;
  private _m!: { incoming: Counter; outgoing: Counter; sizeTrigger: Counter; timeoutTrigger: Counter; sendSize: Histogram };

  constructor(settings: Settings, config: BatchProcessorConfig, next: TracesConsumer) {
    this._id = settings.id;
    this._cfg = config;
    this._next = next;
  }

  async start(host: Host): Promise<void> {
    if (this._state !== 'created') return;
    this._host = host;
    const p = { processor: this._id };
    const generic = { processor: this._id, otel_signal: 'traces' };
    this._m = {
      incoming: host.telemetry.counter(PROCESSOR_INCOMING_ITEMS, generic),
      outgoing: host.telemetry.counter(PROCESSOR_OUTGOING_ITEMS, generic),
      sizeTrigger: host.telemetry.counter('otelcol_processor_batch_batch_size_trigger_send', p),
      timeoutTrigger: host.telemetry.counter('otelcol_processor_batch_timeout_trigger_send', p),
      sendSize: host.telemetry.histogram('otelcol_processor_batch_batch_send_size', p),
    };
    this._lastResetMs = host.clock.nowMs();
    this._state = 'started';
  }

  heldBytes(): number {
    return this._lanes[0].bytes + this._lanes[1].bytes;
  }

  /** Spans currently buffered (both lanes). */
  heldSpans(): number {
    return this._lanes[0].spans + this._lanes[1].spans;
  }

  async consumeTraces(batch: TraceBatch): Promise<void> {
    if (this._state === 'stopped') throw new ShutdownError(this._id);
    if (this._state !== 'started') throw new PermanentError(`${this._id} is not started`);
    const lane = this._lanes[(batch as AccountedBatch).shadow ? 1 : 0];
    this._m.incoming.add(spanCount(batch));
    lane.push(batch);
    let sent = false;
    while (lane.spans > 0 && (this._cfg.timeoutMs === 0 || lane.spans >= this._cfg.sendBatchSize)) {
      sent = true;
      await this.send(lane.take(this._cfg.sendBatchMaxSize), this._m.sizeTrigger);
    }
    if (sent) {
      this._timer?.cancel();
      this._timer = undefined;
      this._lastResetMs = this._host!.clock.nowMs();
    }
    this.arm();
  }

  async shutdown(): Promise<void> {
    if (this._state === 'stopped') return;
    const wasStarted = this._state === 'started';
    this._state = 'stopped';
    this._timer?.cancel();
    this._timer = undefined;
    if (wasStarted) await this.flushAll(this._m.timeoutTrigger);
  }

  private arm(): void {
    if (this._timer || this._state !== 'started' || this._cfg.timeoutMs === 0 || this.heldSpans() === 0) return;
    const clock = this._host!.clock;
    const now = clock.nowMs();
    const k = Math.floor((now - this._lastResetMs) / this._cfg.timeoutMs) + 1;
    const due = this._lastResetMs + k * this._cfg.timeoutMs;
    this._timer = clock.setTimer(due - now, () => this.onTimeout());
  }

  private async onTimeout(): Promise<void> {
    this._timer = undefined;
    this._lastResetMs = this._host!.clock.nowMs();
    await this.flushAll(this._m.timeoutTrigger);
    this.arm();
  }

  private async flushAll(trigger: Counter): Promise<void> {
    for (const lane of this._lanes) {
      while (lane.spans > 0) await this.send(lane.take(this._cfg.sendBatchMaxSize), trigger);
    }
  }

  /** Sends `batch`; a failure is reported `batch_send_failed`, and only a success counts `trigger` and the send size. */
  private async send(batch: TraceBatch, trigger: Counter): Promise<void> {
    const n = spanCount(batch);
    this._m.outgoing.add(n);
    try {
      await this._next.consumeTraces(batch);
    } catch {
      this._host!.accounting.dropped(batch, this._id, 'batch_send_failed');
      return;
    }
    trigger.add(1);
    this._m.sendSize.record(n);
  }
}
