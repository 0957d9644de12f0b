/**
 * The `memory_limiter` processor on the host clock. tracesim's "heap" is `host.heldBytes()`: the
 * bytes of span data the pipeline holds (batch buffers, tail-sampling buffer, exporter queues).
 *
 *   hard = limit_mib × 2^20            or  limit_percentage % × total memory
 *   soft = hard − spike                spike = spike_limit_mib × 2^20 (or %), default 20 % of hard
 *
 * Every `check_interval` (first check one interval after start, as upstream's ticker) the limiter
 * reads the heap and sets `mustRefuse = heap ≥ soft`. Upstream forces a GC at or above soft (and
 * hard) and re-reads; held span data is live, so a GC reclaims nothing here and the hard limit
 * changes nothing further — refusal starts at the soft limit in both.
 *
 * While `mustRefuse`, `consumeTraces` rejects with `DataRefusedError` (retryable): the caller
 * decides whether that becomes a loss (an OTLP client retries; the engine accounts). Nothing is
 * reported to the ledger here.
 *
 * Metrics (label `processor`): `otelcol_processor_refused_spans`, `otelcol_processor_accepted_spans`
 * (classic obsreport names) and `otelcol_processor_memory_limiter_refused_spans` /
 * `…_accepted_spans` (current upstream names); gauges `tracesim_memory_limiter_heap_bytes`,
 * `…_soft_limit_bytes`, `…_hard_limit_bytes`.
 */
import { totalmem } from 'node:os';
import type { Timer } from '../../../pipeline/clock.js';
import type { Component, Host, Settings } from '../../../pipeline/component.js';
import type { TracesConsumer } from '../../../pipeline/consumer.js';
import { DataRefusedError, PermanentError, ShutdownError } from '../../../pipeline/errors.js';
import type { Counter } from '../../../pipeline/telemetry.js';
import type { TraceBatch } from '../../../protocol/otlp/model.js';
import { spanCount } from '../../../protocol/otlp/model.js';
import type { MemoryLimiterConfig } from './config.js';

/** Total memory assumed for percentages in sim runs when the engine gives none (4 GiB). */
export const DEFAULT_SIM_TOTAL_MEMORY_BYTES = 4 * 1024 ** 3;
const MIB = 1024 * 1024;

export interface MemoryLimiterLimits {
  readonly hardLimitBytes: number;
  readonly softLimitBytes: number;
  readonly checkIntervalMs: number;
}

/**
 * Hard and soft limits in bytes for `config` given the total memory, in upstream's integer
 * arithmetic (`getMemUsageChecker`): `limit_mib` wins over the percentages; a spike that comes
 * out 0 (unset, or a percentage of too little memory) becomes `⌊hard / 5⌋`.
 */
export function computeLimits(config: MemoryLimiterConfig, totalMemoryBytes: number): MemoryLimiterLimits {
  const fixed = config.limitMib > 0;
  const hard = fixed ? config.limitMib * MIB : Math.floor((totalMemoryBytes * config.limitPercentage) / 100);
  const spikeSet = fixed ? config.spikeLimitMib * MIB : Math.floor((totalMemoryBytes * config.spikeLimitPercentage) / 100);
  const spike = spikeSet > 0 ? spikeSet : Math.floor(hard / 5);
  return { hardLimitBytes: hard, softLimitBytes: hard - spike, checkIntervalMs: config.checkIntervalMs };
}

export class MemoryLimiterProcessor implements Component, TracesConsumer {
  readonly capabilities = { mutatesData: false };
  private readonly _id: string;
  private readonly _cfg: MemoryLimiterConfig;
  private readonly _next: TracesConsumer;
  private readonly _settingsTotal: number | undefined;
  private _limits: MemoryLimiterLimits | undefined;
  private _host: Host | undefined;
  private _timer: Timer | undefined;
  private _mustRefuse = false;
  private _lastHeapBytes = 0;
  private _state: 'created' | 'started' | 'stopped' = 'created';
  private _m!: { refused: Counter; accepted: Counter; refusedCurrent: Counter; acceptedCurrent: Counter };

  constructor(settings: Settings, config: MemoryLimiterConfig, next: TracesConsumer) {
    this._id = settings.id;
    this._cfg = config;
    this._next = next;
    this._settingsTotal = settings.totalMemoryBytes;
  }

  /** The limits in force (after start), for charts and reports. */
  limits(): MemoryLimiterLimits | undefined {
    return this._limits;
  }

  /** True while the limiter refuses data (set at each check). */
  refusing(): boolean {
    return this._mustRefuse;
  }

  async start(host: Host): Promise<void> {
    if (this._state !== 'created') return;
    this._host = host;
    let total = this._settingsTotal;
    if (total === undefined && this._cfg.limitMib === 0) {
      total = host.mode === 'live' ? totalmem() : DEFAULT_SIM_TOTAL_MEMORY_BYTES;
      host.log.warn(`${this._id}: limit_percentage applies to ${total} bytes of total memory (${host.mode === 'live' ? 'this machine' : 'sim default; set the engine total memory to change it'})`);
    }
    this._limits = computeLimits(this._cfg, total ?? 0);
    const p = { processor: this._id };
    this._m = {
      refused: host.telemetry.counter('otelcol_processor_refused_spans', p),
      accepted: host.telemetry.counter('otelcol_processor_accepted_spans', p),
      refusedCurrent: host.telemetry.counter('otelcol_processor_memory_limiter_refused_spans', p),
      acceptedCurrent: host.telemetry.counter('otelcol_processor_memory_limiter_accepted_spans', p),
    };
    const limits = this._limits;
    host.telemetry.gauge('tracesim_memory_limiter_heap_bytes', p, () => this._lastHeapBytes);
    host.telemetry.gauge('tracesim_memory_limiter_soft_limit_bytes', p, () => limits.softLimitBytes);
    host.telemetry.gauge('tracesim_memory_limiter_hard_limit_bytes', p, () => limits.hardLimitBytes);
    this._timer = host.clock.setInterval(this._cfg.checkIntervalMs, () => this.check());
    this._state = 'started';
  }

  /** One memory check (also callable by tests): `mustRefuse = heap ≥ soft limit`. */
  check(): void {
    if (!this._host || !this._limits) return;
    this._lastHeapBytes = this._host.heldBytes();
    const was = this._mustRefuse;
    this._mustRefuse = this._lastHeapBytes >= this._limits.softLimitBytes;
    if (this._mustRefuse !== was) {
      this._host.log.warn(
        this._mustRefuse
          ? `${this._id}: memory usage ${this._lastHeapBytes} B is above the soft limit ${this._limits.softLimitBytes} B; refusing data`
          : `${this._id}: memory usage ${this._lastHeapBytes} B is below the soft limit again; accepting data`,
      );
    }
  }

  async shutdown(): Promise<void> {
    if (this._state === 'stopped') return;
    this._state = 'stopped';
    this._timer?.cancel();
    this._timer = undefined;
  }

  async consumeTraces(batch: TraceBatch): Promise<void> {
    if (this._state === 'stopped') throw new ShutdownError(this._id);
    if (this._state !== 'started') throw new PermanentError(`${this._id} is not started`);
    const n = spanCount(batch);
    if (this._mustRefuse) {
      this._m.refused.add(n);
      this._m.refusedCurrent.add(n);
      throw new DataRefusedError(this._id);
    }
    this._m.accepted.add(n);
    this._m.acceptedCurrent.add(n);
    await this._next.consumeTraces(batch);
  }
}

/** The limits of a memory limiter instance (a graph component), or undefined for anything else. */
export function memoryLimiterLimits(component: unknown): MemoryLimiterLimits | undefined {
  return component instanceof MemoryLimiterProcessor ? component.limits() : undefined;
}
