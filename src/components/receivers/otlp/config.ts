/**
 * Configuration of the `otlp` receiver, read from the collector's own YAML (upstream
 * `receiver/otlpreceiver/config.go`). A protocol is enabled by naming it under `protocols`
 * (`grpc:` with no body takes the defaults); at least one must be named. Keys tracesim does
 * not act on (TLS, auth, keepalive, buffer sizes, CORS, timeouts) are accepted so production
 * configs load unchanged; anything else unknown is a problem with its full key path.
 *
 * Defaults differ from upstream in one place: an endpoint's host defaults to 127.0.0.1 instead
 * of 0.0.0.0, so `tracesim collector` is not reachable from other machines unless asked.
 */
import { z } from 'zod';
import { issuesToProblems, sizeBytes, type ConfigProblem } from '../../../shared/schema.js';
import type { ParseResult } from '../../../pipeline/factory.js';

export interface Endpoint {
  /** As written (`127.0.0.1:4317`). */
  endpoint: string;
  /** Host to bind; '' in the config (`:4317`) means every interface, stored as `0.0.0.0`. */
  host: string;
  /** 0 picks a free port. */
  port: number;
}

export interface GrpcProtocolConfig extends Endpoint {
  /** `max_recv_msg_size_mib` × 2^20; larger messages answer RESOURCE_EXHAUSTED. */
  maxRecvMsgSizeBytes: number;
}

export interface HttpProtocolConfig extends Endpoint {
  /** `traces_url_path`, default `/v1/traces`. */
  tracesUrlPath: string;
  /** `max_request_body_size`: limit on the body both as sent and after decompression → 413. */
  maxRequestBodySizeBytes: number;
}

export interface OtlpReceiverConfig {
  /** Undefined when the protocol is not enabled. */
  grpc: GrpcProtocolConfig | undefined;
  http: HttpProtocolConfig | undefined;
}

export const DEFAULT_GRPC_ENDPOINT = '127.0.0.1:4317';
export const DEFAULT_HTTP_ENDPOINT = '127.0.0.1:4318';
export const DEFAULT_MAX_RECV_MSG_SIZE_MIB = 4;
/** confighttp's `defaultMaxRequestBodySize`. */
export const DEFAULT_MAX_REQUEST_BODY_SIZE = 20 * 1024 * 1024;

export function defaultGrpcConfig(): GrpcProtocolConfig {
  return { ...parseEndpoint(DEFAULT_GRPC_ENDPOINT)!, maxRecvMsgSizeBytes: DEFAULT_MAX_RECV_MSG_SIZE_MIB * 1024 * 1024 };
}

export function defaultHttpConfig(): HttpProtocolConfig {
  return { ...parseEndpoint(DEFAULT_HTTP_ENDPOINT)!, tracesUrlPath: '/v1/traces', maxRequestBodySizeBytes: DEFAULT_MAX_REQUEST_BODY_SIZE };
}

/** Both protocols on their default endpoints. */
export function defaultConfig(): OtlpReceiverConfig {
  return { grpc: defaultGrpcConfig(), http: defaultHttpConfig() };
}

/** `host:port`, `[v6]:port` or `:port` → host and port; undefined when malformed. */
export function parseEndpoint(endpoint: string): Endpoint | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(endpoint.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  const host = m[1] ?? m[2] ?? '';
  return { endpoint, host: host === '' ? '0.0.0.0' : host, port };
}

/** Accepted and not acted on: any mapping (TLS, auth, keepalive, CORS settings). */
const opaqueBlock = z.union([z.record(z.string(), z.unknown()), z.null()]);
const endpointField = z.string().refine((s) => parseEndpoint(s) !== undefined, { message: 'expected host:port, e.g. 127.0.0.1:4317' });

const grpcSchema = z.strictObject({
  endpoint: endpointField.optional(),
  transport: z.literal('tcp').optional(),
  max_recv_msg_size_mib: z.number().int().positive().optional(),
  max_concurrent_streams: z.number().int().nonnegative().optional(),
  read_buffer_size: sizeBytes().optional(),
  write_buffer_size: sizeBytes().optional(),
  compression: z.string().optional(),
  keepalive: opaqueBlock.optional(),
  tls: opaqueBlock.optional(),
  auth: opaqueBlock.optional(),
  include_metadata: z.boolean().optional(),
});

const httpSchema = z.strictObject({
  endpoint: endpointField.optional(),
  traces_url_path: z.string().startsWith('/', { message: 'must start with /' }).optional(),
  metrics_url_path: z.string().optional(),
  logs_url_path: z.string().optional(),
  max_request_body_size: sizeBytes().optional(),
  cors: opaqueBlock.optional(),
  tls: opaqueBlock.optional(),
  auth: opaqueBlock.optional(),
  include_metadata: z.boolean().optional(),
  response_headers: opaqueBlock.optional(),
  compression_algorithms: z.array(z.string()).optional(),
  read_timeout: z.union([z.string(), z.number()]).optional(),
  read_header_timeout: z.union([z.string(), z.number()]).optional(),
  write_timeout: z.union([z.string(), z.number()]).optional(),
  idle_timeout: z.union([z.string(), z.number()]).optional(),
  keepalives_enabled: z.boolean().optional(),
});

const schema = z.strictObject({
  protocols: z
    .union([
      z.strictObject({
        grpc: z.union([grpcSchema, z.null()]).optional(),
        http: z.union([httpSchema, z.null()]).optional(),
      }),
      z.null(),
    ])
    .optional(),
});

/** Reads the raw YAML body of an `otlp` receiver (see file comment); every problem under `path`. */
export function parseConfig(raw: unknown, path: string): ParseResult<OtlpReceiverConfig> {
  const result = schema.safeParse(raw ?? {}, { reportInput: true });
  if (!result.success) return { ok: false, problems: issuesToProblems(result.error.issues, path) };
  const { grpc, http } = result.data.protocols ?? {};
  const problems: ConfigProblem[] = [];
  if (grpc === undefined && http === undefined) {
    problems.push({ path: `${path}.protocols`, message: 'must specify at least one protocol (grpc, http)' });
    return { ok: false, problems };
  }
  const config: OtlpReceiverConfig = { grpc: undefined, http: undefined };
  if (grpc !== undefined) {
    const g = grpc ?? {};
    config.grpc = {
      ...parseEndpoint(g.endpoint ?? DEFAULT_GRPC_ENDPOINT)!,
      maxRecvMsgSizeBytes: (g.max_recv_msg_size_mib ?? DEFAULT_MAX_RECV_MSG_SIZE_MIB) * 1024 * 1024,
    };
  }
  if (http !== undefined) {
    const h = http ?? {};
    const maxBody = h.max_request_body_size ?? DEFAULT_MAX_REQUEST_BODY_SIZE;
    config.http = {
      ...parseEndpoint(h.endpoint ?? DEFAULT_HTTP_ENDPOINT)!,
      tracesUrlPath: h.traces_url_path ?? '/v1/traces',
      // confighttp treats 0 as "use the default".
      maxRequestBodySizeBytes: maxBody === 0 ? DEFAULT_MAX_REQUEST_BODY_SIZE : maxBody,
    };
  }
  if (config.grpc && config.http && config.grpc.port !== 0 && config.grpc.port === config.http.port && config.grpc.host === config.http.host) {
    problems.push({ path: `${path}.protocols.http.endpoint`, message: `same address as protocols.grpc.endpoint (${config.grpc.endpoint})` });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}

/** Problems in an already-built config (for programmatic callers). */
export function validateConfig(cfg: OtlpReceiverConfig): string[] {
  const problems: string[] = [];
  if (!cfg.grpc && !cfg.http) problems.push('protocols: must specify at least one protocol (grpc, http)');
  if (cfg.grpc && !(cfg.grpc.maxRecvMsgSizeBytes > 0)) problems.push('protocols.grpc.max_recv_msg_size_mib: must be positive');
  if (cfg.http && !(cfg.http.maxRequestBodySizeBytes > 0)) problems.push('protocols.http.max_request_body_size: must be positive');
  return problems;
}
