import { Decision, isSampling, type PolicyEvaluator, type PolicyOptions, type TraceView } from './decision.js';

export interface CompositeSub {
  readonly name: string;
  readonly evaluator: PolicyEvaluator;
}

export interface CompositeSettings {
  readonly maxTotalSpansPerSecond: number;
  readonly subs: readonly CompositeSub[];
  readonly rateAllocation: readonly { policy: string; percent: number }[];
}

/**
 * Spans per second each sub-policy may sample (reference §2.17 `getRateAllocationMap`):
 * `defaultSPS = max_total / len(subs)` (float); a listed sub gets `percent/100 × max_total`
 * (or defaultSPS when percent <= 0); the allocation is truncated to an integer. A sub not listed
 * in `rate_allocation` gets 0 (classic) or defaultSPS (current, PR #49857).
 */
export function compositeAllocations(s: CompositeSettings, compat: 'current' | 'classic'): number[] {
  const defaultSps = s.subs.length > 0 ? s.maxTotalSpansPerSecond / s.subs.length : 0;
  const alloc = new Map<string, number>();
  for (const a of s.rateAllocation) alloc.set(a.policy, a.percent > 0 ? (a.percent / 100) * s.maxTotalSpansPerSecond : defaultSps);
  return s.subs.map((sub) => Math.trunc(alloc.get(sub.name) ?? (compat === 'current' ? defaultSps : 0)));
}

/**
 * `composite`: per whole clock second, each sub-policy has its own span budget. Subs are tried in
 * configuration order (`policy_order` is ignored, issue #36959); the first that votes to sample
 * decides: Sampled if its counter plus the trace's spans stays `<=` both its allocation and
 * `max_total_spans_per_second` (compared with the sub's own counter), else NotSampled — no
 * overflow to later subs. An error in a sub ⇒ Error.
 */
export function createCompositePolicy(s: CompositeSettings, opts: PolicyOptions): PolicyEvaluator {
  const allocated = compositeAllocations(s, opts.compat);
  const sampled = new Array<number>(s.subs.length).fill(0);
  let currentSecond = Number.NaN;
  let refusedByBudget = false;
  return {
    get lastRefusedByBudget() {
      return refusedByBudget;
    },
    evaluate(t: TraceView, nowMs: number): Decision {
      refusedByBudget = false;
      const second = Math.floor(nowMs / 1000);
      if (second !== currentSecond) {
        currentSecond = second;
        sampled.fill(0);
      }
      for (let i = 0; i < s.subs.length; i++) {
        const d = s.subs[i]!.evaluator.evaluate(t, nowMs);
        if (d === Decision.Error) return Decision.Error;
        if (isSampling(d)) {
          const n = sampled[i]! + t.spanCount;
          if (n <= allocated[i]! && n <= s.maxTotalSpansPerSecond) {
            sampled[i] = n;
            return Decision.Sampled;
          }
          refusedByBudget = true;
          return Decision.NotSampled;
        }
      }
      return Decision.NotSampled;
    },
  };
}
