/**
 * The one way a component factory reads its YAML body: a strict zod schema (unknown keys are
 * problems, zod's messages in the short form `parseWith` gives them:
 * `processors.batch.timeout: expected a duration such as 5s or 250ms, got "fast"`,
 * `…threshold_ms: expected a number`), then the component's own cross-field checks.
 */
import type { z } from 'zod';
import type { ParseResult } from '../../pipeline/factory.js';
import type { ConfigProblem } from '../../shared/schema.js';
import { joinPath, parseWith } from '../../shared/schema.js';

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
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  const config = build(parsed.value);
  const problems: ConfigProblem[] = validate(config).map((p) => ({ path: joinPath(path, p.path), message: p.message }));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}

/** A component's relative-path problem, as `compile` functions report them. */
export type RelativeProblem = { path: readonly (string | number)[]; message: string };

/**
 * `parseComponentConfig` for components whose config is compiled in one step that also finds its
 * problems (OTTL statements, attribute actions): `compile` returns both.
 */
export function parseCompiledConfig<S extends z.ZodType, C>(
  schema: S,
  raw: unknown,
  path: string,
  compile: (value: z.output<S>) => { config: C; problems: RelativeProblem[]; notSimulated?: { path: readonly (string | number)[]; reason: string }[] },
): ParseResult<C> {
  let problems: RelativeProblem[] = [];
  let notSimulated: { path: string; reason: string }[] = [];
  const result = parseComponentConfig(
    schema,
    raw,
    path,
    (v) => {
      const compiled = compile(v);
      problems = compiled.problems;
      notSimulated = (compiled.notSimulated ?? []).map((n) => ({ path: joinPath(path, n.path), reason: n.reason }));
      return compiled.config;
    },
    () => problems,
  );
  return result.ok && notSimulated.length > 0 ? { ...result, notSimulated } : result;
}
