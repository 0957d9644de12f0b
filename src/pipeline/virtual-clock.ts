import { msToNanos, type Clock, type Timer, type TimerCallback } from './clock.js';

/**
 * The virtual clock of sim and replay runs: time stands still until the engine calls
 * `advanceTo`, which fires every due timer in (due time, creation order) and awaits each
 * callback before the next, so the interleaving is a pure function of the inputs. After each
 * callback the microtask queue is drained (one `setImmediate`): work a callback set off without
 * awaiting it — an exporter's retry loop continuing after its backend answered — runs, and sets
 * its next timer, at the virtual time it fired, before the clock looks for the next timer.
 *
 * Timers sit in a binary min-heap: O(log n) to set and to fire; a cancelled timer stays in the
 * heap, marked, and is skipped when it surfaces (cheaper than a heap delete).
 */
export class VirtualClock implements Clock {
  private _nowMs: number;
  private readonly _heap: TimerEntry[] = [];
  private _sequence = 0;

  constructor(startMs: number) {
    this._nowMs = startMs;
  }

  nowMs(): number {
    return this._nowMs;
  }

  nowUnixNanos(): bigint {
    return msToNanos(this._nowMs);
  }

  setTimer(delayMs: number, callback: TimerCallback): Timer {
    return this._push(this._nowMs + Math.max(0, delayMs), 0, callback);
  }

  setInterval(intervalMs: number, callback: TimerCallback): Timer {
    if (!(intervalMs > 0)) throw new RangeError(`interval must be > 0 ms, got ${intervalMs}`);
    return this._push(this._nowMs + intervalMs, intervalMs, callback);
  }

  /** Due time of the earliest pending timer, or undefined when none is pending. */
  nextDueMs(): number | undefined {
    this._discardCancelled();
    return this._heap[0]?.dueMs;
  }

  /** Number of live timers (intervals count as one each). */
  pendingTimers(): number {
    let n = 0;
    for (const e of this._heap) if (!e.cancelled) n++;
    return n;
  }

  /**
   * Fires, in order, every timer due at or before `targetMs`, then sets the time to `targetMs`.
   * Timers set by callbacks for times ≤ `targetMs` fire in the same call. Time never goes back.
   */
  async advanceTo(targetMs: number): Promise<void> {
    for (;;) {
      this._discardCancelled();
      const top = this._heap[0];
      if (!top || top.dueMs > targetMs) break;
      this._pop();
      this._nowMs = Math.max(this._nowMs, top.dueMs);
      if (top.intervalMs > 0) {
        top.dueMs += top.intervalMs;
        top.sequence = this._sequence++;
        this._insert(top);
      }
      await top.callback();
      await drainMicrotasks();
    }
    this._nowMs = Math.max(this._nowMs, targetMs);
  }

  private _push(dueMs: number, intervalMs: number, callback: TimerCallback): Timer {
    const entry: TimerEntry = { dueMs, intervalMs, callback, sequence: this._sequence++, cancelled: false };
    this._insert(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  private _discardCancelled(): void {
    while (this._heap.length > 0 && this._heap[0]!.cancelled) this._pop();
  }

  private _insert(entry: TimerEntry): void {
    const heap = this._heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private _pop(): void {
    const heap = this._heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  }
}

interface TimerEntry {
  dueMs: number;
  intervalMs: number;
  callback: TimerCallback;
  sequence: number;
  cancelled: boolean;
}

function before(a: TimerEntry, b: TimerEntry): boolean {
  return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.sequence < b.sequence);
}

/** Resolves once every microtask queued so far (and any they queue) has run. */
function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
