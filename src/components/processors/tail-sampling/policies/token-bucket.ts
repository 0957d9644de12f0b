/**
 * A token bucket with the `Limiter.AllowN` semantics of `golang.org/x/time/rate`, as the current
 * `rate_limiting` and `bytes_limiting` policies use it (time from the host clock):
 *
 * - the bucket starts full at `burst` tokens and refills at `ratePerSecond`, capped at `burst`;
 * - `allowN(now, n)` passes when `n <= burst` and the tokens cover `n`; only a granted request
 *   changes the state (tokens and the time they were counted at), a refused one leaves it as it
 *   was, so the refill after a refusal is computed from the last grant, in one step, as Go does;
 * - the refill is Go's `Duration.Seconds() × rate` on whole nanoseconds, and a shortfall that would
 *   take under 1 ns to refill passes (Go truncates the wait to whole nanoseconds), so the float
 *   arithmetic gives Go's answers bit for bit;
 * - rate 0: the burst is a one-off allowance that is used up and never refilled; a negative rate
 *   never refills an empty bucket.
 */
export class TokenBucket {
  private _tokens = 0;
  /** When `_tokens` was counted; undefined = never (Go's zero time: the first request sees a full bucket). */
  private _lastMs: number | undefined;
  private readonly _ratePerSecond: number;
  private _burst: number;

  constructor(ratePerSecond: number, burst: number) {
    this._ratePerSecond = ratePerSecond;
    this._burst = burst;
  }

  allowN(nowMs: number, n: number): boolean {
    if (this._ratePerSecond === 0) return this._takeFromBurst(n);
    const left = this._tokensAt(nowMs) - n;
    if (n > this._burst || (left < 0 && this._nanosToRefill(-left) > 0)) return false;
    this._tokens = left;
    this._lastMs = nowMs;
    return true;
  }

  /** Go's zero-limit branch: the burst itself is spent. */
  private _takeFromBurst(n: number): boolean {
    if (this._burst < n) return false;
    this._burst -= n;
    return true;
  }

  /** Tokens at `nowMs` (Go `advance`): a clock that went back refills nothing. */
  private _tokensAt(nowMs: number): number {
    if (this._lastMs === undefined) return this._ratePerSecond > 0 ? this._burst : 0;
    const elapsedMs = nowMs - Math.min(this._lastMs, nowMs);
    const refill = this._ratePerSecond > 0 ? goSeconds(elapsedMs) * this._ratePerSecond : 0;
    return Math.min(this._burst, this._tokens + refill);
  }

  /** Go `durationFromTokens`: whole nanoseconds to refill `tokens` (Infinity when nothing refills). */
  private _nanosToRefill(tokens: number): number {
    return this._ratePerSecond > 0 ? Math.trunc(1e9 * (tokens / this._ratePerSecond)) : Infinity;
  }
}

/** Go `time.Duration.Seconds()` of `ms` milliseconds: whole seconds plus the nanosecond remainder / 1e9. */
function goSeconds(ms: number): number {
  const ns = Math.round(ms * 1e6);
  const seconds = Math.trunc(ns / 1e9);
  return seconds + (ns - seconds * 1e9) / 1e9;
}
