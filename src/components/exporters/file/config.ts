/** `file` exporter settings (collector `exporter/fileexporter`). */
import { z } from 'zod';
import { collectorDurationMs } from '../../../shared/schema.js';

export interface FileExporterConfig {
  /** Output file; relative paths resolve against the working directory. Required. */
  readonly path: string;
  /** `json`: OTLP/JSON, one request per line; `proto`: each request as 4-byte big-endian length + protobuf bytes. */
  readonly format: 'json' | 'proto';
  /** Append to an existing file instead of truncating it at start. */
  readonly append: boolean;
  /** Buffered bytes are written at least this often (and whenever 256 KiB are buffered). */
  readonly flushIntervalMs: number;
  /** The config asks for `zstd` (the collector's only codec); tracesim writes uncompressed (it has no zstd compressor). */
  readonly zstdRequested: boolean;
}

export function defaultFileExporterConfig(): FileExporterConfig {
  return { path: '', format: 'json', append: false, flushIntervalMs: 1000, zstdRequested: false };
}

export const fileExporterSchema = z.strictObject({
  path: z.string().optional(),
  format: z.enum(['json', 'proto']).optional(),
  append: z.boolean().optional(),
  flush_interval: collectorDurationMs({ min: 0 }).optional(),
  compression: z.string().optional(),
  encoding: z.string().optional(),
  rotation: z
    .strictObject({
      max_megabytes: z.number().int().min(0).optional(),
      max_days: z.number().int().min(0).optional(),
      max_backups: z.number().int().min(0).optional(),
      localtime: z.boolean().optional(),
    })
    .nullable()
    .optional(),
  group_by: z
    .strictObject({
      enabled: z.boolean().optional(),
      resource_attribute: z.string().optional(),
      max_open_files: z.number().int().min(1).optional(),
    })
    .optional(),
});

export type FileExporterRaw = z.output<typeof fileExporterSchema>;

export function fileExporterConfigFrom(v: FileExporterRaw): FileExporterConfig {
  const d = defaultFileExporterConfig();
  return {
    path: v.path ?? d.path,
    format: v.format ?? d.format,
    append: v.append ?? d.append,
    flushIntervalMs: v.flush_interval ?? d.flushIntervalMs,
    zstdRequested: v.compression === 'zstd',
  };
}

/** Settings the collector has and tracesim cannot honour are problems, not silent differences. */
export function validateFileExporterRaw(v: FileExporterRaw): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  if (!v.path) problems.push({ path: ['path'], message: 'required: the file to write' });
  // upstream accepts "" and "zstd" only; zstd loads (a production config must) and is written uncompressed in live runs
  if (v.compression !== undefined && v.compression !== '' && v.compression !== 'zstd') {
    problems.push({ path: ['compression'], message: `compression ${JSON.stringify(v.compression)} is not supported: the file exporter knows "zstd" or none` });
  }
  if (v.encoding !== undefined) problems.push({ path: ['encoding'], message: 'encoding extensions are not supported by tracesim' });
  if (v.group_by?.enabled) problems.push({ path: ['group_by', 'enabled'], message: 'group_by is not supported by tracesim' });
  return problems;
}
