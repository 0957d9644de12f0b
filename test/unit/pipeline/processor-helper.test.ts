/**
 * processorHelper: the contract around `process` — here, that a processor allowed to change spans
 * in place never passes on source encodings that no longer describe them.
 */
import { describe, expect, it } from 'vitest';
import { processorHelper } from '../../../src/pipeline/processor-helper.js';
import { encodedBodies, type TraceBatch } from '../../../src/protocol/otlp/model.js';
import { encodeSpan } from '../../../src/protocol/otlp/proto-encode.js';
import { createTestHost } from '../../helpers/host.js';
import { makeBatch, makeSpan } from '../../helpers/spans.js';
import { TracesSink } from '../../helpers/traces-sink.js';

function batchWithBodies(): TraceBatch {
  const batch = makeBatch([makeSpan({ name: 'a' })]);
  const ss = batch.resourceSpans[0]!.scopeSpans[0]!;
  const bytes = encodeSpan(ss.spans[0]!);
  ss.encoded = { spans: ss.spans, bytes, ends: Uint32Array.of(bytes.length) };
  return batch;
}

describe('processorHelper', () => {
  for (const mutatesData of [true, false]) {
    it(`${mutatesData ? 'drops' : 'keeps'} the ScopeSpans' source encodings for a processor that ${mutatesData ? 'mutates' : 'does not mutate'} data`, async () => {
      const sink = new TracesSink();
      const proc = processorHelper({
        settings: { id: 'p', compat: 'current' },
        next: sink,
        mutatesData,
        process: (batch) => {
          if (mutatesData) batch.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name = 'renamed';
          return batch;
        },
      });
      await proc.start(createTestHost(0));
      await proc.consumeTraces(batchWithBodies());
      const ss = sink.batches[0]!.resourceSpans[0]!.scopeSpans[0]!;
      expect(encodedBodies(ss) !== undefined).toBe(!mutatesData);
    });
  }
});
