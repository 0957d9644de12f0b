import type { OttlConditionConfig } from '../config.js';
import type { ConfigProblem } from '../../../../shared/schema.js';
import { evaluateCondition, parseOttlCondition, type Condition } from '../../../shared/ottl/index.js';
import { Decision, type PolicyEvaluator, type TraceView } from './decision.js';

/**
 * Parses every condition of an `ottl_condition` policy; a condition outside the OTTL subset
 * (src/components/shared/ottl/README.md) is a problem naming it, at `path.span[i]`/`path.spanevent[i]`.
 */
export function parseOttlPolicyConditions(
  cfg: OttlConditionConfig,
  path: string,
): { ok: true; span: Condition[]; spanevent: Condition[] } | { ok: false; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const parseAll = (texts: string[], context: 'span' | 'spanevent', key: string) =>
    texts.flatMap((text, i) => {
      const r = parseOttlCondition(text, context);
      if (r.ok) return [r.condition];
      problems.push({ path: `${path}.ottl_condition.${key}[${i}]`, message: `${JSON.stringify(text)} is outside the supported OTTL subset: ${r.message}` });
      return [];
    });
  const span = parseAll(cfg.span, 'span', 'span');
  const spanevent = parseAll(cfg.spanevent, 'spanevent', 'spanevent');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, span, spanevent };
}

/**
 * `ottl_condition` (reference §2.13): conditions in a list are ORed. For each span in order: any
 * span condition true ⇒ Sampled; then any event condition true on one of its events ⇒ Sampled;
 * otherwise NotSampled. An evaluation error ⇒ Error with `error_mode: propagate`, otherwise the
 * condition counts as false.
 */
export function createOttlConditionPolicy(errorMode: OttlConditionConfig['errorMode'], span: Condition[], spanevent: Condition[]): PolicyEvaluator {
  const propagate = errorMode === 'propagate';
  return {
    evaluate(t: TraceView): Decision {
      const { spans, origins } = t;
      for (let i = 0; i < spans.length; i++) {
        const s = spans[i]!;
        const resource = origins[i]!.resourceSpans.resource;
        const scope = origins[i]!.scopeSpans.scope;
        for (const cond of span) {
          const r = safeEvaluate(cond, { resource, scope, span: s });
          if (r === true) return Decision.Sampled;
          if (r === undefined && propagate) return Decision.Error;
        }
        if (spanevent.length === 0) continue;
        for (const event of s.events) {
          for (const cond of spanevent) {
            const r = safeEvaluate(cond, { resource, scope, span: s, event });
            if (r === true) return Decision.Sampled;
            if (r === undefined && propagate) return Decision.Error;
          }
        }
      }
      return Decision.NotSampled;
    },
  };
}

/** true/false, or undefined when evaluation failed. */
function safeEvaluate(cond: Condition, target: Parameters<typeof evaluateCondition>[1]): boolean | undefined {
  try {
    return evaluateCondition(cond, target);
  } catch {
    return undefined;
  }
}
