/** `debug` exporter settings (collector `exporter/debugexporter`). */
import { z } from 'zod';

export type DebugVerbosity = 'basic' | 'normal' | 'detailed';

export interface DebugExporterConfig {
  readonly verbosity: DebugVerbosity;
  /** Messages logged per second before sampling starts (zap sampler). */
  readonly samplingInitial: number;
  /** After `samplingInitial`, log one message in this many per second. */
  readonly samplingThereafter: number;
  readonly useInternalLogger: boolean;
}

export function defaultDebugExporterConfig(): DebugExporterConfig {
  return { verbosity: 'basic', samplingInitial: 2, samplingThereafter: 1, useInternalLogger: true };
}

export const debugExporterSchema = z.strictObject({
  verbosity: z.enum(['basic', 'normal', 'detailed']).optional(),
  sampling_initial: z.number().int().min(1).optional(),
  sampling_thereafter: z.number().int().min(1).optional(),
  use_internal_logger: z.boolean().optional(),
});

export function debugExporterConfigFrom(v: z.output<typeof debugExporterSchema>): DebugExporterConfig {
  const d = defaultDebugExporterConfig();
  return {
    verbosity: v.verbosity ?? d.verbosity,
    samplingInitial: v.sampling_initial ?? d.samplingInitial,
    samplingThereafter: v.sampling_thereafter ?? d.samplingThereafter,
    useInternalLogger: v.use_internal_logger ?? d.useInternalLogger,
  };
}
