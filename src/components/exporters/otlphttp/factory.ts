import type { ExporterFactory } from '../../../pipeline/factory.js';
import { InputError } from '../../../shared/errors.js';
import { QueuedRetryExporter } from '../shared/exporter-helper.js';
import { defaultConfig, parseConfig, type OtlpHttpExporterConfig } from './config.js';

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
    new QueuedRetryExporter(settings, config, async (host) => {
      if (config.compressionWarning !== undefined) host.log.warn(`exporter ${settings.id}: ${config.compressionWarning}`);
      if (config.tracesUrl === '') throw new InputError(`exporters.${settings.id}: the endpoint or traces_endpoint is empty (an unset environment variable?); a live run sends to it`);
      const { HttpTransport } = await import('./http-transport.js');
      return new HttpTransport(config);
    }),
};
