/**
 * `transform` processor settings for traces: `trace_statements`, either groups
 * `{context: span|resource|spanevent, conditions?, statements}` or flat statement strings whose
 * paths carry their context prefix (`set(span.attributes["k"], "v")`). Metric and log statements
 * are accepted and not read.
 */
import { z } from 'zod';
import type { Condition, OttlContext, Statement } from '../../shared/ottl/index.js';
import { errorModeSchema, parseOttlCondition, parseOttlStatement } from '../../shared/ottl/index.js';

export interface StatementGroup {
  readonly context: OttlContext;
  /** The group runs on an item when any condition holds (or there are none). */
  readonly conditions: readonly Condition[];
  readonly statements: readonly Statement[];
}

export interface TransformProcessorConfig {
  readonly groups: readonly StatementGroup[];
}

export function defaultTransformProcessorConfig(): TransformProcessorConfig {
  return { groups: [] };
}

const groupSchema = z.strictObject({
  context: z.string().optional(),
  conditions: z.array(z.string()).optional(),
  statements: z.array(z.string()),
  error_mode: errorModeSchema().optional(),
});

export const transformProcessorSchema = z.strictObject({
  error_mode: errorModeSchema().optional(),
  trace_statements: z.array(z.union([z.string(), groupSchema])).optional(),
  metric_statements: z.unknown().optional(),
  log_statements: z.unknown().optional(),
  profile_statements: z.unknown().optional(),
  flatten_data: z.boolean().optional(),
});

type Problem = { path: (string | number)[]; message: string };

export function compileTransformProcessor(v: z.output<typeof transformProcessorSchema>): { config: TransformProcessorConfig; problems: Problem[] } {
  const problems: Problem[] = [];
  const groups: StatementGroup[] = [];
  (v.trace_statements ?? []).forEach((entry, i) => {
    const raw = typeof entry === 'string' ? { context: 'span', conditions: [], statements: [entry] } : entry;
    const base: (string | number)[] = typeof entry === 'string' ? ['trace_statements', i] : ['trace_statements', i];
    const ctx = raw.context ?? 'span';
    if (ctx !== 'span' && ctx !== 'resource' && ctx !== 'spanevent') {
      problems.push({ path: [...base, 'context'], message: `context ${JSON.stringify(ctx)} is not supported (span, resource, spanevent)` });
      return;
    }
    const conditions: Condition[] = [];
    (raw.conditions ?? []).forEach((text, j) => {
      const r = parseOttlCondition(text, ctx);
      if (r.ok) conditions.push(r.condition);
      else problems.push({ path: [...base, 'conditions', j], message: r.message });
    });
    const statements: Statement[] = [];
    raw.statements.forEach((text, j) => {
      const r = parseOttlStatement(text, ctx);
      if (r.ok) statements.push(r.statement);
      else problems.push({ path: typeof entry === 'string' ? base : [...base, 'statements', j], message: r.message });
    });
    groups.push({ context: ctx, conditions, statements });
  });
  return { config: { groups }, problems };
}
