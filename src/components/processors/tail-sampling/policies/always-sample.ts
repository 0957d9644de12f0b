import { Decision, type PolicyEvaluator } from './decision.js';

/** `always_sample`: every trace is Sampled. */
export const alwaysSample: PolicyEvaluator = {
  evaluate: () => Decision.Sampled,
};
