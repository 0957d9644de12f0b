import type { ProbabilisticConfig } from '../config.js';
import { Decision, type PolicyEvaluator, type TraceView } from './decision.js';

const MAX_UINT64 = (1n << 64n) - 1n;
const DEFAULT_SALT = 'default-hash-seed';

/**
 * Upstream `calculateThreshold(ratio)` (reference §2.4): Go `math/big` computes
 * `MaxUint64 × ratio` in a 64-bit-mantissa float, rounding the product half-to-even, then
 * `Uint64()` truncates toward zero (clamped to [0, MaxUint64]). Here the float64 `ratio` is
 * decomposed exactly into `m × 2^e`, the exact product `MaxUint64 × m` is rounded to 64
 * significant bits, scaled by `2^e` and truncated.
 */
export function probabilisticThreshold(samplingPercentage: number): bigint {
  const ratio = samplingPercentage / 100;
  if (!(ratio > 0)) return 0n;
  if (!Number.isFinite(ratio)) return MAX_UINT64;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, ratio);
  const bits = view.getBigUint64(0);
  const biasedExp = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exp = biasedExp === 0 ? -1074 : biasedExp - 1075;
  if (biasedExp !== 0) mantissa |= 1n << 52n;
  let num = MAX_UINT64 * mantissa; // value = num × 2^exp, exactly
  const bitLength = num.toString(2).length;
  if (bitLength > 64) {
    const shift = BigInt(bitLength - 64);
    const half = 1n << (shift - 1n);
    const rest = num & ((1n << shift) - 1n);
    num >>= shift;
    if (rest > half || (rest === half && (num & 1n) === 1n)) num += 1n;
    exp += Number(shift);
  }
  const value = exp >= 0 ? num << BigInt(exp) : num >> BigInt(-exp);
  return value > MAX_UINT64 ? MAX_UINT64 : value;
}

// FNV-1a 64 on two 32-bit halves. prime = 2^40 + 0x1b3, so h × prime mod 2^64 =
// h × 0x1b3 + (h << 40): the low half gets lo × 0x1b3 (< 2^41, exact in a double), the high half
// gets hi × 0x1b3 + carry + (lo << 8).
const FNV_OFFSET_HI = 0xcbf29ce4;
const FNV_OFFSET_LO = 0x84222325;

/** FNV-1a 64 state as [hi, lo] 32-bit unsigned halves. */
export type Fnv64State = [number, number];

/** Feeds `bytes`, a binary string (one byte per char, as a model id), into `state`. */
export function fnv1a64Update(state: Fnv64State, bytes: string): void {
  let hi = state[0];
  let lo = state[1];
  for (let i = 0; i < bytes.length; i++) {
    lo = (lo ^ bytes.charCodeAt(i)) >>> 0;
    const loProduct = lo * 0x1b3;
    const carry = Math.floor(loProduct / 0x1_0000_0000);
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
    lo = loProduct >>> 0;
  }
  state[0] = hi;
  state[1] = lo;
}

export function fnv1a64Initial(): Fnv64State {
  return [FNV_OFFSET_HI, FNV_OFFSET_LO];
}

/**
 * `probabilistic`: Sampled iff FNV-1a-64(utf8(salt) ‖ trace id) <= threshold. The salt's hash
 * state is computed once; each trace costs 16 byte steps.
 */
export function createProbabilisticPolicy(cfg: ProbabilisticConfig): PolicyEvaluator {
  const salted = fnv1a64Initial();
  fnv1a64Update(salted, Buffer.from(cfg.hashSalt === '' ? DEFAULT_SALT : cfg.hashSalt, 'utf8').toString('latin1'));
  const threshold = probabilisticThreshold(cfg.samplingPercentage);
  const thHi = Number(threshold >> 32n);
  const thLo = Number(threshold & 0xffffffffn);
  const state: Fnv64State = [0, 0];
  return {
    evaluate(t: TraceView): Decision {
      state[0] = salted[0];
      state[1] = salted[1];
      fnv1a64Update(state, t.traceId);
      const [hi, lo] = state;
      return hi < thHi || (hi === thHi && lo <= thLo) ? Decision.Sampled : Decision.NotSampled;
    },
  };
}
