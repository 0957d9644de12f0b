/**
 * Attribute value generators, compiled once per scenario. Values follow the span model's typing:
 * strings, booleans, integers as `bigint` (OTLP int), other numbers as doubles. Constant values
 * are built once and shared between spans (spans leaving a worker are encoded, so sharing is
 * safe; in-process callers must treat built spans as read-only). Pure; worker-safe.
 */
import type { AnyValue, KeyValue } from '../protocol/otlp/model.js';
import type { Random } from '../shared/random.js';
import type { AttributeGenerator, ScalarValue } from '../scenario/schema.js';

/** Makes one attribute: either a shared constant `KeyValue` or a fresh one per call. */
export type AttributeMaker = { constant: KeyValue } | { key: string; make: (r: Random) => AnyValue };

/**
 * YAML scalar → OTLP value: integral numbers that a double holds exactly (|v| ≤ 2^53 − 1) become
 * int64 (bigint), all other numbers doubles — `1e300` or `9223372036854775807` (already rounded
 * by the YAML reader) would otherwise overflow int64 and wrap.
 */
export function scalarToValue(v: ScalarValue): AnyValue {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : v;
  return v;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function compileAttribute(key: string, g: AttributeGenerator): AttributeMaker {
  switch (g.type) {
    case 'constant':
      return { constant: { key, value: scalarToValue(g.value) } };
    case 'one_of': {
      const values = g.values.map((v) => scalarToValue(v.value));
      const cumulative: number[] = [];
      let sum = 0;
      for (const v of g.values) cumulative.push((sum += v.weight));
      return { key, make: (r) => values[r.pickWeighted(cumulative)]! };
    }
    case 'int': {
      const { min, max } = g;
      return { key, make: (r) => BigInt(r.nextInt(min, max)) };
    }
    case 'float': {
      const { min, max } = g;
      return { key, make: (r) => min + r.nextFloat() * (max - min) };
    }
    case 'id': {
      const [before, after] = splitOnce(g.format, '{n}');
      const n = g.cardinality;
      return { key, make: (r) => `${before}${r.nextInt(0, n - 1)}${after}` };
    }
    case 'random_string': {
      const length = g.length;
      return {
        key,
        make: (r) => {
          let s = '';
          for (let i = 0; i < length; i++) s += ALPHABET[r.nextUint32() % ALPHABET.length];
          return s;
        },
      };
    }
    case 'unique_id': {
      const prefix = g.prefix;
      return {
        key,
        make: (r) => {
          let s = prefix;
          for (let i = 0; i < 4; i++) {
            const x = r.nextUint32();
            s += HEX[x & 0xff]! + HEX[(x >>> 8) & 0xff]! + HEX[(x >>> 16) & 0xff]! + HEX[x >>> 24]!;
          }
          return s;
        },
      };
    }
  }
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return [s.slice(0, i), s.slice(i + sep.length)];
}

/** Evaluates a list of makers into a fresh attribute list. */
export function makeAttributes(makers: readonly AttributeMaker[], r: Random, out: KeyValue[] = []): KeyValue[] {
  for (const m of makers) out.push('constant' in m ? m.constant : { key: m.key, value: m.make(r) });
  return out;
}

/**
 * Refills `list` — made for `makers`: each constant's shared object in place, one reusable
 * `KeyValue` per variable — with fresh values, drawing from `r` exactly as `makeAttributes` does.
 */
export function refillAttributes(makers: readonly AttributeMaker[], r: Random, list: KeyValue[]): KeyValue[] {
  for (let i = 0; i < makers.length; i++) {
    const m = makers[i]!;
    if (!('constant' in m)) list[i]!.value = m.make(r);
  }
  return list;
}
