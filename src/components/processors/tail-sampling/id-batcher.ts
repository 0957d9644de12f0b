/**
 * The decision schedule (reference §3.1, upstream `internal/idbatcher`): a ring of
 * `N = max(1, trunc(decision_wait seconds))` batches plus the current batch. Each 1 s tick takes
 * the batch in slot `takeId % N`, puts the current batch in its place, starts a new current batch
 * and increments `takeId`. A trace added to the current batch between tick k-1 and tick k is
 * therefore taken at tick k+N: decided N to N+1 seconds after its first span.
 *
 * Batch ids are absolute tick indices: the batch taken at tick `t` (0-based) has id `t`; the
 * current batch has id `takeId + N`.
 */
export class IdBatcher {
  private readonly _slots: Set<string>[];
  private _current = new Set<string>();
  private _takeId = 0;
  readonly numBatches: number;

  constructor(numBatches: number) {
    this.numBatches = Math.max(1, Math.trunc(numBatches));
    this._slots = Array.from({ length: this.numBatches }, () => new Set<string>());
  }

  /** Adds `key` to the current batch; returns that batch's id. */
  addToCurrentBatch(key: string): number {
    this._current.add(key);
    return this._takeId + this.numBatches;
  }

  /**
   * Moves `key` from batch `fromId` to the batch taken `ticksFromNow` ticks from now
   * (0 = the next tick) if that is earlier. Returns the batch id the key is now in.
   */
  moveToEarlierBatch(key: string, fromId: number, ticksFromNow: number): number {
    const proposed = this._takeId + Math.max(0, Math.trunc(ticksFromNow));
    if (proposed >= fromId) return fromId;
    this._batch(fromId)?.delete(key);
    this._batch(proposed)?.add(key);
    return proposed;
  }

  /** Removes `key` from batch `id` (a trace decided before its tick). */
  remove(key: string, id: number): void {
    this._batch(id)?.delete(key);
  }

  /** The tick: returns the batch due now (in insertion order). */
  take(): Set<string> {
    const slot = this._takeId % this.numBatches;
    const taken = this._slots[slot]!;
    this._slots[slot] = this._current;
    this._current = new Set<string>();
    this._takeId++;
    return taken;
  }

  /** Every pending batch in the order the ticks would take them, current last (shutdown drain). */
  drain(): Set<string>[] {
    const out: Set<string>[] = [];
    for (let i = 0; i < this.numBatches; i++) out.push(this._slots[(this._takeId + i) % this.numBatches]!);
    out.push(this._current);
    for (let i = 0; i < this.numBatches; i++) this._slots[i] = new Set<string>();
    this._current = new Set<string>();
    return out;
  }

  private _batch(id: number): Set<string> | undefined {
    if (id === this._takeId + this.numBatches) return this._current;
    if (id < this._takeId || id > this._takeId + this.numBatches) return undefined;
    return this._slots[id % this.numBatches];
  }
}
