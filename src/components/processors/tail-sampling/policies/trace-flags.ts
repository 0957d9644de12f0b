import type { Span } from '../../../../protocol/otlp/model.js';
import type { Decision, PolicyEvaluator, TraceView } from './decision.js';
import { hasSpanWithCondition } from './lookup.js';

/** `trace_flags` (reference §2.12): Sampled if any span has the W3C sampled flag (bit 0 of `flags`). */
const isSampledFlag = (s: Span) => (s.flags & 0x01) !== 0;
export const traceFlags: PolicyEvaluator = {
  evaluate: (t: TraceView): Decision => hasSpanWithCondition(t, isSampledFlag),
};
