/**
 * The `probabilistic_sampler` processor: decides every span (spans of one trace agree through
 * their shared trace id), rewrites the tracestate of kept spans, and removes the rest:
 * not sampled ⇒ ledger `sampledOut('sampled_out')`; refused for missing or conflicting randomness
 * under `fail_closed` ⇒ ledger `dropped('no_randomness_refused')`. Empty scopes and resources are
 * removed; a batch with nothing left is not forwarded.
 *
 * Metrics: `otelcol_processor_probabilistic_sampler_count_traces_sampled` (+1 per span,
 * {processor, policy, sampled}) plus the processor helper's incoming/outgoing items.
 */
import type { AccountedBatch } from '../../../pipeline/accounting.js';
import type { Host, Settings } from '../../../pipeline/component.js';
import type { TracesConsumer } from '../../../pipeline/consumer.js';
import { processorHelper, type HelperProcessor } from '../../../pipeline/processor-helper.js';
import type { ResourceSpans, ScopeSpans, Span, TraceBatch } from '../../../protocol/otlp/model.js';
import type { ProbabilisticSamplerConfig } from './config.js';
import { SpanSampler } from './sampler.js';

export const COUNT_TRACES_SAMPLED = 'otelcol_processor_probabilistic_sampler_count_traces_sampled';

/** Collects removed spans under their resource/scope so the ledger gets one batch per reason. */
class Removed {
  readonly batch: AccountedBatch = { resourceSpans: [] };
  private _rs: ResourceSpans | undefined;
  private _ss: ScopeSpans | undefined;
  count = 0;
  add(span: Span, rs: ResourceSpans, ss: ScopeSpans): void {
    if (this._rs?.resource !== rs.resource) {
      this._rs = { resource: rs.resource, schemaUrl: rs.schemaUrl, scopeSpans: [] };
      this.batch.resourceSpans.push(this._rs);
      this._ss = undefined;
    }
    if (this._ss?.scope !== ss.scope) {
      this._ss = { scope: ss.scope, schemaUrl: ss.schemaUrl, spans: [] };
      this._rs.scopeSpans.push(this._ss);
    }
    this._ss!.spans.push(span);
    this.count++;
  }
}

export function createProbabilisticSampler(settings: Settings, config: ProbabilisticSamplerConfig, next: TracesConsumer): HelperProcessor {
  const sampler = new SpanSampler(config);
  const process = (batch: TraceBatch, host: Host): TraceBatch => {
    const out: AccountedBatch = { resourceSpans: [] };
    const notSampled = new Removed();
    const refused = new Removed();
    const tally = new Map<string, number>();
    for (const rs of batch.resourceSpans) {
      const keptScopes: ScopeSpans[] = [];
      for (const ss of rs.scopeSpans) {
        const kept: Span[] = [];
        for (const span of ss.spans) {
          const d = sampler.decide(span);
          const key = `${d.policy}|${d.sampled}`;
          tally.set(key, (tally.get(key) ?? 0) + 1);
          if (d.sampled) {
            if (d.traceState !== undefined) span.traceState = d.traceState;
            kept.push(span);
          } else if (d.error !== undefined) refused.add(span, rs, ss);
          else notSampled.add(span, rs, ss);
        }
        if (kept.length > 0) keptScopes.push({ ...ss, spans: kept });
      }
      if (keptScopes.length > 0) out.resourceSpans.push({ ...rs, scopeSpans: keptScopes });
    }
    const shadow = (batch as AccountedBatch).shadow === true;
    if (notSampled.count > 0) host.accounting.sampledOut(Object.assign(notSampled.batch, shadow ? { shadow } : {}), settings.id, 'sampled_out');
    if (refused.count > 0) host.accounting.dropped(Object.assign(refused.batch, shadow ? { shadow } : {}), settings.id, 'no_randomness_refused');
    for (const [key, n] of tally) {
      const [policy, sampled] = key.split('|') as [string, string];
      host.telemetry.counter(COUNT_TRACES_SAMPLED, { processor: settings.id, policy, sampled }).add(n);
    }
    return out;
  };
  return processorHelper({ settings, next, mutatesData: true, process });
}
