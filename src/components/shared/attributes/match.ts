/**
 * Span include/exclude matching of the `attributes` processor (collector-contrib
 * `internal/filter/filterconfig.MatchProperties` + `filterspan`). A `MatchProperties` matches a
 * span when every criterion it sets matches:
 *
 * - `services`: any of them equals (strict) or matches (regexp) the resource's `service.name`;
 * - `span_names`: any equals/matches the span name;
 * - `span_kinds`: any equals the span kind (`SPAN_KIND_SERVER`, …);
 * - `attributes` / `resources`: every `{key, value}` is present on the span / resource, with an
 *   equal value (strict) or a string value matching `value` (regexp); no `value` ⇒ key present;
 * - `libraries`: any `{name, version}` equals/matches the instrumentation scope.
 *
 * The processor acts on a span when `include` (if set) matches and `exclude` (if set) does not.
 */
import { z } from 'zod';
import { compileRe2 } from '../re2.js';
import type { AnyValue, InstrumentationScope, KeyValue, Resource, Span } from '../../../protocol/otlp/model.js';
import { getAttribute } from '../../../protocol/otlp/model.js';
import { yamlToAnyValue } from './actions.js';

const KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};

const kvSchema = z.strictObject({ key: z.string(), value: z.union([z.string(), z.number(), z.boolean()]).optional() });

export const matchPropertiesSchema = z.strictObject({
  match_type: z.string().optional(),
  regexp: z.strictObject({ cacheenabled: z.boolean().optional(), cachemaxnumentries: z.number().int().optional() }).optional(),
  services: z.array(z.string()).optional(),
  span_names: z.array(z.string()).optional(),
  span_kinds: z.array(z.string()).optional(),
  attributes: z.array(kvSchema).optional(),
  resources: z.array(kvSchema).optional(),
  libraries: z.array(z.strictObject({ name: z.string(), version: z.string().optional() })).optional(),
});

export type MatchPropertiesRaw = z.output<typeof matchPropertiesSchema>;

type StringMatcher = (s: string) => boolean;
interface KvMatcher {
  key: string;
  value: ((v: AnyValue) => boolean) | undefined;
}

export interface SpanMatcher {
  matches(span: Span, resource: Resource, scope: InstrumentationScope): boolean;
}

function equalValues(a: AnyValue, b: AnyValue): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return Number(a) === Number(b);
  return a === b;
}

/** Compiles a match block; problems have paths relative to it. */
export function compileMatcher(raw: MatchPropertiesRaw): { matcher?: SpanMatcher; problems: { path: (string | number)[]; message: string }[] } {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const type = raw.match_type;
  if (type !== 'strict' && type !== 'regexp') {
    problems.push({ path: ['match_type'], message: type === undefined ? 'required: strict or regexp' : `expected one of strict, regexp, got ${JSON.stringify(type)}` });
    return { problems };
  }
  if (!raw.services && !raw.span_names && !raw.span_kinds && !raw.attributes && !raw.resources && !raw.libraries) {
    problems.push({ path: [], message: 'at least one of services, span_names, span_kinds, attributes, resources or libraries must be set' });
    return { problems };
  }
  const str = (pattern: string, path: (string | number)[]): StringMatcher | undefined => {
    if (type === 'strict') return (s) => s === pattern;
    try {
      const re = compileRe2(pattern);
      return (s) => re.test(s);
    } catch {
      problems.push({ path, message: `invalid regular expression ${JSON.stringify(pattern)}` });
      return undefined;
    }
  };
  const strings = (list: readonly string[] | undefined, key: string): StringMatcher[] | undefined =>
    list?.map((p, i) => str(p, [key, i])).filter((m): m is StringMatcher => m !== undefined);
  const kvs = (list: MatchPropertiesRaw['attributes'], key: string): KvMatcher[] | undefined =>
    list?.map((kv, i) => {
      if (kv.value === undefined) return { key: kv.key, value: undefined };
      if (type === 'strict') {
        const want = yamlToAnyValue(kv.value);
        return { key: kv.key, value: (v: AnyValue) => equalValues(v, want) };
      }
      if (typeof kv.value !== 'string') {
        problems.push({ path: [key, i, 'value'], message: 'match_type regexp requires string values' });
        return { key: kv.key, value: () => false };
      }
      const m = str(kv.value, [key, i, 'value']);
      return { key: kv.key, value: (v: AnyValue) => typeof v === 'string' && m !== undefined && m(v) };
    });

  const services = strings(raw.services, 'services');
  const names = strings(raw.span_names, 'span_names');
  const attributes = kvs(raw.attributes, 'attributes');
  const resources = kvs(raw.resources, 'resources');
  const kinds = raw.span_kinds?.map((k, i) => {
    const n = KINDS[k];
    if (n === undefined) problems.push({ path: ['span_kinds', i], message: `unknown span kind ${JSON.stringify(k)} (SPAN_KIND_SERVER, SPAN_KIND_CLIENT, …)` });
    return n ?? -1;
  });
  const libraries = raw.libraries?.map((l, i) => ({ name: str(l.name, ['libraries', i, 'name']), version: l.version === undefined ? undefined : str(l.version, ['libraries', i, 'version']) }));
  if (problems.length > 0) return { problems };

  const kvMatch = (ms: KvMatcher[], attrs: readonly KeyValue[]): boolean =>
    ms.every((m) => {
      const v = getAttribute(attrs, m.key);
      return v !== undefined && (m.value === undefined || m.value(v));
    });
  return {
    problems,
    matcher: {
      matches(span, resource, scope) {
        if (services) {
          const svc = getAttribute(resource.attributes, 'service.name');
          if (typeof svc !== 'string' || !services.some((m) => m(svc))) return false;
        }
        if (names && !names.some((m) => m(span.name))) return false;
        if (kinds && !kinds.includes(span.kind)) return false;
        if (attributes && !kvMatch(attributes, span.attributes)) return false;
        if (resources && !kvMatch(resources, resource.attributes)) return false;
        if (libraries && !libraries.some((l) => l.name?.(scope.name) && (l.version === undefined || l.version(scope.version)))) return false;
        return true;
      },
    },
  };
}
