/**
 * Assembles `report.json` (schema v1, every DESIGN.md key) from what a run measured, and decides
 * the exit code a report implies. Pure: no I/O, no clock.
 */
import type { LedgerResult } from '../ledger/ledger.js';
import { TRACE_CLASSES } from '../ledger/ledger.js';
import type { DropReason, SampledOutReason } from '../pipeline/accounting.js';
import { TOOL_VERSION } from '../shared/version.js';
import { adviseAll, hasNonProbabilisticRetention, type AdvisoryInput, type RateGateSample } from './advisories.js';
import { evaluateGates, parseGates, type Gate } from './gates.js';
import {
  REPORT_SCHEMA_VERSION,
  type Advisory,
  type ChartLimits,
  type ClassRetention,
  type DropEntry,
  type LatencySummary,
  type PolicyRetention,
  type Report,
  type ReportMode,
  type TimeSeries,
} from './model.js';
import { ratio, wilsonInterval } from './stats.js';
import { estimateStorage, productionRateScale, type StorageOverrides } from './storage.js';

/** The parts of an hdr-histogram-js `Histogram` the report reads (values in ms, or see `divideBy`). */
export interface HistogramLike {
  getValueAtPercentile(percentile: number): number;
  readonly maxValue: number;
  readonly totalCount: number;
}

/** A latency as already summarised, or a histogram to summarise (`divideBy` converts its unit to ms, e.g. 1000 for µs). */
export type LatencySource = LatencySummary | HistogramLike | { histogram: HistogramLike; divideBy: number };

export interface ReportInput {
  mode: ReportMode;
  scenario: { name: string; seed: number; hash: string };
  collector: { path: string; hash: string };
  compat: 'current' | 'classic';
  /** Simulated (sim/replay) or wall (live) seconds the run covered. */
  windowSeconds: number;
  /** SIGINT stopped the run. */
  interrupted: boolean;
  /** Why the run does not describe the scenario (live: throughput < 99 % of target, lag too high); empty = valid. */
  invalidReasons: string[];
  ledger: LedgerResult;
  /** tail_sampling per-policy stats, by policy name (prefix with the component id when several instances). */
  byPolicy?: Record<string, PolicyRetention>;
  storage: {
    /** Compressed bytes of the exported spans from the storage meter (0 = not measured). */
    compressedBytes: number;
    /** Defaults to generated spans / window. */
    simulatedSpansPerSecond?: number;
    productionSpansPerSecond?: number;
    overrides?: StorageOverrides;
  };
  throughput: {
    targetSpansPerSecond: number;
    /** Defaults to generated spans / window. */
    achievedSpansPerSecond?: number;
    /** Lag of actual behind scheduled send time; zeros when absent (sim mode has none). */
    scheduleLagMs?: LatencySource;
  };
  latency?: Record<string, LatencySource>;
  /** Config and run facts for the sizing advisor; `rateGates` are derived here from the gates. */
  advisor?: Omit<AdvisoryInput, 'rateGates'>;
  /** Advisories found elsewhere (e.g. config loading), listed after the advisor's. */
  extraAdvisories?: Advisory[];
  notSimulated?: { component: string; reason: string }[];
  /** Gate expressions (scenario `gates:` then `--gate`), or already-parsed gates. Bad text throws InputError. */
  gates?: readonly (string | Gate)[];
  replicas?: Report['replicas'];
  refusals?: Report['refusals'];
  telemetry?: Report['telemetry'];
  timeseries?: TimeSeries;
  limits?: ChartLimits;
  inputs?: Report['inputs'];
}

export function buildReport(input: ReportInput): Report {
  const L = input.ledger;
  const window = input.windowSeconds;
  const generatedRate = window > 0 ? L.spans.generated / window : 0;

  const byService: Report['retention']['byService'] = {};
  for (const name of Object.keys(L.byService).sort()) {
    const s = L.byService[name]!;
    byService[name] = { spans: ratio(s.exported, s.generated) };
  }
  const byClass = {} as ClassRetention;
  for (const c of TRACE_CLASSES) byClass[c] = ratio(L.byClass[c].exported, L.byClass[c].generated);

  const byReason: Partial<Record<DropReason, DropEntry>> = {};
  for (const [reason, e] of Object.entries(L.droppedByReason) as [DropReason, NonNullable<LedgerResult['droppedByReason'][DropReason]>][]) {
    byReason[reason] = { spans: e.spans, traces: e.traces, component: componentList(e.components) };
  }

  const storage = estimateStorage({
    exportedSpans: L.spans.exported,
    exportedBytes: L.bytes.exported,
    compressedBytes: input.storage.compressedBytes,
    windowSeconds: window,
    simulatedSpansPerSecond: input.storage.simulatedSpansPerSecond ?? generatedRate,
    ...(input.storage.productionSpansPerSecond === undefined ? {} : { productionSpansPerSecond: input.storage.productionSpansPerSecond }),
    ...(input.storage.overrides === undefined ? {} : { overrides: input.storage.overrides }),
  });

  const lag = input.throughput.scheduleLagMs === undefined ? null : summarizeLatency(input.throughput.scheduleLagMs);
  const latency: Record<string, LatencySummary> = {};
  for (const [name, src] of Object.entries(input.latency ?? {})) latency[name] = summarizeLatency(src);

  const balanced = L.balance.residual === 0 && (input.interrupted || L.spans.inFlight === 0);

  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'tracesim', version: TOOL_VERSION },
    mode: input.mode,
    scenario: { ...input.scenario },
    collector: { ...input.collector },
    compat: input.compat,
    window: { seconds: window },
    interrupted: input.interrupted,
    valid: input.invalidReasons.length === 0,
    invalidReasons: [...input.invalidReasons],
    spans: { ...L.spans },
    traces: { generated: L.traces.generated, exported: L.traces.exported, sampledOut: L.traces.sampledOut, dropped: L.traces.dropped },
    retention: {
      traces: ratio(L.traces.exported, L.traces.generated),
      spans: ratio(L.spans.exported, L.spans.generated),
      // per-trace weighting when the generator gave trace sizes (reference §6(b)), else wire bytes out ÷ in
      bytes: ratio(L.bytes.retained ?? L.bytes.exported, L.bytes.generated),
      // a token bucket's retention has no inclusion probability: no interval (reference §6(c))
      tracesCi95: hasNonProbabilisticRetention(input.advisor?.tokenBucketPolicies) ? null : wilsonInterval(L.traces.exported, L.traces.generated),
      byPolicy: { ...(input.byPolicy ?? {}) },
      byService,
      byClass,
    },
    dropped: { total: L.spans.dropped, byReason },
    sampledOut: { total: L.spans.sampledOut, byReason: sampledOutByReason(L) },
    storage,
    throughput: {
      targetSpansPerSecond: input.throughput.targetSpansPerSecond,
      achievedSpansPerSecond: input.throughput.achievedSpansPerSecond ?? generatedRate,
      scheduleLagMs: lag ? { p50: lag.p50, p99: lag.p99, max: lag.max } : { p50: 0, p99: 0, max: 0 },
    },
    latency,
    advisories: [],
    notSimulated: [...(input.notSimulated ?? [])],
    gates: [],
    ledger: { balanced, residual: L.balance.residual },
  };
  if (input.replicas) report.replicas = input.replicas;
  if (input.refusals) report.refusals = input.refusals;
  if (input.telemetry) report.telemetry = input.telemetry;
  if (input.timeseries) report.timeseries = input.timeseries;
  if (input.limits) report.limits = input.limits;
  if (input.inputs) report.inputs = input.inputs;

  const gateTexts = input.gates ?? [];
  const parsed = parseGates(gateTexts.filter((g): g is string => typeof g === 'string'));
  let i = 0;
  const gates = gateTexts.map((g) => (typeof g === 'string' ? parsed[i++]! : g));
  report.gates = evaluateGates(report, gates);

  const advisor: AdvisoryInput = {
    pipelines: [],
    tailSampling: [],
    samplingStages: [],
    ...(input.advisor ?? {}),
    rateGates: rateGateSamples(gates, L),
    storageRateScale: productionRateScale(input.storage.simulatedSpansPerSecond ?? generatedRate, input.storage.productionSpansPerSecond),
    traffic: { generatedTraces: L.traces.generated, durationMs: window * 1000, interrupted: input.interrupted },
  };
  report.advisories = [...adviseAll(advisor), ...(input.extraAdvisories ?? [])];
  return report;
}

/** The ledger's intended removals by reason, each with its components (most spans first). */
function sampledOutByReason(L: LedgerResult): Report['sampledOut']['byReason'] {
  const out: Report['sampledOut']['byReason'] = {};
  for (const [reason, e] of Object.entries(L.sampledOutByReason) as [SampledOutReason, NonNullable<LedgerResult['sampledOutByReason'][SampledOutReason]>][]) {
    out[reason] = { spans: e.spans, component: componentList(e.components) };
  }
  return out;
}

/** Component ids by span count, largest first, comma-separated. */
function componentList(components: Record<string, number>): string {
  return Object.entries(components)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([c]) => c)
    .join(', ');
}

/** Gates on a trace proportion whose counts the ledger has: `retention.traces`, `retention.byClass.<c>`. */
function rateGateSamples(gates: readonly Gate[], L: LedgerResult): RateGateSample[] {
  const out: RateGateSample[] = [];
  for (const g of gates) {
    const path = g.path.join('.');
    if (path === 'retention.traces') out.push({ expression: g.expression, bound: g.bound, successes: L.traces.exported, trials: L.traces.generated });
    else if (g.path[0] === 'retention' && g.path[1] === 'byClass' && g.path.length === 3) {
      const c = L.byClass[g.path[2] as keyof LedgerResult['byClass']];
      if (c) out.push({ expression: g.expression, bound: g.bound, successes: c.exported, trials: c.generated, population: `${g.path[2]} traces` });
    }
  }
  return out.filter((s) => s.trials > 0);
}

export function summarizeLatency(src: LatencySource): LatencySummary {
  if ('p50' in src) return { p50: src.p50, p90: src.p90, p99: src.p99, max: src.max, count: src.count };
  const h = 'histogram' in src ? src.histogram : src;
  const div = 'histogram' in src ? src.divideBy : 1;
  if (h.totalCount === 0) return { p50: 0, p90: 0, p99: 0, max: 0, count: 0 };
  // a percentile is its bucket's highest equivalent value, which can exceed the exact maximum
  const at = (percentile: number): number => Math.min(h.getValueAtPercentile(percentile), h.maxValue) / div;
  return { p50: at(50), p90: at(90), p99: at(99), max: h.maxValue / div, count: h.totalCount };
}

/** Exit codes a report implies (values as src/cli/exit-codes.ts). */
export const REPORT_EXIT = { OK: 0, RUN_FAILED: 1, GATE_FAILED: 3, RUN_INVALID: 4 } as const;

/**
 * The exit code of a finished run, decided in one place. Precedence, first match wins:
 *   1. interrupted (SIGINT)            → 1  (the issue: a stopped run exits 1; its gates are shown, not applied)
 *   2. ledger not balanced             → 1  (a simulator bug: the run failed, its numbers cannot be trusted)
 *   3. invalid (could not hold rate)   → 4  (the numbers do not describe the scenario, so gates are moot)
 *   4. any gate failed                 → 3
 *   5. otherwise                       → 0
 */
export function reportExitCode(report: Pick<Report, 'interrupted' | 'valid' | 'gates' | 'ledger'>): 0 | 1 | 3 | 4 {
  if (report.interrupted || !report.ledger.balanced) return REPORT_EXIT.RUN_FAILED;
  if (!report.valid) return REPORT_EXIT.RUN_INVALID;
  if (report.gates.some((g) => !g.pass)) return REPORT_EXIT.GATE_FAILED;
  return REPORT_EXIT.OK;
}
