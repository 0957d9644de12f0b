/**
 * Schema validation for scenario and collector files, on zod. Turns zod's issues into problems
 * that name the full key path the way users write it (`policies[2].latency.threshold_ms`), and
 * provides the unit-aware field types (durations, sizes, rates) every config uses.
 * Pure; worker-safe.
 */
import { z } from 'zod';
import { parseBytes, parseDurationMs, parseRatePerSecond } from './units.js';

/** One problem in an input file: a full key path and what is wrong there. */
export interface ConfigProblem {
  path: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: ConfigProblem[] };

/** `a.b[2].c` from a base path and zod's path segments. */
export function joinPath(base: string, segments: readonly PropertyKey[]): string {
  let out = base;
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/** A YAML mapping as the parser gives it (not a list, null or a `!!binary` byte array). */
export function isYamlMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

export function formatProblem(p: ConfigProblem): string {
  return p.path === '' ? p.message : `${p.path}: ${p.message}`;
}

/** Validates `raw` against `schema`; every issue becomes a problem under `basePath`. */
export function parseWith<S extends z.ZodType>(schema: S, raw: unknown, basePath: string): Parsed<z.output<S>> {
  const result = schema.safeParse(raw, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: issuesToProblems(result.error.issues, basePath) };
}

export function issuesToProblems(issues: readonly z.core.$ZodIssue[], basePath: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: joinPath(basePath, [...issue.path, key]), message: 'unknown key' });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0 && issue.message === 'Invalid input') {
      // Report the branch that got furthest instead of a bare "invalid input".
      const best = issue.errors.reduce((a, b) => (deepest(b) > deepest(a) ? b : a));
      problems.push(...issuesToProblems(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] })), basePath));
    } else {
      problems.push({ path: joinPath(basePath, issue.path), message: friendlyMessage(issue.message) + percentHint(issue) });
    }
  }
  return problems;
}

/**
 * For a number given as a percentage string (`1%`; the parse ran with `reportInput`): how to
 * write it, since some keys take fractions and others percentages.
 */
function percentHint(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'invalid_type' || issue.expected !== 'number') return '';
  const input = (issue as { input?: unknown }).input;
  const m = typeof input === 'string' ? /^\s*(-?\d+(?:\.\d+)?)\s*%\s*$/.exec(input) : null;
  if (!m) return '';
  const n = Number(m[1]);
  return `, got "${input as string}": write ${n / 100} for a fraction such as error_rate, or ${n} for a percentage such as sampling_percentage`;
}

const NOUNS: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'a boolean (true or false)',
  object: 'a map',
  array: 'a list',
  record: 'a map',
};

/**
 * Rewrites zod's default messages into the one wording users see in scenarios and collector
 * configs (`expected a number`, `expected one of "a", "b"`, `must be >= 1`); custom messages
 * pass through unchanged.
 */
export function friendlyMessage(message: string): string {
  if (/^Invalid input: expected \w+, received undefined$/.test(message)) return 'required';
  const type = /^Invalid input: expected (\w+), received \w+$/.exec(message);
  if (type) return `expected ${NOUNS[type[1]!] ?? type[1]!}`;
  const option = /^Invalid option: expected one of (.*)$/.exec(message);
  if (option) return `expected one of ${option[1]!.split('|').join(', ')}`;
  const small = /^Too small: expected \w+ to be (>=?)(.*)$/.exec(message);
  if (small) return `must be ${small[1]} ${small[2]}`;
  const big = /^Too big: expected \w+ to be (<=?)(.*)$/.exec(message);
  if (big) return `must be ${big[1]} ${big[2]}`;
  const fewItems = /^Too small: expected array to have >=?(\d+) items?$/.exec(message);
  if (fewItems) return `needs at least ${fewItems[1]} item${fewItems[1] === '1' ? '' : 's'}`;
  const manyItems = /^Too big: expected array to have <=?(\d+) items?$/.exec(message);
  if (manyItems) return `takes at most ${manyItems[1]} item${manyItems[1] === '1' ? '' : 's'}`;
  if (/^Too small: expected string to have >=?1 characters?$/.test(message)) return 'must not be empty';
  const shortText = /^Too small: expected string to have >=?(\d+) characters?$/.exec(message);
  if (shortText) return `must have at least ${shortText[1]} characters`;
  const longText = /^Too big: expected string to have <=?(\d+) characters?$/.exec(message);
  if (longText) return `must have at most ${longText[1]} characters`;
  return message;
}

function deepest(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

/**
 * A duration (`10s`, `250ms`, or a bare number of `bareUnit`) → milliseconds. Collector configs
 * use `ns`: the collector decodes a bare YAML number into a Go `time.Duration`, an integer count of
 * nanoseconds (`timeout: 5` is 5 ns, not 5 ms or 5 s).
 */
export function durationMs(opts: { bareUnit?: 'ms' | 's' | 'ns'; min?: number } = {}) {
  const toMs = opts.bareUnit === 's' ? (v: number) => v * 1000 : opts.bareUnit === 'ns' ? (v: number) => Math.trunc(v) / 1e6 : (v: number) => v;
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    const ms = typeof v === 'number' ? toMs(v) : parseDurationMs(v);
    if (ms === undefined || !Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: `expected a duration such as 5s or 250ms, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    if (opts.min !== undefined && ms < opts.min) {
      ctx.addIssue({ code: 'custom', message: `must be at least ${opts.min}ms` });
      return z.NEVER;
    }
    return ms;
  });
}

/** A duration in a collector config (`10s`, or a bare number of nanoseconds, as the collector reads it) → milliseconds. */
export function collectorDurationMs(opts: { min?: number } = {}) {
  return durationMs({ ...opts, bareUnit: 'ns' });
}

/** A byte size (`4MiB`, `500GB`, or a number of bytes) → bytes. */
export function sizeBytes() {
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    const bytes = typeof v === 'number' ? v : parseBytes(v);
    if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) {
      ctx.addIssue({ code: 'custom', message: `expected a size such as 512MiB or 2GB, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return bytes;
  });
}

/** A rate (`500/s`, `30000/min`, or a number per second) → events per second. */
export function ratePerSecond() {
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    const rate = parseRatePerSecond(v);
    if (rate === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a rate such as 500/s or 30000/min, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return rate;
  });
}
