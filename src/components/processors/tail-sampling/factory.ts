import type { ProcessorFactory } from '../../../pipeline/factory.js';
import { defaultTailSamplingConfig, parseTailSamplingConfig, type TailSamplingConfig } from './config.js';
import { TailSamplingProcessor } from './processor.js';

/** The `tail_sampling` processor factory (the only thing the registry imports). */
export const tailSamplingFactory: ProcessorFactory<TailSamplingConfig> = {
  kind: 'processor',
  type: 'tail_sampling',
  stability: 'beta',
  defaultConfig: defaultTailSamplingConfig,
  parseConfig: parseTailSamplingConfig,
  createTraces(settings, config, next) {
    return new TailSamplingProcessor(settings, config, next);
  },
};
