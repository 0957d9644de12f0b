/**
 * The accounting the engine gives its pipelines: forwards every outcome to the ledger and meters
 * the exported batches with the exporters' own `StorageMeter` (exact OTLP protobuf bytes of each
 * request, resource and scope amortised; gzip bytes from a deterministic sample), which the
 * storage estimate projects per day. This measures the ledger's copy of each span whatever the
 * exporter type (a `debug` or `nop` exporter has no meter of its own). Shadow copies are neither
 * metered nor counted.
 */
import type { AccountedBatch, DropReason, SampledOutReason, SpanAccounting } from '../pipeline/accounting.js';
import type { Ledger } from '../ledger/ledger.js';
import { StorageMeter } from '../components/exporters/shared/storage-meter.js';

export class BytesTap implements SpanAccounting {
  readonly meter = new StorageMeter();
  private readonly _ledger: Ledger;

  constructor(ledger: Ledger) {
    this._ledger = ledger;
  }

  get exportedBytes(): number {
    return this.meter.storedBytes();
  }

  exported(batch: AccountedBatch, componentId: string): void {
    if (!batch.shadow) this._ledger.addExportedBytes(this.meter.record(batch));
    this._ledger.exported(batch, componentId);
  }

  sampledOut(batch: AccountedBatch, componentId: string, reason: SampledOutReason): void {
    this._ledger.sampledOut(batch, componentId, reason);
  }

  dropped(batch: AccountedBatch, componentId: string, reason: DropReason): void {
    this._ledger.dropped(batch, componentId, reason);
  }
}
