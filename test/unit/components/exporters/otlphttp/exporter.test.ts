import { otlpHttpExporterFactory } from '../../../../../src/components/exporters/otlphttp/factory.js';
import type { ExporterFactory } from '../../../../../src/pipeline/factory.js';
import { exporterCases } from '../otlp/exporter-cases.js';

exporterCases({
  name: 'otlphttp',
  factory: otlpHttpExporterFactory as ExporterFactory,
  raw: (server, extra) => ({ endpoint: server.httpEndpoint, ...extra }),
  requests: (server) => server.requests.http,
  gzipped: (server) => server.gzipped.http,
});

exporterCases({
  name: 'otlphttp/json',
  factory: otlpHttpExporterFactory as ExporterFactory,
  raw: (server, extra) => ({ traces_endpoint: `${server.httpEndpoint}/v1/traces`, encoding: 'json', ...extra }),
  requests: (server) => server.requests.http,
  gzipped: (server) => server.gzipped.http,
});
