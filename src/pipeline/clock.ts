/**
 * Time as components see it. The host owns the clock: a virtual clock in sim and replay runs
 * (time advances only when the engine moves it), the wall clock in live runs and in
 * `tracesim collector`. No component reads `Date.now()` or calls `setTimeout` itself, so one
 * implementation serves both modes and sim runs are deterministic.
 */
export interface Clock {
  /** Current time in milliseconds since the Unix epoch (fractional in sim mode). */
  nowMs(): number;
  /** Current time in nanoseconds since the Unix epoch, for comparisons with span timestamps. */
  nowUnixNanos(): bigint;
  /**
   * Runs `callback` once, `delayMs` from now. In virtual time, timers due at the same instant fire
   * in the order they were set, and the clock awaits a returned promise before firing the next
   * timer, so every run of the same inputs interleaves identically.
   */
  setTimer(delayMs: number, callback: TimerCallback): Timer;
  /** Runs `callback` every `intervalMs`, first at now + `intervalMs`. */
  setInterval(intervalMs: number, callback: TimerCallback): Timer;
}

export type TimerCallback = () => void | Promise<void>;

export interface Timer {
  /** Idempotent; a cancelled timer never fires again. */
  cancel(): void;
}

/** Milliseconds → bigint nanoseconds, exact for integral milliseconds. */
export function msToNanos(ms: number): bigint {
  const whole = Math.trunc(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
}

/** Nanoseconds → milliseconds as a float (loses sub-nanosecond precision only). */
export function nanosToMs(nanos: bigint): number {
  return Number(nanos / 1_000n) / 1_000;
}
