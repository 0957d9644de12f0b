/**
 * Configuration of the `tail_sampling` processor, read from the collector's own YAML
 * (reference/tail-sampling.md §1). Keys are the upstream `mapstructure` names; the parsed config
 * is camelCase with units in the names. Every problem is reported with its full key path.
 */
import { z } from 'zod';
import { collectorDurationMs, isYamlMap, issuesToProblems, type ConfigProblem } from '../../../shared/schema.js';
import type { CompatProfile } from '../../../pipeline/component.js';
import type { ParseContext } from '../../../pipeline/factory.js';
import { errorModeSchema, type OttlErrorMode } from '../../shared/ottl/index.js';
import { parseOttlPolicyConditions } from './policies/ottl-condition.js';
import { translateRe2 } from '../../shared/re2.js';

/** The leaf policy types ("shared types": allowed inside `and`, `not`, `drop`, `composite`). */
export const LEAF_POLICY_TYPES = [
  'always_sample',
  'latency',
  'numeric_attribute',
  'probabilistic',
  'status_code',
  'string_attribute',
  'rate_limiting',
  'bytes_limiting',
  'span_count',
  'trace_state',
  'boolean_attribute',
  'ottl_condition',
  'trace_flags',
] as const;
export type LeafPolicyType = (typeof LEAF_POLICY_TYPES)[number];
export type PolicyType = LeafPolicyType | 'and' | 'not' | 'drop' | 'composite';

export interface LatencyConfig {
  thresholdMs: number;
  /** 0 = no upper bound. */
  upperThresholdMs: number;
}
export interface NumericAttributeConfig {
  key: string;
  /** `undefined` when the key was absent from the YAML (matters for the classic profile). */
  minValue: bigint | undefined;
  maxValue: bigint | undefined;
  invertMatch: boolean;
}
export interface ProbabilisticConfig {
  hashSalt: string;
  samplingPercentage: number;
}
export interface StatusCodeConfig {
  statusCodes: ('OK' | 'ERROR' | 'UNSET')[];
}
export interface StringAttributeConfig {
  key: string;
  values: string[];
  enabledRegexMatching: boolean;
  cacheMaxSize: number;
  invertMatch: boolean;
}
export interface RateLimitingConfig {
  spansPerSecond: number;
  /** 0 = default (2 × spans_per_second); current profile only. */
  burstCapacity: number;
}
export interface BytesLimitingConfig {
  bytesPerSecond: number;
  /** 0 = default (2 × bytes_per_second). */
  burstCapacity: number;
}
export interface SpanCountConfig {
  minSpans: number;
  /** 0 = no upper bound. */
  maxSpans: number;
}
export interface TraceStateConfig {
  key: string;
  values: string[];
}
export interface BooleanAttributeConfig {
  key: string;
  value: boolean;
  invertMatch: boolean;
}
export interface OttlConditionConfig {
  errorMode: OttlErrorMode;
  span: string[];
  spanevent: string[];
}
export interface CompositeConfig {
  maxTotalSpansPerSecond: number;
  /** Accepted and ignored, as upstream does (issue #36955). */
  policyOrder: string[];
  subPolicies: PolicyConfig[];
  rateAllocation: { policy: string; percent: number }[];
}

/** One policy; `and`/`drop` hold leaf sub-policies, `not` exactly one, `composite` leaves and `and`s. */
export type PolicyConfig =
  | { name: string; type: 'always_sample' }
  | { name: string; type: 'trace_flags' }
  | { name: string; type: 'latency'; latency: LatencyConfig }
  | { name: string; type: 'numeric_attribute'; numericAttribute: NumericAttributeConfig }
  | { name: string; type: 'probabilistic'; probabilistic: ProbabilisticConfig }
  | { name: string; type: 'status_code'; statusCode: StatusCodeConfig }
  | { name: string; type: 'string_attribute'; stringAttribute: StringAttributeConfig }
  | { name: string; type: 'rate_limiting'; rateLimiting: RateLimitingConfig }
  | { name: string; type: 'bytes_limiting'; bytesLimiting: BytesLimitingConfig }
  | { name: string; type: 'span_count'; spanCount: SpanCountConfig }
  | { name: string; type: 'trace_state'; traceState: TraceStateConfig }
  | { name: string; type: 'boolean_attribute'; booleanAttribute: BooleanAttributeConfig }
  | { name: string; type: 'ottl_condition'; ottlCondition: OttlConditionConfig }
  | { name: string; type: 'and'; subPolicies: PolicyConfig[] }
  | { name: string; type: 'drop'; subPolicies: PolicyConfig[] }
  | { name: string; type: 'not'; subPolicy: PolicyConfig }
  | { name: string; type: 'composite'; composite: CompositeConfig };

export interface TailSamplingConfig {
  /** `decision_wait`; decisions happen after max(1, trunc(seconds)) ticks. Default 30 s. */
  decisionWaitMs: number;
  /** `num_traces`: traces held in the map. Default 50 000. */
  numTraces: number;
  /** `expected_new_traces_per_sec`: an allocation hint only. Default 0. */
  expectedNewTracesPerSec: number;
  /** `decision_cache.sampled_cache_size` / `non_sampled_cache_size`; 0 = off. */
  decisionCache: { sampledCacheSize: number; nonSampledCacheSize: number };
  /** Stop evaluating at the first plain `Sampled`. */
  sampleOnFirstMatch: boolean;
  /** On shutdown drop undecided traces instead of deciding them on partial data. */
  dropPendingTracesOnShutdown: boolean;
  /** `decision_wait_after_root_received`; 0 = off. */
  decisionWaitAfterRootReceivedMs: number;
  /** Refuse (retryable) new traces while the map is full instead of evicting the oldest. */
  blockOnOverflow: boolean;
  /** `maximum_trace_size_bytes`; 0 = off. */
  maximumTraceSizeBytes: number;
  samplingStrategy: 'trace-complete' | 'span-ingest';
  /** Accepted; the simulator runs one shard (see README). */
  numShards: number;
  policies: PolicyConfig[];
}

export function defaultTailSamplingConfig(): TailSamplingConfig {
  return {
    decisionWaitMs: 30_000,
    numTraces: 50_000,
    expectedNewTracesPerSec: 0,
    decisionCache: { sampledCacheSize: 0, nonSampledCacheSize: 0 },
    sampleOnFirstMatch: false,
    dropPendingTracesOnShutdown: false,
    decisionWaitAfterRootReceivedMs: 0,
    blockOnOverflow: false,
    maximumTraceSizeBytes: 0,
    samplingStrategy: 'trace-complete',
    numShards: 1,
    policies: [],
  };
}

// ---- YAML schema -------------------------------------------------------------------------------

const int = () => z.number().int('expected an integer');
const uint = () => int().min(0, 'must not be negative');
/** A float64 as YAML gives it, ±.inf included (upstream: +Inf keeps every trace, −Inf none); NaN is refused (upstream panics). */
const percentage = () => z.union([z.number(), z.literal(Number.POSITIVE_INFINITY), z.literal(Number.NEGATIVE_INFINITY)]);
/**
 * A `[]string` field. The collector's config decoder (confmap) runs mapstructure's
 * `StringToSliceHookFunc(",")`, so a plain string is accepted too and split on every comma
 * (`status_codes: ERROR` → `[ERROR]`, `"OK,ERROR"` → `[OK, ERROR]`, `""` → `[]`).
 */
const strList = () => z.preprocess((v) => (typeof v === 'string' ? (v === '' ? [] : v.split(',')) : v), z.array(z.string()));
const int64 = () =>
  z.union([int(), z.string().regex(/^-?\d+$/, 'expected an integer')]).transform((v) => BigInt(v));

const leafSubObjects = {
  latency: z.strictObject({ threshold_ms: int().optional(), upper_threshold_ms: int().optional() }).nullish(),
  numeric_attribute: z
    .strictObject({ key: z.string().optional(), min_value: int64().optional(), max_value: int64().optional(), invert_match: z.boolean().optional() })
    .nullish(),
  probabilistic: z.strictObject({ hash_salt: z.string().optional(), sampling_percentage: percentage().optional() }).nullish(),
  status_code: z.strictObject({ status_codes: strList().optional() }).nullish(),
  string_attribute: z
    .strictObject({
      key: z.string().optional(),
      values: strList().optional(),
      enabled_regex_matching: z.boolean().optional(),
      cache_max_size: int().optional(),
      invert_match: z.boolean().optional(),
    })
    .nullish(),
  rate_limiting: z.strictObject({ spans_per_second: int().optional(), burst_capacity: int().optional() }).nullish(),
  bytes_limiting: z.strictObject({ bytes_per_second: int().optional(), burst_capacity: int().optional() }).nullish(),
  span_count: z.strictObject({ min_spans: int().optional(), max_spans: int().optional() }).nullish(),
  trace_state: z.strictObject({ key: z.string().optional(), values: strList().optional() }).nullish(),
  boolean_attribute: z.strictObject({ key: z.string().optional(), value: z.boolean().optional(), invert_match: z.boolean().optional() }).nullish(),
  ottl_condition: z
    .strictObject({ error_mode: errorModeSchema().optional(), span: strList().optional(), spanevent: strList().optional() })
    .nullish(),
};

const leafPolicy = z.strictObject({ name: z.string().optional(), type: z.string(), ...leafSubObjects });
const andPolicy = z.strictObject({
  name: z.string().optional(),
  type: z.string(),
  ...leafSubObjects,
  and: z.strictObject({ and_sub_policy: z.array(leafPolicy).optional() }).nullish(),
});
const topPolicy = z.strictObject({
  name: z.string().optional(),
  type: z.string(),
  ...leafSubObjects,
  and: z.strictObject({ and_sub_policy: z.array(leafPolicy).optional() }).nullish(),
  drop: z.strictObject({ drop_sub_policy: z.array(leafPolicy).optional() }).nullish(),
  not: z.strictObject({ not_sub_policy: leafPolicy.optional() }).nullish(),
  composite: z
    .strictObject({
      max_total_spans_per_second: int().optional(),
      policy_order: strList().optional(),
      composite_sub_policy: z.array(andPolicy).optional(),
      // Both keys may be left out, as in upstream's RateAllocationCfg (zero values: policy "", percent 0).
      rate_allocation: z.array(z.strictObject({ policy: z.string().optional(), percent: int().optional() })).optional(),
    })
    .nullish(),
});

const rootSchema = z
  .strictObject({
    decision_wait: collectorDurationMs().optional(),
    num_traces: uint().optional(),
    expected_new_traces_per_sec: uint().optional(),
    decision_cache: z.strictObject({ sampled_cache_size: uint().optional(), non_sampled_cache_size: uint().optional() }).nullish(),
    sample_on_first_match: z.boolean().optional(),
    drop_pending_traces_on_shutdown: z.boolean().optional(),
    decision_wait_after_root_received: collectorDurationMs().optional(),
    block_on_overflow: z.boolean().optional(),
    maximum_trace_size_bytes: uint().optional(),
    sampling_strategy: z.string().optional(),
    num_shards: int().optional(),
    // Each policy is parsed on its own (below), so a typo in one does not hide the others' problems.
    policies: z.array(z.unknown()).optional(),
  })
  .nullish();

type RawPolicy = z.output<typeof topPolicy>;
type RawLeaf = z.output<typeof leafPolicy>;

export type ParsedConfig = { ok: true; config: TailSamplingConfig; warnings?: readonly string[] } | { ok: false; problems: ConfigProblem[] };

type Shape = { readonly shape: Record<string, unknown> };
/** Where sub-policies sit in a policy of each level, and the schema they are read with. */
const SUB_POLICIES: readonly { key: string; list: string; of: Shape }[] = [
  { key: 'and', list: 'and_sub_policy', of: leafPolicy },
  { key: 'drop', list: 'drop_sub_policy', of: leafPolicy },
  { key: 'not', list: 'not_sub_policy', of: leafPolicy },
  { key: 'composite', list: 'composite_sub_policy', of: andPolicy },
];

/**
 * A copy of `raw` (a policy read with `schema`) without the keys upstream keeps as policy
 * extension settings: every policy embeds `ExtensionCfg map[string]map[string]any` with
 * `mapstructure:",remain"`, so an unknown key holding a map is accepted and ignored by the
 * collector. Each one dropped is a warning (it is often a misspelt policy key); an unknown key
 * holding anything else stays, and the schema reports it, as the collector's decoder fails there.
 */
function withoutExtensionKeys(raw: unknown, schema: Shape, path: string, warnings: string[]): unknown {
  if (!isYamlMap(raw)) return raw;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(key in schema.shape) && isYamlMap(value)) {
      warnings.push(`${path}.${key}: ignored, as the collector ignores an unknown policy key holding a map (policy extension settings); check its spelling`);
      continue;
    }
    out[key] = value;
  }
  for (const sub of SUB_POLICIES) {
    if (!(sub.key in schema.shape) || !isYamlMap(out[sub.key])) continue;
    const holder = out[sub.key] as Record<string, unknown>;
    const list = holder[sub.list];
    const subPath = `${path}.${sub.key}.${sub.list}`;
    const cleaned = Array.isArray(list)
      ? list.map((p, i) => withoutExtensionKeys(p, sub.of, `${subPath}[${i}]`, warnings))
      : withoutExtensionKeys(list, sub.of, subPath, warnings);
    out[sub.key] = { ...holder, [sub.list]: cleaned };
  }
  return out;
}


/**
 * Raw YAML (null = empty body) → config over the defaults, or every problem found. Checks what
 * upstream's `Validate` and policy constructors reject, with the upstream wording.
 */
export function parseTailSamplingConfig(raw: unknown, basePath: string, context?: ParseContext): ParsedConfig {
  const compat = context?.compat ?? 'current';
  const parsed = rootSchema.safeParse(raw, { reportInput: true });
  const problems: ConfigProblem[] = parsed.success ? [] : issuesToProblems(parsed.error.issues, basePath);
  // With a bad top-level key the defaults stand in, so the policies are still checked.
  const r = (parsed.success ? parsed.data : undefined) ?? {};
  const rawPolicies = parsed.success ? (r.policies ?? []) : policiesOf(raw);
  const at = (p: string) => (basePath === '' ? p : `${basePath}.${p}`);
  const d = defaultTailSamplingConfig();
  const cfg: TailSamplingConfig = {
    decisionWaitMs: r.decision_wait ?? d.decisionWaitMs,
    numTraces: r.num_traces ?? d.numTraces,
    expectedNewTracesPerSec: r.expected_new_traces_per_sec ?? 0,
    decisionCache: {
      sampledCacheSize: r.decision_cache?.sampled_cache_size ?? 0,
      nonSampledCacheSize: r.decision_cache?.non_sampled_cache_size ?? 0,
    },
    sampleOnFirstMatch: r.sample_on_first_match ?? false,
    dropPendingTracesOnShutdown: r.drop_pending_traces_on_shutdown ?? false,
    decisionWaitAfterRootReceivedMs: r.decision_wait_after_root_received ?? 0,
    blockOnOverflow: r.block_on_overflow ?? false,
    maximumTraceSizeBytes: r.maximum_trace_size_bytes ?? 0,
    samplingStrategy: 'trace-complete',
    numShards: r.num_shards ?? 1,
    policies: [],
  };
  // Negative waits are accepted, as upstream's Validate does: decision_wait < 1 s means one batch
  // (max(1, trunc(seconds))), decision_wait_after_root_received ≤ 0 means off.
  if (cfg.numShards < 1) problems.push({ path: at('num_shards'), message: 'must be at least 1' });
  if (r.sampling_strategy !== undefined) {
    if (r.sampling_strategy === 'trace-complete' || r.sampling_strategy === 'span-ingest') cfg.samplingStrategy = r.sampling_strategy;
    else
      problems.push({
        path: at('sampling_strategy'),
        message: `invalid sampling_strategy ${JSON.stringify(r.sampling_strategy)}, expected one of "trace-complete" or "span-ingest"`,
      });
  }
  const names = new Set<string>();
  /** Config index of each entry of `cfg.policies` (policies with problems are left out). */
  const indexes: number[] = [];
  const warnings: string[] = [];
  rawPolicies.forEach((rawPolicy, i) => {
    const path = at(`policies[${i}]`);
    const policyParsed = topPolicy.safeParse(withoutExtensionKeys(rawPolicy, topPolicy, path, warnings), { reportInput: true });
    if (!policyParsed.success) {
      problems.push(...issuesToProblems(policyParsed.error.issues, path));
      return;
    }
    const p = policyParsed.data;
    const name = p.name ?? '';
    if (name === '') problems.push({ path: `${path}.name`, message: 'policy name cannot be empty' });
    else if (names.has(name)) problems.push({ path: `${path}.name`, message: `duplicate policy name ${JSON.stringify(name)}` });
    names.add(name);
    const policy = convertPolicy(p, path, 'top', compat, problems);
    if (policy) {
      cfg.policies.push(policy);
      indexes.push(i);
    }
  });
  if (cfg.samplingStrategy === 'span-ingest') {
    cfg.policies.forEach((p, i) => {
      if (isStateful(p))
        problems.push({
          path: at(`policies[${indexes[i]!}]`),
          message: `sampling_strategy "span-ingest" requires all policies to be stateless, but policy ${JSON.stringify(p.name)} is stateful`,
        });
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config: cfg, ...(warnings.length > 0 ? { warnings } : {}) };
}

/** The `policies` list of a body whose other keys did not validate, when it is a list. */
function policiesOf(raw: unknown): unknown[] {
  const policies = typeof raw === 'object' && raw !== null ? (raw as { policies?: unknown }).policies : undefined;
  return Array.isArray(policies) ? policies : [];
}

/**
 * Upstream `IsStateful()`: the token-bucket policies; `composite` only when a sub-policy is
 * (its per-second budgets do not count).
 */
function isStateful(p: PolicyConfig): boolean {
  switch (p.type) {
    case 'rate_limiting':
    case 'bytes_limiting':
      return true;
    case 'composite':
      return p.composite.subPolicies.some(isStateful);
    case 'and':
    case 'drop':
      return p.subPolicies.some(isStateful);
    case 'not':
      return isStateful(p.subPolicy);
    default:
      return false;
  }
}

type Level = 'top' | 'composite' | 'leaf';

function convertPolicy(p: RawPolicy | RawLeaf, path: string, level: Level, compat: CompatProfile, problems: ConfigProblem[]): PolicyConfig | undefined {
  const name = p.name ?? '';
  const bad = (message: string, sub = 'type') => {
    problems.push({ path: `${path}.${sub}`, message });
    return undefined;
  };
  const type = p.type;
  const allowed =
    (LEAF_POLICY_TYPES as readonly string[]).includes(type) ||
    (level === 'top' && ['and', 'not', 'drop', 'composite'].includes(type)) ||
    (level === 'composite' && type === 'and');
  if (!allowed) return bad(`unknown sampling policy type ${type}`);
  switch (type as PolicyType) {
    case 'always_sample':
      return { name, type: 'always_sample' };
    case 'trace_flags':
      return { name, type: 'trace_flags' };
    case 'latency':
      return { name, type: 'latency', latency: { thresholdMs: p.latency?.threshold_ms ?? 0, upperThresholdMs: p.latency?.upper_threshold_ms ?? 0 } };
    case 'numeric_attribute': {
      const n = p.numeric_attribute;
      // current: processor.go hands the filter a bound only when it is non-zero, and
      // NewNumericAttributeFilter builds no evaluator without one (the policy cannot run).
      // classic: the bounds are plain values, an omitted one is 0 ([0, 0] matches only 0).
      // min_value > max_value is accepted by both (an empty range: nothing matches).
      if (compat === 'current' && (n?.min_value ?? 0n) === 0n && (n?.max_value ?? 0n) === 0n)
        return bad('at least one of min_value or max_value must be set (the collector treats 0 as unset)', 'numeric_attribute');
      return {
        name,
        type: 'numeric_attribute',
        numericAttribute: { key: n?.key ?? '', minValue: n?.min_value, maxValue: n?.max_value, invertMatch: n?.invert_match ?? false },
      };
    }
    case 'probabilistic': {
      const pct = p.probabilistic?.sampling_percentage ?? 0;
      return { name, type: 'probabilistic', probabilistic: { hashSalt: p.probabilistic?.hash_salt ?? '', samplingPercentage: pct } };
    }
    case 'status_code': {
      const codes = p.status_code?.status_codes ?? [];
      if (codes.length === 0) return bad('expected at least one status code to filter on', 'status_code.status_codes');
      let ok = true;
      codes.forEach((c, j) => {
        if (c !== 'OK' && c !== 'ERROR' && c !== 'UNSET') {
          ok = false;
          problems.push({ path: `${path}.status_code.status_codes[${j}]`, message: `unknown status code ${JSON.stringify(c)}, supported: OK, ERROR, UNSET` });
        }
      });
      return ok ? { name, type: 'status_code', statusCode: { statusCodes: codes as ('OK' | 'ERROR' | 'UNSET')[] } } : undefined;
    }
    case 'string_attribute': {
      const s = p.string_attribute;
      const values = s?.values ?? [];
      const regex = s?.enabled_regex_matching ?? false;
      let ok = true;
      if (regex) {
        values.forEach((v, j) => {
          const problem = regexProblem(v);
          if (problem) {
            ok = false;
            problems.push({ path: `${path}.string_attribute.values[${j}]`, message: problem });
          }
        });
      }
      return ok
        ? {
            name,
            type: 'string_attribute',
            stringAttribute: { key: s?.key ?? '', values, enabledRegexMatching: regex, cacheMaxSize: s?.cache_max_size ?? 0, invertMatch: s?.invert_match ?? false },
          }
        : undefined;
    }
    case 'rate_limiting':
      return {
        name,
        type: 'rate_limiting',
        rateLimiting: { spansPerSecond: p.rate_limiting?.spans_per_second ?? 0, burstCapacity: p.rate_limiting?.burst_capacity ?? 0 },
      };
    case 'bytes_limiting':
      return {
        name,
        type: 'bytes_limiting',
        bytesLimiting: { bytesPerSecond: p.bytes_limiting?.bytes_per_second ?? 0, burstCapacity: p.bytes_limiting?.burst_capacity ?? 0 },
      };
    case 'span_count':
      return { name, type: 'span_count', spanCount: { minSpans: p.span_count?.min_spans ?? 0, maxSpans: p.span_count?.max_spans ?? 0 } };
    case 'trace_state':
      return { name, type: 'trace_state', traceState: { key: p.trace_state?.key ?? '', values: p.trace_state?.values ?? [] } };
    case 'boolean_attribute':
      return {
        name,
        type: 'boolean_attribute',
        booleanAttribute: { key: p.boolean_attribute?.key ?? '', value: p.boolean_attribute?.value ?? false, invertMatch: p.boolean_attribute?.invert_match ?? false },
      };
    case 'ottl_condition': {
      const o = p.ottl_condition;
      const span = o?.span ?? [];
      const spanevent = o?.spanevent ?? [];
      if (span.length === 0 && spanevent.length === 0) return bad('expected at least one OTTL condition to filter on', 'ottl_condition');
      const ottlCondition: OttlConditionConfig = { errorMode: o?.error_mode ?? 'propagate', span, spanevent };
      const conditions = parseOttlPolicyConditions(ottlCondition, path);
      if (!conditions.ok) {
        problems.push(...conditions.problems);
        return undefined;
      }
      return { name, type: 'ottl_condition', ottlCondition };
    }
    case 'and': {
      const subs = ('and' in p ? p.and?.and_sub_policy : undefined) ?? [];
      const subPolicies = subs.map((s, j) => convertPolicy(s, `${path}.and.and_sub_policy[${j}]`, 'leaf', compat, problems));
      return subPolicies.every(Boolean) ? { name, type: 'and', subPolicies: subPolicies as PolicyConfig[] } : undefined;
    }
    case 'drop': {
      const subs = ('drop' in p ? p.drop?.drop_sub_policy : undefined) ?? [];
      const subPolicies = subs.map((s, j) => convertPolicy(s, `${path}.drop.drop_sub_policy[${j}]`, 'leaf', compat, problems));
      return subPolicies.every(Boolean) ? { name, type: 'drop', subPolicies: subPolicies as PolicyConfig[] } : undefined;
    }
    case 'not': {
      const sub = 'not' in p ? p.not?.not_sub_policy : undefined;
      if (!sub) return bad('not_sub_policy is required', 'not');
      const subPolicy = convertPolicy(sub, `${path}.not.not_sub_policy`, 'leaf', compat, problems);
      return subPolicy ? { name, type: 'not', subPolicy } : undefined;
    }
    case 'composite': {
      const c = 'composite' in p ? p.composite : undefined;
      const subs = c?.composite_sub_policy ?? [];
      const subPolicies = subs.map((s, j) => convertPolicy(s, `${path}.composite.composite_sub_policy[${j}]`, 'composite', compat, problems));
      if (!subPolicies.every(Boolean)) return undefined;
      return {
        name,
        type: 'composite',
        composite: {
          maxTotalSpansPerSecond: c?.max_total_spans_per_second ?? 0,
          policyOrder: c?.policy_order ?? [],
          subPolicies: subPolicies as PolicyConfig[],
          rateAllocation: (c?.rate_allocation ?? []).map((a) => ({ policy: a.policy ?? '', percent: a.percent ?? 0 })),
        },
      };
    }
  }
}

/**
 * A pattern must be valid Go RE2 (translated to a JS RegExp by `policies/re2.ts`), so a config
 * that loads here loads in the collector and the other way round. Returns a problem message or undefined.
 */
function regexProblem(pattern: string): string | undefined {
  const t = translateRe2(pattern);
  if (!t.ok) return `error parsing regexp ${JSON.stringify(pattern)}: ${t.message}`;
  try {
    new RegExp(t.source, t.flags);
    return undefined;
  } catch (err) {
    return `error parsing regexp ${JSON.stringify(pattern)}: ${(err as Error).message}`;
  }
}

/** True when `test` holds for the policy or one nested in it. */
export function anyPolicy(p: PolicyConfig, test: (p: PolicyConfig) => boolean): boolean {
  if (test(p)) return true;
  switch (p.type) {
    case 'and':
    case 'drop':
      return p.subPolicies.some((s) => anyPolicy(s, test));
    case 'not':
      return anyPolicy(p.subPolicy, test);
    case 'composite':
      return p.composite.subPolicies.some((s) => anyPolicy(s, test));
    default:
      return false;
  }
}
