/**
 * `report.json`, schema version 1: the contract between a run and everything that reads its
 * result (renderers, gates, CI scripts, `tracesim report`). Keys follow DESIGN.md "The report".
 *
 * Conventions: counts are integers; rates and retentions are fractions in [0, 1] (null when the
 * denominator is zero); bytes are integers; times carry their unit in the key.
 */
import type { DropReason, SampledOutReason } from '../pipeline/accounting.js';

export const REPORT_SCHEMA_VERSION = 1;

export type ReportMode = 'sim' | 'live' | 'replay' | 'collector';

export interface SpanTotals {
  generated: number;
  exported: number;
  sampledOut: number;
  dropped: number;
  inFlight: number;
}

export interface TraceTotals {
  generated: number;
  exported: number;
  sampledOut: number;
  dropped: number;
}

export interface PolicyRetention {
  /** Traces for which the policy voted "sampled". */
  sampledTraces: number;
  /** Kept traces whose first sampling vote (config order) came from this policy; these sum to the traces kept. */
  attributedTraces: number;
  /** Kept traces that no other policy voted to sample. */
  exclusiveTraces: number;
}

export interface ClassRetention {
  error: number | null;
  slow: number | null;
  normal: number | null;
}

export interface Retention {
  traces: number | null;
  spans: number | null;
  bytes: number | null;
  /** Wilson score interval at 95 % for `traces`. */
  tracesCi95: [number, number] | null;
  byPolicy: Record<string, PolicyRetention>;
  byService: Record<string, { spans: number | null }>;
  byClass: ClassRetention;
}

export interface Refusals {
  /** Spans of refused attempts, by the refusing component (a memory limiter's id, or `collector`). */
  spansByComponent: Record<string, number>;
  /** SDK exports that were refused, retried and then accepted. */
  exportsRetriedOk: number;
  /** SDK exports given up after refusals (their spans are the `client_gave_up` drops). */
  exportsGaveUp: number;
}

export interface DropEntry {
  spans: number;
  traces: number;
  /** Component id that dropped them (`tail_sampling`, `otlp/tempo`, `sdk`, `generator`). */
  component: string;
}

export interface StorageReport {
  /** Mean exact OTLP protobuf bytes per exported span (resource and scope amortised). */
  bytesPerSpan: number;
  compressedBytesPerSpan: number;
  exportedBytesPerDay: number;
  diskBytesPerDay: number;
  steadyStateBytes: number;
  backend: string;
  retentionDays: number;
  replicationFactor: number;
  /** Every figure the projection used, with its source. */
  assumptions: Record<string, { value: number | string; source: string }>;
}

export interface Throughput {
  targetSpansPerSecond: number;
  achievedSpansPerSecond: number;
  scheduleLagMs: { p50: number; p99: number; max: number };
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  count: number;
}

export interface Advisory {
  /** Stable code, e.g. `num_traces_too_small`. */
  code: string;
  message: string;
}

export interface GateResult {
  expression: string;
  /** The value at the gate's path, in the report's unit; null when the run has no data for it. */
  actual: number | null;
  pass: boolean;
  /** The comparison and its bound converted to the report's unit (e.g. `500GB` → 5e11). */
  operator?: '<' | '<=' | '>' | '>=' | '==' | '!=';
  bound?: number;
  /** One line naming the path, its value and the bound (or why there is no value), for renderers. */
  message?: string;
}

/**
 * Per-interval series (issue "visual report"). `intervalMs` is 1 s of simulated or wall time,
 * coarser for long runs so the file stays small; every array has `t.length` entries; `t[i]` is
 * the interval's start in seconds from the run start.
 */
export interface TimeSeries {
  intervalMs: number;
  t: number[];
  spansReceived: number[];
  spansExported: number[];
  spansSampledOut: number[];
  spansDropped: number[];
  droppedByReason: Partial<Record<DropReason, number[]>>;
  /** Traces held by each tail_sampling instance, keyed by component id (with replica prefix when replicated). */
  tailTracesHeld: Record<string, number[]>;
  /** Bytes of span data held by the pipeline, sampled at each interval's end. */
  heldBytes: number[];
  exporterQueueSize: Record<string, number[]>;
  /** live mode only */
  targetSpansPerSecond?: number[];
  achievedSpansPerSecond?: number[];
  scheduleLagMsP99?: number[];
}

/** Limits drawn as lines on the charts. */
export interface ChartLimits {
  /** num_traces of each tail_sampling instance, by component id. */
  tailNumTraces: Record<string, number>;
  memoryLimitBytes?: number;
  memorySpikeLimitBytes?: number;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'tracesim'; version: string };
  mode: ReportMode;
  scenario: { name: string; seed: number; hash: string };
  /** Collector config used, for reproducibility. */
  collector: { path: string; hash: string };
  compat: 'current' | 'classic';
  window: { seconds: number };
  /** True when SIGINT stopped the run before its end. */
  interrupted: boolean;
  /** False when the generator could not hold the target rate (exit 4). */
  valid: boolean;
  invalidReasons: string[];
  spans: SpanTotals;
  traces: TraceTotals;
  retention: Retention;
  dropped: { total: number; byReason: Partial<Record<DropReason, DropEntry>> };
  /** Intended removals (not loss) by reason: `sampled_out`, `drop_policy`, `rate_limited_policy`, `filtered`. */
  sampledOut: { total: number; byReason: Partial<Record<SampledOutReason, { spans: number; component: string }>> };
  storage: StorageReport;
  throughput: Throughput;
  /**
   * Histograms by name, ms. Live: `exportLatency`, `scheduleLag` (wall clock). Sim and replay:
   * `spanToCollector`, `spanToExport` (virtual time from a span's end; src/engine/README.md).
   */
  latency: Record<string, LatencySummary>;
  advisories: Advisory[];
  notSimulated: { component: string; reason: string }[];
  gates: GateResult[];
  ledger: { balanced: boolean; residual: number };
  /**
   * Retryable refusals the SDK clients met (events, not losses — reference §6(d) 6) and how their
   * exports ended; present when any attempt was refused. Sim and replay name the refusing
   * component; live runs only know the receiving end (`collector`, or `target` with --target).
   */
  refusals?: Refusals;
  /** Per collector replica when the scenario runs several behind trace-id routing. */
  replicas?: { id: string; spansReceived: number; tracesReceived: number; peakTracesHeld: number; peakHeldBytes: number }[];
  /** Internal telemetry under the collector's metric names (counters summed per label set). */
  telemetry?: { name: string; labels: Record<string, string>; value: number }[];
  timeseries?: TimeSeries;
  limits?: ChartLimits;
  /** Source texts, for the collapsible section of the HTML report. */
  inputs?: { scenarioYaml?: string; collectorYaml?: string };
}

/**
 * `compare` and `sweep` write one of these: the same traffic through several configs (or one
 * config with one key varied), each with its full report.
 */
export interface ComparisonReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  kind: 'compare' | 'sweep';
  /** For a sweep: the varied path; for compare: undefined. */
  variedPath?: string;
  /** Label of each entry: the config file (compare) or the swept value (sweep). */
  labels: string[];
  runs: Report[];
  /** Index into `runs` of the best entry (meets every gate; fewest dropped spans; then lowest disk bytes/day), or null. */
  bestIndex: number | null;
  /** Present when the series was interrupted: the labels of the entries that never ran. */
  notRun?: string[];
}
