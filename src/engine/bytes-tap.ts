/**
 * The accounting the engine gives its pipelines: forwards every outcome to the ledger and sizes
 * what is exported.
 *
 * Two byte measures, for two questions:
 * - the ledger's bytes (byte retention, bytes per span in the storage estimate) are **span bytes**:
 *   Σ over spans of the span message as it sits in a request (`1 + len varint + body`), measured
 *   the same way for generated and exported spans, so byte retention compares like with like
 *   (the collector re-groups spans per trace after tail sampling, which repeats resource and scope
 *   headers; counting those would let byte retention exceed 1);
 * - the storage meter (the exporters' own `StorageMeter`) sizes whole exported requests and gzips a
 *   deterministic sample of them: the measured compression ratio.
 * Shadow copies are neither sized nor counted.
 */
import type { AccountedBatch, DropReason, SampledOutReason, SpanAccounting } from '../pipeline/accounting.js';
import type { Ledger } from '../ledger/ledger.js';
import type { TraceBatch } from '../protocol/otlp/model.js';
import { spanProtoSize, varint32Size } from '../protocol/otlp/size.js';
import { StorageMeter } from '../components/exporters/shared/storage-meter.js';

/** Σ of each span's encoded size inside its ScopeSpans (tag, length prefix and body). */
export function batchSpanBytes(batch: TraceBatch): number {
  let total = 0;
  for (const rs of batch.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        const body = spanProtoSize(span);
        total += 1 + varint32Size(body) + body;
      }
    }
  }
  return total;
}

export class BytesTap implements SpanAccounting {
  readonly meter = new StorageMeter();
  private readonly _ledger: Ledger;

  constructor(ledger: Ledger) {
    this._ledger = ledger;
  }

  exported(batch: AccountedBatch, componentId: string): void {
    if (!batch.shadow) {
      this.meter.record(batch);
      this._ledger.addExportedBytes(batchSpanBytes(batch));
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
