import type { ExporterFactory } from '../../../pipeline/factory.js';
import { STORAGE_SINK_TYPE } from '../../../pipeline/registry.js';
import { defaultStorageSinkConfig, type StorageSinkConfig } from './config.js';
import { StorageSinkExporter } from './storage-sink.js';

/**
 * Internal factory (type `storage_sink`, not nameable in YAML as such): the loader uses it for any
 * trace exporter outside the simulated set and never passes the other exporter's body to it.
 */
export const storageSinkExporterFactory: ExporterFactory<StorageSinkConfig> = {
  kind: 'exporter',
  type: STORAGE_SINK_TYPE,
  stability: 'beta',
  defaultConfig: defaultStorageSinkConfig,
  parseConfig: () => ({ ok: true, config: defaultStorageSinkConfig() }),
  createTraces: (settings, config) => new StorageSinkExporter(settings, config),
};
