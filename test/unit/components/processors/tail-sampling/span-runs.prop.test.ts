import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { SpanOrigin } from '../../../../../src/components/processors/tail-sampling/policies/decision.js';
import { measureSpans, toResourceSpans, type SpanRunSizes } from '../../../../../src/components/processors/tail-sampling/span-runs.js';
import { SpanArena, type SpanRefs } from '../../../../../src/components/processors/tail-sampling/span-store.js';
import { pdataResourceSpansSize } from '../../../../../src/protocol/otlp/pdata-size.js';
import { varint32Size } from '../../../../../src/protocol/otlp/size.js';
import { attributes, span, text } from '../../../protocol/otlp/arbitraries.js';

const resourceOrigin = fc.record({ resource: fc.record({ attributes, droppedAttributesCount: fc.nat(300) }) });
const scopeOrigin = fc.record({ scope: fc.record({ name: text, version: text, attributes, droppedAttributesCount: fc.nat(300) }) });

/** Spans with origins drawn from a few shared resource / scope origin objects, in any order. */
const buffered = fc
  .tuple(fc.array(resourceOrigin, { minLength: 1, maxLength: 3 }), fc.array(scopeOrigin, { minLength: 1, maxLength: 3 }))
  .chain(([resources, scopes]) =>
    fc.array(fc.tuple(span, fc.nat(resources.length - 1), fc.nat(scopes.length - 1)), { maxLength: 12 }).map((items) => ({
      spans: items.map(([s]) => s),
      origins: items.map(([, r, c]): SpanOrigin => ({ resourceSpans: resources[r]!, scopeSpans: scopes[c]! })),
    })),
  );

test.prop([buffered, fc.nat(12)])('measureSpans of the stored spans equals the collector sizes of the pieces toResourceSpans builds, measured twice', ({ spans, origins }, fromRaw) => {
  const from = Math.min(fromRaw, spans.length);
  let tracesData = 0;
  let resourceSpans = 0;
  for (const rs of toResourceSpans(spans, origins, from)) {
    const body = pdataResourceSpansSize(rs);
    tracesData += 1 + varint32Size(body) + body;
    resourceSpans += body;
  }
  const refs: SpanRefs = [];
  const arena = new SpanArena();
  for (const s of spans) arena.append(s, refs);
  const out: SpanRunSizes = { tracesData: -1, resourceSpans: -1 };
  measureSpans(refs, origins, from, out);
  expect(out).toEqual({ tracesData, resourceSpans });
  measureSpans(refs, origins, from, out); // second time from the remembered field sizes
  expect(out).toEqual({ tracesData, resourceSpans });
});
