/**
 * The storage sink stands in for every trace exporter tracesim does not simulate (Tempo, Jaeger,
 * vendor exporters). Its YAML body belongs to that other exporter and is not read; the config below
 * is internal.
 */
export interface StorageSinkConfig {
  /** Compress one batch in this many for the gzip ratio (see StorageMeter). */
  readonly compressEveryNth: number;
}

export function defaultStorageSinkConfig(): StorageSinkConfig {
  return { compressEveryNth: 16 };
}
