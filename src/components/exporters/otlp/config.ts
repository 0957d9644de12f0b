/**
 * Configuration of the `otlp` (gRPC) exporter, read from the collector's YAML (upstream
 * `exporter/otlpexporter/config.go` + configgrpc + exporterhelper). Every problem is reported
 * with its full key path; TLS files, auth, keepalive and buffer sizes are accepted and not used.
 */
import { z } from 'zod';
import { collectorDurationMs, issuesToProblems, type ConfigProblem } from '../../../shared/schema.js';
import type { ParseResult } from '../../../pipeline/factory.js';
import type { ExporterHelperConfig } from '../shared/exporter-helper.js';
import { helperConfigFrom, helperNotSimulated, retryOnFailureSchema, sendingQueueSchema, validateHelperConfig } from '../shared/helper-config.js';

/** What goes on the wire: Node 20 and grpc-js offer gzip; every other collector algorithm falls back to it. */
export type Compression = 'gzip' | 'none';

/** Every `compression` value configcompression accepts, so production configs load unchanged. */
export const COLLECTOR_COMPRESSIONS = ['gzip', 'zstd', 'snappy', 'zlib', 'deflate', 'lz4', 'none', ''] as const;

/** `compression` and, when substituted, `compressionWarning`, for spreading into a config. */
export function wireCompressionFields(configured: string | undefined): { compression: Compression; compressionWarning?: string } {
  const { compression, warning } = wireCompression(configured);
  return warning === undefined ? { compression } : { compression, compressionWarning: warning };
}

/** The wire compression for a configured algorithm, and a warning when it had to be substituted. */
export function wireCompression(configured: string | undefined): { compression: Compression; warning?: string } {
  if (configured === 'none' || configured === '') return { compression: 'none' };
  if (configured === undefined || configured === 'gzip') return { compression: 'gzip' };
  return { compression: 'gzip', warning: `compression "${configured}" is not available in tracesim's live sender; sending gzip (sim runs are unaffected)` };
}

export interface OtlpExporterConfig extends ExporterHelperConfig {
  /** As written: `host:port`, optionally with `http://` / `https://` / `dns:///`. */
  endpoint: string;
  /** True: plaintext (`tls.insecure`, or an `http://` endpoint). */
  insecure: boolean;
  headers: Record<string, string>;
  compression: Compression;
  /** Set when the configured algorithm was replaced by gzip; logged when a live exporter starts. */
  compressionWarning?: string;
}

export const DEFAULT_TIMEOUT_MS = 5_000;

export function defaultConfig(): OtlpExporterConfig {
  return { endpoint: '', insecure: false, headers: {}, compression: 'gzip', ...helperConfigFrom({}, DEFAULT_TIMEOUT_MS) };
}

const opaque = z.union([z.record(z.string(), z.unknown()), z.null()]);

export const tlsSchema = z.strictObject({
  insecure: z.boolean().optional(),
  insecure_skip_verify: z.boolean().optional(),
  ca_file: z.string().optional(),
  ca_pem: z.string().optional(),
  cert_file: z.string().optional(),
  cert_pem: z.string().optional(),
  key_file: z.string().optional(),
  key_pem: z.string().optional(),
  server_name_override: z.string().optional(),
  min_version: z.string().optional(),
  max_version: z.string().optional(),
  include_system_ca_certs_pool: z.boolean().optional(),
  reload_interval: z.union([z.string(), z.number()]).optional(),
  cipher_suites: z.array(z.string()).optional(),
});

export const compressionSchema = z.enum(COLLECTOR_COMPRESSIONS);
export const headersSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

const schema = z.strictObject({
  endpoint: z.string().optional(),
  tls: tlsSchema.optional(),
  headers: z.union([headersSchema, z.null()]).optional(),
  compression: compressionSchema.optional(),
  timeout: collectorDurationMs({ min: 0 }).optional(),
  sending_queue: sendingQueueSchema.optional(),
  retry_on_failure: retryOnFailureSchema.optional(),
  balancer_name: z.string().optional(),
  authority: z.string().optional(),
  keepalive: opaque.optional(),
  auth: opaque.optional(),
  read_buffer_size: z.union([z.string(), z.number()]).optional(),
  write_buffer_size: z.union([z.string(), z.number()]).optional(),
  wait_for_ready: z.boolean().optional(),
});

export function parseConfig(raw: unknown, path: string): ParseResult<OtlpExporterConfig> {
  const result = schema.safeParse(raw ?? {}, { reportInput: true });
  if (!result.success) return { ok: false, problems: issuesToProblems(result.error.issues, path) };
  const r = result.data;
  const endpoint = (r.endpoint ?? '').trim();
  const config: OtlpExporterConfig = {
    endpoint,
    insecure: r.tls?.insecure === true || endpoint.startsWith('http://'),
    headers: r.headers ?? {},
    ...wireCompressionFields(r.compression),
    ...helperConfigFrom(r, DEFAULT_TIMEOUT_MS),
  };
  const problems: ConfigProblem[] = [];
  // A missing endpoint is refused as the collector does. One that is present but empty (typically
  // `${env:VAR}` with VAR unset, already warned about) loads: sim runs never connect, and a live
  // start refuses it (factory).
  if (r.endpoint === undefined) problems.push({ path: `${path}.endpoint`, message: 'requires a non-empty endpoint' });
  for (const p of validateHelperConfig(config)) problems.push({ path: `${path}.${p.split(':')[0]}`, message: p.slice(p.indexOf(':') + 2) });
  if (problems.length > 0) return { ok: false, problems };
  const notSimulated = helperNotSimulated(r.sending_queue, path);
  return notSimulated.length > 0 ? { ok: true, config, notSimulated } : { ok: true, config };
}

export function validateConfig(cfg: OtlpExporterConfig): string[] {
  return validateHelperConfig(cfg);
}

/** The grpc-js target for an endpoint: scheme stripped (`http://h:p` → `h:p`), `dns:///` kept. */
export function grpcTarget(endpoint: string): string {
  return endpoint.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}
