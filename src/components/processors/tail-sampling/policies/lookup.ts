/**
 * Where policies look for attributes (reference §1.3, upstream `internal/sampling/util.go`):
 * resource attributes first, then span attributes of that resource; scope, event and link
 * attributes are never inspected.
 */
import type { KeyValue, Span } from '../../../../protocol/otlp/model.js';
import { Decision, type SpanOrigin, type TraceView } from './decision.js';

export type AttributesTest = (attributes: readonly KeyValue[]) => boolean;

/**
 * `Sampled` at the first resource or span whose attributes pass, else `NotSampled`. A resource is
 * tested when its ResourceSpans starts in the span list, before its spans (upstream order).
 */
export function hasResourceOrSpanWithCondition(trace: TraceView, resourceTest: AttributesTest, spanTest: AttributesTest): Decision {
  const { spans, origins } = trace;
  let lastRs: SpanOrigin['resourceSpans'] | undefined;
  for (let i = 0; i < spans.length; i++) {
    const rs = origins[i]!.resourceSpans;
    if (rs !== lastRs) {
      lastRs = rs;
      if (resourceTest(rs.resource.attributes)) return Decision.Sampled;
    }
    if (spanTest(spans[i]!.attributes)) return Decision.Sampled;
  }
  return Decision.NotSampled;
}

/** `Sampled` at the first span that passes, else `NotSampled`. */
export function hasSpanWithCondition(trace: TraceView, spanTest: (span: Span) => boolean): Decision {
  const spans = trace.spans;
  for (let i = 0; i < spans.length; i++) if (spanTest(spans[i]!)) return Decision.Sampled;
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
  const { spans, origins } = trace;
  let lastRs: SpanOrigin['resourceSpans'] | undefined;
  for (let i = 0; i < spans.length; i++) {
    const rs = origins[i]!.resourceSpans;
    if (rs !== lastRs) {
      lastRs = rs;
      if (!resourcePasses(rs.resource.attributes)) return fail;
    }
    if (!spanPasses(spans[i]!.attributes)) return fail;
  }
  return invertDecisions ? Decision.InvertSampled : Decision.Sampled;
}
