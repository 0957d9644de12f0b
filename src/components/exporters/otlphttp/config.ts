/**
 * Configuration of the `otlphttp` exporter, read from the collector's YAML (upstream
 * `exporter/otlphttpexporter/config.go` + confighttp + exporterhelper). Traces go to
 * `traces_endpoint` when set, else to `endpoint` + `/v1/traces`. Every problem is reported with
 * its full key path; TLS files, auth, proxy and connection-pool settings are accepted and not used.
 */
import { z } from 'zod';
import { collectorDurationMs, issuesToProblems, type ConfigProblem } from '../../../shared/schema.js';
import type { ParseResult } from '../../../pipeline/factory.js';
import type { ExporterHelperConfig } from '../shared/exporter-helper.js';
import { helperConfigFrom, helperNotSimulated, retryOnFailureSchema, sendingQueueSchema, validateHelperConfig } from '../shared/helper-config.js';
import { compressionSchema, headersSchema, tlsSchema, wireCompressionFields, type Compression } from '../otlp/config.js';

export interface OtlpHttpExporterConfig extends ExporterHelperConfig {
  /** The full URL traces are POSTed to. */
  tracesUrl: string;
  encoding: 'proto' | 'json';
  headers: Record<string, string>;
  compression: Compression;
  /** Set when the configured algorithm was replaced by gzip; logged when a live exporter starts. */
  compressionWarning?: string;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

export function defaultConfig(): OtlpHttpExporterConfig {
  return { tracesUrl: '', encoding: 'proto', headers: {}, compression: 'gzip', ...helperConfigFrom({}, DEFAULT_TIMEOUT_MS) };
}

const opaque = z.union([z.record(z.string(), z.unknown()), z.null()]);
const anyScalar = z.union([z.string(), z.number(), z.boolean()]);

const schema = z.strictObject({
  endpoint: z.string().optional(),
  traces_endpoint: z.string().optional(),
  metrics_endpoint: z.string().optional(),
  logs_endpoint: z.string().optional(),
  profiles_endpoint: z.string().optional(),
  encoding: z.enum(['proto', 'json']).optional(),
  tls: tlsSchema.optional(),
  headers: z.union([headersSchema, z.null()]).optional(),
  compression: compressionSchema.optional(),
  compression_params: opaque.optional(),
  timeout: collectorDurationMs({ min: 0 }).optional(),
  sending_queue: sendingQueueSchema.optional(),
  retry_on_failure: retryOnFailureSchema.optional(),
  auth: opaque.optional(),
  proxy_url: z.string().optional(),
  read_buffer_size: anyScalar.optional(),
  write_buffer_size: anyScalar.optional(),
  max_idle_conns: anyScalar.optional(),
  max_idle_conns_per_host: anyScalar.optional(),
  max_conns_per_host: anyScalar.optional(),
  idle_conn_timeout: anyScalar.optional(),
  disable_keep_alives: z.boolean().optional(),
  http2_read_idle_timeout: anyScalar.optional(),
  http2_ping_timeout: anyScalar.optional(),
  cookies: opaque.optional(),
});

/** `endpoint` + `/v1/traces`, joined without doubling slashes (as the collector does). */
export function tracesUrlFor(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

export function parseConfig(raw: unknown, path: string): ParseResult<OtlpHttpExporterConfig> {
  const result = schema.safeParse(raw ?? {}, { reportInput: true });
  if (!result.success) return { ok: false, problems: issuesToProblems(result.error.issues, path) };
  const r = result.data;
  const problems: ConfigProblem[] = [];
  const tracesUrl = r.traces_endpoint?.trim() || (r.endpoint?.trim() ? tracesUrlFor(r.endpoint.trim()) : '');
  // Neither key: refused as the collector does. A key present but empty (typically `${env:VAR}`
  // with VAR unset, already warned about) loads: sim runs never connect, a live start refuses it.
  if (r.endpoint === undefined && r.traces_endpoint === undefined) {
    problems.push({ path: `${path}.endpoint`, message: 'at least one endpoint must be specified (endpoint or traces_endpoint)' });
  } else if (tracesUrl !== '' && !/^https?:\/\/[^/]+/.test(tracesUrl)) {
    const key = r.traces_endpoint?.trim() ? 'traces_endpoint' : 'endpoint';
    problems.push({ path: `${path}.${key}`, message: `expected an http:// or https:// URL, got ${JSON.stringify(tracesUrl)}` });
  }
  const config: OtlpHttpExporterConfig = {
    tracesUrl,
    encoding: r.encoding ?? 'proto',
    headers: r.headers ?? {},
    ...wireCompressionFields(r.compression),
    ...helperConfigFrom(r, DEFAULT_TIMEOUT_MS),
  };
  for (const p of validateHelperConfig(config)) problems.push({ path: `${path}.${p.split(':')[0]}`, message: p.slice(p.indexOf(':') + 2) });
  if (problems.length > 0) return { ok: false, problems };
  const notSimulated = helperNotSimulated(r.sending_queue, path);
  return notSimulated.length > 0 ? { ok: true, config, notSimulated } : { ok: true, config };
}

export function validateConfig(cfg: OtlpHttpExporterConfig): string[] {
  return validateHelperConfig(cfg);
}
