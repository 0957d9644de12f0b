import type { ExporterFactory } from '../../../pipeline/factory.js';
import { parseComponentConfig } from '../../shared/config-parse.js';
import { parseWith } from '../../../shared/schema.js';
import { defaultFileExporterConfig, fileExporterConfigFrom, fileExporterSchema, validateFileExporterRaw, type FileExporterConfig } from './config.js';
import { createFileExporter } from './file-exporter.js';

export const fileExporterFactory: ExporterFactory<FileExporterConfig> = {
  kind: 'exporter',
  type: 'file',
  stability: 'alpha',
  defaultConfig: () => ({ ...defaultFileExporterConfig(), path: 'tracesim-file-exporter.jsonl' }),
  parseConfig(raw, path) {
    const pre = parseWith(fileExporterSchema, raw ?? {}, path);
    const rawProblems = pre.ok ? validateFileExporterRaw(pre.value) : [];
    return parseComponentConfig(fileExporterSchema, raw, path, fileExporterConfigFrom, () => rawProblems);
  },
  createTraces: createFileExporter,
};
