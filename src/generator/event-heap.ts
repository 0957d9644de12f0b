/**
 * A binary min-heap of discrete events ordered by (timeMs, kind, a, b): a total order, so the
 * pop sequence never depends on insertion order (and so never on worker count or timing).
 */

export interface HeapEvent {
  timeMs: number;
  /** Tie-break at equal times: lower kinds first. */
  kind: number;
  a: number;
  b: number;
}

function less(x: HeapEvent, y: HeapEvent): boolean {
  if (x.timeMs !== y.timeMs) return x.timeMs < y.timeMs;
  if (x.kind !== y.kind) return x.kind < y.kind;
  if (x.a !== y.a) return x.a < y.a;
  return x.b < y.b;
}

export class EventHeap<E extends HeapEvent> {
  private readonly _items: E[] = [];

  get size(): number {
    return this._items.length;
  }

  peek(): E | undefined {
    return this._items[0];
  }

  push(e: E): void {
    const items = this._items;
    let i = items.length;
    items.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(e, items[p]!)) break;
      items[i] = items[p]!;
      i = p;
    }
    items[i] = e;
  }

  pop(): E | undefined {
    const items = this._items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    const n = items.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && less(items[r]!, items[l]!) ? r : l;
      if (!less(items[c]!, last)) break;
      items[i] = items[c]!;
      i = c;
    }
    items[i] = last;
    return top;
  }
}
