/**
 * The main-thread side of generation: a piscina pool running `worker/entry.ts`, or the same
 * function in-process when `workers` is 0.
 *
 *   main thread                                   worker threads (piscina)
 *   ───────────                                   ────────────────────────
 *   ArrivalSchedule ─► task = trace range +        generateChunk(task):
 *     arrival offsets + scenario bytes ─────────►    compile scenario (cached by key;
 *     (structured clone)                             bytes deserialized on a miss only)
 *                                                    trace i = streamTrace(seed, i, t_i)
 *                                                    each span stamped into its operation's
 *                                                    pre-encoded template, one buffer per task
 *   GenerateResult ◄── transferred ArrayBuffers ◄─   columnar metadata + span bytes
 *        │             (Piscina Transferable, no copy)
 *   spent span buffers ─► back with a later task (`recycled`, transferred) ─► reused by a worker
 *        ▼
 *   traffic.ts: merge chunks in index order → SDK batch model per instance → export events
 *
 * Options chosen on purpose: `maxQueue` bounds submitted-but-unstarted tasks (the traffic source
 * keeps at most `2 × workers` in flight, so hitting it is a bug and fails loudly);
 * `atomics: 'disabled'` because tasks are coarse (milliseconds each), so the message-port
 * hand-off costs nothing measurable and idle workers need not spin in `Atomics.wait`.
 */
import { Piscina } from 'piscina';
import { generateChunk } from './worker/generate-chunk.js';
import type { GenerateResult, GenerateTask } from './worker/messages.js';
import { generatorWorkerPath } from './worker-path.js';

export interface GeneratorPoolOptions {
  /** Worker threads; 0 generates in-process on the calling thread. */
  workers: number;
}

export class GeneratorPool {
  readonly workers: number;
  private readonly _piscina: Piscina | undefined;
  private _closed = false;
  /** An error the pool emitted outside any task (piscina's 'error' event), raised by the next run(). */
  private _poolError: Error | undefined;

  constructor(options: GeneratorPoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 0) throw new RangeError(`workers must be an integer ≥ 0, got ${options.workers}`);
    this.workers = options.workers;
    this._piscina =
      options.workers === 0
        ? undefined
        : new Piscina({
            filename: generatorWorkerPath(),
            minThreads: options.workers,
            maxThreads: options.workers,
            maxQueue: options.workers * 4,
            concurrentTasksPerWorker: 1,
            atomics: 'disabled',
            idleTimeout: 60_000,
          });
    // Piscina emits 'error' (and an unlistened EventEmitter error is an uncaught exception) when a
    // worker answers a task it no longer tracks — the result of a task cut short by close(), as when
    // a run is interrupted. After close that is expected and harmless; before close it is a fault
    // the next run() reports.
    this._piscina?.on('error', (err: Error) => {
      if (!this._closed) this._poolError = err;
    });
  }

  /**
   * Runs one task; with 0 workers, synchronously on this thread (still resolves asynchronously).
   * `task.recycled` buffers are transferred (detached here).
   */
  async run(task: GenerateTask): Promise<GenerateResult> {
    if (this._piscina === undefined) return generateChunk(task);
    if (this._poolError !== undefined) throw this._poolError;
    const transferList = task.recycled ?? [];
    return (await this._piscina.run(task, { transferList })) as GenerateResult;
  }

  async close(): Promise<void> {
    this._closed = true;
    await this._piscina?.destroy();
  }
}
