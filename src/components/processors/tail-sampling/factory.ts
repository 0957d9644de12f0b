import type { ProcessorFactory } from '../../../pipeline/factory.js';
import { defaultTailSamplingConfig, parseTailSamplingConfig, type TailSamplingConfig } from './config.js';
import { policyProblems } from './policies/index.js';
import { TailSamplingProcessor } from './processor.js';

/** The `tail_sampling` processor factory (the only thing the registry imports). */
export const tailSamplingFactory: ProcessorFactory<TailSamplingConfig> = {
  kind: 'processor',
  type: 'tail_sampling',
  stability: 'beta',
  defaultConfig: defaultTailSamplingConfig,
  parseConfig(raw, path) {
    const parsed = parseTailSamplingConfig(raw, path);
    if (!parsed.ok) return parsed;
    const problems = policyProblems(parsed.config.policies, path);
    return problems.length > 0 ? { ok: false, problems } : { ok: true, config: parsed.config };
  },
  createTraces(settings, config, next) {
    return new TailSamplingProcessor(settings, config, next);
  },
};
