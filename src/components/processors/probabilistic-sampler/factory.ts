import type { ProcessorFactory } from '../../../pipeline/factory.js';
import { parseComponentConfig } from '../../shared/config-parse.js';
import {
  defaultProbabilisticSamplerConfig,
  probabilisticSamplerConfigFrom,
  probabilisticSamplerSchema,
  validateProbabilisticSamplerConfig,
  type ProbabilisticSamplerConfig,
} from './config.js';
import { createProbabilisticSampler } from './processor.js';

export const probabilisticSamplerFactory: ProcessorFactory<ProbabilisticSamplerConfig> = {
  kind: 'processor',
  type: 'probabilistic_sampler',
  stability: 'beta',
  defaultConfig: defaultProbabilisticSamplerConfig,
  parseConfig: (raw, path) => parseComponentConfig(probabilisticSamplerSchema, raw, path, probabilisticSamplerConfigFrom, validateProbabilisticSamplerConfig),
  createTraces: createProbabilisticSampler,
};
