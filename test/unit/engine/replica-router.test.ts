import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { replicaOf, splitByReplica } from '../../../src/engine/replica-router.js';
import { forEachSpan, idFromBytes, spanCount, type Span, type TraceBatch } from '../../../src/protocol/otlp/model.js';
import { makeSpan as spanWith } from '../../helpers/spans.js';

const traceIdBytes = fc.uint8Array({ minLength: 16, maxLength: 16 });
const traceId = traceIdBytes.map((b) => idFromBytes(b));

function makeSpan(id: string, n: number): Span {
  return spanWith({ traceId: id, spanId: idFromBytes(new Uint8Array(8).fill((n % 255) + 1)), flags: 0, name: `op${n}`, kind: 2, startTimeUnixNano: BigInt(n), endTimeUnixNano: BigInt(n + 1) });
}

/** A batch of 1–3 resources × 1–2 scopes over spans of a few traces. */
const batchArb = fc
  .record({
    ids: fc.array(traceId, { minLength: 1, maxLength: 8 }),
    shape: fc.array(fc.array(fc.array(fc.nat({ max: 7 }), { maxLength: 12 }), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 }),
  })
  .map(({ ids, shape }): TraceBatch => {
    let n = 0;
    return {
      resourceSpans: shape.map((scopes, r) => ({
        resource: { attributes: [{ key: 'service.name', value: `svc${r}` }], droppedAttributesCount: 0 },
        scopeSpans: scopes.map((picks, s) => ({
          scope: { name: `scope${s}`, version: '', attributes: [], droppedAttributesCount: 0 },
          spans: picks.map((p) => makeSpan(ids[p % ids.length]!, n++)),
          schemaUrl: '',
        })),
        schemaUrl: '',
      })),
    };
  });

describe('replica routing', () => {
  test.prop([batchArb, fc.integer({ min: 1, max: 5 })])('partitions the spans: each span once, on its trace id’s replica, grouping kept', (batch, replicas) => {
    const parts = splitByReplica(batch, replicas);
    expect(parts).toHaveLength(replicas);
    const seen: string[] = [];
    parts.forEach((part, r) => {
      if (!part) return;
      if (replicas > 1) expect(spanCount(part)).toBeGreaterThan(0); // with one replica the batch passes as is
      forEachSpan(part, (span, rs, ss) => {
        expect(replicaOf(span.traceId, replicas)).toBe(r);
        seen.push(`${rs.resource.attributes[0]!.value as string}/${ss.scope.name}/${span.name}`);
      });
    });
    const all: string[] = [];
    forEachSpan(batch, (span, rs, ss) => all.push(`${rs.resource.attributes[0]!.value as string}/${ss.scope.name}/${span.name}`));
    expect(seen.sort()).toEqual(all.sort());
  });

  test.prop([batchArb])('gives every replica after the first its own resource and scope objects', (batch) => {
    const parts = splitByReplica(batch, 3);
    const resources = new Set<object>();
    const scopes = new Set<object>();
    parts.forEach((part, r) => {
      for (const rs of part?.resourceSpans ?? []) {
        if (r > 0) expect(resources.has(rs.resource)).toBe(false);
        resources.add(rs.resource);
        for (const ss of rs.scopeSpans) {
          if (r > 0) expect(scopes.has(ss.scope)).toBe(false);
          scopes.add(ss.scope);
        }
      }
    });
  });

  test.prop([traceIdBytes, fc.integer({ min: 1, max: 16 })])('is FNV-1a 32 of the 16 trace-id bytes, mod the replica count', (bytes, replicas) => {
    let h = 0x811c9dc5n;
    for (const b of bytes) h = ((h ^ BigInt(b)) * 0x01000193n) % 2n ** 32n;
    expect(replicaOf(idFromBytes(bytes), replicas)).toBe(Number(h % BigInt(replicas)));
  });

  test.prop([fc.array(traceId, { minLength: 4000, maxLength: 4000 })], { numRuns: 5 })('spreads random trace ids evenly over 4 replicas', (ids) => {
    const counts = [0, 0, 0, 0];
    for (const id of ids) counts[replicaOf(id, 4)]!++;
    // 4000 ids, p = 1/4: mean 1000, sd ≈ 27; ±6 sd never flakes
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(165);
  });
});
