import type { ProcessorFactory } from '../../../pipeline/factory.js';
import { parseComponentConfig } from '../../shared/config-parse.js';
import { compileFilterProcessor, defaultFilterProcessorConfig, filterProcessorSchema, type FilterProcessorConfig } from './config.js';
import { createFilterProcessor } from './filter.js';

export const filterProcessorFactory: ProcessorFactory<FilterProcessorConfig> = {
  kind: 'processor',
  type: 'filter',
  stability: 'alpha',
  defaultConfig: defaultFilterProcessorConfig,
  parseConfig(raw, path) {
    let problems: { path: (string | number)[]; message: string }[] = [];
    return parseComponentConfig(
      filterProcessorSchema,
      raw,
      path,
      (v) => {
        const r = compileFilterProcessor(v);
        problems = r.problems;
        return r.config;
      },
      () => problems,
    );
  },
  createTraces: createFilterProcessor,
};
