import type { ProcessorFactory } from '../../../pipeline/factory.js';
import { parseComponentConfig } from '../../shared/config-parse.js';
import { BatchProcessor } from './batch-processor.js';
import { batchProcessorConfigFrom, batchProcessorSchema, defaultBatchProcessorConfig, validateBatchProcessorConfig, type BatchProcessorConfig } from './config.js';

export const batchProcessorFactory: ProcessorFactory<BatchProcessorConfig> = {
  kind: 'processor',
  type: 'batch',
  stability: 'beta',
  defaultConfig: defaultBatchProcessorConfig,
  parseConfig: (raw, path) => parseComponentConfig(batchProcessorSchema, raw, path, batchProcessorConfigFrom, validateBatchProcessorConfig),
  createTraces: (settings, config, next) => new BatchProcessor(settings, config, next),
};
