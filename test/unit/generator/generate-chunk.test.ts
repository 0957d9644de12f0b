import { join } from 'node:path';
import { serialize } from 'node:v8';
import { test as propTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileScenario } from '../../../src/generator/compile.js';
import { buildTrace } from '../../../src/generator/trace-builder.js';
import { generateChunk, stableOrderByKey } from '../../../src/generator/worker/generate-chunk.js';
import { GENERATOR_MESSAGE_VERSION } from '../../../src/generator/worker/messages.js';
import { encodeSpan } from '../../../src/protocol/otlp/proto-encode.js';
import { idFromBytes } from '../../../src/protocol/otlp/model.js';
import { loadScenarioFile } from '../../../src/scenario/load.js';

const ROOT = join(import.meta.dirname, '../../..');
const START_MS = Date.UTC(2025, 0, 1);

describe('generateChunk (the worker task)', () => {
  // flash-sale has incidents (latency, error rate) and error attribute overrides; checkout has
  // span events and links.
  it.each(['checkout.yaml', 'flash-sale.yaml', 'ci-smoke.yaml'])(
    '%s: every span’s bytes equal encodeSpan of buildTrace’s span; spans sorted by (end, trace, ordinal)',
    (file) => {
      const { scenario } = loadScenarioFile(join(ROOT, 'scenarios', file));
      const cs = compileScenario(scenario);
      const firstIndex = 1000;
      const n = 300;
      // Spread over the whole run so incident windows are crossed.
      const offsets = Float64Array.from({ length: n }, (_, k) => (k * scenario.traffic.duration) / n + 0.123);
      const r = generateChunk({
        version: GENERATOR_MESSAGE_VERSION,
        type: 'generate',
        scenarioKey: file,
        scenarioBytes: serialize(scenario),
        startUnixMs: START_MS,
        firstIndex,
        arrivalOffsetsMs: offsets,
      });
      const built = Array.from(offsets, (off, t) => buildTrace(cs, firstIndex + t, off, START_MS));
      expect(r.spanCount).toBe(built.reduce((sum, b) => sum + b.spans.length, 0));
      let errors = 0;
      for (let s = 0; s < r.spanCount; s++) {
        const b = built[r.spanTrace[s]!]!.spans[r.spanOrdinal[s]!]!;
        expect(r.spanBytes.subarray(r.spanStart[s]!, r.spanEnd[s]!)).toEqual(encodeSpan(b.span));
        expect([r.spanInstance[s], r.spanScope[s], r.spanEndMs[s]]).toEqual([b.instance, b.scope, b.endMs]);
        if (b.span.status.code === 2) errors++;
        if (s > 0) {
          const prev = [r.spanEndMs[s - 1]!, r.spanTrace[s - 1]!, r.spanOrdinal[s - 1]!];
          const cur = [r.spanEndMs[s]!, r.spanTrace[s]!, r.spanOrdinal[s]!];
          expect(prev[0]! < cur[0]! || (prev[0] === cur[0] && (prev[1]! < cur[1]! || (prev[1] === cur[1] && prev[2]! < cur[2]!)))).toBe(true);
        }
      }
      if (file === 'flash-sale.yaml') expect(errors).toBeGreaterThan(0); // the override path ran
      built.forEach((b, t) => {
        expect(idFromBytes(r.traceIds, t * 16, t * 16 + 16)).toBe(b.traceId);
        expect(r.traceSpanCount[t]).toBe(b.spans.length);
        expect(r.traceRoute[t]).toBe(b.route);
      });
    },
  );
});

describe('stableOrderByKey', () => {
  propTest.prop([fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: -1e9, max: 1e9, noNaN: true })), { maxLength: 300 })])(
    'equals a stable comparison sort of the indices by key',
    (keys) => {
      const k = Float64Array.from(keys);
      const expected = keys.map((_, i) => i).sort((a, b) => k[a]! - k[b]! || a - b);
      expect(Array.from(stableOrderByKey(k, k.length))).toEqual(expected);
    },
  );

  propTest.prop([
    fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: 20 }),
        fc.double({ min: 0, max: 1e13, noNaN: true }),
        fc.integer({ min: 0, max: 50 }).map((k) => 1_735_689_600_000 + k / 7), // times as the generator makes them
        fc.constant(-0),
      ),
      { maxLength: 400 },
    ),
  ])('non-negative keys (the radix path; −0 falls back): same order as a stable comparison sort', (keys) => {
    const k = Float64Array.from(keys);
    const expected = keys.map((_, i) => i).sort((a, b) => k[a]! - k[b]! || a - b);
    expect(Array.from(stableOrderByKey(k, k.length))).toEqual(expected);
  });
});
