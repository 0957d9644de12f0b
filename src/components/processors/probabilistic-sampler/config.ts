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
  /**
   * Hex digits of the written `th` value (equalizing/proportional): 1..14. Like upstream, a
   * negative value passes validation (thresholds then keep no digit and round to 0 or 2^56,
   * unless p or 1 − p is tiny enough to add digits).
   */
  readonly samplingPrecision: number;
}

export function defaultProbabilisticSamplerConfig(): ProbabilisticSamplerConfig {
  return { samplingPercentage: 0, hashSeed: 0, mode: 'hash_seed', failClosed: true, samplingPrecision: 4 };
}

export const probabilisticSamplerSchema = z.strictObject({
  sampling_percentage: z.number().optional(),
  hash_seed: z.number().int().min(0).max(0xffffffff).optional(),
  mode: z.string().optional(),
  fail_closed: z.boolean().optional(),
  sampling_precision: z.number().int().optional(),
  // Logs-only keys: accepted and checked like upstream, unused for traces (the traces priority
  // attribute is always `sampling.priority`).
  sampling_priority: z.string().optional(),
  attribute_source: z.string().optional(),
  from_attribute: z.string().optional(),
});

/** The config plus what validation needs to see as written. */
type ParsedConfig = ProbabilisticSamplerConfig & { rawMode: string; attributeSource: string };

export function probabilisticSamplerConfigFrom(v: z.output<typeof probabilisticSamplerSchema>): ParsedConfig {
  const d = defaultProbabilisticSamplerConfig();
  const rawMode = v.mode ?? '';
  return {
    samplingPercentage: Math.fround(v.sampling_percentage ?? d.samplingPercentage),
    hashSeed: v.hash_seed ?? d.hashSeed,
    mode: rawMode === '' ? 'hash_seed' : (rawMode as SamplerMode),
    rawMode,
    failClosed: v.fail_closed ?? d.failClosed,
    samplingPrecision: v.sampling_precision ?? d.samplingPrecision,
    attributeSource: v.attribute_source ?? '',
  };
}

/** Upstream `Config.Validate` messages (every problem is listed; upstream stops at the first). */
export function validateProbabilisticSamplerConfig(c: ProbabilisticSamplerConfig & Partial<ParsedConfig>): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  const pct = c.samplingPercentage;
  const ratio = pct / 100;
  if (!Number.isFinite(pct)) problems.push({ path: ['sampling_percentage'], message: 'sampling rate is invalid' });
  else if (pct < 0) problems.push({ path: ['sampling_percentage'], message: 'sampling rate is negative' });
  else if (ratio > 0 && ratio < 2 ** -56) problems.push({ path: ['sampling_percentage'], message: 'sampling rate is too small' });
  if (!['hash_seed', 'equalizing', 'proportional'].includes(c.mode)) problems.push({ path: ['mode'], message: `unsupported sampler mode ${JSON.stringify(c.rawMode ?? c.mode)}` });
  if (c.attributeSource && c.attributeSource !== 'traceID' && c.attributeSource !== 'record') {
    problems.push({ path: ['attribute_source'], message: `invalid attribute source: ${c.attributeSource}. Expected: traceID or record` });
  }
  if (c.samplingPrecision === 0) problems.push({ path: ['sampling_precision'], message: 'invalid sampling precision: 0' });
  else if (c.samplingPrecision > 14) problems.push({ path: ['sampling_precision'], message: `sampling precision is too great, should be <= 14: ${c.samplingPrecision}` });
  return problems;
}
