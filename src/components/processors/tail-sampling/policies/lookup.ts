/**
 * Where policies look for attributes (reference §1.3, upstream `internal/sampling/util.go`):
 * resource attributes first, then span attributes of that resource; scope, event and link
 * attributes are never inspected.
 */
import type { KeyValue, Span } from '../../../../protocol/otlp/model.js';
import { Decision, type TraceView } from './decision.js';

export type AttributesTest = (attributes: readonly KeyValue[]) => boolean;

/** `Sampled` at the first resource or span whose attributes pass, else `NotSampled`. */
export function hasResourceOrSpanWithCondition(trace: TraceView, resourceTest: AttributesTest, spanTest: AttributesTest): Decision {
  for (const rs of trace.resourceSpans) {
    if (resourceTest(rs.resource.attributes)) return Decision.Sampled;
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) if (spanTest(span.attributes)) return Decision.Sampled;
    }
  }
  return Decision.NotSampled;
}

/** `Sampled` at the first span that passes, else `NotSampled`. */
export function hasSpanWithCondition(trace: TraceView, spanTest: (span: Span) => boolean): Decision {
  for (const rs of trace.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) if (spanTest(span)) return Decision.Sampled;
    }
  }
  return Decision.NotSampled;
}

/**
 * `invert_match`: the tests say "this resource/span passes" (does not carry a matching value).
 * Any failure ⇒ InvertNotSampled (classic) / NotSampled (current); all pass ⇒ InvertSampled / Sampled.
 */
export function invertHasResourceOrSpanWithCondition(
  trace: TraceView,
  resourcePasses: AttributesTest,
  spanPasses: AttributesTest,
  invertDecisions: boolean,
): Decision {
  const fail = invertDecisions ? Decision.InvertNotSampled : Decision.NotSampled;
  for (const rs of trace.resourceSpans) {
    if (!resourcePasses(rs.resource.attributes)) return fail;
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) if (!spanPasses(span.attributes)) return fail;
    }
  }
  return invertDecisions ? Decision.InvertSampled : Decision.Sampled;
}
