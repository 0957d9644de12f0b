import { Decision } from './policies/decision.js';

/**
 * Combines policy votes into the final decision (reference §3.4, upstream `makeDecision`).
 * Feed votes in evaluation order with `add`; it answers whether evaluation continues (it stops
 * after Dropped, and after a plain Sampled with `sample_on_first_match`). Errors are ignored.
 *
 * final = Dropped if any Dropped; else NotSampled if any InvertNotSampled; else Sampled if any
 * Sampled; else Sampled if any InvertSampled and no NotSampled; else NotSampled (also when
 * nothing voted). `sampler` is the vote credited: the first Sampled, or in the fourth rule the
 * first InvertSampled. Reusable: `reset()` before each trace.
 */
export class DecisionCombiner {
  private readonly _sampleOnFirstMatch: boolean;
  private _dropped = false;
  private _invertNotSampled = false;
  private _notSampled = false;
  private _firstSampled = -1;
  private _firstInvertSampled = -1;
  private _position = 0;

  constructor(sampleOnFirstMatch: boolean) {
    this._sampleOnFirstMatch = sampleOnFirstMatch;
  }

  reset(): void {
    this._dropped = false;
    this._invertNotSampled = false;
    this._notSampled = false;
    this._firstSampled = -1;
    this._firstInvertSampled = -1;
    this._position = 0;
  }

  /** Records the vote of the next policy; false = evaluate no further policies. */
  add(d: Decision): boolean {
    const position = this._position++;
    switch (d) {
      case Decision.Error:
      case Decision.Pending:
        return true;
      case Decision.Dropped:
        this._dropped = true;
        return false;
      case Decision.InvertNotSampled:
        this._invertNotSampled = true;
        return true;
      case Decision.NotSampled:
        this._notSampled = true;
        return true;
      case Decision.InvertSampled:
        if (this._firstInvertSampled < 0) this._firstInvertSampled = position;
        return true;
      case Decision.Sampled:
        if (this._firstSampled < 0) this._firstSampled = position;
        return !this._sampleOnFirstMatch;
    }
  }

  final(): Decision {
    if (this._dropped) return Decision.Dropped;
    if (this._invertNotSampled) return Decision.NotSampled;
    if (this._firstSampled >= 0) return Decision.Sampled;
    if (this._firstInvertSampled >= 0 && !this._notSampled) return Decision.Sampled;
    return Decision.NotSampled;
  }

  /** Position (in evaluation order) of the vote credited with a Sampled final decision, or -1. */
  sampler(): number {
    if (this.final() !== Decision.Sampled) return -1;
    return this._firstSampled >= 0 ? this._firstSampled : this._firstInvertSampled;
  }
}
