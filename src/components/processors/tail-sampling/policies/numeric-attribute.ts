import type { AnyValue } from '../../../../protocol/otlp/model.js';
import { getAttribute } from '../../../../protocol/otlp/model.js';
import type { NumericAttributeConfig } from '../config.js';
import { type PolicyEvaluator, type PolicyOptions, type TraceView, type Decision } from './decision.js';
import { hasResourceOrSpanWithCondition, invertHasResourceOrSpanWithCondition } from './lookup.js';

const MIN_INT64 = -(1n << 63n);
const MAX_INT64 = (1n << 63n) - 1n;

/** pdata `Value.Int()`: the int64 of an int attribute, 0 for every other type (doubles too). */
function asInt(v: AnyValue): bigint {
  return typeof v === 'bigint' ? v : 0n;
}

/**
 * `numeric_attribute` (reference §2.3): resource or span attribute `key` with
 * `min <= Int() <= max`, both inclusive.
 *
 * Bounds: current — a bound that is omitted or 0 is unbounded (MinInt64/MaxInt64). Classic
 * (early-2025 builds, issue #41562) — a bound is taken as configured, an omitted one as 0, so
 * `min_value: 400` alone never matches. `min_value > max_value` is an empty range (nothing matches).
 *
 * Current: with both bounds 0 or omitted upstream builds no evaluator (`NewNumericAttributeFilter`
 * gets two nil pointers), so the config is refused when it is read (`config.ts`).
 */
export function createNumericAttributePolicy(cfg: NumericAttributeConfig, opts: PolicyOptions): PolicyEvaluator {
  let min: bigint;
  let max: bigint;
  if (opts.compat === 'current') {
    min = cfg.minValue === undefined || cfg.minValue === 0n ? MIN_INT64 : cfg.minValue;
    max = cfg.maxValue === undefined || cfg.maxValue === 0n ? MAX_INT64 : cfg.maxValue;
  } else {
    min = cfg.minValue ?? 0n;
    max = cfg.maxValue ?? 0n;
  }
  const key = cfg.key;
  const inRange = (v: AnyValue) => {
    const n = asInt(v);
    return n >= min && n <= max;
  };
  if (cfg.invertMatch) {
    const passes = (attrs: Parameters<typeof getAttribute>[0]) => {
      const v = getAttribute(attrs, key);
      return v === undefined || !inRange(v);
    };
    return { evaluate: (t: TraceView): Decision => invertHasResourceOrSpanWithCondition(t, passes, passes, opts.invertDecisions) };
  }
  const matches = (attrs: Parameters<typeof getAttribute>[0]) => {
    const v = getAttribute(attrs, key);
    return v !== undefined && inRange(v);
  };
  return { evaluate: (t: TraceView): Decision => hasResourceOrSpanWithCondition(t, matches, matches) };
}
