import type { ProcessorFactory } from '../../../pipeline/factory.js';
import { processorHelper } from '../../../pipeline/processor-helper.js';
import { evaluateCondition, executeStatement, type OttlTarget } from '../../shared/ottl/index.js';
import { parseCompiledConfig } from '../../shared/config-parse.js';
import { compileTransformProcessor, defaultTransformProcessorConfig, transformProcessorSchema, type StatementGroup, type TransformProcessorConfig } from './config.js';
import type { TraceBatch } from '../../../protocol/otlp/model.js';

function runGroup(g: StatementGroup, target: OttlTarget): void {
  if (g.conditions.length > 0 && !g.conditions.some((c) => evaluateCondition(c, target))) return;
  for (const s of g.statements) executeStatement(s, target);
}

/** Applies the groups in order, each over its context's items (resources, spans or span events). */
export function transformBatch(groups: readonly StatementGroup[], batch: TraceBatch): void {
  for (const g of groups) {
    for (const rs of batch.resourceSpans) {
      if (g.context === 'resource') {
        runGroup(g, { resource: rs.resource });
        continue;
      }
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) {
          if (g.context === 'span') runGroup(g, { span, resource: rs.resource, scope: ss.scope });
          else for (const event of span.events) runGroup(g, { span, event, resource: rs.resource, scope: ss.scope });
        }
      }
    }
  }
}

export const transformProcessorFactory: ProcessorFactory<TransformProcessorConfig> = {
  kind: 'processor',
  type: 'transform',
  stability: 'alpha',
  defaultConfig: defaultTransformProcessorConfig,
  parseConfig: (raw, path) => parseCompiledConfig(transformProcessorSchema, raw, path, compileTransformProcessor),
  createTraces: (settings, config, next) =>
    processorHelper({
      settings,
      next,
      mutatesData: true,
      process(batch) {
        transformBatch(config.groups, batch);
        return batch;
      },
    }),
};
