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
type Unsimulated = { path: (string | number)[]; reason: string };

/**
 * Compiles the trace statements. Valid upstream OTTL outside tracesim's subset (a standard editor
 * such as `replace_match`, a converter such as `Concat`) does not refuse the config: that
 * statement is left out — a group whose condition uses it, the whole group — and listed as not
 * simulated, so spans pass unchanged by it. Anything else that does not parse is a problem.
 */
export function compileTransformProcessor(v: z.output<typeof transformProcessorSchema>): { config: TransformProcessorConfig; problems: Problem[]; notSimulated: Unsimulated[] } {
  const problems: Problem[] = [];
  const notSimulated: Unsimulated[] = [];
  const groups: StatementGroup[] = [];
  const leftOut = (fn: string, what: string) => `${fn} is outside tracesim's OTTL subset: ${what} is not simulated, and spans pass unchanged by it`;
  (v.trace_statements ?? []).forEach((entry, i) => {
    const raw = typeof entry === 'string' ? { context: 'span', conditions: [], statements: [entry] } : entry;
    const base: (string | number)[] = typeof entry === 'string' ? ['trace_statements', i] : ['trace_statements', i];
    const ctx = raw.context ?? 'span';
    if (ctx !== 'span' && ctx !== 'resource' && ctx !== 'spanevent') {
      problems.push({ path: [...base, 'context'], message: `context ${JSON.stringify(ctx)} is not supported (span, resource, spanevent)` });
      return;
    }
    const conditions: Condition[] = [];
    let groupLeftOut = false;
    (raw.conditions ?? []).forEach((text, j) => {
      const r = parseOttlCondition(text, ctx);
      if (r.ok) conditions.push(r.condition);
      else if (r.unsimulatedFunction !== undefined) {
        groupLeftOut = true;
        notSimulated.push({ path: [...base, 'conditions', j], reason: leftOut(r.unsimulatedFunction, 'this group (its condition)') });
      } else problems.push({ path: [...base, 'conditions', j], message: r.message });
    });
    const statements: Statement[] = [];
    raw.statements.forEach((text, j) => {
      const r = parseOttlStatement(text, ctx);
      const at = typeof entry === 'string' ? base : [...base, 'statements', j];
      if (r.ok) statements.push(r.statement);
      else if (r.unsimulatedFunction !== undefined) notSimulated.push({ path: at, reason: leftOut(r.unsimulatedFunction, 'this statement') });
      else problems.push({ path: at, message: r.message });
    });
    if (!groupLeftOut) groups.push({ context: ctx, conditions, statements });
  });
  return { config: { groups }, problems, notSimulated };
}
