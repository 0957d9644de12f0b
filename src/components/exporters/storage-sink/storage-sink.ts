/**
 * The storage sink exporter: accepts every batch, counts it and measures exact OTLP protobuf
 * bytes and gzip bytes of what reached it (what a backend would ingest).
 */
import type { Settings } from '../../../pipeline/component.js';
import { SinkExporter } from '../shared/sink-exporter.js';
import { StorageMeter } from '../shared/storage-meter.js';
import type { StorageSinkConfig } from './config.js';

export class StorageSinkExporter extends SinkExporter {
  readonly meter: StorageMeter;

  constructor(settings: Settings, config: StorageSinkConfig) {
    const meter = new StorageMeter({ everyNth: config.compressEveryNth });
    super(settings, { write: (batch) => void meter.record(batch) });
    this.meter = meter;
  }

  /** Exact OTLP protobuf bytes accepted so far. */
  storedBytes(): number {
    return this.meter.storedBytes();
  }
  /** gzip bytes (sampled projection, see StorageMeter). */
  compressedBytes(): number {
    return this.meter.compressedBytes();
  }
  /** Spans accepted so far. */
  spans(): number {
    return this.meter.spans();
  }
}
