/**
 * The `filter` processor for traces: removes spans for which any `traces.span` condition holds
 * (or, legacy, that fail `spans.include` / match `spans.exclude`), and span events for which any
 * `traces.spanevent` condition holds. Removed spans go to the ledger as `sampledOut('filtered')`.
 * Empty scopes and resources are removed; a batch with nothing left is not forwarded.
 */
import type { AccountedBatch } from '../../../pipeline/accounting.js';
import type { Host, Settings } from '../../../pipeline/component.js';
import type { TracesConsumer } from '../../../pipeline/consumer.js';
import { processorHelper, type HelperProcessor } from '../../../pipeline/processor-helper.js';
import type { ResourceSpans, ScopeSpans, Span, TraceBatch } from '../../../protocol/otlp/model.js';
import { evaluateCondition } from '../../shared/ottl/index.js';
import type { FilterProcessorConfig } from './config.js';

export function createFilterProcessor(settings: Settings, config: FilterProcessorConfig, next: TracesConsumer): HelperProcessor {
  const dropSpan = (span: Span, rs: ResourceSpans, ss: ScopeSpans): boolean => {
    if (config.include && !config.include.matches(span, rs.resource, ss.scope)) return true;
    if (config.exclude?.matches(span, rs.resource, ss.scope)) return true;
    for (const c of config.spanConditions) if (evaluateCondition(c, { span, resource: rs.resource, scope: ss.scope })) return true;
    return false;
  };
  const process = (batch: TraceBatch, host: Host): TraceBatch => {
    const out: AccountedBatch = { resourceSpans: [] };
    const removed: AccountedBatch = { resourceSpans: [] };
    for (const rs of batch.resourceSpans) {
      const keptScopes: ScopeSpans[] = [];
      const removedScopes: ScopeSpans[] = [];
      for (const ss of rs.scopeSpans) {
        const kept: Span[] = [];
        const gone: Span[] = [];
        for (const span of ss.spans) {
          if (dropSpan(span, rs, ss)) {
            gone.push(span);
            continue;
          }
          if (config.spanEventConditions.length > 0 && span.events.length > 0) {
            span.events = span.events.filter((event) => !config.spanEventConditions.some((c) => evaluateCondition(c, { span, event, resource: rs.resource, scope: ss.scope })));
          }
          kept.push(span);
        }
        if (kept.length > 0) keptScopes.push({ ...ss, spans: kept });
        if (gone.length > 0) removedScopes.push({ ...ss, spans: gone });
      }
      if (keptScopes.length > 0) out.resourceSpans.push({ ...rs, scopeSpans: keptScopes });
      if (removedScopes.length > 0) removed.resourceSpans.push({ ...rs, scopeSpans: removedScopes });
    }
    if (removed.resourceSpans.length > 0) {
      if ((batch as AccountedBatch).shadow) removed.shadow = true;
      host.accounting.sampledOut(removed, settings.id, 'filtered');
    }
    return out;
  };
  return processorHelper({ settings, next, mutatesData: config.spanEventConditions.length > 0, process });
}
