import type { ExporterFactory } from '../../../pipeline/factory.js';
import { InputError } from '../../../shared/errors.js';
import { QueuedRetryExporter } from '../shared/exporter-helper.js';
import { defaultConfig, parseConfig, type OtlpExporterConfig } from './config.js';

/**
 * `otlp` exporter (OTLP/gRPC). sim mode measures and succeeds; live mode sends through the
 * exporterhelper (sending_queue → retry_on_failure → timeout) over @grpc/grpc-js.
 */
export const otlpExporterFactory: ExporterFactory<OtlpExporterConfig> = {
  kind: 'exporter',
  type: 'otlp',
  stability: 'beta',
  defaultConfig,
  parseConfig,
  createTraces: (settings, config) =>
    new QueuedRetryExporter(settings, config, async (host) => {
      if (config.compressionWarning !== undefined) host.log.warn(`exporter ${settings.id}: ${config.compressionWarning}`);
      if (config.endpoint === '') throw new InputError(`exporters.${settings.id}: the endpoint is empty (an unset environment variable?); a live run sends to it`);
      const { GrpcTransport } = await import('./grpc-transport.js');
      return new GrpcTransport(config);
    }),
};
