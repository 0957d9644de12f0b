/**
 * The builtin components: one line per factory. The registry decides from
 * `SIMULATED_TYPES` (src/pipeline/registry.ts) which types are simulated; a simulated type whose
 * factory is missing here is an internal error when a config uses it.
 */
import type { AnyFactory } from '../pipeline/factory.js';
import { ComponentRegistry } from '../pipeline/registry.js';
import { debugExporterFactory } from './exporters/debug/factory.js';
import { fileExporterFactory } from './exporters/file/factory.js';
import { nopExporterFactory } from './exporters/nop/factory.js';
import { otlpExporterFactory } from './exporters/otlp/factory.js';
import { otlpHttpExporterFactory } from './exporters/otlphttp/factory.js';
import { storageSinkExporterFactory } from './exporters/storage-sink/factory.js';
import { attributesProcessorFactory } from './processors/attributes/factory.js';
import { batchProcessorFactory } from './processors/batch/factory.js';
import { filterProcessorFactory } from './processors/filter/factory.js';
import { memoryLimiterProcessorFactory } from './processors/memory-limiter/factory.js';
import { probabilisticSamplerFactory } from './processors/probabilistic-sampler/factory.js';
import { resourceProcessorFactory } from './processors/resource/factory.js';
import { tailSamplingFactory } from './processors/tail-sampling/factory.js';
import { transformProcessorFactory } from './processors/transform/factory.js';
import { otlpReceiverFactory } from './receivers/otlp/factory.js';

export const builtinFactories: readonly AnyFactory[] = [
  attributesProcessorFactory as AnyFactory,
  batchProcessorFactory as AnyFactory,
  debugExporterFactory as AnyFactory,
  fileExporterFactory as AnyFactory,
  filterProcessorFactory as AnyFactory,
  memoryLimiterProcessorFactory as AnyFactory,
  nopExporterFactory as AnyFactory,
  otlpExporterFactory as AnyFactory,
  otlpHttpExporterFactory as AnyFactory,
  otlpReceiverFactory as AnyFactory,
  probabilisticSamplerFactory as AnyFactory,
  resourceProcessorFactory as AnyFactory,
  storageSinkExporterFactory as AnyFactory,
  tailSamplingFactory as AnyFactory,
  transformProcessorFactory as AnyFactory,
];

/** A fresh registry of every builtin factory. */
export function builtinRegistry(): ComponentRegistry {
  return new ComponentRegistry(builtinFactories);
}
