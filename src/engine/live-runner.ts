/**
 * Live runs: the scenario's traffic paced on the wall clock and sent as real OTLP requests.
 *
 *   generator workers (B's traffic source, virtual times = absolute wall times)
 *        │ time-ordered events, generated ahead of the wall clock
 *        ▼
 *   pacer (main thread) ── waits until each export's absolute send time (start + offset: no drift)
 *        │  late by > MISS_AFTER_MS, or no free send slot ──► `schedule_missed` (never a burst)
 *        ▼
 *   LiveSender ── OTLP gRPC | http/protobuf | http/json ──► bundled collector on 127.0.0.1:0
 *                                                          (or --target: any OTLP endpoint)
 *
 * Where the generator runs: trace generation runs in the piscina workers (as in sim runs); the
 * SDK batching model, pacing and sending run on the main thread, which also hosts the bundled
 * collector. Export requests are assembled from the workers' encoded spans and sent as they are
 * (encoded traffic source): the client never decodes or re-encodes a span, except to JSON for
 * `http/json` and to book what a `--target` accepted. Schedule lag (send start − scheduled time) and export latency (response −
 * scheduled time) go into HDR histograms.
 *
 * Validity (exit 4): the run is invalid when the spans actually sent fall below 99 % of the spans
 * the schedule asked for, or when the schedule-lag p99 exceeds `maxLagP99Ms`.
 *
 * Ledger: with the bundled collector the pipeline accounts every span it receives; the client
 * accounts what never reached it (missed slots, refusals it gave up on) and partial-success
 * rejections. With `--target` the pipeline is remote: spans the endpoint accepted count as
 * exported, and the rest as above.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify as stringifyYaml } from 'yaml';
import { parseCollectorDocument } from '../shared/go-yaml.js';
import type { Logger } from '../pipeline/component.js';
import { loadCollectorConfig } from '../pipeline/config-loader.js';
import { WallClock } from '../pipeline/wall-clock.js';
import { createEncodedTrafficSource } from '../generator/traffic.js';
import { Ledger } from '../ledger/ledger.js';
import { emptyResource, emptyScope, type TraceBatch } from '../protocol/otlp/model.js';
import { decodeExportRequest } from '../protocol/otlp/proto-decode.js';
import type { DropReason } from '../pipeline/accounting.js';
import { inFile, InputError } from '../shared/errors.js';
import { isListeningReceiver } from '../components/receivers/otlp/receiver.js';
import { GrpcTransport } from '../components/exporters/otlp/grpc-transport.js';
import { parseConfig as parseOtlpExporterConfig } from '../components/exporters/otlp/config.js';
import { HttpTransport } from '../components/exporters/otlphttp/http-transport.js';
import { parseConfig as parseOtlpHttpExporterConfig } from '../components/exporters/otlphttp/config.js';
import type { ExportTransport } from '../components/exporters/shared/exporter-helper.js';
import { BytesTap } from './bytes-tap.js';
import { CollectorSet } from './collector-set.js';
import { HdrRecorder } from './hdr.js';
import { LiveSender, type LiveExport } from './live-sender.js';
import { chartLimits } from './limits.js';
import type { CollectorConfigResult, NotSimulated } from '../pipeline/config-loader.js';
import type { CompatProfile } from '../pipeline/component.js';
import type { Scenario } from '../scenario/schema.js';
import { intervalMsFor, TimeSeriesRecorder } from './timeseries.js';
import type { EngineOutcome, ProgressListener } from './types.js';
import type { LiveProtocol } from './live-protocol.js';

/** An export later than this behind its scheduled time is a missed slot, not a late send. */
export const MISS_AFTER_MS = 1000;
/**
 * Fewest lag samples whose p99 the `--max-lag-p99` bound judges. The p99 of fewer than 100 sends
 * is their maximum, so one stall (the first sends of a run: JIT, first connection) would decide
 * the run's validity; below this count an excess is a warning instead.
 */
export const MIN_LAG_SAMPLES_JUDGED = 100;
/** Outstanding export requests (retry waits included) before a slot counts as missed. */
export const MAX_IN_FLIGHT = 256;
/** Time between the run's start and its first scheduled trace: lets the workers get ahead. */
const LEAD_MS = 1000;
/**
 * After the last send, the bundled collector gets until every tail-sampling decision is due
 * (decision_wait + 1 s tick) plus this margin for batches and exporter queues; spans still held
 * then (an exporter retrying an unreachable backend, say) are flushed or dropped by shutdown.
 */
const SETTLE_MARGIN_MS = 5_000;

export interface LiveRunOptions {
  scenario: Scenario;
  /** The bundled collector's config; required without `target`, ignored with it. */
  collector?: { result: CollectorConfigResult; yaml: string; path: string };
  /** Environment for `${env:VAR}` in the collector config. */
  env?: Readonly<Record<string, string | undefined>>;
  compat: CompatProfile;
  workers: number;
  target?: string;
  /** The transport; undefined: the target's scheme decides (grpc://, http(s)://), gRPC for the bundled collector. */
  protocol?: LiveProtocol;
  maxLagP99Ms: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

/**
 * `grpc://host:port`, `http://host:port[/path]`, `https://…` → transport settings. The port is
 * required: without one the transports would fall back to 80/443, not to OTLP's 4317/4318.
 * `protocol`, when given (`--protocol`), must fit the scheme (grpc:// ↔ grpc, http(s):// ↔ http/*);
 * without it the scheme decides (http/protobuf for http).
 */
export function parseTarget(target: string, protocol?: LiveProtocol): { protocol: LiveProtocol; endpoint: string } {
  const m = /^(grpc|http|https):\/\/([^/\s]+:\d{1,5})(\/.*)?$/.exec(target.trim());
  if (!m) throw new InputError(`--target "${target}": expected grpc://host:port or http://host:port (with the port, e.g. grpc://127.0.0.1:4317)`);
  const scheme = m[1]!;
  if (protocol !== undefined && (scheme === 'grpc') !== (protocol === 'grpc')) {
    throw new InputError(`--protocol ${protocol} does not fit --target ${target}: use ${scheme === 'grpc' ? 'grpc' : 'http/protobuf or http/json'} with a ${scheme}:// target, or leave --protocol out`);
  }
  if (scheme === 'grpc') return { protocol: 'grpc', endpoint: m[2]! };
  return { protocol: protocol ?? 'http/protobuf', endpoint: `${scheme}://${m[2]}${m[3] ?? ''}` };
}

export function createTransport(protocol: LiveProtocol, endpoint: string): ExportTransport {
  if (protocol === 'grpc') {
    const parsed = parseOtlpExporterConfig({ endpoint, tls: { insecure: true }, compression: 'none' }, 'target');
    if (!parsed.ok) throw new InputError(`bad gRPC endpoint ${endpoint}`, { problems: parsed.problems });
    return new GrpcTransport(parsed.config);
  }
  const url = /^https?:\/\/[^/]+$/.test(endpoint) ? endpoint : endpoint.replace(/\/v1\/traces$/, '');
  const parsed = parseOtlpHttpExporterConfig({ endpoint: url, encoding: protocol === 'http/json' ? 'json' : 'proto', compression: 'none' }, 'target');
  if (!parsed.ok) throw new InputError(`bad HTTP endpoint ${endpoint}`, { problems: parsed.problems });
  return new HttpTransport(parsed.config);
}

/** The collector YAML with every `otlp` receiver listening on 127.0.0.1, ephemeral ports. */
function loopbackCollectorYaml(yaml: string): string {
  const raw = parseCollectorDocument(yaml, { merge: true }).toJS({ maxAliasCount: 1000 }) as Record<string, unknown>;
  const receivers = (raw['receivers'] ?? {}) as Record<string, unknown>;
  for (const [id, body] of Object.entries(receivers)) {
    if (id !== 'otlp' && !id.startsWith('otlp/')) continue;
    const cfg = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const protocols = (cfg['protocols'] !== null && typeof cfg['protocols'] === 'object' ? cfg['protocols'] : {}) as Record<string, unknown>;
    for (const p of ['grpc', 'http']) {
      const existing = protocols[p] !== null && typeof protocols[p] === 'object' ? (protocols[p] as Record<string, unknown>) : {};
      protocols[p] = { ...existing, endpoint: '127.0.0.1:0' };
    }
    cfg['protocols'] = protocols;
    receivers[id] = cfg;
  }
  return stringifyYaml(raw);
}

/** An export on its way: the OTLP protobuf request and each span's trace id, for the ledger. */
interface EncodedExport extends LiveExport {
  request: Uint8Array;
  traceIds: readonly string[];
  instanceIndex: number;
  exportSeq: number;
  /** When the SDK exported it (virtual = wall ms). */
  atMs: number;
  /** Its SDK is held while the sender retries it (SdkFeedback). */
  held: boolean;
}

/**
 * While an export is held, the source stays this close behind the wall clock (it handles span
 * ends at most this far ahead, then waits): a retry that ends at t frees the SDK about when it
 * would in the real BatchSpanProcessor.
 */
const HOLD_STEP_MS = 10;

export async function runLive(options: LiveRunOptions): Promise<EngineOutcome> {
  const scenario = options.scenario;
  const wallStart = performance.now();
  const clock = new WallClock();
  const ledger = new Ledger();
  const warnings: string[] = options.target ? [] : [...(options.collector?.result.warnings ?? [])];
  const log: Logger = { warn: (m) => void (warnings.includes(m) || warnings.push(m)), info: () => {} };

  // ── the receiving end ──────────────────────────────────────────────────────────────────
  let collectors: CollectorSet | undefined;
  let protocol = options.protocol ?? 'grpc';
  let endpoint: string;
  const accounting = new BytesTap(ledger);
  let notSimulated: readonly NotSimulated[] = [];
  let collectorResult: CollectorConfigResult | undefined;
  if (options.target) {
    ({ protocol, endpoint } = parseTarget(options.target, options.protocol));
  } else {
    const input = options.collector;
    if (!input) throw new Error('internal error: a live run without --target needs the collector config');
    if (scenario.collector_replicas > 1) warnings.push('live mode runs one collector replica; collector_replicas applies to sim runs');
    if (scenario.downstream) warnings.push('downstream (backend latency and outages) applies to sim runs; in a live run the exporters send to their configured endpoints');
    collectorResult = loadCollectorConfig(loopbackCollectorYaml(input.yaml), input.path, options.env ?? {}, { compat: options.compat });
    notSimulated = collectorResult.notSimulated;
    collectors = new CollectorSet({ collector: collectorResult, replicas: 1, mode: 'live', compat: options.compat, clock, accounting, log });
    await collectors.start().catch((err: unknown) => {
      throw inFile(err, input.path);
    });
    const bound = [...collectors.replicas[0]!.graph.receivers().values()].flatMap((r) => (isListeningReceiver(r) ? r.endpoints() : []));
    const want = protocol === 'grpc' ? 'grpc' : 'http';
    const ep = bound.find((b) => b.protocol === want);
    if (!ep) {
      await collectors.shutdown();
      throw new InputError(`no otlp receiver of the collector config listens on ${want}; live mode sends OTLP to one`, { file: input.path });
    }
    endpoint = want === 'grpc' ? `${ep.host}:${ep.port}` : `http://${ep.host}:${ep.port}`;
  }

  // ── the sending end ────────────────────────────────────────────────────────────────────
  const lag = new HdrRecorder();
  const latency = new HdrRecorder();
  const intervalLag = new HdrRecorder();
  const remote = options.target !== undefined;
  /** Exports the client gave up on (bundled collector), booked after the pipeline settles. */
  const gaveUp: EncodedExport[] = [];
  const transport = createTransport(protocol, endpoint);
  // protobuf transports send the request as assembled; JSON needs the spans themselves.
  const bodyOf = protocol === 'http/json' ? (request: Uint8Array) => transport.encode(decodeExportRequest(request)) : (request: Uint8Array) => request;
  const sender = new LiveSender<EncodedExport>(
    transport,
    {
      onSuccess: (x, rejected) => {
        const lost = Math.min(rejected, x.spans);
        if (lost > 0) dropSpanRange(ledger, x.traceIds, 0, lost, 'backend_partial_reject', remote ? 'target' : 'receiver');
        // What a remote endpoint accepted counts as exported (per service and in bytes: decoded).
        if (remote && lost < x.spans) accounting.exported(skipFirst(decodeExportRequest(x.request), lost), 'target');
        settleHeld(x);
      },
      onFailure: (x, reason) => {
        // A request the client gave up on may still have reached the bundled collector (its
        // response came too late): its spans are booked once the pipeline has settled, as far
        // as the collector did not account for them. A remote target's acceptance is only known
        // from a response, so there the loss is certain now.
        if (reason === 'client_gave_up' && !remote) gaveUp.push(x);
        else dropSpanRange(ledger, x.traceIds, 0, x.spans, reason, 'sdk');
        settleHeld(x);
      },
      // The SDK exports one request at a time: a refused export (retried) or one a remote target
      // answers later than the model's export_duration keeps its SDK busy until its outcome, so
      // spans queue behind it and overflow (sdk_queue_full) as they would in the real SDK.
      onRetrying: holdSdk,
      onSlow: holdSdk,
    },
    { latency, maxInFlight: MAX_IN_FLIGHT, seed: scenario.seed },
  );

  const startUnixMs = Math.floor(clock.nowMs()) + LEAD_MS;
  const source = createEncodedTrafficSource(scenario, { workers: options.workers, startUnixMs });
  // SDK backpressure: an export the sender retries keeps its SDK busy (see sim-runner.ts). Once
  // the run is stopped the source no longer waits for the wall clock, so the pacer sees the stop.
  const signal = options.signal;
  source.attachEngineClock({
    nextDueMs: () => (signal?.aborted ? undefined : clock.nowMs() + HOLD_STEP_MS),
    fireNext: async () => {
      await sleep(HOLD_STEP_MS, undefined, signal ? { signal } : {}).catch(() => undefined);
    },
  });
  function holdSdk(x: EncodedExport): void {
    if (x.held) return;
    x.held = true;
    source.holdExport(x.instanceIndex, x.exportSeq, x.atMs);
  }
  /** A held export's outcome arrived (its response: no round trip left): its SDK is free now. */
  function settleHeld(x: EncodedExport): void {
    if (!x.held) return;
    x.held = false;
    source.exportSettled(x.instanceIndex, x.exportSeq, clock.nowMs(), false);
  }
  const plannedMs = scenario.traffic.duration;
  const series = new TimeSeriesRecorder(startUnixMs, intervalMsFor(plannedMs));
  let spansScheduled = 0;
  let spansSentOnTime = 0;
  let missedSpans = 0;
  let intervalScheduled = 0;
  let intervalSent = 0;
  // Samples are labelled by their interval (the k-th ends at start + k·interval), not by the wall
  // time the timer fired, so `t` runs 0, 1, 2, … as in sim runs however late a timer fires.
  let samplesTaken = 0;
  const sample = (): void => {
    const snap = ledger.snapshot();
    const seconds = series.intervalMs / 1000;
    samplesTaken++;
    series.record(startUnixMs + samplesTaken * series.intervalMs, {
      spansReceived: sender.stats.spansSent,
      exported: snap.exported,
      sampledOut: snap.sampledOut,
      dropped: snap.dropped,
      droppedByReason: snap.droppedByReason,
      tailTracesHeld: Object.fromEntries((collectors?.tailSamplers() ?? []).map((s) => [s.id, s.stats().tracesHeld])),
      heldBytes: collectors?.heldBytes() ?? 0,
      exporterQueueSize: collectors?.exporterQueueSizes() ?? {},
      live: { targetSpansPerSecond: intervalScheduled / seconds, achievedSpansPerSecond: intervalSent / seconds, scheduleLagMsP99: intervalLag.p99() },
    });
    intervalScheduled = 0;
    intervalSent = 0;
    intervalLag.reset();
  };
  // the first interval starts with the schedule: the lead-in before it belongs to no interval
  let sampleTimer = setTimeout(
    () => {
      sample();
      sampleTimer = setInterval(sample, series.intervalMs);
      sampleTimer.unref();
    },
    Math.max(0, startUnixMs + series.intervalMs - clock.nowMs()),
  );
  sampleTimer.unref();
  const progress = (phase: 'running' | 'draining' | 'done'): void => {
    if (!options.onProgress) return;
    const snap = ledger.snapshot();
    const elapsedMs = Math.max(0, clock.nowMs() - startUnixMs);
    const wallMs = performance.now() - wallStart;
    options.onProgress({
      mode: 'live',
      phase,
      elapsedMs,
      plannedMs,
      wallMs,
      spansGenerated: snap.generated,
      spansPerSecond: elapsedMs > 0 ? sender.stats.spansSent / (elapsedMs / 1000) : 0,
      wallSpansPerSecond: wallMs > 0 ? sender.stats.spansSent / (wallMs / 1000) : 0,
      spansExported: snap.exported,
      spansDropped: snap.dropped,
    });
  };

  const progressTimer = setInterval(() => progress('running'), 250);
  progressTimer.unref();
  let interrupted = false;
  let serviceSpans: number[] = [];
  /** Spans an SDK queue dropped while one of its exports was held (retried). */
  let sdkDroppedWhileHeld = 0;
  try {
    // One event of lookahead: the source's next step (merging a generated chunk, running the SDK
    // models, decoding spans) runs while the pacer waits for the current event's send time,
    // instead of at the next event's due time.
    const iterator = source[Symbol.asyncIterator]();
    let next = iterator.next();
    for (;;) {
      const step = await next;
      if (step.done) break;
      const ev = step.value;
      next = iterator.next();
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      if (ev.type === 'trace') {
        ledger.traceGenerated({ traceId: ev.traceId, class: ev.class, spanCount: ev.spanCount });
        continue;
      }
      if (ev.type === 'sdk_drop') {
        serviceSpans = addAt(serviceSpans, ev.instanceIndex, ev.spans.length);
        if (ev.whileHeld) sdkDroppedWhileHeld += ev.spans.length;
        accounting.droppedAtSdk({ resourceSpans: [{ resource: emptyResource(), scopeSpans: [{ scope: emptyScope(), spans: ev.spans, schemaUrl: '' }], schemaUrl: '' }] });
        continue;
      }
      const spans = ev.traceIds.length;
      serviceSpans = addAt(serviceSpans, ev.instanceIndex, spans);
      accounting.generatedRequest(ev.request, spans, ev.spanBytes);
      spansScheduled += spans;
      intervalScheduled += spans;
      // Absolute pacing: wait for start + offset, whatever happened before (no drift).
      let waitMs = ev.atMs - clock.nowMs();
      if (waitMs > 1) {
        if (!(await pause(waitMs - 0.5, options.signal))) {
          interrupted = true;
          break;
        }
        waitMs = ev.atMs - clock.nowMs();
      }
      const lateMs = Math.max(0, -waitMs);
      if (lateMs > MISS_AFTER_MS || !sender.canSend()) {
        missedSpans += spans;
        dropSpanRange(ledger, ev.traceIds, 0, spans, 'schedule_missed', 'generator');
      } else {
        lag.record(lateMs);
        intervalLag.record(lateMs);
        spansSentOnTime += spans;
        intervalSent += spans;
        sender.send(
          { spans, body: bodyOf(ev.request), request: ev.request, traceIds: ev.traceIds, instanceIndex: ev.instanceIndex, exportSeq: ev.exportSeq, atMs: ev.atMs, held: false },
          ev.atMs,
          () => clock.nowMs(),
          // a remote target's answer time is its own; the bundled collector shares this
          // process's main thread, so a late answer there is this process's load, not backpressure
          remote ? source.exportDurationMs(ev.instanceIndex) : undefined,
        );
      }
    }
  } finally {
    clearInterval(progressTimer);
    await source.close();
  }
  const endSendMs = clock.nowMs();

  // ── settle: responses, retries, then the bundled collector's buffers ───────────────────
  if (interrupted) sender.abort();
  await sender.idle();
  if (collectors && !interrupted) {
    const decisionWaitMs = Math.max(0, ...collectors.tailSamplers().map((t) => t.stats().decisionWaitMs + 1000));
    const settleLimit = performance.now() + decisionWaitMs + SETTLE_MARGIN_MS;
    // what is left in flight beyond the given-up spans is still in the pipeline
    const gaveUpSpans = gaveUp.reduce((n, x) => n + x.spans, 0);
    while ((ledger.balance().inFlight > gaveUpSpans || collectors.heldBytes() > 0) && performance.now() < settleLimit && !options.signal?.aborted) {
      progress('draining');
      await sleep(100);
    }
    if (options.signal?.aborted) interrupted = true;
  }
  clearInterval(sampleTimer);
  for (const e of new Set(sender.errors)) warnings.push(`export failed unexpectedly: ${e}`);
  await collectors?.shutdown();
  await sender.close();
  for (const x of gaveUp) dropSpanRange(ledger, x.traceIds, 0, x.spans, 'client_gave_up', 'sdk', { inFlightOnly: true });
  sample();
  progress('done');
  serviceSpans.forEach((n, i) => ledger.addGeneratedServiceSpans(source.instances[i]?.service ?? 'unknown_service', n));
  accounting.finish();

  const windowMs = Math.max(1, (interrupted ? endSendMs - startUnixMs : plannedMs));
  const windowSeconds = windowMs / 1000;
  const lagSummary = lag.summary();
  const invalidReasons: string[] = [];
  const targetSps = spansScheduled / windowSeconds;
  const achievedSps = spansSentOnTime / windowSeconds;
  if (!interrupted && spansScheduled > 0 && spansSentOnTime < 0.99 * spansScheduled) {
    invalidReasons.push(
      `the generator sent ${pct(spansSentOnTime / spansScheduled)} of the scheduled spans (${Math.round(achievedSps)} of ${Math.round(targetSps)} spans/s; ${missedSpans} spans missed their slot): below 99 %, so the numbers do not describe the scenario`,
    );
  }
  if (!interrupted && lagSummary.p99 > options.maxLagP99Ms) {
    const excess = `schedule lag p99 ${lagSummary.p99.toFixed(1)} ms exceeds the bound of ${options.maxLagP99Ms} ms (--max-lag-p99)`;
    if (lagSummary.count >= MIN_LAG_SAMPLES_JUDGED) invalidReasons.push(excess);
    else warnings.push(`${excess} over only ${lagSummary.count} sends: not judged (a p99 needs ≥ ${MIN_LAG_SAMPLES_JUDGED}; run longer or faster)`);
  }

  if (sender.stats.noAnswer > 0) {
    const where = remote ? `the target ${options.target}` : 'the bundled collector';
    const what = `${sender.stats.noAnswer.toLocaleString('en-US')} send attempts got no answer from ${where} (${sender.stats.lastNoAnswer})`;
    // a run whose every export went unanswered measured nothing about a collector
    if (sender.stats.accepted === 0 && sender.stats.refused === 0) invalidReasons.push(`${what}: it was never reached, so nothing was measured`);
    else warnings.push(`${what}: they are retried as the SDK would, and not counted as refusals`);
  }

  const tailSampling: EngineOutcome['tailSampling'] = {};
  for (const s of collectors?.tailSamplers() ?? []) tailSampling[s.id] = s.stats();
  return {
    mode: 'live',
    windowSeconds,
    interrupted,
    ledger: ledger.result(),
    compression: { ...accounting.compressionSample },
    tailSampling,
    telemetry: collectors ? collectors.replicas[0]!.telemetry.snapshot() : [],
    notSimulated: [...notSimulated],
    timeseries: series.finish(),
    limits: collectors ? chartLimits(collectors) : { tailNumTraces: {} },
    live: {
      targetSpansPerSecond: targetSps,
      achievedSpansPerSecond: achievedSps,
      scheduleLagMs: lagSummary,
      exportLatencyMs: latency.summary(),
      requests: {
        sent: sender.stats.sent,
        accepted: sender.stats.accepted,
        refused: sender.stats.refused,
        retried: sender.stats.retried,
        gaveUp: sender.stats.gaveUp,
        permanent: sender.stats.permanent,
        partialRejectedSpans: sender.stats.partialRejectedSpans,
        missed: missedSpans,
      },
      invalidReasons,
      endpoint: options.target ?? endpoint,
      protocol,
    },
    warnings,
    wallMs: performance.now() - wallStart,
    client: {
      exports: sender.stats.sent,
      retries: sender.stats.retried,
      retriedOk: sender.stats.retriedOk,
      gaveUp: sender.stats.gaveUp,
      refusedPermanent: sender.stats.permanent,
      // the response does not say which component refused: the receiving end as a whole
      refusedSpansBy: sender.stats.refusedRetryableSpans > 0 ? { [remote ? 'target' : 'collector']: sender.stats.refusedRetryableSpans } : {},
      sdkDroppedWhileHeld,
    },
  };
}

/** Waits `ms`; resolves false at once if `signal` aborts (SIGINT during a long pause). */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
    return true;
  } catch {
    return false;
  }
}

function addAt(a: number[], i: number, n: number): number[] {
  a[i] = (a[i] ?? 0) + n;
  return a;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

/**
 * Books spans `[from, to)` of an export (in request order) as dropped: one ledger call per run of
 * adjacent spans of one trace (with `inFlightOnly`, only as many of each trace's spans as are
 * still in flight). An OTLP partial success says how many spans were rejected, not
 * which: the first ones of the request are booked as rejected.
 */
function dropSpanRange(ledger: Ledger, traceIds: readonly string[], from: number, to: number, reason: DropReason, component: string, options: { inFlightOnly?: boolean } = {}): void {
  let runStart = from;
  for (let i = from + 1; i <= to; i++) {
    if (i < to && traceIds[i] === traceIds[runStart]) continue;
    if (options.inFlightOnly) ledger.generatorDroppedInFlight(traceIds[runStart]!, i - runStart, reason, component);
    else ledger.generatorDropped(traceIds[runStart]!, i - runStart, reason, component);
    runStart = i;
  }
}

/** The batch without its first `n` spans (in request order). */
function skipFirst(batch: TraceBatch, n: number): TraceBatch {
  if (n === 0) return batch;
  let left = n;
  const kept: TraceBatch = { resourceSpans: [] };
  for (const rs of batch.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      const skip = Math.min(left, ss.spans.length);
      left -= skip;
      if (skip < ss.spans.length) kept.resourceSpans.push({ resource: rs.resource, scopeSpans: [{ ...ss, spans: ss.spans.slice(skip) }], schemaUrl: rs.schemaUrl });
    }
  }
  return kept;
}

