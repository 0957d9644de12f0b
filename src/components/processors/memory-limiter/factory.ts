import type { ProcessorFactory } from '../../../pipeline/factory.js';
import { parseComponentConfig } from '../../shared/config-parse.js';
import { defaultMemoryLimiterConfig, memoryLimiterConfigFrom, memoryLimiterSchema, validateMemoryLimiterConfig, type MemoryLimiterConfig } from './config.js';
import { MemoryLimiterProcessor } from './memory-limiter.js';

export const memoryLimiterProcessorFactory: ProcessorFactory<MemoryLimiterConfig> = {
  kind: 'processor',
  type: 'memory_limiter',
  stability: 'beta',
  defaultConfig: defaultMemoryLimiterConfig,
  parseConfig: (raw, path) => parseComponentConfig(memoryLimiterSchema, raw, path, memoryLimiterConfigFrom, validateMemoryLimiterConfig),
  createTraces: (settings, config, next) => new MemoryLimiterProcessor(settings, config, next),
};
