import { describe, expect, it } from 'vitest';
import { memoryLimiterProcessorFactory } from '../../../../../src/components/processors/memory-limiter/factory.js';
import { DEFAULT_SIM_TOTAL_MEMORY_BYTES, MemoryLimiterProcessor, computeLimits, memoryLimiterLimits } from '../../../../../src/components/processors/memory-limiter/memory-limiter.js';
import type { MemoryLimiterConfig } from '../../../../../src/components/processors/memory-limiter/config.js';
import { DataRefusedError, RetryableError, isPermanent } from '../../../../../src/pipeline/errors.js';
import { createTestHost } from '../../../../helpers/host.js';
import { TracesSink } from '../../../../helpers/traces-sink.js';
import { spansBatch } from '../../../../helpers/spans.js';

const MIB = 1024 * 1024;
const t0 = Date.UTC(2026, 0, 1);

function parse(raw: unknown): MemoryLimiterConfig {
  const r = memoryLimiterProcessorFactory.parseConfig(raw, 'processors.memory_limiter');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

describe('memory_limiter', () => {
  it('limits: soft = hard − spike; spike defaults to 20% of hard; percentages of total memory', () => {
    expect(computeLimits(parse({ check_interval: '1s', limit_mib: 100, spike_limit_mib: 30 }), 0)).toEqual({ hardLimitBytes: 100 * MIB, softLimitBytes: 70 * MIB, checkIntervalMs: 1000 });
    expect(computeLimits(parse({ check_interval: '1s', limit_mib: 100 }), 0).softLimitBytes).toBe(100 * MIB - Math.floor(100 * MIB * 0.2));
    expect(computeLimits(parse({ check_interval: '1s', limit_percentage: 50, spike_limit_percentage: 10 }), 1000 * MIB)).toMatchObject({ hardLimitBytes: 500 * MIB, softLimitBytes: 400 * MIB });
  });

  it('refuses (retryable) from the first check at or above the soft limit, until usage drops', async () => {
    const host = createTestHost();
    let held = 0;
    host.setHeldBytes(() => held);
    const sink = new TracesSink();
    const ml = new MemoryLimiterProcessor({ id: 'memory_limiter', compat: 'current' }, parse({ check_interval: '1s', limit_mib: 10, spike_limit_mib: 2 }), sink);
    await ml.start(host);
    held = 9 * MIB; // above soft (8 MiB), but not yet checked
    await ml.consumeTraces(spansBatch(2));
    expect(sink.spanCount).toBe(2);
    await host.clock.advanceTo(t0 + 1000);
    const err = await ml.consumeTraces(spansBatch(3)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataRefusedError);
    expect(err).toBeInstanceOf(RetryableError);
    expect(isPermanent(err)).toBe(false);
    expect(host.telemetry.sum('otelcol_processor_refused_spans')).toBe(3);
    expect(host.telemetry.sum('otelcol_processor_memory_limiter_refused_spans')).toBe(3);
    expect(host.accounting.totalDropped).toBe(0);
    held = 8 * MIB - 1;
    await host.clock.advanceTo(t0 + 2000);
    await ml.consumeTraces(spansBatch(1));
    expect(sink.spanCount).toBe(3);
    expect(host.telemetry.sum('otelcol_processor_accepted_spans')).toBe(3);
    expect(memoryLimiterLimits(ml)).toEqual({ hardLimitBytes: 10 * MIB, softLimitBytes: 8 * MIB, checkIntervalMs: 1000 });
    expect(memoryLimiterLimits(sink)).toBeUndefined();
    await ml.shutdown();
    expect(host.clock.nextDueMs()).toBeUndefined();
  });

  it('accepts the GC pacing upstream accepts: a minimum above the default cap with the cap disabled, caps in order', () => {
    expect(parse({ check_interval: '1s', limit_mib: 100, min_gc_interval_when_soft_limited: '1m', max_gc_interval_when_soft_limited: 0 }).gc).toEqual({ minSoftMs: 60_000, minHardMs: 0, maxSoftMs: 0, maxHardMs: 30_000 });
    expect(parse({ check_interval: '1s', limit_mib: 100, min_gc_interval_when_hard_limited: '5s', max_gc_interval_when_hard_limited: '20s' }).gc).toEqual({ minSoftMs: 10_000, minHardMs: 5_000, maxSoftMs: 30_000, maxHardMs: 20_000 });
  });

  it('a spike that comes out 0 from a percentage of little memory falls back to hard / 5, as upstream', () => {
    // total 99 B: hard = ⌊50 × 99 / 100⌋ = 49; spike = ⌊1 × 99 / 100⌋ = 0 → ⌊49 / 5⌋ = 9
    expect(computeLimits(parse({ check_interval: '1s', limit_percentage: 50, spike_limit_percentage: 1 }), 99)).toMatchObject({ hardLimitBytes: 49, softLimitBytes: 49 - 9 });
  });

  it('uses Settings.totalMemoryBytes for percentages, else warns and assumes the sim default', async () => {
    const cfg = parse({ check_interval: '1s', limit_percentage: 50, spike_limit_percentage: 10 });
    const a = new MemoryLimiterProcessor({ id: 'ml', compat: 'current', totalMemoryBytes: 1000 * MIB }, cfg, new TracesSink());
    const hostA = createTestHost();
    await a.start(hostA);
    expect(a.limits()?.hardLimitBytes).toBe(500 * MIB);
    expect(hostA.warnings).toEqual([]);
    const b = new MemoryLimiterProcessor({ id: 'ml', compat: 'current' }, cfg, new TracesSink());
    const hostB = createTestHost();
    await b.start(hostB);
    expect(b.limits()?.hardLimitBytes).toBe(DEFAULT_SIM_TOTAL_MEMORY_BYTES / 2);
    expect(hostB.warnings[0]).toContain('limit_percentage applies to');
  });

  it.each([
    [{ limit_mib: 10 }, ['processors.memory_limiter.check_interval: check_interval must be greater than zero']],
    [{ check_interval: '1s', spike_limit_percentage: 10 }, ["processors.memory_limiter.limit_mib: 'limit_mib' or 'limit_percentage' must be greater than zero"]],
    [{ check_interval: '1s', limit_mib: 100, limit_percentage: 101 }, ["processors.memory_limiter.limit_percentage: 'limit_percentage' and 'spike_limit_percentage' must be greater than zero and less than or equal to hundred"]],
    [{ check_interval: '1s', limit_mib: 100, limit_percentage: 20, spike_limit_percentage: 20 }, ["processors.memory_limiter.spike_limit_percentage: 'spike_limit_percentage' must be smaller than 'limit_percentage'"]],
    [{ check_interval: '1s', limit_mib: 100, min_gc_interval_when_soft_limited: '50ms', min_gc_interval_when_hard_limited: '100ms' }, ["processors.memory_limiter.min_gc_interval_when_soft_limited: 'min_gc_interval_when_soft_limited' should be larger than 'min_gc_interval_when_hard_limited'"]],
    [{ check_interval: '1s', limit_mib: 100, min_gc_interval_when_soft_limited: '1m' }, ["processors.memory_limiter.max_gc_interval_when_soft_limited: 'max_gc_interval_when_soft_limited' must be greater than or equal to 'min_gc_interval_when_soft_limited' (or 0 to disable)"]],
    [{ check_interval: '1s', limit_mib: 100, max_gc_interval_when_hard_limited: '1m' }, ["processors.memory_limiter.max_gc_interval_when_soft_limited: 'max_gc_interval_when_soft_limited' should be larger than or equal to 'max_gc_interval_when_hard_limited' (when both are set)"]],
    [{ check_interval: '1s', limit_mib: 100, min_gc_interval_when_hard_limited: '5s', max_gc_interval_when_hard_limited: '1s' }, ["processors.memory_limiter.max_gc_interval_when_hard_limited: 'max_gc_interval_when_hard_limited' must be greater than or equal to 'min_gc_interval_when_hard_limited' (or 0 to disable)"]],
    [{ check_interval: '1s', limit_mib: 100, max_gc_interval_when_soft_limited: '-1s' }, ["processors.memory_limiter.max_gc_interval_when_soft_limited: 'max_gc_interval_when_soft_limited' must be non-negative"]],
    [{ check_interval: '1s' }, ["processors.memory_limiter.limit_mib: 'limit_mib' or 'limit_percentage' must be greater than zero"]],
    [{ check_interval: '1s', limit_percentage: 120 }, ["processors.memory_limiter.limit_percentage: 'limit_percentage' and 'spike_limit_percentage' must be greater than zero and less than or equal to hundred"]],
    [{ check_interval: '1s', limit_percentage: 50, spike_limit_percentage: 60 }, ["processors.memory_limiter.spike_limit_percentage: 'spike_limit_percentage' must be smaller than 'limit_percentage'"]],
    [{ check_interval: 'soon', limit_mib: 1 }, ['processors.memory_limiter.check_interval: expected a duration such as 5s or 250ms, got "soon"']],
  ])('rejects %j', (raw, expected) => {
    const r = memoryLimiterProcessorFactory.parseConfig(raw, 'processors.memory_limiter');
    expect(r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`)).toEqual(expected);
  });
});
