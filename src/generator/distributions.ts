/**
 * Duration samplers for the scenario's distributions (latencies, async delays). Each takes the
 * trace's `Random` and returns milliseconds ≥ 0. Pure; worker-safe.
 */
import type { Random } from '../shared/random.js';
import type { Distribution } from '../scenario/schema.js';

export type Sampler = (r: Random) => number;

/**
 * The knots of a percentile distribution's quantile function Q(u), u ∈ [0, 1]. Missing ends are
 * filled: Q(0) = half the lowest given percentile, Q(1) = twice the highest. Between knots Q is
 * linear, so it is monotone and passes exactly through every configured percentile: a sample
 * Q(U) with U uniform has exactly the configured pNN as its NN-th percentile.
 */
export function percentileKnots(points: readonly { q: number; ms: number }[]): { q: number; ms: number }[] {
  const knots = [...points];
  if (knots[0]!.q > 0) knots.unshift({ q: 0, ms: knots[0]!.ms / 2 });
  if (knots[knots.length - 1]!.q < 1) knots.push({ q: 1, ms: knots[knots.length - 1]!.ms * 2 });
  return knots;
}

/** Builds a sampler for `d`. */
export function createSampler(d: Distribution): Sampler {
  switch (d.type) {
    case 'constant': {
      const ms = d.ms;
      return () => ms;
    }
    case 'lognormal': {
      const { medianMs, sigma } = d;
      return (r) => medianMs * Math.exp(sigma * r.nextGaussian());
    }
    case 'exponential': {
      const { meanMs, minMs } = d;
      return (r) => minMs + r.nextExponential(meanMs);
    }
    case 'percentiles': {
      const knots = percentileKnots(d.points);
      const qs = Float64Array.from(knots, (k) => k.q);
      const vs = Float64Array.from(knots, (k) => k.ms);
      return (r) => {
        const u = r.nextFloat();
        let i = 1;
        while (i < qs.length - 1 && qs[i]! < u) i++;
        const q0 = qs[i - 1]!;
        const q1 = qs[i]!;
        const v0 = vs[i - 1]!;
        return q1 === q0 ? v0 : v0 + ((vs[i]! - v0) * (u - q0)) / (q1 - q0);
      };
    }
  }
}

/** The distribution's mean in ms, analytically (used by the derived-load estimate). */
export function distributionMeanMs(d: Distribution): number {
  switch (d.type) {
    case 'constant':
      return d.ms;
    case 'lognormal':
      return d.medianMs * Math.exp((d.sigma * d.sigma) / 2);
    case 'exponential':
      return d.minMs + d.meanMs;
    case 'percentiles': {
      // ∫ Q(u) du of a piecewise-linear Q: the trapezoid rule is exact.
      const k = percentileKnots(d.points);
      let mean = 0;
      for (let i = 1; i < k.length; i++) mean += ((k[i]!.ms + k[i - 1]!.ms) / 2) * (k[i]!.q - k[i - 1]!.q);
      return mean;
    }
  }
}
