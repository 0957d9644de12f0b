/**
 * Measures what a backend would store: exact OTLP protobuf bytes of every batch (computed from
 * the same field walk the encoder does, without encoding) and gzip-compressed bytes.
 *
 * Compression cost: gzip of every batch would dominate a sim run, so the meter compresses a
 * deterministic sample — the first `alwaysFirst` batches, then every `everyNth` — and projects:
 *
 *   compressedBytes = storedBytes × (Σ gzip(sampled) / Σ proto(sampled))
 *
 * The ratio converges quickly because span content is homogeneous within a run; set
 * `everyNth: 1` for an exact figure. The sample depends only on batch order, so runs are repeatable.
 */
import { batchGzipBytes, batchProtoBytes } from '../../../protocol/otlp/batch-bytes.js';
import type { TraceBatch } from '../../../protocol/otlp/model.js';
import { spanCount } from '../../../protocol/otlp/model.js';

export interface StorageMeterOptions {
  /** Batches compressed before sampling starts (default 16). */
  readonly alwaysFirst?: number;
  /** Afterwards, compress one batch in this many (default 16; 1 = every batch). */
  readonly everyNth?: number;
}

export class StorageMeter {
  private readonly _alwaysFirst: number;
  private readonly _everyNth: number;
  private _batches = 0;
  private _spans = 0;
  private _bytes = 0;
  private _sampledRaw = 0;
  private _sampledGzip = 0;

  constructor(options: StorageMeterOptions = {}) {
    this._alwaysFirst = options.alwaysFirst ?? 16;
    this._everyNth = Math.max(1, Math.floor(options.everyNth ?? 16));
  }

  /** Adds one batch; returns its exact OTLP protobuf size in bytes. */
  record(batch: TraceBatch): number {
    const bytes = batchProtoBytes(batch);
    const n = this._batches++;
    this._spans += spanCount(batch);
    this._bytes += bytes;
    if (n < this._alwaysFirst || (n - this._alwaysFirst) % this._everyNth === 0) {
      this._sampledRaw += bytes;
      this._sampledGzip += batchGzipBytes(batch);
    }
    return bytes;
  }

  spans(): number {
    return this._spans;
  }

  batches(): number {
    return this._batches;
  }

  /** Exact OTLP protobuf bytes of everything recorded. */
  storedBytes(): number {
    return this._bytes;
  }

  /** gzip bytes, exact for the sampled batches and projected for the rest (integer). */
  compressedBytes(): number {
    return this._sampledRaw === 0 ? 0 : Math.round((this._bytes * this._sampledGzip) / this._sampledRaw);
  }

  /** Compressed / raw over the sample (0 before the first batch). */
  compressionRatio(): number {
    return this._sampledRaw === 0 ? 0 : this._sampledGzip / this._sampledRaw;
  }
}
