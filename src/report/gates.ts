/**
 * CI gates: `PATH OP NUMBER[UNIT]` over report.json paths (DESIGN.md "Command line").
 *
 *   retention.traces <= 20%              retention.byClass.error >= 0.999
 *   storage.diskBytesPerDay < 500GB      throughput.scheduleLagMs.p99 < 50ms
 *   dropped.byReason.tail_buffer_evicted.spans == 0
 *   retention.byPolicy.errors.attributedTraces > 0
 *   retention.byPolicy[keep.errors v2].attributedTraces > 0     (brackets: keys with dots/spaces)
 *
 * Paths are dotted; a map key (policy, service, latency histogram, drop reason) is a segment of its
 * own, written bare when it has no `.`/space and in brackets otherwise. Operators: < <= > >= == !=
 * (`==` is exact). Units, by what the path measures:
 *   fractions  (retention.*)           bare (0.2) or percent (20%)
 *   bytes      (storage.*Bytes*)       B KB MB GB TB (decimal) KiB MiB GiB TiB (binary)
 *   durations  (*Ms, latency.*.p*)     ms s (bare = ms)
 *   counts, rates, days                bare numbers only
 *
 * Evaluation: a drop reason absent from the report counts as 0 (nothing dropped for it); any other
 * path with no value (null, absent policy/service/histogram) fails the gate with a message.
 */
import { InputError } from '../shared/errors.js';
import { formatBytes } from '../shared/units.js';
import { DROP_REASONS } from '../pipeline/accounting.js';
import type { GateResult, Report } from './model.js';

export type GateOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';
const OPERATORS: readonly GateOperator[] = ['<=', '>=', '==', '!=', '<', '>'];

/** What a path measures; decides the units a bound may carry and how values print. */
export type GateValueKind = 'fraction' | 'count' | 'bytes' | 'ms' | 'rate' | 'number';

export interface Gate {
  /** The text as the user wrote it (trimmed). */
  expression: string;
  /** Path segments after parsing brackets, e.g. ['retention', 'byPolicy', 'errors', 'attributedTraces']. */
  path: string[];
  operator: GateOperator;
  /** Bound in the report's own unit (fraction, bytes, ms, count). */
  bound: number;
  kind: GateValueKind;
}

/** `*` stands for one map key (policy, service, histogram name, drop reason). */
const PATH_SCHEMA: Record<string, GateValueKind> = {
  'spans.generated': 'count',
  'spans.exported': 'count',
  'spans.sampledOut': 'count',
  'spans.dropped': 'count',
  'spans.inFlight': 'count',
  'traces.generated': 'count',
  'traces.exported': 'count',
  'traces.sampledOut': 'count',
  'traces.dropped': 'count',
  'retention.traces': 'fraction',
  'retention.spans': 'fraction',
  'retention.bytes': 'fraction',
  'retention.byClass.error': 'fraction',
  'retention.byClass.slow': 'fraction',
  'retention.byClass.normal': 'fraction',
  'retention.byPolicy.*.sampledTraces': 'count',
  'retention.byPolicy.*.attributedTraces': 'count',
  'retention.byPolicy.*.exclusiveTraces': 'count',
  'retention.byService.*.spans': 'fraction',
  'dropped.total': 'count',
  'dropped.byReason.*.spans': 'count',
  'dropped.byReason.*.traces': 'count',
  'storage.bytesPerSpan': 'bytes',
  'storage.compressedBytesPerSpan': 'bytes',
  'storage.exportedBytesPerDay': 'bytes',
  'storage.diskBytesPerDay': 'bytes',
  'storage.steadyStateBytes': 'bytes',
  'storage.retentionDays': 'number',
  'storage.replicationFactor': 'number',
  'throughput.targetSpansPerSecond': 'rate',
  'throughput.achievedSpansPerSecond': 'rate',
  'throughput.scheduleLagMs.p50': 'ms',
  'throughput.scheduleLagMs.p99': 'ms',
  'throughput.scheduleLagMs.max': 'ms',
  'latency.*.p50': 'ms',
  'latency.*.p90': 'ms',
  'latency.*.p99': 'ms',
  'latency.*.max': 'ms',
  'latency.*.count': 'count',
  'ledger.residual': 'count',
  'window.seconds': 'number',
};

const UNIT_FACTORS: Record<GateValueKind, Record<string, number>> = {
  fraction: { '': 1, '%': 0.01 },
  bytes: { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 },
  ms: { '': 1, ms: 1, s: 1000 },
  count: { '': 1 },
  rate: { '': 1 },
  number: { '': 1 },
};
const UNIT_HINT: Record<GateValueKind, string> = {
  fraction: 'a fraction (0.2) or a percentage (20%)',
  bytes: 'bytes: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB',
  ms: 'a duration: ms or s (bare numbers are ms)',
  count: 'a bare number',
  rate: 'a bare number (per second)',
  number: 'a bare number',
};

/** Parses one gate expression; throws `InputError` naming the expression and what is wrong. */
export function parseGate(text: string): Gate {
  const expression = text.trim();
  const fail = (what: string): never => {
    throw new InputError(`gate "${expression}": ${what}`);
  };
  if (/\[[^\]]*$/.test(expression)) fail(`unclosed "[" in "${expression}"`);
  const split = splitAtOperator(expression);
  if (!split) fail(`no comparison operator (use one of ${OPERATORS.join(' ')})`);
  const { left, operator, right } = split!;
  if (!OPERATORS.includes(operator as GateOperator)) fail(`bad operator "${operator}" (use one of ${OPERATORS.join(' ')})`);
  const path = parsePath(left.trim(), fail);
  const kind = kindOf(path);
  if (kind === undefined) fail(unknownPathMessage(path));

  const m = /^(-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z%]*)$/.exec(right.trim());
  if (!m) fail(`bound "${right.trim()}" is not a number with an optional unit`);
  const factor = UNIT_FACTORS[kind!][m![2]!.toLowerCase()];
  if (factor === undefined) fail(`unit "${m![2]}" does not fit ${path.join('.')}, which takes ${UNIT_HINT[kind!]}`);
  const bound = Number(m![1]) * factor!;
  // A fraction lies in [0, 1]: a bound outside it makes a gate that always passes or always
  // fails, almost always a percentage written without its sign (`<= 20` for 20%).
  if (kind === 'fraction' && (bound < 0 || bound > 1)) {
    const hint = m![2] === '' && bound > 1 && bound <= 100 ? ` (did you mean ${m![1]}%?)` : '';
    fail(`bound ${right.trim()} is outside 0..1: ${path.join('.')} is a fraction, written 0.2 or 20%${hint}`);
  }
  return { expression, path, operator: operator as GateOperator, bound, kind: kind! };
}

/** Parses every expression and reports every bad one at once. */
export function parseGates(texts: readonly string[]): Gate[] {
  const gates: Gate[] = [];
  const problems: string[] = [];
  for (const t of texts) {
    try {
      gates.push(parseGate(t));
    } catch (err) {
      if (err instanceof InputError) problems.push(err.message);
      else throw err;
    }
  }
  throwGateProblems(problems);
  return gates;
}

/** Throws one InputError for every gate problem (each already names its gate); nothing when none. */
export function throwGateProblems(problems: readonly string[]): void {
  if (problems.length === 1) throw new InputError(problems[0]!);
  if (problems.length > 1) throw new InputError(`${problems.length} bad gates:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/** Evaluates gates against a report (its `gates` field is ignored). */
export function evaluateGates(report: Report, gates: readonly Gate[]): GateResult[] {
  return gates.map((g) => evaluateGate(report, g));
}

export function evaluateGate(report: Report, gate: Gate): GateResult {
  const base = { expression: gate.expression, operator: gate.operator, bound: gate.bound };
  const resolved = resolve(report, gate.path);
  if (typeof resolved !== 'number' || !Number.isFinite(resolved)) {
    const why = typeof resolved === 'string' ? resolved : 'no data for this path in the run';
    return { ...base, actual: null, pass: false, message: `${gate.expression}: ${why}` };
  }
  const pass = compare(resolved, gate.operator, gate.bound);
  const message = `${gate.path.join('.')} = ${formatGateValue(gate.kind, resolved)}, bound ${gate.operator} ${formatGateValue(gate.kind, gate.bound)}`;
  return { ...base, actual: resolved, pass, message };
}

export function compare(actual: number, op: GateOperator, bound: number): boolean {
  switch (op) {
    case '<':
      return actual < bound;
    case '<=':
      return actual <= bound;
    case '>':
      return actual > bound;
    case '>=':
      return actual >= bound;
    case '==':
      return actual === bound;
    case '!=':
      return actual !== bound;
  }
}

/** A value printed in the unit a user would write for its kind. */
export function formatGateValue(kind: GateValueKind, value: number): string {
  switch (kind) {
    case 'fraction':
      return `${Number((value * 100).toPrecision(5))}%`;
    case 'bytes':
      return formatBytes(value);
    case 'ms':
      return `${trimNumber(value, 3)}ms`;
    default:
      return trimNumber(value, 4);
  }
}

/** What kind of value a gate expression's path measures, or undefined when it does not parse. */
export function gateKind(expression: string): GateValueKind | undefined {
  try {
    return parseGate(expression).kind;
  } catch {
    return undefined;
  }
}

function trimNumber(v: number, digits: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(digits + 2)));
}

function splitAtOperator(text: string): { left: string; operator: string; right: string } | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0 && '<>=!'.includes(c)) {
      let j = i;
      while (j < text.length && '<>=!'.includes(text[j]!)) j++;
      return { left: text.slice(0, i), operator: text.slice(i, j), right: text.slice(j) };
    }
  }
  return undefined;
}

function parsePath(text: string, fail: (what: string) => never): string[] {
  if (text === '') fail('no report path before the operator');
  const segments: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '[') {
      const end = text.indexOf(']', i);
      if (end < 0) fail(`unclosed "[" in path "${text}"`);
      const key = text.slice(i + 1, end);
      if (key === '') fail(`empty [] in path "${text}"`);
      segments.push(key);
      i = end + 1;
      if (text[i] === '.') i++;
    } else {
      let j = i;
      while (j < text.length && text[j] !== '.' && text[j] !== '[') j++;
      const seg = text.slice(i, j);
      if (!/^[A-Za-z0-9_\-/:]+$/.test(seg)) fail(`bad path segment "${seg}" in "${text}" (put keys with dots or spaces in [brackets])`);
      segments.push(seg);
      i = j;
      if (text[i] === '.') i++;
    }
  }
  return segments;
}

function kindOf(path: readonly string[]): GateValueKind | undefined {
  const exact = PATH_SCHEMA[path.join('.')];
  if (exact) return exact;
  if (path.length >= 3) {
    const generic = [path[0], path[1], '*', ...path.slice(3)].join('.');
    const kind = PATH_SCHEMA[generic];
    if (kind && path[0] === 'dropped' && !(DROP_REASONS as readonly string[]).includes(path[2]!)) return undefined;
    if (kind && path[0] !== 'latency') return kind;
  }
  if (path.length === 3 && path[0] === 'latency') return PATH_SCHEMA[['latency', '*', path[2]].join('.')];
  return undefined;
}

function unknownPathMessage(path: readonly string[]): string {
  const text = path.join('.');
  if (path[0] === 'dropped' && path[1] === 'byReason' && path.length >= 3 && !(DROP_REASONS as readonly string[]).includes(path[2]!)) {
    const close = closest(path[2]!, DROP_REASONS);
    return `unknown drop reason "${path[2]}"${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}; reasons: ${DROP_REASONS.join(', ')}`;
  }
  const candidates = Object.keys(PATH_SCHEMA).map((p) => p.replace('*', '<name>'));
  const generic = path.length >= 3 ? [path[0], path[1], '<name>', ...path.slice(3)].join('.') : text;
  const close = [...new Set([...closest(text, candidates), ...closest(generic, candidates)])].slice(0, 3);
  return `unknown report path "${text}"${close.length ? `; close matches: ${close.join(', ')}` : ''}`;
}

/** Up to 3 candidates within an edit distance of max(3, ⌈len/4⌉), nearest first. */
function closest(word: string, candidates: readonly string[]): string[] {
  const limit = Math.max(3, Math.ceil(word.length / 4));
  return candidates
    .map((c) => ({ c, d: editDistance(word.toLowerCase(), c.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((x) => x.c);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The value at `path`, or a string saying why there is none. */
function resolve(report: Report, path: readonly string[]): number | null | string {
  if (path[0] === 'dropped' && path[1] === 'byReason' && path.length === 4) {
    const entry = report.dropped.byReason[path[2] as keyof typeof report.dropped.byReason];
    return entry ? entry[path[3] as 'spans' | 'traces'] : 0;
  }
  const mapNames: Record<string, string> = { byPolicy: 'policy', byService: 'service' };
  let node: unknown = report;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (node === null || typeof node !== 'object' || !(seg in node)) {
      const parent = path[i - 1] ?? '';
      const what = mapNames[parent] ?? (parent === 'latency' ? 'latency histogram' : undefined);
      if (what && node !== null && typeof node === 'object') {
        const known = Object.keys(node);
        return `no ${what} "${seg}" in this report${known.length ? ` (known: ${known.join(', ')})` : ''}`;
      }
      return null;
    }
    node = (node as Record<string, unknown>)[seg];
  }
  return typeof node === 'number' ? node : null;
}
