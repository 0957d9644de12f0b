/**
 * The collector's exporterhelper for network exporters (`otlp`, `otlphttp`): sender chain
 * queue → telemetry → retry → timeout → transport (reference storage-retention-drops.md §3.4).
 *
 * ```
 * consumeTraces ─► encode ─► sending_queue ─► num_consumers × ─► sendWithRetry ─► transport
 *                              │ full                                 │
 *                              ▼                                      ▼
 *                exporter_enqueue_failed          exported · backend_partial_reject ·
 *                                                 exporter_send_failed_permanent ·
 *                                                 exporter_send_failed_retry_exhausted
 * ```
 *
 * Contracts:
 * - `sending_queue.queue_size` is in `sizer` units (`requests` by default, `items` = spans,
 *   `bytes` = OTLP protobuf bytes) and counts requests waiting **and** being sent: a request
 *   frees its place only when its send, retries included, is over (see sending-queue.ts).
 * - sim mode (`host.mode === 'sim'`) without a downstream model: nothing is sent. The batch is
 *   measured (`meter`, the storage meter every sink uses) and succeeds at once; the queue, retries
 *   and timeouts are bypassed — the backend is assumed healthy and fast. With one
 *   (`host.downstream`, the scenario's `downstream`), requests go through the queue, retries and
 *   timeouts to a simulated backend on the virtual clock (`SimBackendTransport`: its latency and
 *   outages). In live mode the meter records what the backend accepted, so every mode reports
 *   storage the same way.
 * - Every span handed to `consumeTraces` in live mode is accounted exactly once by this helper,
 *   under the outcomes shown above or `exporter_queue_dropped_on_shutdown`. Following the
 *   consumer contract (a stage that accounts a loss itself resolves), `consumeTraces` resolves
 *   even when the queue is full or, with the queue disabled, when the send finally failed; only
 *   a call after shutdown rejects. Upstream returns the queue-full error to the caller (the
 *   receiver then reports the spans refused) — the one divergence, so no span is counted twice.
 * - Partial success: the last `rejected_spans` spans are accounted `backend_partial_reject`
 *   (see split-batch.ts); `otelcol_exporter_sent_spans` counts the whole request as upstream does.
 * - Shutdown: refuse new data, stop retrying, let the consumers drain the queue (one attempt per
 *   request) for up to the drain timeout (`timeout`, or 5 s when `timeout` is 0), then drop what
 *   is still queued and cancel attempts in flight. In sim runs the virtual clock stands still at
 *   shutdown (the engine has already run it until nothing was in flight, or hit its drain limit),
 *   so there is no drain wait: what is still queued is dropped at once.
 */
import { setMaxListeners } from 'node:events';
import type { Component, HoldsBytes, Host, Settings } from '../../../pipeline/component.js';
import type { TracesConsumer } from '../../../pipeline/consumer.js';
import type { Counter } from '../../../pipeline/telemetry.js';
import { ShutdownError } from '../../../pipeline/errors.js';
import { InputError } from '../../../shared/errors.js';
import type { AccountedBatch, DropReason } from '../../../pipeline/accounting.js';
import { spanCount, type TraceBatch } from '../../../protocol/otlp/model.js';
import { pdataTracesSize } from '../../../protocol/otlp/pdata-size.js';
import { Random } from '../../../shared/random.js';
import type { Timer } from '../../../pipeline/clock.js';
import { sendWithRetry, type AttemptResult, type RetryConfig, type SendResult } from './retry.js';
import { SendingQueue } from './sending-queue.js';
import { SimBackendTransport } from './sim-backend.js';
import { splitLastSpans } from './split-batch.js';
import { StorageMeter } from './storage-meter.js';

/** How `queue_size` is measured (upstream `sizer`): per request, per span, or per OTLP protobuf byte. */
export type QueueSizer = 'requests' | 'items' | 'bytes';

export interface QueueConfig {
  enabled: boolean;
  numConsumers: number;
  /** Capacity in `sizer` units, counting requests waiting and in flight. */
  queueSize: number;
  sizer: QueueSizer;
}

/** Upstream `NewDefaultQueueConfig`: 10 consumers, 1000 requests. */
export function defaultQueueConfig(): QueueConfig {
  return { enabled: true, numConsumers: 10, queueSize: 1000, sizer: 'requests' };
}

/** The size of a request in `sizer` units (upstream `request.Sizer`). */
export function requestSizer(sizer: QueueSizer): (req: { batch: TraceBatch; spans: number }) => number {
  switch (sizer) {
    case 'requests':
      return () => 1;
    case 'items':
      return (req) => req.spans;
    case 'bytes':
      return (req) => pdataTracesSize(req.batch);
  }
}

export interface ExporterHelperConfig {
  /** Per-attempt timeout in ms; 0 = none. */
  timeoutMs: number;
  sendingQueue: QueueConfig;
  retryOnFailure: RetryConfig;
}

/** The network half of an exporter. `send` never throws: failures are values. */
export interface ExportTransport {
  /** The uncompressed request body for `batch`. */
  encode(batch: TraceBatch): Uint8Array;
  send(body: Uint8Array, signal: AbortSignal): Promise<AttemptResult>;
  close(): Promise<void>;
}

interface Request {
  batch: AccountedBatch;
  body: Uint8Array;
  spans: number;
}

const SHUTDOWN_DRAIN_FALLBACK_MS = 5_000;

/** A stable 32-bit seed from a component id (FNV-1a), so retry jitter is reproducible per exporter. */
export function seedFromId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Opens the transport of a live run (never called in sim). May be async so a transport's module
 * (and @grpc/grpc-js behind it) loads only when a run sends for real.
 */
export type OpenTransport = (host: Host) => ExportTransport | Promise<ExportTransport>;

export class QueuedRetryExporter implements Component, TracesConsumer, HoldsBytes {
  readonly capabilities = { mutatesData: false };
  private readonly _id: string;
  private readonly _cfg: ExporterHelperConfig;
  private readonly _openTransport: OpenTransport;
  private readonly _random: Random;
  private readonly _stopRetries = new AbortController();
  private readonly _abortAttempts = new AbortController();
  private readonly _inline = new Set<Promise<SendResult>>();
  private _host: Host | undefined;
  private _transport: ExportTransport | undefined;
  private _sim = false;
  /** What reached the backend (sim: everything handed in), in exact OTLP bytes. */
  readonly meter = new StorageMeter();
  private _queue: SendingQueue<Request> | undefined;
  private _heldBytes = 0;
  private _closed = false;
  private _shutdown: Promise<void> | undefined;
  private _sent: Counter | undefined;
  private _sendFailed: Counter | undefined;
  private _enqueueFailed: Counter | undefined;

  constructor(
    settings: Settings,
    cfg: ExporterHelperConfig,
    openTransport: OpenTransport,
  ) {
    this._id = settings.id;
    this._cfg = cfg;
    this._openTransport = openTransport;
    this._random = new Random(seedFromId(settings.id), 0x7e7, 0);
    // every attempt and retry wait in flight listens (each removed when it settles): no warning at 11
    setMaxListeners(0, this._stopRetries.signal, this._abortAttempts.signal);
  }

  async start(host: Host): Promise<void> {
    this._host = host;
    const labels = { exporter: this._id };
    this._sent = host.telemetry.counter('otelcol_exporter_sent_spans', labels);
    this._sendFailed = host.telemetry.counter('otelcol_exporter_send_failed_spans', labels);
    this._enqueueFailed = host.telemetry.counter('otelcol_exporter_enqueue_failed_spans', labels);
    if (host.mode === 'sim' && !host.downstream) {
      this._sim = true;
      return;
    }
    if (host.mode === 'sim' && !this._cfg.sendingQueue.enabled) {
      // Without a queue the send blocks its caller until the backend answers on the virtual clock,
      // which only the (waiting) engine advances. The run inputs refuse this (engine/downstream.ts).
      throw new InputError(`exporters.${this._id}: sending_queue.enabled: false cannot be simulated against a modelled downstream`);
    }
    this._transport = host.mode === 'sim' ? new SimBackendTransport(host.clock, host.downstream!, this._id) : await this._openTransport(host);
    const q = this._cfg.sendingQueue;
    if (q.enabled) {
      // The queue's consumers must not reject: a failure here would be a bug in accounting.
      const queue = new SendingQueue<Request>(
        q.queueSize,
        q.numConsumers,
        (req) =>
          this._send(req).then(
            () => undefined,
            (err: unknown) => host.log.warn(`${this._id}: internal error after export: ${err instanceof Error ? err.message : String(err)}`),
          ),
        requestSizer(q.sizer),
      );
      this._queue = queue;
      host.telemetry.gauge('otelcol_exporter_queue_size', labels, () => queue.size);
      host.telemetry.gauge('otelcol_exporter_queue_capacity', labels, () => queue.capacity);
    }
  }

  heldBytes(): number {
    return this._heldBytes;
  }

  /** Exact OTLP protobuf bytes that reached the backend (see `meter`). */
  storedBytes(): number {
    return this.meter.storedBytes();
  }
  /** gzip bytes of the same (sampled projection, see StorageMeter). */
  compressedBytes(): number {
    return this.meter.compressedBytes();
  }
  /** Spans that reached the backend. */
  spans(): number {
    return this.meter.spans();
  }

  /** `otelcol_exporter_queue_size`: sizer units of the requests waiting and in flight (0 without a queue). */
  get queueSize(): number {
    return this._queue?.size ?? 0;
  }

  async consumeTraces(batch: TraceBatch): Promise<void> {
    const host = this._host;
    if (this._closed || !host) throw new ShutdownError(this._id);
    const spans = spanCount(batch);
    if (this._sim) {
      this.meter.record(batch);
      this._sent!.add(spans);
      host.accounting.exported(batch, this._id);
      return;
    }
    const req: Request = { batch, body: this._transport!.encode(batch), spans };
    if (this._queue) {
      this._enqueue(this._queue, req);
      return;
    }
    this._heldBytes += req.body.length;
    const sending = this._send(req);
    this._inline.add(sending);
    await sending.finally(() => this._inline.delete(sending));
  }

  /**
   * Offers `req` to the queue. Full, or larger than the whole queue: accounted
   * `exporter_enqueue_failed` at once. Empty (0 spans with the `items` sizer): nothing to send.
   */
  private _enqueue(queue: SendingQueue<Request>, req: Request): void {
    const outcome = queue.offer(req);
    if (outcome === 'queued') {
      this._heldBytes += req.body.length;
      return;
    }
    if (outcome === 'empty') return;
    const host = this._host!;
    this._enqueueFailed!.add(req.spans);
    host.accounting.dropped(req.batch, this._id, 'exporter_enqueue_failed');
    const why = outcome === 'full' ? 'sending queue is full' : `request is larger than the sending queue (${queue.capacity} ${this._cfg.sendingQueue.sizer})`;
    // one line per exporter and cause (the run's log shows each text once): counts are in the report
    host.log.warn(`${this._id}: ${why}, dropping data (exporter_enqueue_failed)`);
  }

  /** One request through retry → timeout → transport, then its accounting. Never rejects. */
  private async _send(req: Request): Promise<SendResult> {
    const host = this._host!;
    const transport = this._transport!;
    let result: SendResult;
    try {
      result = await sendWithRetry((signal) => transport.send(req.body, signal), {
        clock: host.clock,
        retry: this._cfg.retryOnFailure,
        timeoutMs: this._cfg.timeoutMs,
        random: this._random,
        stopRetries: this._stopRetries.signal,
        abortAttempts: this._abortAttempts.signal,
      });
    } catch (err) {
      result = { kind: 'permanent', error: err instanceof Error ? err : new Error(String(err)), attempts: 1 };
    }
    this._heldBytes -= req.body.length;
    this._account(req, result);
    return result;
  }

  private _account(req: Request, result: SendResult): void {
    const host = this._host!;
    if (result.kind === 'success') {
      this._sent!.add(req.spans);
      const rejected = Math.min(req.spans, result.rejectedSpans);
      if (rejected > 0) {
        const { kept, rejected: lost } = splitLastSpans(req.batch, rejected);
        host.log.warn(`${this._id}: partial success, ${rejected} spans rejected: ${result.errorMessage}`);
        if (rejected < req.spans) {
          this.meter.record(kept);
          host.accounting.exported(kept, this._id);
        }
        host.accounting.dropped(lost, this._id, 'backend_partial_reject');
      } else {
        this.meter.record(req.batch);
        host.accounting.exported(req.batch, this._id);
      }
      return;
    }
    this._sendFailed!.add(req.spans);
    const reason: DropReason = result.kind === 'permanent' ? 'exporter_send_failed_permanent' : 'exporter_send_failed_retry_exhausted';
    host.log.warn(`${this._id}: exporting failed, dropping data (${reason}): ${result.error.message}`);
    host.accounting.dropped(req.batch, this._id, reason);
  }

  shutdown(): Promise<void> {
    this._shutdown ??= this._doShutdown();
    return this._shutdown;
  }

  private async _doShutdown(): Promise<void> {
    this._closed = true;
    const host = this._host;
    if (!host) return;
    this._stopRetries.abort();
    const queue = this._queue;
    if (queue) {
      if (host.mode !== 'sim') {
        const drainMs = this._cfg.timeoutMs > 0 ? this._cfg.timeoutMs : SHUTDOWN_DRAIN_FALLBACK_MS;
        let timer: Timer | undefined;
        await Promise.race([queue.whenIdle(), new Promise<void>((resolve) => (timer = host.clock.setTimer(drainMs, resolve)))]);
        timer?.cancel();
      }
      for (const req of queue.takeAll()) {
        this._heldBytes -= req.body.length;
        host.accounting.dropped(req.batch, this._id, 'exporter_queue_dropped_on_shutdown');
      }
    }
    this._abortAttempts.abort();
    if (queue) await queue.whenIdle();
    await Promise.all(this._inline);
    await this._transport?.close();
  }
}
