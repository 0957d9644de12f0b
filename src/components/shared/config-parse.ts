/**
 * The one way a component factory reads its YAML body: a strict zod schema (unknown keys are
 * problems), zod's messages rewritten into the short form users see
 * (`processors.batch.timeout: expected a duration such as 5s or 250ms, got "fast"`,
 * `…threshold_ms: expected a number`), then the component's own cross-field checks.
 */
import type { z } from 'zod';
import type { ParseResult } from '../../pipeline/factory.js';
import type { ConfigProblem } from '../../shared/schema.js';
import { joinPath, parseWith } from '../../shared/schema.js';

const NOUNS: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'a boolean (true or false)',
  object: 'a map',
  array: 'a list',
  record: 'a map',
};

/** Rewrites zod's default messages; custom messages pass through unchanged. */
export function friendlyMessage(message: string): string {
  const type = /^Invalid input: expected (\w+), received \w+$/.exec(message);
  if (type) return `expected ${NOUNS[type[1]!] ?? type[1]!}`;
  const option = /^Invalid option: expected one of (.*)$/.exec(message);
  if (option) return `expected one of ${option[1]!.split('|').join(', ')}`;
  const small = /^Too small: expected \w+ to be (>=?)(.*)$/.exec(message);
  if (small) return `must be ${small[1]} ${small[2]}`;
  const big = /^Too big: expected \w+ to be (<=?)(.*)$/.exec(message);
  if (big) return `must be ${big[1]} ${big[2]}`;
  return message;
}

/**
 * Parses `raw` (null/undefined = empty body) with `schema`, then builds the config with `build`
 * and checks it with `validate`, whose problems carry paths relative to the component
 * (`['policies', 2, 'latency']`).
 */
export function parseComponentConfig<S extends z.ZodType, C>(
  schema: S,
  raw: unknown,
  path: string,
  build: (value: z.output<S>) => C,
  validate: (config: C) => { path: readonly (string | number)[]; message: string }[] = () => [],
): ParseResult<C> {
  const parsed = parseWith(schema, raw ?? {}, path);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map((p) => ({ path: p.path, message: friendlyMessage(p.message) })) };
  const config = build(parsed.value);
  const problems: ConfigProblem[] = validate(config).map((p) => ({ path: joinPath(path, p.path), message: p.message }));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}
