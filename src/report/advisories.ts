/**
 * The sizing advisor: findings about the collector config and the run, each with a stable code and
 * a one-line fix. Pure; its input is plain data the engine fills from the loaded config and the
 * run (no pipeline graph import).
 *
 * Codes:
 *   num_traces_too_small         tail buffer cannot hold new traces/s × (decision_wait + 1 s tick)
 *   tail_buffer_over_memory_limit tail buffer's expected or measured bytes reach the memory limiter's soft limit
 *   sdk_delay_near_decision_wait SDK export delay ≥ half of decision_wait: late spans
 *   memory_limiter_not_first     memory_limiter is not the first processor of a pipeline
 *   batch_before_tail_sampling   batch precedes tail_sampling in a pipeline
 *   hash_salt_reused             two probabilistic stages share a hash salt/seed: correlated decisions
 *   gate_undecidable             a gate on a rate whose Wilson interval contains the bound
 *   backend_slower_than_timeout  the modelled backend's latency reaches an exporter's timeout: nothing delivered
 *   no_traffic                   the run generated no trace: rate × duration is below one trace
 *   non_probabilistic_retention  traces kept through a token bucket (rate_limiting, bytes_limiting,
 *                                composite): no inclusion probability, so no confidence interval,
 *                                and a storage projection to another rate does not hold
 */
import { formatBytes, formatDurationMs } from '../shared/units.js';
import type { Advisory } from './model.js';
import { Z_95, straddles, wilsonInterval } from './stats.js';

/** One pipeline of the collector config, processors in config order. */
export interface PipelineSummary {
  /** `traces`, `traces/tail`, ... */
  name: string;
  /** Component ids with their type: `{ id: 'batch/2', type: 'batch' }`. */
  processors: { id: string; type: string }[];
}

/** One tail_sampling instance (per replica when replicated; per shard when sharded). */
export interface TailSamplingSummary {
  id: string;
  numTraces: number;
  decisionWaitMs: number;
  /** Offered new traces per second reaching this instance (replica share). */
  newTracesPerSecond: number;
  /** Mean in-memory bytes of a buffered trace (span payload), when known. */
  bytesPerTrace?: number;
  measured?: {
    tracesReceived: number;
    /** Traces evicted before their decision (`tail_buffer_evicted`). */
    evictedTraces: number;
    peakHeldBytes?: number;
    /** Spans that arrived after their trace's decision. */
    lateSpans?: number;
  };
}

/** A probabilistic decision stage: a tail `probabilistic` policy or a `probabilistic_sampler`. */
export interface SamplingStage {
  /** Component id (with replica prefix only if that matters to the user). */
  component: string;
  /** Policy name for tail policies. */
  policy?: string;
  kind: 'tail_probabilistic' | 'probabilistic_sampler';
  /** tail: `hash_salt` (empty → the default `default-hash-seed`); sampler: `String(hash_seed)` in hash_seed mode. */
  salt: string;
}

/** A gate on a proportion, with the counts behind it. */
export interface RateGateSample {
  expression: string;
  /** Bound as a fraction. */
  bound: number;
  /** Kept traces (successes) and traces offered (trials) behind the rate. */
  successes: number;
  trials: number;
  /** What the trials are, for the message: `traces` (default), `error traces`, ... */
  population?: string;
}

export interface AdvisoryInput {
  pipelines: PipelineSummary[];
  tailSampling: TailSamplingSummary[];
  /** memory_limiter hard limit and spike (soft = hard − spike); the smallest across pipelines. */
  memoryLimiter?: { limitBytes: number; spikeLimitBytes: number };
  /** The SDK export model of the scenario (BatchSpanProcessor scheduledDelayMillis). */
  sdk?: { scheduledDelayMs: number };
  samplingStages: SamplingStage[];
  rateGates: RateGateSample[];
  /** Top-level tail_sampling policies that involve a token bucket, with the traces attributed to them. */
  tokenBucketPolicies?: TokenBucketPolicy[];
  /** Production rate ÷ simulated rate: the factor storage per day applies to the exported spans. */
  storageRateScale?: number;
  /** Retryable refusals of SDK exports and what the SDKs lost while they lasted (sim runs: live runs do not attribute refused spans). */
  backpressure?: Backpressure;
  /** Spans lost by exporters other than the one the ledger follows (their own telemetry). */
  fanoutLosses?: FanoutLoss[];
  /** Network exporters whose `timeout` the scenario's downstream latency reaches (sim runs). */
  slowBackends?: SlowBackend[];
  /** Traces the run generated and its length (runs only: `validate` has no traffic). */
  traffic?: { generatedTraces: number; durationMs: number; interrupted: boolean };
}

/** An exporter whose every request outlasts its `timeout` at the modelled backend latency. */
export interface SlowBackend {
  exporter: string;
  latencyMs: number;
  timeoutMs: number;
}

/** An exporter whose losses the ledger does not count: it follows `ledgerExporter`'s copy. */
export interface FanoutLoss {
  exporter: string;
  /** `otelcol_exporter_send_failed_spans` + `otelcol_exporter_enqueue_failed_spans`. */
  spans: number;
  ledgerExporter: string;
}

/** Refused deliveries by refusing component, and the spans the SDKs lost around them. */
export interface Backpressure {
  /** Span deliveries refused, by component (a memory limiter's id, or `collector`); a retried span counts again. */
  refusedSpansBy: Record<string, number>;
  /** Spans an SDK queue dropped (`sdk_queue_full`) while one of its exports was being retried. */
  sdkQueueFullSpans: number;
  /** Spans of exports the client gave up retrying (`client_gave_up`). */
  gaveUpSpans: number;
  generatedSpans: number;
}

/** A tail_sampling policy whose votes come from (or pass through) a token bucket. */
export interface TokenBucketPolicy {
  /** `tail_sampling/<name>` component id. */
  component: string;
  policy: string;
  /** `rate_limiting`, `bytes_limiting`, `composite`, or the enclosing `and`/`not`/`drop`. */
  type: string;
  /** Kept traces attributed to the policy (first sampling vote in config order). */
  keptTraces: number;
}

/** Whether any kept trace owes its retention to a token bucket (then retention is not a probability). */
export function hasNonProbabilisticRetention(policies: readonly TokenBucketPolicy[] | undefined): boolean {
  return (policies ?? []).some((p) => p.keptTraces > 0);
}

/** The decision tick of tail_sampling: a trace is decided between decision_wait and decision_wait + 1 s. */
const TICK_MS = 1000;
/** Headroom applied to recommended buffer sizes, for bursts above the mean rate. */
const SIZING_HEADROOM = 1.25;

export function adviseAll(input: AdvisoryInput): Advisory[] {
  return [
    ...adviseTailBuffer(input.tailSampling),
    ...adviseTailMemory(input.tailSampling, input.memoryLimiter),
    ...adviseSdkDelay(input.sdk, input.tailSampling),
    ...adviseOrder(input.pipelines),
    ...adviseSalts(input.samplingStages),
    ...adviseRateGates(input.rateGates),
    ...adviseTokenBuckets(input.tokenBucketPolicies, input.storageRateScale),
    ...adviseBackpressure(input.backpressure),
    ...(input.fanoutLosses ?? []).filter((f) => f.spans > 0).map(adviseFanoutLoss),
    ...(input.slowBackends ?? []).map(adviseSlowBackend),
    ...adviseNoTraffic(input.traffic),
  ];
}

/** A whole run without a single trace: every figure is empty and every gate has no data. */
function adviseNoTraffic(t: AdvisoryInput['traffic']): Advisory[] {
  if (!t || t.generatedTraces > 0 || t.interrupted) return [];
  return [
    {
      code: 'no_traffic',
      message:
        `the run generated no trace in ${formatDurationMs(t.durationMs)}: the traffic rate × duration is below one trace, so every figure is empty and every gate has no data. ` +
        `Fix: raise traffic.rate (--rate) or traffic.duration (--duration).`,
    },
  ];
}

/**
 * A request times out after the exporter's `timeout`; a backend that answers only after that never
 * gets a request through: each one is retried with backoff until `retry_on_failure`'s
 * max_elapsed_time, then dropped, while the sending queue fills behind it.
 */
function adviseSlowBackend(b: SlowBackend): Advisory {
  return {
    code: 'backend_slower_than_timeout',
    message:
      `exporters.${b.exporter}: the backend answers after ${formatDurationMs(b.latencyMs)} (downstream.latency), at or above the exporter's timeout ${formatDurationMs(b.timeoutMs)}: ` +
      `every request times out and is retried until it is dropped, so this exporter delivers nothing. ` +
      `Fix: set exporters.${b.exporter}.timeout above the backend's latency (≥ ${formatDurationMs(Math.ceil(b.latencyMs * SIZING_HEADROOM))}), or model the backend's real latency.`,
  };
}

/**
 * The ledger follows one copy of each span (the first exporter of the first traces pipeline), so
 * another exporter's losses — its backend down, its queue full — appear only in its telemetry.
 */
function adviseFanoutLoss(f: FanoutLoss): Advisory {
  return {
    code: 'fanout_copy_lost',
    message:
      `${f.exporter} lost ${f.spans} spans (send failed or sending queue full; otelcol_exporter_* telemetry) that dropped.* does not count: ` +
      `the ledger follows ${f.ledgerExporter}, the first exporter of the first traces pipeline. Fix: size ${f.exporter}'s sending_queue and ` +
      `retry_on_failure for its backend, or list it first if its copy is the one to account.`,
  };
}

/**
 * A refusal is an event, not a loss (reference §6(d)): the client retries and its SDK holds on to
 * its spans. When that does lose spans at the source — an SDK queue overflowing while its export
 * is retried, or a client giving up — the collector's backpressure is costing data.
 */
function adviseBackpressure(b: Backpressure | undefined): Advisory[] {
  if (!b) return [];
  const refusers = Object.entries(b.refusedSpansBy).filter(([, spans]) => spans > 0);
  const lost = b.sdkQueueFullSpans + b.gaveUpSpans;
  if (refusers.length === 0 || lost === 0) return [];
  const by = refusers.map(([component, spans]) => `${component} (${spans} span deliveries)`).join(', ');
  const losses = [
    b.sdkQueueFullSpans > 0 ? `${b.sdkQueueFullSpans} sdk_queue_full while exports were retried` : '',
    b.gaveUpSpans > 0 ? `${b.gaveUpSpans} client_gave_up` : '',
  ].filter(Boolean);
  const share = b.generatedSpans > 0 ? ` (${pct(lost / b.generatedSpans)} of generated)` : '';
  return [
    {
      code: 'backpressure_lost_at_source',
      message:
        `refused SDK exports cost ${lost} spans at the source${share}: ${losses.join(', ')}; refused by ${by}. ` +
        `Fix: give the refusing component headroom (memory_limiter limit_mib, or less held by tail_sampling: lower decision_wait), ` +
        `add collector replicas, or raise the SDK max_queue_size to ride out a retry.`,
    },
  ];
}

/**
 * Reference §6(c): a token bucket keeps what fits its rate, with no known inclusion probability,
 * so such retention gets no confidence interval and no extrapolation. Storage per day multiplies
 * every exported span by production ÷ simulated rate; the spans a bucket kept would stay at its cap
 * instead, so when that factor is not 1 the projection overstates them (or, below 1, understates).
 */
function adviseTokenBuckets(policies: readonly TokenBucketPolicy[] | undefined, rateScale: number | undefined): Advisory[] {
  const scaled = rateScale !== undefined && Math.abs(rateScale - 1) > 1e-9;
  return (policies ?? [])
    .filter((p) => p.keptTraces > 0)
    .map((p) => ({
      code: 'non_probabilistic_retention',
      message:
        `${p.component}: policy '${p.policy}' (${p.type}) kept ${p.keptTraces} traces through a token bucket: that retention has no inclusion probability, so no confidence interval is given` +
        (scaled ? `, and storage per day scales it ×${round(rateScale)} to the production rate although the bucket caps it. Fix: simulate at the production rate (--rate) to size storage.` : '.'),
    }));
}

/**
 * Predicted share of traces evicted before their decision. A trace is evicted once `num_traces`
 * newer traces arrived, i.e. L = N/τ seconds after it arrived; it is decided d seconds after, with
 * d uniform in [W, W + 1 s) (whole-second ticks). Evicted first iff L < d:
 *   share = clamp((W + 1 s − L) / 1 s, 0, 1).
 */
export function predictedEvictionShare(t: Pick<TailSamplingSummary, 'numTraces' | 'decisionWaitMs' | 'newTracesPerSecond'>): number {
  if (t.newTracesPerSecond <= 0) return 0;
  const lifetimeMs = (t.numTraces / t.newTracesPerSecond) * 1000;
  return Math.min(1, Math.max(0, (t.decisionWaitMs + TICK_MS - lifetimeMs) / TICK_MS));
}

/** Traces the buffer must hold: τ × (W + 1 s). */
export function requiredNumTraces(t: Pick<TailSamplingSummary, 'decisionWaitMs' | 'newTracesPerSecond'>): number {
  return Math.ceil((t.newTracesPerSecond * (t.decisionWaitMs + TICK_MS)) / 1000);
}

function adviseTailBuffer(instances: readonly TailSamplingSummary[]): Advisory[] {
  const out: Advisory[] = [];
  for (const t of instances) {
    const needed = requiredNumTraces(t);
    const predicted = predictedEvictionShare(t);
    const measured = t.measured && t.measured.tracesReceived > 0 ? t.measured.evictedTraces / t.measured.tracesReceived : null;
    if (needed <= t.numTraces && !(measured !== null && measured > 0)) continue;
    const measuredText = measured === null ? '' : `, measured ${pct(measured)} (${int(t.measured!.evictedTraces)} of ${int(t.measured!.tracesReceived)})`;
    out.push({
      code: 'num_traces_too_small',
      message:
        `${t.id}: num_traces ${int(t.numTraces)} < ${round(t.newTracesPerSecond)} new traces/s × (decision_wait ${formatDurationMs(t.decisionWaitMs)} + 1s tick) = ${int(needed)}; ` +
        `predicted ${pct(predicted)} of traces evicted before decision${measuredText}. ` +
        `Fix: set num_traces ≥ ${int(Math.ceil(needed * SIZING_HEADROOM))} or lower decision_wait.`,
    });
  }
  return out;
}

function adviseTailMemory(instances: readonly TailSamplingSummary[], limiter: AdvisoryInput['memoryLimiter']): Advisory[] {
  if (!limiter) return [];
  const soft = limiter.limitBytes - limiter.spikeLimitBytes;
  const out: Advisory[] = [];
  for (const t of instances) {
    // Spans are held only until the decision: at most min(num_traces, τ·(W + 1 s)) traces' payloads.
    const heldTraces = Math.min(t.numTraces, requiredNumTraces(t));
    const expected = t.bytesPerTrace === undefined ? null : heldTraces * t.bytesPerTrace;
    const peak = t.measured?.peakHeldBytes ?? null;
    if (!((expected !== null && expected >= soft) || (peak !== null && peak >= soft))) continue;
    const parts: string[] = [];
    if (expected !== null) parts.push(`expected ≈ ${formatBytes(expected)} (${heldTraces} traces × ${formatBytes(t.bytesPerTrace!)})`);
    if (peak !== null) parts.push(`measured peak ${formatBytes(peak)}`);
    out.push({
      code: 'tail_buffer_over_memory_limit',
      message:
        `${t.id}: tail buffer ${parts.join(', ')} reaches memory_limiter soft limit ${formatBytes(soft)} (limit ${formatBytes(limiter.limitBytes)} − spike ${formatBytes(limiter.spikeLimitBytes)}): ` +
        `data will be refused. Fix: raise limit_mib to ≥ ${formatBytes(Math.ceil((Math.max(expected ?? 0, peak ?? 0) + limiter.spikeLimitBytes) * SIZING_HEADROOM))} or lower decision_wait.`,
    });
  }
  return out;
}

function adviseSdkDelay(sdk: AdvisoryInput['sdk'], instances: readonly TailSamplingSummary[]): Advisory[] {
  if (!sdk) return [];
  const out: Advisory[] = [];
  for (const t of instances) {
    // Spans of one trace leave the SDK up to one scheduled delay apart; at ≥ W/2 the last ones
    // risk arriving after the decision (plus the trace's own duration).
    if (sdk.scheduledDelayMs * 2 < t.decisionWaitMs) continue;
    const late = t.measured?.lateSpans;
    out.push({
      code: 'sdk_delay_near_decision_wait',
      message:
        `${t.id}: SDK export delay ${formatDurationMs(sdk.scheduledDelayMs)} is ${sdk.scheduledDelayMs >= t.decisionWaitMs ? 'at or above' : 'close to'} decision_wait ${formatDurationMs(t.decisionWaitMs)}: ` +
        `spans may arrive after their trace is decided${late === undefined ? '' : ` (${late} late spans in this run)`}. ` +
        `Fix: set decision_wait ≥ ${formatDurationMs(sdk.scheduledDelayMs * 2)} plus the longest trace, or lower the SDK's scheduled_delay (scenario services[].sdk.scheduled_delay).`,
    });
  }
  return out;
}

function adviseOrder(pipelines: readonly PipelineSummary[]): Advisory[] {
  const out: Advisory[] = [];
  for (const p of pipelines) {
    const types = p.processors.map((x) => x.type);
    const limiter = types.indexOf('memory_limiter');
    if (limiter > 0) {
      out.push({
        code: 'memory_limiter_not_first',
        message:
          `pipeline ${p.name}: memory_limiter is processor #${limiter + 1} after ${p.processors.slice(0, limiter).map((x) => x.id).join(', ')}; ` +
          `it should refuse data before any other processor works on it, and behind a processor that queues data (batch, tail_sampling) a refusal comes too late to push back on the sender. Fix: move ${p.processors[limiter]!.id} first.`,
      });
    }
    const tail = types.indexOf('tail_sampling');
    const batch = types.indexOf('batch');
    if (tail >= 0 && batch >= 0 && batch < tail) {
      out.push({
        code: 'batch_before_tail_sampling',
        message:
          `pipeline ${p.name}: ${p.processors[batch]!.id} comes before ${p.processors[tail]!.id}; batching delays spans on their way into the tail buffer and is undone by its regrouping. ` +
          `Fix: order memory_limiter, samplers, then batch (collector processor README).`,
      });
    }
  }
  return out;
}

const DEFAULT_TAIL_SALT = 'default-hash-seed';

function adviseSalts(stages: readonly SamplingStage[]): Advisory[] {
  const groups = new Map<string, SamplingStage[]>();
  for (const s of stages) {
    const salt = s.kind === 'tail_probabilistic' && s.salt === '' ? DEFAULT_TAIL_SALT : s.salt;
    // Only stages using the same hash function correlate (tail: FNV-1a-64 with string salt; sampler: FNV-1a-32 with seed).
    const key = `${s.kind}\u0000${salt}`;
    const list = groups.get(key) ?? [];
    list.push(s);
    groups.set(key, list);
  }
  const out: Advisory[] = [];
  for (const [key, list] of groups) {
    if (list.length < 2) continue;
    const salt = key.slice(key.indexOf('\u0000') + 1);
    const names = list.map((s) => (s.policy ? `${s.component}.${s.policy}` : s.component));
    const field = list[0]!.kind === 'tail_probabilistic' ? 'hash_salt' : 'hash_seed';
    out.push({
      code: 'hash_salt_reused',
      message:
        `${names.join(' and ')} use the same ${field} "${salt}": their decisions are correlated (the lower percentage keeps a subset of the higher), not independent. ` +
        `Fix: give each stage its own ${field} unless nested sampling is intended.`,
    });
  }
  return out;
}

function adviseRateGates(gates: readonly RateGateSample[]): Advisory[] {
  const out: Advisory[] = [];
  for (const g of gates) {
    const interval = wilsonInterval(g.successes, g.trials, Z_95);
    if (!interval || !straddles(interval, g.bound)) continue;
    const p = g.successes / g.trials;
    const needed = trialsToDecide(p, g.bound);
    const population = g.population ?? 'traces';
    out.push({
      code: 'gate_undecidable',
      message:
        `gate "${g.expression}": ${g.successes} of ${g.trials} ${population} give ${pct(p)} with 95% interval [${pct(interval[0])}, ${pct(interval[1])}], which contains the bound ${pct(g.bound)}; ` +
        `the result could flip with another seed. Fix: ${needed === null ? 'move the bound away from the measured rate' : `run ≥ ${needed} ${population} (longer duration or higher rate)`}.`,
    });
  }
  return out;
}

/**
 * Smallest n for which the 95 % Wilson interval around the same proportion `p` excludes `bound`
 * (doubling, then bisection; the half-width shrinks monotonically in n), or null when p = bound.
 */
export function trialsToDecide(p: number, bound: number): number | null {
  if (p === bound) return null;
  const decided = (n: number) => !straddles(wilsonInterval(p * n, n, Z_95)!, bound);
  let hi = 1;
  while (!decided(hi)) {
    hi *= 2;
    if (hi > 2 ** 52) return null;
  }
  let lo = Math.max(1, hi / 2);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (decided(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** A fraction as a percentage with 4 significant digits (99.91%, 0.0195%). */
function pct(x: number): string {
  return `${Number((x * 100).toPrecision(4))}%`;
}

/** A count or rate for reading: thousands separated, one decimal below 1 000, whole above. */
function round(x: number): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: Number.isInteger(x) || Math.abs(x) >= 1000 ? 0 : 1 });
}

/** An integer for reading, thousands separated. */
function int(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}
