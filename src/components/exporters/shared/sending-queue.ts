/**
 * exporterhelper's in-memory `sending_queue` (reference storage-retention-drops.md §3.4; upstream
 * `exporterhelper/internal/queuebatch/memory_queue.go` and `async_queue.go`): a bounded FIFO of
 * requests drained by `num_consumers` concurrent consumers.
 *
 * - Capacity is in sizer units: every request has a size `sizeOf(request)` (the `requests` sizer:
 *   1; `items`: its spans; `bytes`: its OTLP protobuf bytes). `size` is the sum over requests
 *   waiting **and** in flight: a request keeps its place until its consumer is done with it
 *   (send and retries), as upstream releases it only in the request's `OnDone`.
 * - `offer` never blocks (`block_on_overflow: false`):
 *     size(request) = 0               → 'empty' (nothing queued; upstream ignores empty requests)
 *     size(request) > capacity        → 'too_large' (could never fit)
 *     size + size(request) > capacity → 'full'
 *   and the caller reports `exporter_enqueue_failed` for the last two.
 * - Consumers are started on demand: an offer wakes an idle consumer while fewer than
 *   `num_consumers` are busy. No timers, so the queue behaves the same on both clocks.
 * - Storage is a growable ring buffer: O(1) offer and take, no `Array.shift()`, and no up-front
 *   allocation of `capacity` slots (an `items` capacity can be millions).
 */
export type OfferResult = 'queued' | 'empty' | 'too_large' | 'full';

const INITIAL_SLOTS = 16;

export class SendingQueue<T> {
  readonly capacity: number;
  private readonly _numConsumers: number;
  private readonly _consume: (item: T) => Promise<void>;
  private readonly _sizeOf: (item: T) => number;
  private _ring: ({ item: T; size: number } | undefined)[] = new Array(INITIAL_SLOTS);
  private _head = 0;
  private _waiting = 0;
  private _used = 0;
  private _busy = 0;
  private _idleWaiters: (() => void)[] = [];

  constructor(capacity: number, numConsumers: number, consume: (item: T) => Promise<void>, sizeOf: (item: T) => number = () => 1) {
    if (!(capacity >= 1)) throw new RangeError(`queue capacity must be >= 1, got ${capacity}`);
    if (!(numConsumers >= 1)) throw new RangeError(`num_consumers must be >= 1, got ${numConsumers}`);
    this.capacity = capacity;
    this._numConsumers = numConsumers;
    this._consume = consume;
    this._sizeOf = sizeOf;
  }

  /** Sizer units held: requests waiting plus requests in flight (upstream `Size()`). */
  get size(): number {
    return this._used;
  }

  /** Requests waiting (not yet taken by a consumer). */
  get waiting(): number {
    return this._waiting;
  }

  /** Requests being processed by consumers. */
  get inFlight(): number {
    return this._busy;
  }

  /** Enqueues `item` unless it is empty, larger than the capacity, or does not fit now. */
  offer(item: T): OfferResult {
    const size = this._sizeOf(item);
    if (size === 0) return 'empty';
    if (size > this.capacity) return 'too_large';
    if (this._used + size > this.capacity) return 'full';
    if (this._waiting === this._ring.length) this._grow();
    this._ring[(this._head + this._waiting) % this._ring.length] = { item, size };
    this._waiting++;
    this._used += size;
    if (this._busy < this._numConsumers) {
      this._busy++;
      void this._run();
    }
    return 'queued';
  }

  /** Removes and returns every waiting request (shutdown: what could not be sent in time). */
  takeAll(): T[] {
    const out: T[] = [];
    for (let slot = this._take(); slot !== undefined; slot = this._take()) {
      this._used -= slot.size;
      out.push(slot.item);
    }
    return out;
  }

  /** Resolves when nothing is waiting and no consumer is busy. */
  whenIdle(): Promise<void> {
    if (this._waiting === 0 && this._busy === 0) return Promise.resolve();
    return new Promise((resolve) => this._idleWaiters.push(resolve));
  }

  private _take(): { item: T; size: number } | undefined {
    if (this._waiting === 0) return undefined;
    const slot = this._ring[this._head];
    this._ring[this._head] = undefined;
    this._head = (this._head + 1) % this._ring.length;
    this._waiting--;
    return slot;
  }

  /** Doubles the ring, keeping FIFO order from index 0. */
  private _grow(): void {
    const next: ({ item: T; size: number } | undefined)[] = new Array(this._ring.length * 2);
    for (let i = 0; i < this._waiting; i++) next[i] = this._ring[(this._head + i) % this._ring.length];
    this._ring = next;
    this._head = 0;
  }

  /** One consumer: takes requests until none is waiting; each frees its size when consumed. `consume` must not reject. */
  private async _run(): Promise<void> {
    try {
      for (let slot = this._take(); slot !== undefined; slot = this._take()) {
        try {
          await this._consume(slot.item);
        } finally {
          this._used -= slot.size;
        }
      }
    } finally {
      this._busy--;
      if (this._busy === 0 && this._waiting === 0) {
        const waiters = this._idleWaiters;
        this._idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }
}
