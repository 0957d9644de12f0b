/**
 * The discrete-event engine of sim and replay runs.
 *
 *   traffic source (time-ordered events)                  VirtualClock (binary heap of timers)
 *     trace ──► ledger.traceGenerated                        batch timeouts, decision ticks,
 *     sdk_drop ─► ledger (sdk_queue_full)                    memory-limiter checks, exporter
 *     export ──► advanceTo(atMs) ──► split by replica ──►    retries, SDK client retries,
 *                SdkClient[r].send ──► replica r inlet       time-series samples
 *     SDK feedback: an export refused and retried holds its instance's SDK until it ends
 *     (SdkFeedback; the source then keeps behind the clock's next timer, see traffic.ts)
 *   end of source ──► drain: advance timer by timer until the ledger has nothing in flight
 *                 ──► shutdown (flush) ──► outcome
 *
 * Order and determinism: for each event the clock first fires every timer due at or before the
 * event's time (in due-time, creation order, each awaited), then the event is delivered and its
 * first attempt awaited. Nothing here reads the wall clock except for progress reporting, so the
 * same event stream gives the same outcome, whatever produced it (1 or N generator workers).
 *
 * Drain: after the last event the clock steps from one due timer to the next until every span is
 * settled (ledger in flight = 0) — every tail-sampling decision made, every batch and exporter
 * queue flushed, every client retry resolved — or `drainLimitMs` of simulated time has passed;
 * then the graphs shut down (flushing what remains, which components account for).
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { CompatProfile, DownstreamModel, Logger } from '../pipeline/component.js';
import type { CollectorConfigResult } from '../pipeline/config-loader.js';
import { VirtualClock } from '../pipeline/virtual-clock.js';
import { Ledger } from '../ledger/ledger.js';
import { cloneAttributes, emptyResource, emptyScope, spanCount, type TraceBatch } from '../protocol/otlp/model.js';
import type { SdkFeedback, TrafficEvent } from '../generator/traffic.js';
import { BytesTap, mayGrowSpans } from './bytes-tap.js';
import { CollectorSet } from './collector-set.js';
import { ReplicaLoad, replicaOf } from './replica-router.js';
import { SdkClient } from './sdk-client.js';
import { sendSdkExport } from './sdk-export.js';
import { intervalMsFor, TimeSeriesRecorder } from './timeseries.js';
import type { EngineOutcome, ProgressListener } from './types.js';
import { chartLimits } from './limits.js';

/**
 * One event of the time-ordered stream the engine consumes: the traffic source's events
 * (src/generator/traffic.ts), or replay's, which builds the same shapes from recorded spans.
 */
export type EngineEvent = TrafficEvent;

export interface SimRunOptions {
  mode: 'sim' | 'replay';
  collector: CollectorConfigResult;
  compat: CompatProfile;
  replicas: number;
  seed: number;
  /** Virtual time of the run start (Unix ms). */
  startUnixMs: number;
  /** Planned traffic length (ms of simulated time) for progress and the series interval; 0 if unknown. */
  plannedMs: number;
  events: AsyncIterable<EngineEvent>;
  /** The backends behind the network exporters (scenario `downstream`); absent: healthy and instant. */
  downstream?: DownstreamModel;
  /** The source's SDK models, told about exports the client retries (generated traffic; replay has no SDK). */
  sdkFeedback?: SdkFeedback;
  /** `service.name` per `instanceIndex` of export and drop events (generated spans by service). */
  instanceServices: readonly string[];
  /** Request-header bytes per span for byte figures (replay: of the recorded requests); default: sampled from the generated exports. */
  headerBytesPerSpan?: number;
  /** Simulated time allowed for draining after the last event; default 10 min. */
  drainLimitMs?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

const PROGRESS_EVERY_MS = 250;
const DEFAULT_DRAIN_LIMIT_MS = 10 * 60_000;

export async function runSimulation(options: SimRunOptions): Promise<EngineOutcome> {
  const wallStart = performance.now();
  const clock = new VirtualClock(options.startUnixMs);
  const ledger = new Ledger();
  const warnings: string[] = [];
  const seenWarnings = new Set<string>();
  const log: Logger = {
    warn: (m) => {
      if (!seenWarnings.has(m)) {
        seenWarnings.add(m);
        warnings.push(m);
      }
    },
    info: () => {},
  };
  const bytesTap = new BytesTap(ledger, clock, {
    perTraceBytes: mayGrowSpans(options.collector),
    ...(options.headerBytesPerSpan !== undefined ? { headerBytesPerSpan: options.headerBytesPerSpan } : {}),
  });
  const collectors = new CollectorSet({
    collector: options.collector,
    replicas: options.replicas,
    mode: 'sim',
    compat: options.compat,
    clock,
    accounting: bytesTap,
    log,
    ...(options.downstream ? { downstream: options.downstream } : {}),
  });
  const load = new ReplicaLoad(options.replicas);
  const replicaCount = options.replicas;
  const clients = collectors.replicas.map(
    (r, i) =>
      new SdkClient(
        async (b) => {
          load.countBatch(i, b);
          await r.inlet.consumeTraces(b);
        },
        { clock, accounting: ledger, seed: options.seed + i },
      ),
  );
  const feedback = options.sdkFeedback;
  feedback?.attachEngineClock({
    nextDueMs: () => clock.nextDueMs(),
    fireNext: async () => {
      const due = clock.nextDueMs();
      if (due !== undefined) await clock.advanceTo(due);
    },
  });
  const samplers = collectors.tailSamplers();
  const series = new TimeSeriesRecorder(options.startUnixMs, intervalMsFor(options.plannedMs > 0 ? options.plannedMs : 60_000));
  const sample = (): void => {
    const snap = ledger.snapshot();
    const tailTracesHeld: Record<string, number> = {};
    const heldPerReplica = collectors.replicas.map((r) => r.host.heldBytes());
    for (const s of samplers) {
      const st = s.stats();
      tailTracesHeld[s.id] = st.tracesHeld;
      load.observe(s.replica, st.tracesHeld, heldPerReplica[s.replica]!);
    }
    if (samplers.length === 0) heldPerReplica.forEach((b, r) => load.observe(r, 0, b));
    let received = 0;
    for (const c of clients) received += c.stats.spansDelivered;
    series.record(clock.nowMs(), {
      spansReceived: received,
      exported: snap.exported,
      sampledOut: snap.sampledOut,
      dropped: snap.dropped,
      droppedByReason: snap.droppedByReason,
      tailTracesHeld,
      heldBytes: heldPerReplica.reduce((a, b) => a + b, 0),
      exporterQueueSize: collectors.exporterQueueSizes(),
    });
  };

  await collectors.start();
  const sampleTimer = clock.setInterval(series.intervalMs, sample);

  let interrupted = false;
  let lastProgressWall = wallStart;
  let counter = 0;
  let lastEventMs = options.startUnixMs;
  const progress = (phase: 'running' | 'draining' | 'done'): void => {
    if (!options.onProgress) return;
    const snap = ledger.snapshot();
    const elapsedMs = clock.nowMs() - options.startUnixMs;
    const wallMs = performance.now() - wallStart;
    options.onProgress({
      mode: options.mode,
      phase,
      elapsedMs,
      plannedMs: options.plannedMs,
      wallMs,
      spansGenerated: snap.generated,
      spansPerSecond: elapsedMs > 0 ? snap.generated / (elapsedMs / 1000) : 0,
      wallSpansPerSecond: wallMs > 0 ? snap.generated / (wallMs / 1000) : 0,
      spansExported: snap.exported,
      spansDropped: snap.dropped,
    });
  };
  /**
   * Every 64 events (any kind) the wall clock is read; every 250 ms of it, progress is reported and
   * the loop yields one macrotask so signal handlers and timers run (the loop itself is microtasks).
   */
  const checkpoint = async (phase: 'running' | 'draining'): Promise<void> => {
    const now = performance.now();
    if (now - lastProgressWall < PROGRESS_EVERY_MS) return;
    lastProgressWall = now;
    progress(phase);
    await yieldToEventLoop();
  };

  /** Spans that left (or were dropped by) each instance's SDK: generated spans by service. */
  const serviceSpans: number[] = [];
  /** Spans an SDK queue dropped while one of its exports was held (retried). */
  let sdkDroppedWhileHeld = 0;
  const iterator = options.events[Symbol.asyncIterator]();
  try {
    for (;;) {
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      const next = await iterator.next();
      if (next.done) break;
      const ev = next.value;
      if ((++counter & 63) === 0) await checkpoint('running');
      if (ev.type === 'trace') {
        ledger.traceGenerated({ traceId: ev.traceId, class: ev.class, spanCount: ev.spanCount });
        if (replicaCount > 1) load.tracesReceived[replicaOf(ev.traceId, replicaCount)]!++;
        else load.tracesReceived[0]!++;
        continue;
      }
      if (ev.atMs > clock.nowMs()) await clock.advanceTo(ev.atMs);
      lastEventMs = Math.max(lastEventMs, ev.atMs);
      if (ev.type === 'export') {
        const batch = ownResources(ev.batch);
        const spans = spanCount(batch);
        serviceSpans[ev.instanceIndex] = (serviceSpans[ev.instanceIndex] ?? 0) + spans;
        bytesTap.generated(batch, ev.spanBytes);
        await sendSdkExport(ev, batch, clients, feedback);
      } else {
        serviceSpans[ev.instanceIndex] = (serviceSpans[ev.instanceIndex] ?? 0) + ev.spans.length;
        if (ev.whileHeld) sdkDroppedWhileHeld += ev.spans.length;
        bytesTap.droppedAtSdk({ resourceSpans: [{ resource: emptyResource(), scopeSpans: [{ scope: emptyScope(), spans: ev.spans, schemaUrl: '' }], schemaUrl: '' }] });
      }
    }
  } finally {
    if (interrupted || options.signal?.aborted) await iterator.return?.();
  }

  if (!interrupted) {
    // Drain: step through due timers until nothing is in flight.
    const limitMs = Math.max(lastEventMs, clock.nowMs()) + (options.drainLimitMs ?? DEFAULT_DRAIN_LIMIT_MS);
    while (ledger.balance().inFlight > 0) {
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      const due = clock.nextDueMs();
      if (due === undefined || due > limitMs) break;
      await clock.advanceTo(due);
      if ((++counter & 63) === 0) await checkpoint('draining');
    }
  }
  // The window is the traffic's planned length (arrivals), or what ran of it when interrupted.
  const windowMs = interrupted
    ? Math.max(clock.nowMs() - options.startUnixMs, 1)
    : options.plannedMs > 0
      ? options.plannedMs
      : Math.max(lastEventMs - options.startUnixMs, 1);
  sampleTimer.cancel();
  if (!interrupted) for (const c of clients) c.stop();
  await collectors.shutdown();
  sample();
  progress('done');

  serviceSpans.forEach((n, i) => ledger.addGeneratedServiceSpans(options.instanceServices[i] ?? 'unknown_service', n));
  bytesTap.finish();
  const tailSampling: EngineOutcome['tailSampling'] = {};
  for (const s of samplers) tailSampling[s.id] = s.stats();
  const telemetry = collectors.replicas.flatMap((r) =>
    r.telemetry.snapshot().map((p) => (r.prefix ? { ...p, labels: { ...p.labels, replica: r.prefix.slice(0, -1) } } : p)),
  );
  const client: EngineOutcome['client'] = { exports: 0, retries: 0, retriedOk: 0, gaveUp: 0, refusedPermanent: 0, refusedSpansBy: {}, sdkDroppedWhileHeld };
  for (const c of clients) {
    for (const [by, spans] of Object.entries(c.stats.refusedSpansBy)) client.refusedSpansBy[by] = (client.refusedSpansBy[by] ?? 0) + spans;
    client.exports += c.stats.exports;
    client.retries += c.stats.retries;
    client.retriedOk += c.stats.retriedOk;
    client.gaveUp += c.stats.gaveUp;
    client.refusedPermanent += c.stats.refusedPermanent;
  }
  return {
    mode: options.mode,
    windowSeconds: windowMs / 1000,
    interrupted,
    ledger: ledger.result(),
    compression: { ...bytesTap.compressionSample },
    spanLatencyMs: bytesTap.spanLatencyMs(),
    tailSampling,
    telemetry,
    notSimulated: [...options.collector.notSimulated],
    timeseries: series.finish(),
    limits: chartLimits(collectors),
    replicas:
      replicaCount > 1
        ? collectors.replicas.map((r, i) => ({
            id: r.prefix.slice(0, -1),
            spansReceived: load.spansReceived[i]!,
            tracesReceived: load.tracesReceived[i]!,
            peakTracesHeld: load.peakTracesHeld[i]!,
            peakHeldBytes: load.peakHeldBytes[i]!,
          }))
        : undefined,
    warnings: [...options.collector.warnings, ...warnings],
    wallMs: performance.now() - wallStart,
    client,
  };
}

/**
 * The traffic source shares one resource object among all exports of a service instance; the
 * pipeline owns what it is handed (resource and attributes processors edit in place), so each
 * export gets its own copy of the resource (a handful of attributes: cheap).
 */
function ownResources(batch: TraceBatch): TraceBatch {
  for (const rs of batch.resourceSpans) {
    rs.resource = { attributes: cloneAttributes(rs.resource.attributes), droppedAttributesCount: rs.resource.droppedAttributesCount };
  }
  return batch;
}
