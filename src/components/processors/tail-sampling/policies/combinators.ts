import { Decision, type PolicyEvaluator, type TraceView } from './decision.js';

/**
 * `and` (reference §2.14): sub-policies in order; an error ⇒ Error; the first NotSampled or
 * InvertNotSampled ⇒ NotSampled; all Sampled/InvertSampled (or none) ⇒ Sampled.
 * `drop` (§2.15) is the same loop whose all-pass result is Dropped.
 */
function allPass(subs: readonly PolicyEvaluator[], pass: Decision): PolicyEvaluator {
  return {
    evaluate(t: TraceView, nowMs: number): Decision {
      for (const sub of subs) {
        const d = sub.evaluate(t, nowMs);
        if (d === Decision.Error) return Decision.Error;
        if (d === Decision.NotSampled || d === Decision.InvertNotSampled) return Decision.NotSampled;
      }
      return pass;
    },
  };
}

export function createAndPolicy(subs: readonly PolicyEvaluator[]): PolicyEvaluator {
  return allPass(subs, Decision.Sampled);
}

export function createDropPolicy(subs: readonly PolicyEvaluator[]): PolicyEvaluator {
  return allPass(subs, Decision.Dropped);
}

/** `not` (§2.16): Sampled ⇄ NotSampled; every other decision (Invert*, Error) passes through. */
export function createNotPolicy(sub: PolicyEvaluator): PolicyEvaluator {
  return {
    evaluate(t: TraceView, nowMs: number): Decision {
      const d = sub.evaluate(t, nowMs);
      if (d === Decision.Sampled) return Decision.NotSampled;
      if (d === Decision.NotSampled) return Decision.Sampled;
      return d;
    },
  };
}
