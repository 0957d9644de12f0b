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
 * - a deterministic sample of whole exported requests (the first 16, then every 16th) is encoded
 *   and gzipped: the measured compression ratio (gzip ÷ raw over the sample), as the exporters'
 *   `StorageMeter` does, without sizing the batches outside the sample.
 * Shadow copies are neither sized nor counted.
 */
import type { AccountedBatch, DropReason, SampledOutReason, SpanAccounting } from '../pipeline/accounting.js';
import type { Ledger } from '../ledger/ledger.js';
import type { TraceBatch } from '../protocol/otlp/model.js';
import { spanProtoSize, varint32Size } from '../protocol/otlp/size.js';
import { gzipSync } from 'node:zlib';
import { encodeExportRequest } from '../protocol/otlp/proto-codec.js';

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

const SAMPLE_FIRST = 16;
const SAMPLE_EVERY = 16;

export class BytesTap implements SpanAccounting {
  /** Raw and gzip bytes of the sampled exported requests. */
  readonly compressionSample = { raw: 0, gzip: 0 };
  private _batches = 0;
  private readonly _ledger: Ledger;

  constructor(ledger: Ledger) {
    this._ledger = ledger;
  }

  exported(batch: AccountedBatch, componentId: string): void {
    if (!batch.shadow) {
      const n = this._batches++;
      if (n < SAMPLE_FIRST || (n - SAMPLE_FIRST) % SAMPLE_EVERY === 0) {
        const raw = encodeExportRequest(batch);
        this.compressionSample.raw += raw.length;
        this.compressionSample.gzip += gzipSync(raw).length;
      }
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
