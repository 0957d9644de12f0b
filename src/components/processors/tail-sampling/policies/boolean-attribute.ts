import type { KeyValue } from '../../../../protocol/otlp/model.js';
import { getAttribute } from '../../../../protocol/otlp/model.js';
import type { BooleanAttributeConfig } from '../config.js';
import type { Decision, PolicyEvaluator, PolicyOptions, TraceView } from './decision.js';
import { hasResourceOrSpanWithCondition, invertHasResourceOrSpanWithCondition } from './lookup.js';

/**
 * `boolean_attribute` (reference §2.7): resource or span attribute `key` present and
 * `Bool() == value`. pdata's `Bool()` is false for non-bool values, so `value: false` also matches
 * a present attribute of another type (upstream quirk, kept).
 */
export function createBooleanAttributePolicy(cfg: BooleanAttributeConfig, opts: PolicyOptions): PolicyEvaluator {
  const matches = (attrs: readonly KeyValue[]) => {
    const v = getAttribute(attrs, cfg.key);
    return v !== undefined && (v === true) === cfg.value;
  };
  if (cfg.invertMatch) {
    const passes = (attrs: readonly KeyValue[]) => !matches(attrs);
    return { evaluate: (t: TraceView): Decision => invertHasResourceOrSpanWithCondition(t, passes, passes, opts.invertDecisions) };
  }
  return { evaluate: (t: TraceView): Decision => hasResourceOrSpanWithCondition(t, matches, matches) };
}
