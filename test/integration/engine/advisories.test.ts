/**
 * The sizing advisor on real sim runs: what it says it measured must agree with the ledger, and
 * it must speak up for a single collector as well as for replicas.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { run } from '../../../src/engine/run.js';

const smoke = join(import.meta.dirname, '..', '..', '..', 'scenarios', 'ci-smoke.yaml');

describe('sizing advisor on sim runs', () => {
  test('the measured eviction share counts distinct evicted traces (never above 100 %)', async () => {
    const { report } = await run({ scenarioPath: smoke, workers: 1, set: ['collector.processors.tail_sampling.num_traces=50'] });
    const advisory = report.advisories.find((a) => a.code === 'num_traces_too_small');
    expect(advisory).toBeDefined();
    const m = /measured ([\d.]+)% \((\d+) of (\d+)\)/.exec(advisory!.message);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(100);
    expect(Number(m![2])).toBe(report.dropped.byReason.tail_buffer_evicted!.traces);
    expect(report.ledger.balanced).toBe(true);
  });

  test('a tail buffer above the memory limiter soft limit is flagged with one collector', async () => {
    const { report } = await run({
      scenarioPath: smoke,
      workers: 1,
      set: ['traffic.rate=400/s', 'collector.processors.memory_limiter.limit_mib=1', 'collector.processors.memory_limiter.spike_limit_mib=0'],
    });
    expect(report.replicas).toBeUndefined();
    expect(report.advisories.map((a) => a.code)).toContain('tail_buffer_over_memory_limit');
    expect(report.ledger.balanced).toBe(true);
    // the refusals that advisory predicts are reported as events, by the refusing component, with
    // how the refused exports ended; the spans lost are the client's give-ups
    const refusals = report.refusals!;
    expect(Object.keys(refusals.spansByComponent)).toEqual(['memory_limiter']);
    expect(refusals.spansByComponent['memory_limiter']).toBeGreaterThan(0);
    expect(refusals.exportsRetriedOk + refusals.exportsGaveUp).toBeGreaterThan(0);
    expect(refusals.exportsGaveUp > 0).toBe((report.dropped.byReason.client_gave_up?.spans ?? 0) > 0);
  });

  test('a run without refusals has no refusals section', async () => {
    const { report } = await run({ scenarioPath: smoke, workers: 1 });
    expect(report.refusals).toBeUndefined();
  });
});
