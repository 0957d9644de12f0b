/**
 * exporterhelper's in-memory `sending_queue` (reference storage-retention-drops.md §3.4): a
 * bounded FIFO of requests drained by `num_consumers` concurrent consumers.
 *
 * - Capacity is in requests (the upstream default `requests` sizer: one request = one batch).
 *   `size` counts requests waiting in the queue; a request a consumer has taken no longer
 *   counts (it is "in flight").
 * - `offer` never blocks (`block_on_overflow: false`): when the queue holds `capacity` requests
 *   it returns false and the caller reports `exporter_enqueue_failed`.
 * - Consumers are started on demand: an offer wakes an idle consumer while fewer than
 *   `num_consumers` are busy. No timers, so the queue behaves the same on both clocks.
 * - Storage is a ring buffer: O(1) offer and take, no `Array.shift()`.
 */
export class SendingQueue<T> {
  readonly capacity: number;
  private readonly _numConsumers: number;
  private readonly _consume: (item: T) => Promise<void>;
  private readonly _ring: (T | undefined)[];
  private _head = 0;
  private _size = 0;
  private _busy = 0;
  private _idleWaiters: (() => void)[] = [];

  constructor(capacity: number, numConsumers: number, consume: (item: T) => Promise<void>) {
    if (!(capacity >= 1)) throw new RangeError(`queue capacity must be >= 1, got ${capacity}`);
    if (!(numConsumers >= 1)) throw new RangeError(`num_consumers must be >= 1, got ${numConsumers}`);
    this.capacity = capacity;
    this._numConsumers = numConsumers;
    this._consume = consume;
    this._ring = new Array<T | undefined>(capacity);
  }

  /** Requests waiting (not yet taken by a consumer). */
  get size(): number {
    return this._size;
  }

  /** Requests being processed by consumers. */
  get inFlight(): number {
    return this._busy;
  }

  /** Enqueues `item`; false when the queue is full. */
  offer(item: T): boolean {
    if (this._size === this.capacity) return false;
    this._ring[(this._head + this._size) % this.capacity] = item;
    this._size++;
    if (this._busy < this._numConsumers) {
      this._busy++;
      void this._run();
    }
    return true;
  }

  /** Removes and returns every waiting request (shutdown: what could not be sent in time). */
  takeAll(): T[] {
    const out: T[] = [];
    let item = this._take();
    while (item !== undefined) {
      out.push(item);
      item = this._take();
    }
    return out;
  }

  /** Resolves when nothing is waiting and no consumer is busy. */
  whenIdle(): Promise<void> {
    if (this._size === 0 && this._busy === 0) return Promise.resolve();
    return new Promise((resolve) => this._idleWaiters.push(resolve));
  }

  private _take(): T | undefined {
    if (this._size === 0) return undefined;
    const item = this._ring[this._head];
    this._ring[this._head] = undefined;
    this._head = (this._head + 1) % this.capacity;
    this._size--;
    return item;
  }

  /** One consumer: takes requests until the queue is empty. `consume` must not reject. */
  private async _run(): Promise<void> {
    try {
      for (let item = this._take(); item !== undefined; item = this._take()) {
        await this._consume(item);
      }
    } finally {
      this._busy--;
      if (this._busy === 0 && this._size === 0) {
        const waiters = this._idleWaiters;
        this._idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }
}
