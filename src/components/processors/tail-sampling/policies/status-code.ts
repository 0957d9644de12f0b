import type { StatusCodeConfig } from '../config.js';
import type { Span, StatusCode } from '../../../../protocol/otlp/model.js';
import { Decision, type PolicyEvaluator, type TraceView } from './decision.js';
import { hasSpanWithCondition } from './lookup.js';

const CODES: Record<'OK' | 'ERROR' | 'UNSET', StatusCode> = { UNSET: 0, OK: 1, ERROR: 2 };

/** `status_code` (reference §2.5): Sampled if any span's status code is in the set. */
export function createStatusCodePolicy(cfg: StatusCodeConfig): PolicyEvaluator {
  let mask = 0; // bit c set ⇔ status code c wanted
  for (const c of cfg.statusCodes) mask |= 1 << CODES[c];
  const hasWantedStatus = (s: Span) => ((mask >> s.status.code) & 1) === 1;
  return {
    // The summary's mask has bit `c & 31` for every status code c seen, as `mask >> c` tests it.
    evaluate: (t: TraceView): Decision =>
      t.summary ? ((t.summary.statusMask & mask) !== 0 ? Decision.Sampled : Decision.NotSampled) : hasSpanWithCondition(t, hasWantedStatus),
  };
}
