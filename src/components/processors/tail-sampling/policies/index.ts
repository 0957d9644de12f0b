/**
 * Builds evaluators from parsed policy configs (one file per policy type in this folder).
 */
import type { PolicyConfig } from '../config.js';
import { alwaysSample } from './always-sample.js';
import { createBooleanAttributePolicy } from './boolean-attribute.js';
import { createBytesLimitingPolicy } from './bytes-limiting.js';
import { createAndPolicy, createDropPolicy, createNotPolicy } from './combinators.js';
import { createCompositePolicy } from './composite.js';
import type { PolicyEvaluator, PolicyOptions } from './decision.js';
import { createLatencyPolicy } from './latency.js';
import { createNumericAttributePolicy } from './numeric-attribute.js';
import { createOttlConditionPolicy, parseOttlPolicyConditions } from './ottl-condition.js';
import { createProbabilisticPolicy } from './probabilistic.js';
import { createRateLimitingPolicy } from './rate-limiting.js';
import { createSpanCountPolicy } from './span-count.js';
import { createStatusCodePolicy } from './status-code.js';
import { createStringAttributePolicy } from './string-attribute.js';
import { traceFlags } from './trace-flags.js';
import { createTraceStatePolicy } from './trace-state.js';

/** A fresh evaluator (with its own rate state) for a validated policy config. */
export function createPolicyEvaluator(p: PolicyConfig, opts: PolicyOptions): PolicyEvaluator {
  switch (p.type) {
    case 'always_sample':
      return alwaysSample;
    case 'trace_flags':
      return traceFlags;
    case 'latency':
      return createLatencyPolicy(p.latency);
    case 'numeric_attribute':
      return createNumericAttributePolicy(p.numericAttribute, opts);
    case 'probabilistic':
      return createProbabilisticPolicy(p.probabilistic);
    case 'status_code':
      return createStatusCodePolicy(p.statusCode);
    case 'string_attribute':
      return createStringAttributePolicy(p.stringAttribute, opts);
    case 'rate_limiting':
      return createRateLimitingPolicy(p.rateLimiting, opts);
    case 'bytes_limiting':
      return createBytesLimitingPolicy(p.bytesLimiting);
    case 'span_count':
      return createSpanCountPolicy(p.spanCount);
    case 'trace_state':
      return createTraceStatePolicy(p.traceState);
    case 'boolean_attribute':
      return createBooleanAttributePolicy(p.booleanAttribute, opts);
    case 'ottl_condition': {
      const r = parseOttlPolicyConditions(p.ottlCondition, '');
      if (!r.ok) throw new Error(`policy ${p.name}: ${r.problems.map((x) => x.message).join('; ')}`);
      return createOttlConditionPolicy(p.ottlCondition.errorMode, r.span, r.spanevent);
    }
    case 'and':
      return createAndPolicy(p.subPolicies.map((s) => createPolicyEvaluator(s, opts)));
    case 'drop':
      return createDropPolicy(p.subPolicies.map((s) => createPolicyEvaluator(s, opts)));
    case 'not':
      return createNotPolicy(createPolicyEvaluator(p.subPolicy, opts));
    case 'composite':
      return createCompositePolicy(
        {
          maxTotalSpansPerSecond: p.composite.maxTotalSpansPerSecond,
          subs: p.composite.subPolicies.map((s) => ({ name: s.name, evaluator: createPolicyEvaluator(s, opts) })),
          rateAllocation: p.composite.rateAllocation,
        },
        opts,
      );
  }
}
