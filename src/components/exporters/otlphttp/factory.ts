import type { ExporterFactory } from '../../../pipeline/factory.js';
import { QueuedRetryExporter } from '../shared/exporter-helper.js';
import { defaultConfig, parseConfig, type OtlpHttpExporterConfig } from './config.js';
import { HttpTransport } from './http-transport.js';

/**
 * `otlphttp` exporter (OTLP/HTTP, protobuf or JSON). sim mode measures and succeeds; live mode
 * sends through the exporterhelper (sending_queue → retry_on_failure → timeout) with fetch.
 */
export const otlpHttpExporterFactory: ExporterFactory<OtlpHttpExporterConfig> = {
  kind: 'exporter',
  type: 'otlphttp',
  stability: 'beta',
  defaultConfig,
  parseConfig,
  createTraces: (settings, config) =>
    new QueuedRetryExporter(settings, config, (host) => {
      if (config.compressionWarning !== undefined) host.log.warn(`exporter ${settings.id}: ${config.compressionWarning}`);
      if (config.tracesUrl === '') throw new Error(`exporter ${settings.id}: requires an endpoint or traces_endpoint`);
      return new HttpTransport(config);
    }),
};
