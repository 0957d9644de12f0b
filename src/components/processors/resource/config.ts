/** `resource` processor settings: a list of attribute actions on the resource. */
import { z } from 'zod';
import { attributeActionSchema, compileActions, type AttributeAction } from '../../shared/attributes/actions.js';

export interface ResourceProcessorConfig {
  readonly actions: readonly AttributeAction[];
}

export function defaultResourceProcessorConfig(): ResourceProcessorConfig {
  return { actions: [] };
}

export const resourceProcessorSchema = z.strictObject({ attributes: z.array(attributeActionSchema).optional() });

export function parseResourceActions(v: z.output<typeof resourceProcessorSchema>): { actions: AttributeAction[]; problems: { path: (string | number)[]; message: string }[] } {
  const { actions, problems } = compileActions(v.attributes ?? []);
  const out = problems.map((p) => ({ path: ['attributes', ...p.path], message: p.message }));
  if ((v.attributes ?? []).length === 0) out.push({ path: ['attributes'], message: 'at least one action is required' });
  return { actions, problems: out };
}
