import type { ReceiverFactory } from '../../../pipeline/factory.js';
import { defaultConfig, parseConfig, type OtlpReceiverConfig } from './config.js';
import { OtlpReceiver } from './receiver.js';

/** `otlp` receiver: OTLP/gRPC and OTLP/HTTP in live mode; the engine's inlet in sim mode. */
export const otlpReceiverFactory: ReceiverFactory<OtlpReceiverConfig> = {
  kind: 'receiver',
  type: 'otlp',
  stability: 'beta',
  defaultConfig,
  parseConfig,
  createTraces: (settings, config, next) => new OtlpReceiver(settings, config, next),
};
