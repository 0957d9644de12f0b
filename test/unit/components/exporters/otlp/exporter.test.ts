import { otlpExporterFactory } from '../../../../../src/components/exporters/otlp/factory.js';
import type { ExporterFactory } from '../../../../../src/pipeline/factory.js';
import { exporterCases } from './exporter-cases.js';

exporterCases({
  name: 'otlp',
  factory: otlpExporterFactory as ExporterFactory,
  raw: (server, extra) => ({ endpoint: server.grpcEndpoint, tls: { insecure: true }, ...extra }),
  requests: (server) => server.requests.grpc,
});
