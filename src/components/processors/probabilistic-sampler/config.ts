/** `probabilistic_sampler` settings for traces (reference tail-sampling.md §5.1). */
import { z } from 'zod';

export type SamplerMode = 'hash_seed' | 'equalizing' | 'proportional';

export interface ProbabilisticSamplerConfig {
  /** Percentage in [0, 100], held as the float32 value upstream computes with. */
  readonly samplingPercentage: number;
  /** uint32 seed prefixed (little-endian) to the trace id in `hash_seed` mode. */
  readonly hashSeed: number;
  readonly mode: SamplerMode;
  /** On missing or conflicting randomness: true ⇒ drop the span, false ⇒ keep it. */
  readonly failClosed: boolean;
  /** Hex digits of the written `th` value (equalizing/proportional), 1..14. */
  readonly samplingPrecision: number;
  /** The span attribute that overrides the decision (upstream: `sampling.priority`). */
  readonly samplingPriorityAttribute: string;
}

export function defaultProbabilisticSamplerConfig(): ProbabilisticSamplerConfig {
  return { samplingPercentage: 0, hashSeed: 0, mode: 'hash_seed', failClosed: true, samplingPrecision: 4, samplingPriorityAttribute: 'sampling.priority' };
}

export const probabilisticSamplerSchema = z.strictObject({
  sampling_percentage: z.number().optional(),
  hash_seed: z.number().int().min(0).max(0xffffffff).optional(),
  mode: z.string().optional(),
  fail_closed: z.boolean().optional(),
  sampling_precision: z.number().int().optional(),
  sampling_priority: z.string().optional(),
  attribute_source: z.enum(['traceID', 'record']).optional(),
  from_attribute: z.string().optional(),
});

export function probabilisticSamplerConfigFrom(v: z.output<typeof probabilisticSamplerSchema>): ProbabilisticSamplerConfig & { rawMode: string } {
  const d = defaultProbabilisticSamplerConfig();
  const rawMode = v.mode ?? '';
  return {
    samplingPercentage: Math.fround(v.sampling_percentage ?? d.samplingPercentage),
    hashSeed: v.hash_seed ?? d.hashSeed,
    mode: rawMode === '' ? 'hash_seed' : (rawMode as SamplerMode),
    rawMode,
    failClosed: v.fail_closed ?? d.failClosed,
    samplingPrecision: v.sampling_precision ?? d.samplingPrecision,
    samplingPriorityAttribute: v.sampling_priority ?? d.samplingPriorityAttribute,
  };
}

/** Upstream `Config.Validate` messages. */
export function validateProbabilisticSamplerConfig(c: ProbabilisticSamplerConfig & { rawMode?: string }): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  const pct = c.samplingPercentage;
  const ratio = pct / 100;
  if (!Number.isFinite(pct)) problems.push({ path: ['sampling_percentage'], message: 'sampling rate is invalid' });
  else if (pct < 0) problems.push({ path: ['sampling_percentage'], message: 'sampling rate is negative' });
  else if (ratio > 0 && ratio < 2 ** -56) problems.push({ path: ['sampling_percentage'], message: 'sampling rate is too small' });
  if (!['hash_seed', 'equalizing', 'proportional'].includes(c.mode)) problems.push({ path: ['mode'], message: `unsupported sampler mode ${JSON.stringify(c.rawMode ?? c.mode)}` });
  if (c.samplingPrecision === 0) problems.push({ path: ['sampling_precision'], message: 'invalid sampling precision: 0' });
  else if (c.samplingPrecision < 0 || c.samplingPrecision > 14) problems.push({ path: ['sampling_precision'], message: `sampling precision is too great, should be <= 14: ${c.samplingPrecision}` });
  return problems;
}
