/**
 * The decision schedule (reference §3.1, upstream `internal/idbatcher`): a ring of
 * `N = max(1, trunc(decision_wait seconds))` batches plus the current batch. Each 1 s tick takes
 * the batch in slot `takeId % N`, puts the current batch in its place, starts a new current batch
 * and increments `takeId`. An item added to the current batch between tick k-1 and tick k is
 * therefore taken at tick k+N: decided N to N+1 seconds after its first span.
 *
 * Batch ids are absolute tick indices: the batch taken at tick `t` (0-based) has id `t`; the
 * current batch has id `takeId + N`. Batches are plain arrays; an item that moves to an earlier
 * batch is added there and left in its old batch, and the owner skips entries whose recorded
 * batch id differs from the batch being taken (no per-batch hash sets).
 */
export interface TakenBatch<T> {
  readonly id: number;
  readonly items: readonly T[];
}

export class IdBatcher<T> {
  private readonly _slots: T[][];
  private _current: T[] = [];
  private _takeId = 0;
  readonly numBatches: number;

  constructor(numBatches: number) {
    this.numBatches = Math.max(1, Math.trunc(numBatches));
    this._slots = Array.from({ length: this.numBatches }, () => []);
  }

  /** Adds `item` to the current batch; returns that batch's id. */
  addToCurrentBatch(item: T): number {
    this._current.push(item);
    return this._takeId + this.numBatches;
  }

  /**
   * Adds `item` to the batch taken `ticksFromNow` ticks from now (0 = the next tick) if that is
   * earlier than `fromId`. Returns the batch id the item now counts in.
   */
  moveToEarlierBatch(item: T, fromId: number, ticksFromNow: number): number {
    const proposed = this._takeId + Math.max(0, Math.trunc(ticksFromNow));
    if (proposed >= fromId) return fromId;
    this._slots[proposed % this.numBatches]!.push(item);
    return proposed;
  }

  /** The tick: the batch due now, in insertion order. */
  take(): TakenBatch<T> {
    const slot = this._takeId % this.numBatches;
    const taken = { id: this._takeId, items: this._slots[slot]! };
    this._slots[slot] = this._current;
    this._current = [];
    this._takeId++;
    return taken;
  }

  /** Every pending batch in the order the ticks would take them, current last (shutdown drain). */
  drain(): TakenBatch<T>[] {
    const out: TakenBatch<T>[] = [];
    for (let i = 0; i < this.numBatches; i++) out.push({ id: this._takeId + i, items: this._slots[(this._takeId + i) % this.numBatches]! });
    out.push({ id: this._takeId + this.numBatches, items: this._current });
    for (let i = 0; i < this.numBatches; i++) this._slots[i] = [];
    this._current = [];
    return out;
  }
}
