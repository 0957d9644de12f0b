/**
 * Collector YAML read the way the collector reads it. Its config providers decode with go-yaml v3,
 * whose resolution of untagged plain scalars that start with a digit or a sign is wider than the
 * YAML 1.2 core schema tracesim otherwise uses (go-yaml `resolve.go`, hints 'D' and 'S'):
 *
 *   1. every `_` is removed (`100_000` → 100000, as the tail_sampling README writes cache sizes);
 *   2. an integer in Go's base-0 syntax: `0x1F`, `0o17`, `0b101`, and a leading `0` is octal
 *      (`017` → 15); a sign may precede the prefix; int64, then uint64 range;
 *   3. else a float of the form `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (`08` → 8);
 *   4. else the text stays a string (timestamps included: go-yaml hands them to an untyped target
 *      as strings).
 *
 * A scalar that starts with `.` is a float only as written (`.5`, no `_` removal); `.inf`, `.nan`
 * and their signed and capitalised forms come from go-yaml's fixed table, as do true/false/null.
 */
import { parseDocument, type DocumentOptions, type ParseOptions, type ScalarTag, type SchemaOptions, type Tags } from 'yaml';

const INT_TAG = 'tag:yaml.org,2002:int';
const FLOAT_TAG = 'tag:yaml.org,2002:float';

const GO_BASE0_INT = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|(0[0-7]*)|([1-9][0-9]*))$/;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** `strconv.ParseInt(s, 0, 64)`, then `ParseUint(s, 0, 64)` (no sign): the value, or undefined. */
function goInteger(s: string): bigint | undefined {
  const m = GO_BASE0_INT.exec(s);
  if (!m) return undefined;
  const [, sign, hex, oct, bin, zeroOct, dec] = m;
  const magnitude =
    hex !== undefined ? BigInt(`0x${hex}`) : oct !== undefined ? BigInt(`0o${oct}`) : bin !== undefined ? BigInt(`0b${bin}`) : zeroOct !== undefined ? BigInt(`0o${zeroOct.slice(1) || '0'}`) : BigInt(dec!);
  const value = sign === '-' ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return value;
  return sign === '' && value <= UINT64_MAX ? value : undefined;
}

/** go-yaml's reading of a plain scalar starting with a digit, `+` or `-` (see the module comment). */
export function goYamlNumber(text: string): number | string {
  const plain = text.split('_').join('');
  const int = goInteger(plain);
  if (int !== undefined) return Number(int);
  if (YAML_STYLE_FLOAT.test(plain)) return Number(plain);
  return text;
}

/** Numbers of the D/S hints (the returned value may be the string itself: rule 4). */
const goNumberTag: ScalarTag = {
  identify: (value) => typeof value === 'number',
  default: true,
  tag: INT_TAG,
  test: /^[-+0-9]/,
  resolve: (text) => goYamlNumber(text),
};

/** A scalar starting with `.`: ParseFloat of the text as written. */
const goDotFloatTag: ScalarTag = {
  identify: (value) => typeof value === 'number',
  default: true,
  tag: FLOAT_TAG,
  test: /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/,
  resolve: (text) => Number(text),
};

/** go-yaml's fixed table for infinities and NaN (checked before the number rules). */
const goInfNaNTag: ScalarTag = {
  identify: (value) => typeof value === 'number' && !Number.isFinite(value),
  default: true,
  tag: FLOAT_TAG,
  test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  resolve: (text) => (text.endsWith('n') || text.endsWith('N') ? Number.NaN : text.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY),
};

/** The core schema's tags with its int and float rules replaced by go-yaml's. */
function goYamlTags(tags: Tags): Tags {
  const kept = tags.filter((t) => typeof t === 'string' || (t.tag !== INT_TAG && t.tag !== FLOAT_TAG));
  return [goInfNaNTag, goNumberTag, goDotFloatTag, ...kept];
}

/** `parseDocument` with go-yaml's scalar resolution (for reading only: write YAML with the defaults). */
export function parseCollectorDocument(text: string, options: ParseOptions & DocumentOptions & Omit<SchemaOptions, 'customTags'> = {}) {
  return parseDocument(text, { ...options, customTags: goYamlTags });
}
