/** Small spans and span batches for tests: one builder, fields overridable. */
import type { KeyValue, Span, TraceBatch } from '../../src/protocol/otlp/model.js';
import { emptyScope, idFromBytes } from '../../src/protocol/otlp/model.js';

let counter = 0;

/** A span with a unique span id; trace id from `traceByte` (all 16 bytes) unless given. */
export function makeSpan(over: Partial<Span> & { traceByte?: number } = {}): Span {
  counter++;
  const spanId = new Uint8Array(8);
  new DataView(spanId.buffer).setUint32(4, counter);
  const { traceByte, ...rest } = over;
  return {
    traceId: idFromBytes(new Uint8Array(16).fill(traceByte ?? 7)),
    spanId: idFromBytes(spanId),
    traceState: '',
    parentSpanId: '',
    flags: 1,
    name: 'op',
    kind: 2,
    startTimeUnixNano: 1_000_000_000n,
    endTimeUnixNano: 1_050_000_000n,
    attributes: [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0, message: '' },
    ...rest,
  };
}

/** One resource (service `service`), one scope, the given spans. */
export function makeBatch(spans: Span[], service = 'checkout', resourceAttrs: KeyValue[] = []): TraceBatch {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: service }, ...resourceAttrs], droppedAttributesCount: 0 },
        scopeSpans: [{ scope: emptyScope(), spans, schemaUrl: '' }],
        schemaUrl: '',
      },
    ],
  };
}

/** `n` spans of distinct trace ids in one batch. */
export function spansBatch(n: number, service = 'checkout'): TraceBatch {
  return makeBatch(Array.from({ length: n }, (_, i) => makeSpan({ traceId: idFromBytes(Uint8Array.from({ length: 16 }, (_, j) => (i * 31 + j * 7 + 1) & 0xff)) })), service);
}
