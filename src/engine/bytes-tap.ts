/**
 * The accounting the engine gives its pipelines: forwards every outcome to the ledger and sizes
 * the exported batches (exact OTLP protobuf bytes of the request, resource and scope amortised),
 * which the storage estimate projects per day. Shadow copies are neither sized nor counted.
 */
import type { AccountedBatch, DropReason, SampledOutReason, SpanAccounting } from '../pipeline/accounting.js';
import type { Ledger } from '../ledger/ledger.js';
import { exportRequestProtoSize } from '../protocol/otlp/size.js';

export class BytesTap implements SpanAccounting {
  exportedBytes = 0;
  private readonly _ledger: Ledger;

  constructor(ledger: Ledger) {
    this._ledger = ledger;
  }

  exported(batch: AccountedBatch, componentId: string): void {
    if (!batch.shadow) {
      const bytes = exportRequestProtoSize(batch);
      this.exportedBytes += bytes;
      this._ledger.addExportedBytes(bytes);
    }
    this._ledger.exported(batch, componentId);
  }

  sampledOut(batch: AccountedBatch, componentId: string, reason: SampledOutReason): void {
    this._ledger.sampledOut(batch, componentId, reason);
  }

  dropped(batch: AccountedBatch, componentId: string, reason: DropReason): void {
    this._ledger.dropped(batch, componentId, reason);
  }
}
