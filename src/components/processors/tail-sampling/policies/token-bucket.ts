/**
 * A token bucket with `golang.org/x/time/rate` semantics as the current `rate_limiting` and
 * `bytes_limiting` policies use it: the bucket starts full at `burst` tokens and refills
 * continuously at `ratePerSecond`; `allowN(now, n)` consumes `n` tokens if available and
 * otherwise consumes nothing; `n > burst` never passes. Time comes from the host clock.
 */
export class TokenBucket {
  private _tokens: number;
  private _lastMs: number | undefined;
  private readonly _ratePerSecond: number;
  private readonly _burst: number;

  constructor(ratePerSecond: number, burst: number) {
    this._ratePerSecond = ratePerSecond;
    this._burst = burst;
    this._tokens = burst;
  }

  allowN(nowMs: number, n: number): boolean {
    if (this._lastMs !== undefined && nowMs > this._lastMs) {
      this._tokens = Math.min(this._burst, this._tokens + ((nowMs - this._lastMs) / 1000) * this._ratePerSecond);
    }
    if (this._lastMs === undefined || nowMs > this._lastMs) this._lastMs = nowMs;
    if (n > this._burst || n > this._tokens) return false;
    this._tokens -= n;
    return true;
  }
}
