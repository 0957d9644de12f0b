import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { expect } from 'vitest';
import { ChunkPlan } from '../../../src/generator/chunk-plan.js';

test.prop([fc.nat(100_000), fc.integer({ min: 1, max: 2_000 })])('chunks tile the traces: contiguous, ramping up to chunkTraces, none empty', (traces, chunkTraces) => {
  const plan = new ChunkPlan(traces, chunkTraces);
  expect(plan.start(0)).toBe(0);
  let previousSize = 0;
  for (let c = 0; c < plan.count; c++) {
    const size = plan.start(c + 1) - plan.start(c);
    expect(size).toBeGreaterThan(0);
    expect(size).toBeLessThanOrEqual(chunkTraces);
    // sizes never shrink, and reach chunkTraces by doubling from 32 (or start there)
    expect(size).toBeGreaterThanOrEqual(previousSize);
    if (previousSize > 0 && size < chunkTraces) expect(size).toBe(previousSize * 2);
    previousSize = size;
  }
  // the chunks cover every trace and the last one is needed
  expect(plan.start(plan.count)).toBeGreaterThanOrEqual(traces);
  if (plan.count > 0) expect(plan.start(plan.count - 1)).toBeLessThan(traces);
});
