/**
 * `filter` processor settings for traces: OTTL conditions (`traces.span`, `traces.spanevent`) from
 * the subset in src/components/shared/ottl/README.md, or the legacy `spans.include/exclude`
 * match blocks. Metrics and logs settings are accepted and not read.
 */
import { z } from 'zod';
import type { Condition } from '../../shared/ottl/index.js';
import { errorModeSchema, parseOttlCondition } from '../../shared/ottl/index.js';
import { compileMatcher, matchPropertiesSchema, type SpanMatcher } from '../../shared/attributes/match.js';

export interface FilterProcessorConfig {
  /** A span is dropped when any of these holds. */
  readonly spanConditions: readonly Condition[];
  /** A span event is removed when any of these holds. */
  readonly spanEventConditions: readonly Condition[];
  /** Legacy: keep only spans that match. */
  readonly include: SpanMatcher | undefined;
  /** Legacy: drop spans that match. */
  readonly exclude: SpanMatcher | undefined;
}

export function defaultFilterProcessorConfig(): FilterProcessorConfig {
  return { spanConditions: [], spanEventConditions: [], include: undefined, exclude: undefined };
}

export const filterProcessorSchema = z.strictObject({
  error_mode: errorModeSchema().optional(),
  traces: z.strictObject({ span: z.array(z.string()).optional(), spanevent: z.array(z.string()).optional() }).optional(),
  spans: z.strictObject({ include: matchPropertiesSchema.optional(), exclude: matchPropertiesSchema.optional() }).optional(),
  metrics: z.unknown().optional(),
  logs: z.unknown().optional(),
});

type Problem = { path: (string | number)[]; message: string };

export function compileFilterProcessor(v: z.output<typeof filterProcessorSchema>): { config: FilterProcessorConfig; problems: Problem[] } {
  const problems: Problem[] = [];
  const conditions = (list: readonly string[] | undefined, key: string, context: 'span' | 'spanevent'): Condition[] =>
    (list ?? []).flatMap((text, i) => {
      const r = parseOttlCondition(text, context);
      if (r.ok) return [r.condition];
      problems.push({ path: ['traces', key, i], message: r.message });
      return [];
    });
  const spanConditions = conditions(v.traces?.span, 'span', 'span');
  const spanEventConditions = conditions(v.traces?.spanevent, 'spanevent', 'spanevent');
  const side = (raw: z.output<typeof matchPropertiesSchema> | undefined, key: string): SpanMatcher | undefined => {
    if (!raw) return undefined;
    const r = compileMatcher(raw);
    problems.push(...r.problems.map((p) => ({ path: ['spans', key, ...p.path], message: p.message })));
    return r.matcher;
  };
  const include = side(v.spans?.include, 'include');
  const exclude = side(v.spans?.exclude, 'exclude');
  if ((spanConditions.length > 0 || spanEventConditions.length > 0) && (include || exclude)) {
    problems.push({ path: ['spans'], message: 'cannot be used together with traces (OTTL conditions)' });
  }
  return { config: { spanConditions, spanEventConditions, include, exclude }, problems };
}
