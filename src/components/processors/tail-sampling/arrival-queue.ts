/**
 * FIFO of items in arrival order with lazy removal (upstream current `deleteTraceQueue`): an item
 * that left elsewhere stays queued and is skipped when it reaches the front (`isLive` says
 * whether it still counts). Push and pop are amortized O(1): the consumed prefix is cut off
 * once it is larger than the live part.
 */
export class ArrivalQueue<T> {
  private _items: T[] = [];
  private _head = 0;
  private readonly _isLive: (item: T) => boolean;

  constructor(isLive: (item: T) => boolean) {
    this._isLive = isLive;
  }

  push(item: T): void {
    this._items.push(item);
  }

  /** Removes and returns the oldest live item, or undefined when none is left. */
  shiftLive(): T | undefined {
    while (this._head < this._items.length) {
      const item = this._items[this._head]!;
      this._head++;
      if (this._isLive(item)) {
        this._compact();
        return item;
      }
    }
    this._items = [];
    this._head = 0;
    return undefined;
  }

  private _compact(): void {
    if (this._head > 1024 && this._head * 2 > this._items.length) {
      this._items = this._items.slice(this._head);
      this._head = 0;
    }
  }
}
