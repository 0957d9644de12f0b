/** `attributes` processor settings: span attribute actions, gated by include/exclude matching. */
import { z } from 'zod';
import { attributeActionSchema, compileActions, type AttributeAction } from '../../shared/attributes/actions.js';
import { compileMatcher, matchPropertiesSchema, type SpanMatcher } from '../../shared/attributes/match.js';

export interface AttributesProcessorConfig {
  readonly actions: readonly AttributeAction[];
  readonly include: SpanMatcher | undefined;
  readonly exclude: SpanMatcher | undefined;
}

export function defaultAttributesProcessorConfig(): AttributesProcessorConfig {
  return { actions: [], include: undefined, exclude: undefined };
}

export const attributesProcessorSchema = z.strictObject({
  actions: z.array(attributeActionSchema).optional(),
  include: matchPropertiesSchema.optional(),
  exclude: matchPropertiesSchema.optional(),
});

type Problem = { path: (string | number)[]; message: string };

export function compileAttributesProcessor(v: z.output<typeof attributesProcessorSchema>): { config: AttributesProcessorConfig; problems: Problem[] } {
  const problems: Problem[] = [];
  const { actions, problems: ap } = compileActions(v.actions ?? []);
  problems.push(...ap.map((p) => ({ path: ['actions', ...p.path], message: p.message })));
  if ((v.actions ?? []).length === 0) problems.push({ path: ['actions'], message: 'at least one action is required' });
  const side = (raw: typeof v.include, key: string): SpanMatcher | undefined => {
    if (!raw) return undefined;
    const r = compileMatcher(raw);
    problems.push(...r.problems.map((p) => ({ path: [key, ...p.path], message: p.message })));
    return r.matcher;
  };
  return { config: { actions, include: side(v.include, 'include'), exclude: side(v.exclude, 'exclude') }, problems };
}
