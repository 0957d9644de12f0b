/**
 * OTel consistent-probability arithmetic (OTEP 235; collector-contrib `pkg/sampling`), on 56-bit
 * unsigned values held as bigint. Threshold T rejects randomness R < T: keep iff R ≥ T;
 * p = (2^56 − T) / 2^56. `th` is written as 14 hex digits with trailing zeros removed.
 */
export const MAX_ADJUSTED = 1n << 56n;
/** T = 0 keeps everything. */
export const ALWAYS_SAMPLE_THRESHOLD = 0n;
/** T = 2^56 keeps nothing (not representable as `th`). */
export const NEVER_SAMPLE_THRESHOLD = MAX_ADJUSTED;
export const MIN_SAMPLING_PROBABILITY = 2 ** -56;
/** The largest randomness: kept by every threshold but NEVER (upstream `AllProbabilitiesRandomness`). */
export const ALL_PROBABILITIES_RANDOMNESS = MAX_ADJUSTED - 1n;

const view = new DataView(new ArrayBuffer(8));

/** Go `math.Frexp(x).exp` for finite x > 0: x = frac × 2^exp with frac in [0.5, 1). */
export function frexpExp(x: number): number {
  if (x === 0) return 0;
  view.setFloat64(0, x);
  const biased = (view.getUint16(0) >> 4) & 0x7ff;
  if (biased === 0) return frexpExp(x * 2 ** 64) - 64; // subnormal
  return biased - 1022;
}

/**
 * `ProbabilityToThresholdWithPrecision(p, prec)`: the exact threshold, rounded to `prec` hex
 * digits — more digits when p or 1−p is small (one extra digit per factor of 16), at most 14.
 */
export function probabilityToThreshold(p: number, precision: number): bigint {
  if (!(p >= MIN_SAMPLING_PROBABILITY && p <= 1)) throw new RangeError(`probability out of range: ${p}`);
  if (p === 1) return ALWAYS_SAMPLE_THRESHOLD;
  let prec = precision === 0 ? 14 : precision;
  const expF = frexpExp(p);
  const expR = frexpExp(1 - p);
  prec = Math.min(14, Math.max(prec + Math.trunc(expF / -4), prec + Math.trunc(expR / -4)));
  // p × 2^56 is exact (a power-of-two scaling); Math.round is half-away-from-zero for positives.
  let t = MAX_ADJUSTED - BigInt(Math.round(p * 2 ** 56));
  const shift = BigInt(4 * (14 - prec));
  if (shift > 0n) t = ((t + (1n << (shift - 1n))) >> shift) << shift;
  return t;
}

/** The probability a threshold keeps, as a double. */
export function thresholdToProbability(t: bigint): number {
  return Number(MAX_ADJUSTED - t) / 2 ** 56;
}

/** `th` value: 14 hex digits, trailing zeros removed; "0" for T = 0. */
export function formatThreshold(t: bigint): string {
  if (t === 0n) return '0';
  return t.toString(16).padStart(14, '0').replace(/0+$/, '');
}

/** Parses a `th` value (1–14 hex digits of either case, right-padded with zeros); undefined when malformed. */
export function parseThreshold(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F]{1,14}$/.test(text)) return undefined;
  return BigInt(`0x${text.padEnd(14, '0')}`);
}

/** Parses an `rv` value (exactly 14 hex digits of either case). */
export function parseRandomness(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F]{14}$/.test(text)) return undefined;
  return BigInt(`0x${text}`);
}

export function formatRandomness(r: bigint): string {
  return r.toString(16).padStart(14, '0');
}

/** Low 56 bits of the trace id, big-endian bytes 9..15 (W3C random flag convention); missing bytes count as 0. */
export function traceIdRandomness(traceId: string): bigint {
  let r = 0n;
  for (let i = 9; i < 16; i++) r = (r << 8n) | BigInt(i < traceId.length ? traceId.charCodeAt(i) : 0);
  return r;
}
