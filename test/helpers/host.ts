import type { Host, Logger } from '../../src/pipeline/component.js';
import type { AccountedBatch, DropReason, SampledOutReason, SpanAccounting } from '../../src/pipeline/accounting.js';
import { spanCount } from '../../src/protocol/otlp/model.js';
import { MetricsRegistry } from '../../src/pipeline/telemetry.js';
import { VirtualClock } from '../../src/pipeline/virtual-clock.js';

/** Accounting that tallies span counts by outcome and reason, ignoring shadow copies. */
export class RecordingAccounting implements SpanAccounting {
  exportedSpans = 0;
  /** Spans each exporter handed over, shadow copies included (fan-out tests). */
  readonly exportedByComponent = new Map<string, number>();
  readonly sampledOutSpans = new Map<SampledOutReason, number>();
  readonly droppedSpans = new Map<DropReason, number>();

  exported(batch: AccountedBatch, componentId: string): void {
    if (!batch.shadow) this.exportedSpans += spanCount(batch);
    this.exportedByComponent.set(componentId, (this.exportedByComponent.get(componentId) ?? 0) + spanCount(batch));
  }
  sampledOut(batch: AccountedBatch, _componentId: string, reason: SampledOutReason): void {
    if (!batch.shadow) this.sampledOutSpans.set(reason, (this.sampledOutSpans.get(reason) ?? 0) + spanCount(batch));
  }
  dropped(batch: AccountedBatch, _componentId: string, reason: DropReason): void {
    if (!batch.shadow) this.droppedSpans.set(reason, (this.droppedSpans.get(reason) ?? 0) + spanCount(batch));
  }
  sampledOutOfTrace(_traceId: string, spans: number, shadow: boolean, _componentId: string, reason: SampledOutReason): void {
    if (!shadow) this.sampledOutSpans.set(reason, (this.sampledOutSpans.get(reason) ?? 0) + spans);
  }
  droppedOfTrace(_traceId: string, spans: number, shadow: boolean, _componentId: string, reason: DropReason): void {
    if (!shadow) this.droppedSpans.set(reason, (this.droppedSpans.get(reason) ?? 0) + spans);
  }
  get totalSampledOut(): number {
    return [...this.sampledOutSpans.values()].reduce((a, b) => a + b, 0);
  }
  get totalDropped(): number {
    return [...this.droppedSpans.values()].reduce((a, b) => a + b, 0);
  }
}

export interface TestHost extends Host {
  readonly clock: VirtualClock;
  readonly accounting: RecordingAccounting;
  readonly telemetry: MetricsRegistry;
  readonly warnings: string[];
  /** Set what `heldBytes()` answers (memory limiter tests). */
  setHeldBytes(read: () => number): void;
}

/** A host on a virtual clock starting at `startMs` (default 2026-01-01T00:00:00Z). */
export function createTestHost(startMs = Date.UTC(2026, 0, 1)): TestHost {
  const warnings: string[] = [];
  const log: Logger = { warn: (m) => warnings.push(m), info: () => {} };
  let held = (): number => 0;
  return {
    mode: 'sim',
    clock: new VirtualClock(startMs),
    accounting: new RecordingAccounting(),
    telemetry: new MetricsRegistry(),
    log,
    warnings,
    heldBytes: () => held(),
    setHeldBytes: (read) => {
      held = read;
    },
  };
}
