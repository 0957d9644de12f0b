/**
 * The processor answers `status_code` and `latency` from a span summary kept on ingest, and keeps
 * one origin per trace instead of one per span while all its spans share one. Both are shortcuts:
 * the decision and the released spans must be exactly those of the plain walk over the spans.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { tailSamplingFactory } from '../../../../../src/components/processors/tail-sampling/factory.js';
import { createPolicyEvaluator } from '../../../../../src/components/processors/tail-sampling/policies/index.js';
import { Decision } from '../../../../../src/components/processors/tail-sampling/policies/decision.js';
import type { ResourceSpans, Span, StatusCode } from '../../../../../src/protocol/otlp/model.js';
import { encodeSpan } from '../../../../../src/protocol/otlp/proto-encode.js';
import { makeSpan, resourceSpans, traceIdOf, viewOf } from './fixtures.js';
import { rig } from './harness.js';

const spanArb = fc.record({
  status: fc.constantFrom<StatusCode>(0, 1, 2),
  // 0 is an unset timestamp (latency then walks the spans); otherwise whole or fractional ms
  startMs: fc.oneof({ arbitrary: fc.constant(0), weight: 1 }, { arbitrary: fc.integer({ min: 1, max: 2_000 }), weight: 12 }),
  lengthMs: fc.integer({ min: 0, max: 3_000 }),
  zeroEnd: fc.integer({ min: 0, max: 12 }).map((n) => n === 0),
});

/** A trace as 1–3 ResourceSpans of 1–2 ScopeSpans each, arriving in one or several batches. */
const traceArb = fc.array(fc.array(fc.array(spanArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 });

const policyArb = fc.oneof(
  fc.subarray(['ERROR', 'OK', 'UNSET'], { minLength: 1 }).map((codes) => ({ name: 'p', type: 'status_code', status_code: { status_codes: codes } })),
  fc.integer({ min: 0, max: 3_000 }).map((t) => ({ name: 'p', type: 'latency', latency: { threshold_ms: t } })),
  fc
    .tuple(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 1, max: 3_000 }))
    .map(([t, u]) => ({ name: 'p', type: 'latency', latency: { threshold_ms: t, upper_threshold_ms: t + u } })),
  fc.integer({ min: 0, max: 3_000 }).map((t) => ({
    name: 'p',
    type: 'and',
    and: {
      and_sub_policy: [
        { name: 'e', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
        { name: 'l', type: 'latency', latency: { threshold_ms: t } },
      ],
    },
  })),
);

describe('span summary and shared origins', () => {
  test.prop([traceArb, policyArb, fc.boolean()], { numRuns: 300 })('decide and release exactly as the walk over the spans', async (shape, policy, oneBatch) => {
    const traceId = traceIdOf(7);
    const rss: ResourceSpans[] = shape.map((scopes, r) => {
      const rs = resourceSpans([], { 'service.name': `svc-${r}` });
      rs.scopeSpans = scopes.map((specs) => ({
        scope: { name: `scope-${r}`, version: '', attributes: [], droppedAttributesCount: 0 },
        spans: specs.map((s) => {
          const span = makeSpan({ traceId, status: s.status, startMs: s.startMs, endMs: s.startMs + s.lengthMs });
          if (s.zeroEnd) span.endTimeUnixNano = 0n;
          return span;
        }),
        schemaUrl: '',
      }));
      return rs;
    });
    const parsed = tailSamplingFactory.parseConfig({ decision_wait: '1s', policies: [policy] }, 'processors.tail_sampling');
    if (!parsed.ok) throw new Error('invalid policy');
    const expected = createPolicyEvaluator(parsed.config.policies[0]!, { invertDecisions: false, compat: 'current' }).evaluate(viewOf(rss), 0);

    const r = await rig({ decision_wait: '1s', policies: [policy] });
    await r.at(100);
    if (oneBatch) await r.proc.consumeTraces({ resourceSpans: rss });
    else for (const rs of rss) await r.proc.consumeTraces({ resourceSpans: [rs] });
    await r.at(3_000);

    const sent: { span: Span; resource: ResourceSpans['resource']; scope: unknown }[] = [];
    for (const b of r.sink.batches) for (const rs of b.resourceSpans) for (const ss of rs.scopeSpans) for (const span of ss.spans) sent.push({ span, resource: rs.resource, scope: ss.scope });
    if (expected !== Decision.Sampled) {
      expect(sent).toEqual([]);
      return;
    }
    const want = rss.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => ({ span, resource: rs.resource, scope: ss.scope }))));
    expect(sent.length).toBe(want.length);
    sent.forEach((s, i) => {
      // the processor keeps spans encoded: a released span is a new object with the same encoding
      expect(encodeSpan(s.span)).toEqual(encodeSpan(want[i]!.span));
      expect(s.resource).toBe(want[i]!.resource);
      expect(s.scope).toBe(want[i]!.scope);
    });
  });
});
