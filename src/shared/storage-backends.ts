/**
 * The storage backend presets (reference storage-retention-drops.md): a scenario's
 * `storage.backend` must name one; the report's storage estimate holds their figures.
 */
export const STORAGE_BACKENDS = ['tempo', 'jaeger-cassandra', 'jaeger-elasticsearch', 'clickhouse', 'raw'] as const;
export type StorageBackend = (typeof STORAGE_BACKENDS)[number];
