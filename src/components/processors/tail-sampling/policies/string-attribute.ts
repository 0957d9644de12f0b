import type { KeyValue } from '../../../../protocol/otlp/model.js';
import { getAttribute } from '../../../../protocol/otlp/model.js';
import type { StringAttributeConfig } from '../config.js';
import { LruCache } from '../lru-cache.js';
import type { Decision, PolicyEvaluator, PolicyOptions, TraceView } from './decision.js';
import { hasResourceOrSpanWithCondition, invertHasResourceOrSpanWithCondition } from './lookup.js';
import { compileRe2 } from '../../../shared/re2.js';

const DEFAULT_CACHE_SIZE = 128;

/** pdata `Value.Str()`: the string of a string attribute, "" for every other type. */
function asStr(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/**
 * `string_attribute` (reference §2.6). Exact mode matches a set of values (empty strings removed);
 * regex mode is an unanchored search (Go `MatchString`) with RE2 syntax and meanings (`re2.ts`), memoised in an LRU of `cache_max_size`
 * (128 when <= 0; it only saves time). The resource matches when the key is present and the value
 * matches; a span needs a non-empty value too. `invert_match`: sampled iff no resource and no span
 * carries a matching value.
 */
export function createStringAttributePolicy(cfg: StringAttributeConfig, opts: PolicyOptions): PolicyEvaluator {
  let matcher: (value: string) => boolean;
  if (cfg.enabledRegexMatching) {
    const regexes = cfg.values.map(compileRe2);
    const cache = new LruCache<string, boolean>(cfg.cacheMaxSize > 0 ? cfg.cacheMaxSize : DEFAULT_CACHE_SIZE);
    matcher = (value) => {
      const hit = cache.get(value);
      if (hit !== undefined) return hit;
      const result = regexes.some((r) => r.test(value));
      cache.add(value, result);
      return result;
    };
  } else {
    const set = new Set(cfg.values.filter((v) => v !== ''));
    matcher = (value) => set.has(value);
  }
  const key = cfg.key;
  if (cfg.invertMatch) {
    const resourcePasses = (attrs: readonly KeyValue[]) => {
      const v = getAttribute(attrs, key);
      return v === undefined || !matcher(asStr(v));
    };
    const spanPasses = (attrs: readonly KeyValue[]) => {
      const v = getAttribute(attrs, key);
      if (v === undefined) return true;
      const s = asStr(v);
      return s.length === 0 || !matcher(s);
    };
    return { evaluate: (t: TraceView): Decision => invertHasResourceOrSpanWithCondition(t, resourcePasses, spanPasses, opts.invertDecisions) };
  }
  const resourceMatches = (attrs: readonly KeyValue[]) => {
    const v = getAttribute(attrs, key);
    return v !== undefined && matcher(asStr(v));
  };
  const spanMatches = (attrs: readonly KeyValue[]) => {
    const v = getAttribute(attrs, key);
    if (v === undefined) return false;
    const s = asStr(v);
    return s.length > 0 && matcher(s);
  };
  return { evaluate: (t: TraceView): Decision => hasResourceOrSpanWithCondition(t, resourceMatches, spanMatches) };
}
