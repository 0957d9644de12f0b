import type { ProcessorFactory } from '../../../pipeline/factory.js';
import { processorHelper } from '../../../pipeline/processor-helper.js';
import { applyActions } from '../../shared/attributes/actions.js';
import { parseCompiledConfig } from '../../shared/config-parse.js';
import { defaultResourceProcessorConfig, parseResourceActions, resourceProcessorSchema, type ResourceProcessorConfig } from './config.js';

/**
 * `resource` processor: applies its actions to every resource's attributes, in place. A resource
 * object shared by several batches is edited once per batch; actions are idempotent for the
 * insert/update/upsert/delete cases configs use.
 */
export const resourceProcessorFactory: ProcessorFactory<ResourceProcessorConfig> = {
  kind: 'processor',
  type: 'resource',
  stability: 'beta',
  defaultConfig: defaultResourceProcessorConfig,
  parseConfig: (raw, path) =>
    parseCompiledConfig(resourceProcessorSchema, raw, path, (v) => {
      const r = parseResourceActions(v);
      return { config: { actions: r.actions }, problems: r.problems };
    }),
  createTraces: (settings, config, next) =>
    processorHelper({
      settings,
      next,
      mutatesData: true,
      process(batch) {
        for (const rs of batch.resourceSpans) applyActions(config.actions, rs.resource.attributes);
        return batch;
      },
    }),
};
