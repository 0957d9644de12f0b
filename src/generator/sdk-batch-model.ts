/**
 * The OpenTelemetry SDK's BatchSpanProcessor for one service instance, as a pure state machine in
 * explicit (virtual) time. It runs on the main thread: an instance's queue receives spans from
 * traces made by different workers, and the result must not depend on the worker count.
 *
 * Modelled on OTel JS `BatchSpanProcessorBase` (sdk-trace-base 2.x):
 * - span end: if the queue holds `maxQueueSize` spans the span is dropped (`sdk_queue_full`);
 *   otherwise it is queued and the timer logic runs (below);
 * - timer logic (`_maybeStartTimer`): nothing while an export is in flight; if the queue holds at
 *   least `maxExportBatchSize` spans, export a batch now; else, if no timer runs, start one that
 *   exports `scheduledDelayMs` later;
 * - an export takes up to `maxExportBatchSize` spans from the queue head, cancels the timer, and
 *   keeps the exporter busy for `min(exportDurationMs, exportTimeoutMs)`; when it completes and
 *   spans remain, the timer logic runs again.
 * A span reaches the collector at its export time (`onExport(atMs, …)`), never before its end.
 *
 * Exports that are refused and retried (engine feedback, sim runs): the exporter stays busy while
 * the client retries — the SDK exports one request at a time, so spans pile up in the queue and
 * overflow it (`sdk_queue_full`), which is how an overloaded collector shows up at the source.
 * `holdExport(seq, startedAtMs)` says export `seq` did not complete on its first attempt: the
 * exporter is busy until it ends, `exportSettled(seq, atMs, roundTrip)` (+ `exportDurationMs` when
 * the last attempt's response is still to come, as in sim runs, where a refusal is instant), but
 * no later than `exportTimeoutMs` after it started, when the BSP stops waiting for it (its own
 * timeout on `exporter.export`) and moves on while the exporter may still be retrying. In sim runs the hold comes at the export's own time, so it is the export in flight.
 * Live runs against a remote target also hold an export whose answer is later than
 * `exportDurationMs` (from then until the answer). They learn of a refusal or a late answer after
 * the fact, when the model may have completed that export,
 * or even started the next (already on its way): the model is then busy again from the hold on,
 * until every held export has ended.
 *
 * Callers feed spans in non-decreasing end time and call `advanceTo(t)` before `spanEnded(t, …)`
 * so timers and export completions due at or before t happen first; `nextDueMs()` tells a
 * discrete-event loop when this instance next needs attention.
 */

export interface SdkBatchConfig {
  scheduledDelayMs: number;
  maxExportBatchSize: number;
  maxQueueSize: number;
  exportTimeoutMs: number;
  /** Assumed duration of one export (its round trip); capped by `exportTimeoutMs`. */
  exportDurationMs: number;
}

export interface SdkBatchSink<T> {
  /**
   * One export request leaving the SDK at `atMs` with `items` (1 … maxExportBatchSize, FIFO);
   * `seq` numbers the instance's exports from 0 (for `holdExport` / `exportSettled`).
   */
  onExport(atMs: number, items: T[], seq: number): void;
  /** A span dropped at `atMs` because the queue was full; `whileHeld` when a retried export kept the exporter busy. */
  onDrop(atMs: number, item: T, whileHeld: boolean): void;
}

export class SdkBatchModel<T> {
  private readonly _cfg: SdkBatchConfig;
  private readonly _sink: SdkBatchSink<T>;
  private _queue: T[] = [];
  private _head = 0;
  private _timerAtMs: number | undefined;
  private _exportDoneAtMs: number | undefined;
  /** Number of the last export. */
  private _exportSeq = -1;
  /** Held exports (their numbers) with the time the BSP stops waiting for each. */
  private readonly _holdDeadlines = new Map<number, number>();
  private _nowMs = -Infinity;
  /** Spans dropped because the queue was full. */
  droppedCount = 0;

  constructor(cfg: SdkBatchConfig, sink: SdkBatchSink<T>) {
    this._cfg = cfg;
    this._sink = sink;
  }

  /** Spans waiting in the queue. */
  get queued(): number {
    return this._queue.length - this._head;
  }

  /** The next time this instance acts by itself (timer or export completion), if any. */
  nextDueMs(): number | undefined {
    if (this._exportDoneAtMs !== undefined) return this._exportDoneAtMs;
    return this._timerAtMs;
  }

  /** Runs every timer and export completion due at or before `tMs`, in time order. */
  advanceTo(tMs: number): void {
    for (;;) {
      const due = this.nextDueMs();
      if (due === undefined || due > tMs) break;
      this._nowMs = due;
      if (this._exportDoneAtMs !== undefined) {
        this._exportDoneAtMs = undefined;
        this._holdDeadlines.clear(); // done at the last deadline: the BSP waits no more
        if (this.queued > 0) {
          this._timerAtMs = undefined;
          this._maybeStartTimer(due);
        }
      } else {
        this._timerAtMs = undefined;
        this._flush(due);
      }
    }
    if (tMs > this._nowMs) this._nowMs = tMs;
  }

  /**
   * Export `seq`, started at `startedAtMs`, was refused and will be retried: the exporter is busy
   * until it ends (`exportSettled`), at most until `startedAtMs + exportTimeoutMs`. If the model
   * was idle (it had completed the export already) it is busy again from now, and a timer started
   * meanwhile is cancelled, as no timer runs during an export. Returns false, changing nothing,
   * when that deadline has passed or `seq` was never exported.
   */
  holdExport(seq: number, startedAtMs: number): boolean {
    const deadlineMs = startedAtMs + this._cfg.exportTimeoutMs;
    if (seq > this._exportSeq || deadlineMs <= this._nowMs) return false;
    if (this._exportDoneAtMs === undefined) this._timerAtMs = undefined;
    this._holdDeadlines.set(seq, deadlineMs);
    this._exportDoneAtMs = Math.max(this._exportDoneAtMs ?? deadlineMs, deadlineMs);
    return true;
  }

  /** How long the model keeps the exporter busy for one export that is not held (its round trip). */
  get exportDurationMs(): number {
    return Math.min(this._cfg.exportDurationMs, this._cfg.exportTimeoutMs);
  }

  /** Whether a held export keeps the exporter busy. */
  get holding(): boolean {
    return this._holdDeadlines.size > 0;
  }

  /**
   * The held export `seq` ended at `atMs` (≥ every earlier call's time): its last attempt was
   * accepted, refused for good, or the client gave up. With `roundTrip` that attempt's response
   * arrives `exportDurationMs` later (sim: the refusal or acceptance itself was instant), without it
   * (live: `atMs` is when the response came; or the client was stopped) the exporter is free at
   * `atMs` — unless other held exports go on. Nothing happens when the BSP's timeout already ended
   * the wait.
   */
  exportSettled(seq: number, atMs: number, roundTrip: boolean): void {
    const deadlineMs = this._holdDeadlines.get(seq);
    if (deadlineMs === undefined) return;
    this._holdDeadlines.delete(seq);
    let doneMs = Math.min(deadlineMs, Math.max(this._nowMs, atMs + (roundTrip ? this._cfg.exportDurationMs : 0)));
    for (const other of this._holdDeadlines.values()) doneMs = Math.max(doneMs, other);
    this._exportDoneAtMs = doneMs;
  }

  /** A span ended at `tMs` (≥ every earlier call's time): queue it or drop it. */
  spanEnded(tMs: number, item: T): void {
    this.advanceTo(tMs);
    if (this.queued >= this._cfg.maxQueueSize) {
      this.droppedCount++;
      this._sink.onDrop(tMs, item, this._holdDeadlines.size > 0);
      return;
    }
    this._queue.push(item);
    this._maybeStartTimer(tMs);
  }

  private _maybeStartTimer(tMs: number): void {
    if (this._exportDoneAtMs !== undefined) return;
    if (this.queued >= this._cfg.maxExportBatchSize) {
      this._flush(tMs);
      return;
    }
    if (this._timerAtMs === undefined) this._timerAtMs = tMs + this._cfg.scheduledDelayMs;
  }

  private _flush(tMs: number): void {
    this._timerAtMs = undefined;
    const n = Math.min(this.queued, this._cfg.maxExportBatchSize);
    if (n === 0) return;
    const items = this._queue.slice(this._head, this._head + n);
    this._head += n;
    if (this._head > 4096 && this._head * 2 > this._queue.length) {
      this._queue = this._queue.slice(this._head);
      this._head = 0;
    }
    this._exportSeq++;
    this._exportDoneAtMs = tMs + Math.min(this._cfg.exportDurationMs, this._cfg.exportTimeoutMs);
    this._sink.onExport(tMs, items, this._exportSeq);
  }
}
