/** Small, distinct span batches for receiver and exporter tests. */
import { emptyScope, idFromBytes, type Span, type TraceBatch } from '../../../../../src/protocol/otlp/model.js';

let serial = 0;

/** `n` spans of one service, each with a unique trace id, span id and `seq` attribute. */
export function makeBatch(n: number, service = 'checkout'): TraceBatch {
  const spans: Span[] = [];
  for (let i = 0; i < n; i++) {
    const id = ++serial;
    const traceId = new Uint8Array(16);
    new DataView(traceId.buffer).setUint32(12, id);
    traceId[0] = 0xab;
    const spanId = new Uint8Array(8);
    new DataView(spanId.buffer).setUint32(4, id);
    spanId[0] = 0xcd;
    spans.push({
      traceId: idFromBytes(traceId),
      spanId: idFromBytes(spanId),
      traceState: '',
      parentSpanId: '',
      flags: 1,
      name: `GET /item/${i}`,
      kind: 2,
      startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(id) * 1000n,
      endTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(id) * 1000n + 5_000_000n,
      attributes: [
        { key: 'seq', value: BigInt(id) },
        { key: 'http.route', value: '/item/:id' },
        { key: 'ratio', value: 0.5 },
        { key: 'cached', value: i % 2 === 0 },
      ],
      droppedAttributesCount: 0,
      events: [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { code: 0, message: '' },
    });
  }
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: service }], droppedAttributesCount: 0 },
        scopeSpans: [{ scope: { ...emptyScope(), name: 'test' }, spans, schemaUrl: '' }],
        schemaUrl: '',
      },
    ],
  };
}
