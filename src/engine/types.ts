/**
 * Shapes the engine hands to its callers: progress events while a run goes on, and the outcome
 * the report is built from.
 */
import type { LedgerResult } from '../ledger/ledger.js';
import type { ChartLimits, TimeSeries } from '../report/model.js';
import type { MetricPoint } from '../pipeline/telemetry.js';
import type { TailSamplingSnapshot } from '../components/processors/tail-sampling/stats.js';
import type { NotSimulated } from '../pipeline/config-loader.js';
import type { LatencyMs } from './hdr.js';

/** Emitted a few times a second while a run goes on (and once at its end). */
export interface ProgressEvent {
  mode: 'sim' | 'live' | 'replay';
  phase: 'running' | 'draining' | 'done';
  /** Simulated (sim, replay) or wall (live) time since the run start, ms. */
  elapsedMs: number;
  /** Planned run length (same clock), ms; 0 when unknown (replay). */
  plannedMs: number;
  /** Wall time since the run started, ms. */
  wallMs: number;
  spansGenerated: number;
  /** Spans generated per second of `elapsedMs` (sim: per simulated second). */
  spansPerSecond: number;
  /** Spans generated per wall-clock second (the simulator's speed). */
  wallSpansPerSecond: number;
  spansExported: number;
  spansDropped: number;
}

export type ProgressListener = (event: ProgressEvent) => void;

/** Per-replica load, for the report's `replicas` section. */
export interface ReplicaOutcome {
  id: string;
  spansReceived: number;
  tracesReceived: number;
  peakTracesHeld: number;
  peakHeldBytes: number;
}

/** Live-mode measurements (absent in sim and replay). */
export interface LiveOutcome {
  targetSpansPerSecond: number;
  achievedSpansPerSecond: number;
  scheduleLagMs: { p50: number; p90: number; p99: number; max: number; count: number };
  exportLatencyMs: { p50: number; p90: number; p99: number; max: number; count: number };
  /** Requests (`refused` counts refused attempts; `missed` counts spans whose slot was missed). */
  requests: { sent: number; accepted: number; refused: number; retried: number; gaveUp: number; permanent: number; partialRejectedSpans: number; missed: number };
  /** Why the run does not describe the scenario (empty when valid). */
  invalidReasons: string[];
  endpoint: string;
  protocol: string;
}

/**
 * Sim and replay: how long after its end a span got somewhere, in virtual ms (report `latency`;
 * measured by `BytesTap`). Percentiles are HDR bucket values (3 significant digits), at most `max`.
 */
export interface SpanLatencyMs {
  /** Span end → first delivery of its SDK export request to the collector; one value per span the SDKs exported. */
  spanToCollector: LatencyMs;
  /** Span end → an exporter accounting it exported; one value per exported span (`ledger.spans.exported`). */
  spanToExport: LatencyMs;
}

/** Everything one engine run measured; `buildRunReport` turns it into `report.json`. */
export interface EngineOutcome {
  mode: 'sim' | 'live' | 'replay';
  /** Simulated (or wall, live) seconds of traffic the window covers. */
  windowSeconds: number;
  interrupted: boolean;
  ledger: LedgerResult;
  /** Raw and gzip bytes of a deterministic sample of exported requests: the measured compression ratio. */
  compression: { raw: number; gzip: number };
  /** Final snapshot of every tail_sampling instance, keyed by (prefixed) component id. */
  tailSampling: Record<string, TailSamplingSnapshot>;
  telemetry: MetricPoint[];
  notSimulated: NotSimulated[];
  timeseries: TimeSeries;
  limits: ChartLimits;
  replicas?: ReplicaOutcome[];
  live?: LiveOutcome;
  /** Sim and replay: span delays in virtual ms (absent in live runs, whose latencies are in `live`). */
  spanLatencyMs?: SpanLatencyMs;
  warnings: string[];
  /** Wall-clock duration of the run, ms. */
  wallMs: number;
  /**
   * The SDK clients: exports, retries, give-ups, refused span deliveries by refusing component
   * (sim; live: {}), and spans the SDK queues dropped while a refused export was being retried.
   */
  client: {
    exports: number;
    retries: number;
    retriedOk: number;
    gaveUp: number;
    refusedPermanent: number;
    refusedSpansBy: Record<string, number>;
    sdkDroppedWhileHeld: number;
  };
}
