import type { ProcessorFactory } from '../../../pipeline/factory.js';
import { parseCompiledConfig } from '../../shared/config-parse.js';
import { compileFilterProcessor, defaultFilterProcessorConfig, filterProcessorSchema, type FilterProcessorConfig } from './config.js';
import { createFilterProcessor } from './filter.js';

export const filterProcessorFactory: ProcessorFactory<FilterProcessorConfig> = {
  kind: 'processor',
  type: 'filter',
  stability: 'alpha',
  defaultConfig: defaultFilterProcessorConfig,
  parseConfig: (raw, path) => parseCompiledConfig(filterProcessorSchema, raw, path, compileFilterProcessor),
  createTraces: createFilterProcessor,
};
