import type { Clock, Timer, TimerCallback } from './clock.js';

/**
 * The wall clock of live runs and `tracesim collector`. This file and the engine's pacing are
 * the only places that read system time or set real timers. Timers are `unref`ed so they never
 * keep the process alive on their own; a rejected callback is handed to `onError`.
 */
export class WallClock implements Clock {
  private readonly _originMs = Date.now();
  private readonly _originHr = process.hrtime.bigint();

  private readonly _onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void = () => {}) {
    this._onError = onError;
  }

  nowMs(): number {
    return this._originMs + Number(process.hrtime.bigint() - this._originHr) / 1e6;
  }

  nowUnixNanos(): bigint {
    return BigInt(this._originMs) * 1_000_000n + (process.hrtime.bigint() - this._originHr);
  }

  setTimer(delayMs: number, callback: TimerCallback): Timer {
    const handle = setTimeout(() => this._run(callback), Math.max(0, delayMs));
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  }

  setInterval(intervalMs: number, callback: TimerCallback): Timer {
    const handle = setInterval(() => this._run(callback), intervalMs);
    handle.unref();
    return { cancel: () => clearInterval(handle) };
  }

  private _run(callback: TimerCallback): void {
    try {
      const result = callback();
      if (result) result.catch(this._onError);
    } catch (err) {
      this._onError(err);
    }
  }
}
