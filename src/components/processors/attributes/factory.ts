import type { ProcessorFactory } from '../../../pipeline/factory.js';
import { processorHelper } from '../../../pipeline/processor-helper.js';
import { forEachSpan } from '../../../protocol/otlp/model.js';
import { applyActions } from '../../shared/attributes/actions.js';
import { parseCompiledConfig } from '../../shared/config-parse.js';
import { attributesProcessorSchema, compileAttributesProcessor, defaultAttributesProcessorConfig, type AttributesProcessorConfig } from './config.js';

/** `attributes` processor: span attribute actions on spans that pass include/exclude. */
export const attributesProcessorFactory: ProcessorFactory<AttributesProcessorConfig> = {
  kind: 'processor',
  type: 'attributes',
  stability: 'beta',
  defaultConfig: defaultAttributesProcessorConfig,
  parseConfig: (raw, path) => parseCompiledConfig(attributesProcessorSchema, raw, path, compileAttributesProcessor),
  createTraces: (settings, config, next) =>
    processorHelper({
      settings,
      next,
      mutatesData: true,
      process(batch) {
        forEachSpan(batch, (span, rs, ss) => {
          if (config.include && !config.include.matches(span, rs.resource, ss.scope)) return;
          if (config.exclude?.matches(span, rs.resource, ss.scope)) return;
          applyActions(config.actions, span.attributes);
        });
        return batch;
      },
    }),
};
