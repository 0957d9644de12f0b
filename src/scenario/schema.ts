/**
 * The scenario file's schema (zod). Keys are snake_case exactly as users write them; every unit is
 * normalised at the edge: durations → milliseconds, rates → per second, repeat ranges → {min, max}.
 * Defaults are filled here, so `Scenario` (the schema's output) is complete. Cross-references
 * (routes and calls naming services/operations, cycles) are checked by `validate.ts`.
 * Pure; worker-safe (the generator imports only the types).
 */
import { z } from 'zod';
import { durationMs, ratePerSecond } from '../shared/schema.js';
import { STORAGE_BACKENDS } from '../shared/storage-backends.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/**
 * A union decided by the value's shape (its type or its one distinguishing key), so problems are
 * reported against the form the user meant instead of zod's "best" union branch.
 */
function byShape<T>(select: (v: unknown) => z.ZodType<T, unknown>) {
  return z.unknown().transform((v, ctx): T => {
    const r = select(v).safeParse(v);
    if (r.success) return r.data;
    for (const issue of r.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) ctx.addIssue({ code: 'custom', message: 'unknown key', path: [...issue.path, k] });
      } else {
        ctx.addIssue({ code: 'custom', message: issue.message, path: [...issue.path] });
      }
    }
    return z.NEVER;
  });
}

function hasKey(v: unknown, key: string): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && key in v;
}
export type ScalarValue = z.output<typeof scalar>;

const probability = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');

/** Percentile keys accepted in a percentile latency, with the quantile each stands for. */
export const PERCENTILE_KEYS = [
  ['min', 0],
  ['p10', 0.1],
  ['p25', 0.25],
  ['p50', 0.5],
  ['p75', 0.75],
  ['p90', 0.9],
  ['p95', 0.95],
  ['p99', 0.99],
  ['p999', 0.999],
  ['max', 1],
] as const;

const percentileShape = Object.fromEntries(PERCENTILE_KEYS.map(([k]) => [k, durationMs({ min: 0 }).optional()])) as Record<
  (typeof PERCENTILE_KEYS)[number][0],
  z.ZodOptional<ReturnType<typeof durationMs>>
>;

const percentiles = z.strictObject(percentileShape).superRefine((v, ctx) => {
  const present = PERCENTILE_KEYS.filter(([k]) => k !== 'min' && k !== 'max' && v[k] !== undefined);
  if (present.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'give at least one percentile (p50, p95, p99, …)' });
    return;
  }
  let prev: { key: string; ms: number } | undefined;
  for (const [k] of PERCENTILE_KEYS) {
    const ms = v[k];
    if (ms === undefined) continue;
    if (prev !== undefined && ms < prev.ms) ctx.addIssue({ code: 'custom', path: [k], message: `must be ≥ ${prev.key}` });
    prev = { key: k, ms };
  }
});

/**
 * A duration distribution (every duration ≥ 0): a bare duration (constant), `{constant}`, `{lognormal: {median, sigma}}`,
 * `{exponential: {mean, min?}}`, or percentiles `{p50, p95, p99, max, …}` (the quantile function is
 * interpolated linearly between the given points; see `generator/distributions.ts`).
 */
const constantDistribution = durationMs({ min: 0 }).transform((ms) => ({ type: 'constant' as const, ms }));
const constantObjDistribution = z.strictObject({ constant: durationMs({ min: 0 }) }).transform((v) => ({ type: 'constant' as const, ms: v.constant }));
const lognormalDistribution = z
  .strictObject({ lognormal: z.strictObject({ median: durationMs({ min: 0 }), sigma: z.number().positive() }) })
  .transform((v) => ({ type: 'lognormal' as const, medianMs: v.lognormal.median, sigma: v.lognormal.sigma }));
const exponentialDistribution = z
  .strictObject({ exponential: z.strictObject({ mean: durationMs({ min: 0 }), min: durationMs({ min: 0 }).default(0) }) })
  .transform((v) => ({ type: 'exponential' as const, meanMs: v.exponential.mean, minMs: v.exponential.min }));
const percentileDistribution = percentiles.transform((v) => {
  const points: { q: number; ms: number }[] = [];
  for (const [k, q] of PERCENTILE_KEYS) {
    const ms = v[k];
    if (ms !== undefined) points.push({ q, ms });
  }
  return { type: 'percentiles' as const, points };
});
type DistributionOut =
  | z.output<typeof constantDistribution>
  | z.output<typeof lognormalDistribution>
  | z.output<typeof exponentialDistribution>
  | z.output<typeof percentileDistribution>;

export const distributionSchema = byShape<DistributionOut>((v) =>
  typeof v === 'string' || typeof v === 'number'
    ? constantDistribution
    : hasKey(v, 'constant')
      ? constantObjDistribution
      : hasKey(v, 'lognormal')
        ? lognormalDistribution
        : hasKey(v, 'exponential')
          ? exponentialDistribution
          : percentileDistribution,
);
export type Distribution = z.output<typeof distributionSchema>;

const weightedValue = z.strictObject({ value: scalar, weight: z.number().positive() });

const attributeForms = {
  one_of: z.strictObject({ one_of: z.array(z.union([scalar, weightedValue])).min(1) }).transform((v) => ({
    type: 'one_of' as const,
    values: v.one_of.map((x) => (typeof x === 'object' ? x : { value: x, weight: 1 })),
  })),
  int: z
    .strictObject({ int: z.tuple([z.number().int().safe(), z.number().int().safe()]) })
    .refine((v) => v.int[0] <= v.int[1], { message: 'int range must be [min, max] with min ≤ max', path: ['int'] })
    .transform((v) => ({ type: 'int' as const, min: v.int[0], max: v.int[1] })),
  float: z
    .strictObject({ float: z.tuple([z.number(), z.number()]) })
    .refine((v) => v.float[0] <= v.float[1], { message: 'float range must be [min, max] with min ≤ max', path: ['float'] })
    .transform((v) => ({ type: 'float' as const, min: v.float[0], max: v.float[1] })),
  id: z
    .strictObject({ id: z.string().includes('{n}', { message: 'must contain {n}' }), cardinality: z.number().int().positive() })
    .transform((v) => ({ type: 'id' as const, format: v.id, cardinality: v.cardinality })),
  random_string: z
    .strictObject({ random_string: z.number().int().positive().max(4096) })
    .transform((v) => ({ type: 'random_string' as const, length: v.random_string })),
  unique_id: z.strictObject({ unique_id: z.string() }).transform((v) => ({ type: 'unique_id' as const, prefix: v.unique_id })),
};
const constantAttribute = scalar.transform((value) => ({ type: 'constant' as const, value }));
const unknownAttributeForm = z.custom<never>(() => false, {
  message: `expected a string, number or boolean, or one of {${Object.keys(attributeForms).join('|')}: …}`,
});
type AttributeFormOut = { [K in keyof typeof attributeForms]: z.output<(typeof attributeForms)[K]> }[keyof typeof attributeForms];

/** Attribute value generators; see scenarios/README.md for each form. */
export const attributeGeneratorSchema = byShape<AttributeFormOut | z.output<typeof constantAttribute>>((v) => {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return constantAttribute;
  for (const [key, schema] of Object.entries(attributeForms)) if (hasKey(v, key)) return schema as z.ZodType<AttributeFormOut, unknown>;
  return unknownAttributeForm;
});
export type AttributeGenerator = z.output<typeof attributeGeneratorSchema>;

const attributes = z.record(z.string().min(1), attributeGeneratorSchema).default({});

const eventSchema = z.strictObject({
  name: z.string().min(1),
  /** Probability the event is recorded on a span (after `when` applies). */
  probability: probability.default(1),
  /** `always`, or only on spans whose status is ERROR (an `exception` event, typically). */
  when: z.enum(['always', 'error']).default('always'),
  /** Position inside the span as a fraction of its duration. */
  at: z.number().min(0).max(1).default(0.5),
  attributes,
});

const linkSchema = z.strictObject({
  probability: probability.default(1),
  attributes,
});

const repeatInt = z.number().int().min(0).transform((n) => ({ min: n, max: n }));
const repeatTuple = z.tuple([z.number().int().min(0), z.number().int().min(0)]).transform(([min, max]) => ({ min, max }));
const repeatObj = z.strictObject({ min: z.number().int().min(0), max: z.number().int().min(0) });
const repeatSchema = byShape<{ min: number; max: number }>((v) => (typeof v === 'number' ? repeatInt : Array.isArray(v) ? repeatTuple : repeatObj))
  .refine((r) => r.min <= r.max, { message: 'repeat must have min ≤ max' })
  .refine((r) => r.max <= 1000, { message: 'repeat max must be ≤ 1000' });

const callSchema = z
  .strictObject({
    service: z.string().min(1),
    operation: z.string().min(1),
    /** `parallel` starts together with the preceding call; `sequential` after it ends. */
    mode: z.enum(['sequential', 'parallel']).default('sequential'),
    probability: probability.default(1),
    repeat: repeatSchema.default({ min: 1, max: 1 }),
    /** A message consumer: starts `delay` after the calling (producer) span ends; no parent-window rule. */
    async: z.boolean().default(false),
    delay: distributionSchema.optional(),
    /** Probability that an ERROR in this call makes the caller's span ERROR too (synchronous calls). */
    error_propagation: probability.default(1),
  })
  .superRefine((c, ctx) => {
    if (c.delay !== undefined && !c.async) ctx.addIssue({ code: 'custom', path: ['delay'], message: 'only allowed with async: true' });
  })
  .transform((c) => ({ ...c, delay: c.delay ?? { type: 'constant' as const, ms: 0 } }));
export type Call = z.output<typeof callSchema>;

const scopeSchema = z.strictObject({ name: z.string(), version: z.string().default('') });

const operationSchema = z.strictObject({
  kind: z.enum(['internal', 'server', 'client', 'producer', 'consumer']).default('internal'),
  /** Span name; defaults to the operation's key. */
  span_name: z.string().min(1).optional(),
  /** Time spent in the operation itself; the span lasts this plus its synchronous calls. */
  latency: distributionSchema,
  error_rate: probability.default(0),
  status_message: z.string().default(''),
  attributes,
  /** Attributes that replace or add to `attributes` on spans whose status is ERROR. */
  error_attributes: attributes,
  events: z.array(eventSchema).default([]),
  links: z.array(linkSchema).default([]),
  calls: z.array(callSchema).default([]),
  scope: scopeSchema.optional(),
});
export type Operation = z.output<typeof operationSchema>;

const sdkSchema = z
  .strictObject({
    scheduled_delay: durationMs({ min: 0 }).default(5000),
    max_export_batch_size: z.number().int().positive().default(512),
    max_queue_size: z.number().int().positive().default(2048),
    export_timeout: durationMs({ min: 0 }).default(30_000),
    /** Assumed round-trip of one export in sim mode (the exporter is busy meanwhile). */
    export_duration: durationMs({ min: 0 }).default(5),
  })
  .superRefine((s, ctx) => {
    if (s.max_export_batch_size > s.max_queue_size)
      ctx.addIssue({ code: 'custom', path: ['max_export_batch_size'], message: 'must be ≤ max_queue_size' });
  });
export type SdkConfig = z.output<typeof sdkSchema>;

const serviceSchema = z.strictObject({
  name: z.string().min(1),
  version: z.string().default('1.0.0'),
  /** Extra resource attributes; string values may contain `{instance}` (0-based instance number). */
  resource: z.record(z.string().min(1), scalar).default({}),
  instances: z.number().int().min(1).max(10_000).default(1),
  sdk: sdkSchema.default(() => sdkSchema.parse({})),
  /** The instrumentation scope of the service's spans unless an operation names its own. */
  scope: scopeSchema.optional(),
  operations: z.record(z.string().min(1), operationSchema).refine((o) => Object.keys(o).length > 0, { message: 'give at least one operation' }),
});
export type Service = z.output<typeof serviceSchema>;

const routeSchema = z.strictObject({
  name: z.string().min(1).optional(),
  service: z.string().min(1),
  operation: z.string().min(1),
  weight: z.number().positive().default(1),
});

const stageSchema = z.strictObject({ duration: durationMs({ min: 0 }), target: ratePerSecond() });

const trafficSchema = z
  .strictObject({
    /** Traces per second at the start (and throughout when there are no stages). */
    rate: ratePerSecond(),
    /** Run length; defaults to the sum of the stage durations, or 60s. */
    duration: durationMs({ min: 1 }).optional(),
    /** k6 ramping-arrival-rate stages: linear from the previous target to `target` over `duration`. */
    stages: z.array(stageSchema).default([]),
    arrival: z.enum(['poisson', 'uniform']).default('poisson'),
    /** The real system's rate, for storage projections (defaults to the simulated rate). */
    production_rate: ratePerSecond().optional(),
  })
  .superRefine((t, ctx) => {
    // a run at 0/s throughout generates nothing, and every gate would fail with "no data"
    if (t.rate === 0 && t.stages.every((s) => s.target === 0)) {
      ctx.addIssue({ code: 'custom', path: ['rate'], message: 'a rate of 0 (and no stage above 0) generates no traffic: give a rate above 0' });
    }
    if (t.production_rate === 0) ctx.addIssue({ code: 'custom', path: ['production_rate'], message: 'must be above 0 (storage is projected at this rate)' });
  })
  .transform((t) => {
    const stagesMs = t.stages.reduce((a, s) => a + s.duration, 0);
    return { ...t, duration: t.duration ?? (stagesMs > 0 ? stagesMs : 60_000) };
  });
export type Traffic = z.output<typeof trafficSchema>;

const incidentSchema = z
  .strictObject({
    name: z.string().optional(),
    service: z.string().min(1),
    operation: z.string().min(1).optional(),
    /** Window in time since the run start, by trace arrival time. */
    start: durationMs({ min: 0 }),
    end: durationMs({ min: 0 }),
    error_rate: probability.optional(),
    latency_multiplier: z.number().positive().optional(),
    status_message: z.string().optional(),
  })
  .superRefine((inc, ctx) => {
    if (inc.end <= inc.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' });
    if (inc.error_rate === undefined && inc.latency_multiplier === undefined)
      ctx.addIssue({ code: 'custom', message: 'give error_rate or latency_multiplier' });
  });
export type Incident = z.output<typeof incidentSchema>;

const downstreamOutageSchema = z
  .strictObject({
    name: z.string().optional(),
    /** Window in time since the run start (virtual). */
    start: durationMs({ min: 0 }),
    end: durationMs({ min: 0 }),
    /** Exporter ids (`otlp/tempo`) whose backend is down; default every network exporter. */
    exporters: z.array(z.string().min(1)).min(1).optional(),
  })
  .superRefine((o, ctx) => {
    if (o.end <= o.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' });
  });

/** The backends behind the collector's network exporters (otlp, otlphttp), in sim runs. */
const downstreamSchema = z.strictObject({
  /** Round trip of one export request. */
  latency: durationMs({ min: 0 }).default(0),
  /** Windows in which the backend refuses every request (gRPC UNAVAILABLE / HTTP 503: retryable). */
  outages: z.array(downstreamOutageSchema).default([]),
});
export type Downstream = z.output<typeof downstreamSchema>;

const storageSchema = z.strictObject({
  backend: z.enum(STORAGE_BACKENDS).optional(),
  bytes_per_span: z.number().positive().optional(),
  /** A ratio (`6.7`, given as a number or text), `measured`, `none`, or a codec name; kept as text. */
  compression: z
    .union([z.string().min(1), z.number()])
    .transform((v, ctx) => {
      if (typeof v === 'string') return v;
      if (v > 0) return String(v);
      ctx.addIssue({ code: 'custom', message: 'must be > 0 (a compression ratio such as 6.7), or measured, none or a codec name' });
      return z.NEVER;
    })
    .optional(),
  replication_factor: z.number().int().min(1).optional(),
  retention_days: z.number().positive().optional(),
  /** o: index/amplification multiplier on the bytes written (≥ 1). */
  index_overhead: z.number().min(1).optional(),
  /** h: compaction / temporary-space headroom as a fraction of the retained bytes. */
  headroom: z.number().min(0).optional(),
});

export const scenarioSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  seed: z.number().int().default(1),
  /** Traces at least this long (max span end − min span start) are `slow` unless `error`. */
  slow_threshold: durationMs({ min: 0 }).default(1000),
  /** Path of the collector config, relative to the scenario file. */
  collector: z.string().min(1).optional(),
  compat: z.enum(['current', 'classic']).default('current'),
  gates: z.array(z.string().min(1)).default([]),
  storage: storageSchema.optional(),
  /** Each replica is a whole simulated collector (its own pipeline, buffers and telemetry). */
  collector_replicas: z.number().int().min(1).max(256, 'at most 256: each replica is a whole simulated collector').default(1),
  traffic: trafficSchema,
  routes: z.array(routeSchema).min(1),
  services: z.array(serviceSchema).min(1),
  incidents: z.array(incidentSchema).default([]),
  downstream: downstreamSchema.optional(),
});

/** A validated scenario with every default filled and every unit normalised (see schema.ts). */
export type Scenario = z.output<typeof scenarioSchema> & { name: string };
