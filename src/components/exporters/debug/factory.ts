import type { ExporterFactory } from '../../../pipeline/factory.js';
import { parseComponentConfig } from '../../shared/config-parse.js';
import { debugExporterConfigFrom, debugExporterSchema, defaultDebugExporterConfig, type DebugExporterConfig } from './config.js';
import { createDebugExporter } from './debug-exporter.js';

export const debugExporterFactory: ExporterFactory<DebugExporterConfig> = {
  kind: 'exporter',
  type: 'debug',
  stability: 'stable',
  defaultConfig: defaultDebugExporterConfig,
  parseConfig: (raw, path) => parseComponentConfig(debugExporterSchema, raw, path, debugExporterConfigFrom),
  createTraces: createDebugExporter,
};
