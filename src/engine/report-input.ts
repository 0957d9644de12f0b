/**
 * From what a run measured (`EngineOutcome`) and what it read (`RunInputs`) to E1's `ReportInput`,
 * then `buildReport`. The engine's part is the facts only it knows: per-policy stats summed over
 * replicas, the sizing advisor's view of the collector config, the production rate in spans/s,
 * and the measured compression ratio of the exported requests.
 */
import type { CollectorConfigResult } from '../pipeline/config-loader.js';
import { anyPolicy, type TailSamplingConfig } from '../components/processors/tail-sampling/config.js';
import type { ProbabilisticSamplerConfig } from '../components/processors/probabilistic-sampler/config.js';
import type { TailSamplingSnapshot } from '../components/processors/tail-sampling/stats.js';
import { buildReport, type ReportInput } from '../report/build.js';
import type { Gate } from '../report/gates.js';
import type { PolicyRetention, Report } from '../report/model.js';
import type { StorageOverrides } from '../report/storage.js';
import type { AdvisoryInput, FanoutLoss, SamplingStage, TailSamplingSummary, TokenBucketPolicy } from '../report/advisories.js';
import type { Scenario } from '../scenario/schema.js';
import type { RunInputs } from './inputs.js';
import type { EngineOutcome } from './types.js';
import { slowBackends } from './downstream.js';

/** What the report names as its inputs (a scenario run, or a replay with no scenario file). */
export interface ReportSubject {
  scenario: { name: string; seed: number; hash: string };
  collectorPath: string;
  collectorHash: string;
  collector: CollectorConfigResult;
  compat: 'current' | 'classic';
  /** The scenario, when there is one: production rate, storage block, SDK delay. */
  scenarioConfig?: Scenario;
  scenarioYaml?: string;
  collectorYaml?: string;
}

export function subjectOf(inputs: RunInputs): ReportSubject {
  return {
    scenario: { name: inputs.scenario.name, seed: inputs.scenario.seed, hash: inputs.scenarioHash },
    collectorPath: inputs.collectorPath,
    collectorHash: inputs.collectorHash,
    collector: inputs.collector,
    compat: inputs.compat,
    scenarioConfig: inputs.scenario,
    scenarioYaml: inputs.scenarioYaml,
    collectorYaml: inputs.collectorYaml,
  };
}

export function buildRunReport(inputs: RunInputs, outcome: EngineOutcome, gates: readonly Gate[]): Report {
  return buildSubjectReport(subjectOf(inputs), outcome, gates);
}

export function buildSubjectReport(subject: ReportSubject, outcome: EngineOutcome, gates: readonly Gate[]): Report {
  const L = outcome.ledger;
  const window = outcome.windowSeconds;
  const scenario = subject.scenarioConfig;
  const spansPerTrace = L.traces.generated > 0 ? L.spans.generated / L.traces.generated : 0;
  const productionRate = scenario?.traffic.production_rate;
  const approximated = scenario?.storage?.compression !== undefined ? compressionOverride(scenario.storage.compression).approximated : undefined;
  const input: ReportInput = {
    mode: outcome.mode,
    scenario: subject.scenario,
    collector: { path: subject.collectorPath, hash: subject.collectorHash },
    compat: subject.compat,
    windowSeconds: window,
    interrupted: outcome.interrupted,
    invalidReasons: outcome.live?.invalidReasons ?? [],
    ledger: L,
    byPolicy: policyRetention(outcome.tailSampling),
    storage: {
      compressedBytes: Math.round(L.bytes.exported * compressionRatio(outcome)),
      ...(productionRate !== undefined && spansPerTrace > 0 ? { productionSpansPerSecond: productionRate * spansPerTrace } : {}),
      ...(scenario?.storage ? { overrides: storageOverrides(scenario.storage) } : {}),
    },
    throughput: outcome.live
      ? { targetSpansPerSecond: outcome.live.targetSpansPerSecond, achievedSpansPerSecond: outcome.live.achievedSpansPerSecond, scheduleLagMs: outcome.live.scheduleLagMs }
      : { targetSpansPerSecond: window > 0 ? L.spans.generated / window : 0 },
    ...reportLatency(outcome),
    advisor: advisorInput(subject.collector, outcome, scenario),
    ...(approximated !== undefined
      ? {
          extraAdvisories: [
            {
              code: 'storage_compression_approximated',
              message: `storage.compression "${approximated}" has no fixed ratio: the run's measured gzip ratio of the exported spans stands in for it. Fix: give the ratio your backend achieves (e.g. compression: 6.7).`,
            },
          ],
        }
      : {}),
    notSimulated: outcome.notSimulated.map((n) => ({ component: n.component, reason: n.reason })),
    gates,
    ...(outcome.replicas ? { replicas: outcome.replicas } : {}),
    ...(Object.keys(outcome.client.refusedSpansBy).length > 0
      ? { refusals: { spansByComponent: { ...outcome.client.refusedSpansBy }, exportsRetriedOk: outcome.client.retriedOk, exportsGaveUp: outcome.client.gaveUp } }
      : {}),
    telemetry: outcome.telemetry.filter((p) => p.kind !== 'histogram').map((p) => ({ name: p.name, labels: { ...p.labels }, value: p.value })),
    timeseries: outcome.timeseries,
    limits: outcome.limits,
    inputs: {
      ...(subject.scenarioYaml !== undefined ? { scenarioYaml: subject.scenarioYaml } : {}),
      ...(subject.collectorYaml !== undefined ? { collectorYaml: subject.collectorYaml } : {}),
    },
  };
  return buildReport(input);
}

/**
 * Per-policy retention. Replicas run the same config, so their counts are summed per policy; when
 * the config itself has several tail_sampling instances, keys are `<component id>/<policy>`.
 */
export function policyRetention(snapshots: Record<string, TailSamplingSnapshot>): Record<string, PolicyRetention> {
  const byComponent = new Map<string, Record<string, PolicyRetention>>();
  for (const [prefixedId, snap] of Object.entries(snapshots)) {
    const id = prefixedId.replace(/^r\d+\//, '');
    const acc = byComponent.get(id) ?? {};
    for (const [policy, s] of Object.entries(snap.byPolicy)) {
      const a = (acc[policy] ??= { sampledTraces: 0, attributedTraces: 0, exclusiveTraces: 0 });
      a.sampledTraces += s.sampledTraces;
      a.attributedTraces += s.attributedTraces;
      a.exclusiveTraces += s.exclusiveTraces;
    }
    byComponent.set(id, acc);
  }
  const out: Record<string, PolicyRetention> = {};
  for (const [id, policies] of byComponent) for (const [p, v] of Object.entries(policies)) out[policyReportKey(id, p, byComponent.size)] = v;
  return out;
}

/** The `retention.byPolicy` key of a policy: its name, or `<component id>/<name>` when the config has several tail_sampling processors. */
export function policyReportKey(componentId: string, policy: string, samplerCount: number): string {
  return samplerCount > 1 ? `${componentId}/${policy}` : policy;
}

/**
 * The report's `latency` histograms: live runs' wall-clock `exportLatency` and `scheduleLag`, or
 * sim and replay runs' virtual `spanToCollector` and `spanToExport` (none when neither is known).
 */
function reportLatency(outcome: EngineOutcome): Pick<ReportInput, 'latency'> {
  if (outcome.live) return { latency: { exportLatency: outcome.live.exportLatencyMs, scheduleLag: outcome.live.scheduleLagMs } };
  if (outcome.spanLatencyMs) return { latency: { ...outcome.spanLatencyMs } };
  return {};
}

/** Spans lost by each exporter but the one the ledger follows, from their telemetry (replicas summed). */
function fanoutLosses(collector: CollectorConfigResult, outcome: EngineOutcome): FanoutLoss[] {
  const ledgerExporter = collector.config.pipelines[0]?.exporters[0];
  if (ledgerExporter === undefined) return [];
  const lost = new Map<string, number>();
  for (const p of outcome.telemetry) {
    if (p.name !== 'otelcol_exporter_send_failed_spans' && p.name !== 'otelcol_exporter_enqueue_failed_spans') continue;
    const exporter = p.labels['exporter'];
    if (exporter === undefined || exporter === ledgerExporter) continue;
    lost.set(exporter, (lost.get(exporter) ?? 0) + p.value);
  }
  return [...lost].map(([exporter, spans]) => ({ exporter, spans, ledgerExporter }));
}

/** gzip ÷ raw over the sampled exported requests (0 when nothing was exported). */
function compressionRatio(outcome: EngineOutcome): number {
  return outcome.compression.raw > 0 ? outcome.compression.gzip / outcome.compression.raw : 0;
}

function storageOverrides(s: NonNullable<Scenario['storage']>): StorageOverrides {
  const o: StorageOverrides = {};
  if (s.backend !== undefined) o.backend = s.backend;
  if (s.bytes_per_span !== undefined) o.bytesPerSpan = s.bytes_per_span;
  if (s.compression !== undefined) o.compression = compressionOverride(s.compression).value;
  if (s.replication_factor !== undefined) o.replicationFactor = s.replication_factor;
  if (s.retention_days !== undefined) o.retentionDays = s.retention_days;
  if (s.index_overhead !== undefined) o.indexOverhead = s.index_overhead;
  if (s.headroom !== undefined) o.headroom = s.headroom;
  return o;
}

/**
 * `storage.compression`: a ratio (`6.7`), `measured`, `none` (1), or a codec name. A codec's
 * ratio is not known in advance: it is approximated by the gzip ratio the run measured on its own
 * exported spans, and an advisory says so.
 */
export function compressionOverride(text: string): { value: number | 'measured'; approximated?: string } {
  const t = text.trim().toLowerCase();
  if (t === 'measured') return { value: 'measured' };
  if (t === 'none') return { value: 1 };
  const n = Number(t);
  if (Number.isFinite(n) && n > 0) return { value: n };
  return { value: 'measured', approximated: text };
}

/** Policy types whose decisions come from a token bucket (classic rate_limiting: a per-second counter, same effect). */
const TOKEN_BUCKET_TYPES = new Set(['rate_limiting', 'bytes_limiting', 'composite']);

function advisorInput(collector: CollectorConfigResult, outcome: EngineOutcome, scenario: Scenario | undefined): Omit<AdvisoryInput, 'rateGates'> {
  const cfg = collector.config;
  const pipelines = cfg.pipelines.map((p) => ({
    name: p.id,
    processors: p.processors.map((id) => ({ id, type: cfg.processors.get(id)?.type ?? id.split('/')[0]! })),
  }));
  const replicas = outcome.replicas?.length ?? 1;
  const tracesPerSecond = outcome.windowSeconds > 0 ? outcome.ledger.traces.generated / outcome.windowSeconds : 0;
  const tailSampling: TailSamplingSummary[] = [];
  const samplingStages: SamplingStage[] = [];
  const tokenBucketPolicies: TokenBucketPolicy[] = [];
  for (const [id, spec] of cfg.processors) {
    if (spec.simulation !== 'simulated') continue;
    if (spec.type === 'tail_sampling') {
      const tc = spec.config as TailSamplingConfig;
      const snaps = Object.entries(outcome.tailSampling).filter(([k]) => k.replace(/^r\d+\//, '') === id);
      // The processor counts every eviction, including a trace evicted again after its late spans
      // re-created it; the advisory speaks of distinct traces, which the ledger counts.
      const evictions = snaps.reduce((a, [, s]) => a + s.evictedTraces, 0);
      const evictedDistinct = outcome.ledger.droppedByReason.tail_buffer_evicted?.traces ?? 0;
      const evicted = Math.min(evictions, evictedDistinct);
      // Peak pipeline bytes: per replica when replicated, else the time series' interval samples.
      const peak = outcome.replicas
        ? Math.max(0, ...outcome.replicas.map((r) => r.peakHeldBytes))
        : Math.max(0, ...(outcome.timeseries?.heldBytes ?? []));
      tailSampling.push({
        id,
        numTraces: tc.numTraces,
        decisionWaitMs: tc.decisionWaitMs,
        newTracesPerSecond: tracesPerSecond / replicas,
        measured: {
          tracesReceived: Math.round(outcome.ledger.traces.generated / replicas),
          evictedTraces: Math.round(evicted / replicas),
          peakHeldBytes: peak,
        },
      });
      for (const p of tc.policies) {
        if (p.type === 'probabilistic') samplingStages.push({ component: id, policy: p.name, kind: 'tail_probabilistic', salt: p.probabilistic.hashSalt });
        if (anyPolicy(p, (q) => TOKEN_BUCKET_TYPES.has(q.type))) {
          const keptTraces = snaps.reduce((a, [, s]) => a + (s.byPolicy[p.name]?.attributedTraces ?? 0), 0);
          tokenBucketPolicies.push({ component: id, policy: p.name, type: p.type, keptTraces });
        }
      }
    } else if (spec.type === 'probabilistic_sampler') {
      const pc = spec.config as ProbabilisticSamplerConfig;
      if (pc.mode === 'hash_seed') samplingStages.push({ component: id, kind: 'probabilistic_sampler', salt: String(pc.hashSeed) });
    }
  }
  const limits = outcome.limits;
  const sdkDelays = scenario?.services.map((s) => s.sdk.scheduled_delay) ?? [];
  return {
    pipelines,
    tailSampling,
    samplingStages,
    tokenBucketPolicies,
    ...(limits.memoryLimitBytes !== undefined ? { memoryLimiter: { limitBytes: limits.memoryLimitBytes, spikeLimitBytes: limits.memorySpikeLimitBytes ?? 0 } } : {}),
    ...(sdkDelays.length > 0 ? { sdk: { scheduledDelayMs: Math.max(...sdkDelays) } } : {}),
    fanoutLosses: fanoutLosses(collector, outcome),
    // Live runs do not model the backend (their exporters send to the real endpoints).
    slowBackends: outcome.live ? [] : slowBackends(scenario?.downstream, collector),
    backpressure: {
      refusedSpansBy: { ...outcome.client.refusedSpansBy },
      sdkQueueFullSpans: outcome.client.sdkDroppedWhileHeld,
      gaveUpSpans: outcome.ledger.droppedByReason.client_gave_up?.spans ?? 0,
      generatedSpans: outcome.ledger.spans.generated,
    },
  };
}
