import type { ExporterFactory } from '../../../pipeline/factory.js';
import { parseComponentConfig } from '../../shared/config-parse.js';
import { SinkExporter } from '../shared/sink-exporter.js';
import { defaultNopExporterConfig, nopExporterSchema, type NopExporterConfig } from './config.js';

/** Accepts and counts every span (reported as exported); keeps nothing. */
export const nopExporterFactory: ExporterFactory<NopExporterConfig> = {
  kind: 'exporter',
  type: 'nop',
  stability: 'stable',
  defaultConfig: defaultNopExporterConfig,
  parseConfig: (raw, path) => parseComponentConfig(nopExporterSchema, raw, path, () => defaultNopExporterConfig()),
  createTraces: (settings) => new SinkExporter(settings, { write() {} }),
};
