/**
 * The `tail_sampling` processor (reference/tail-sampling.md §3): buffers spans by trace, decides
 * each trace on the 1 s decision ticker `decision_wait` after its first span, and releases the
 * spans at once: forwarded (sampled) or accounted as sampled out.
 *
 * ```
 * consumeTraces ─► decision caches hit? ─► forward / drop (early release)
 *               └► map[traceId] = TraceRecord ─► IdBatcher (current batch) ─► tick N..N+1 s later
 *                   (FIFO eviction at num_traces)                          ─► policies ─► release
 * ```
 *
 * Every span that enters leaves exactly once: forwarded to `next`, `sampledOut` ('sampled_out',
 * 'drop_policy', 'rate_limited_policy') or `dropped` ('tail_buffer_evicted', 'trace_too_large', 'late_span_dropped',
 * 'late_span_unexpected_decision', 'pending_on_shutdown', 'batch_send_failed' when `next` rejects
 * a release). Emitted batches carry the incoming batch's `shadow` flag.
 *
 * Buffered spans are kept as their OTLP encoding (`span-store.ts`) and decoded when a policy reads
 * `spans` and when they are released downstream (or to an accounting without per-trace counts).
 */
import type { AccountedBatch } from '../../../pipeline/accounting.js';
import type { Component, Host, HoldsBytes, Settings } from '../../../pipeline/component.js';
import type { TracesConsumer } from '../../../pipeline/consumer.js';
import { RetryableError, ShutdownError } from '../../../pipeline/errors.js';
import type { Counter, Histogram } from '../../../pipeline/telemetry.js';
import type { Timer } from '../../../pipeline/clock.js';
import type { ResourceSpans, Span, TraceBatch } from '../../../protocol/otlp/model.js';
import { encodedBodies } from '../../../protocol/otlp/model.js';
import { anyPolicy, type PolicyConfig, type TailSamplingConfig } from './config.js';
import { ArrivalQueue } from './arrival-queue.js';
import { DecisionCombiner } from './decision-combiner.js';
import { IdBatcher, type TakenBatch } from './id-batcher.js';
import { LruCache } from './lru-cache.js';
import { createPolicyEvaluator } from './policies/index.js';
import { Decision, isSampling, type PolicyEvaluator, type SpanOrigin, type TraceView } from './policies/decision.js';
import { measureSpans, originAt, releaseAsResourceSpans, SpanList, type Origins, type SpanRunSizes } from './span-runs.js';
import { decodeRefs, refCount, SpanArena } from './span-store.js';
import type { PolicyStats, TailSamplingSnapshot, TailSamplingStats } from './stats.js';
import { METRICS, policyMetricName } from './metrics.js';
import { TraceRecord, type HeldSpans } from './trace-record.js';

const TICK_MS = 1000;

/** Where the spans of one trace in an incoming ResourceSpans go when not into a pending record. */
type RouteCode = 0 | 1 | 2 | 3 | 4 | 5;
/** late spans of a trace decided Sampled, still in the map: forwarded */
const ROUTE_FORWARD = 0;
/** late spans of a trace decided NotSampled: dropped ('late_span_dropped') */
const ROUTE_LATE_DROPPED = 1;
/** late spans of a trace dropped by a drop policy (current): 'late_span_unexpected_decision' */
const ROUTE_LATE_UNEXPECTED = 2;
/** sampled decision cache hit: forwarded, counted as an early release */
const ROUTE_CACHED_SAMPLED = 3;
/** non-sampled decision cache hit: dropped ('late_span_dropped'), counted as an early release */
const ROUTE_CACHED_NOT_SAMPLED = 4;
/** spans of a pending trace evicted earlier in the same ResourceSpans: lost with it ('tail_buffer_evicted') */
const ROUTE_EVICTED = 5;

/** Spans leaving the processor, with their origins (one origin: every span's). */
interface ReleasedSpans {
  /** Owned by the receiver: the processor keeps no reference. */
  readonly spans: Span[];
  readonly origins: Origins;
}

/** The held spans as objects: those the policies decoded, else decoded now. */
function asObjects(held: HeldSpans): ReleasedSpans {
  return { spans: held.decoded ?? decodeRefs(held.refs), origins: held.origins };
}

/** What one consumeTraces call releases at once. */
interface IngestOutput {
  forward: SpanList | undefined;
  lateDropped: SpanList | undefined;
  lateUnexpected: SpanList | undefined;
  evicted: SpanList | undefined;
}

interface PolicyInstance {
  /** Index in configuration order. */
  readonly index: number;
  readonly name: string;
  readonly isDrop: boolean;
  /** `rate_limiting` or `bytes_limiting`: a NotSampled vote means its bucket was empty. */
  readonly isTokenBucket: boolean;
  readonly evaluator: PolicyEvaluator;
  /** count_traces_sampled counters: [sampled, not_sampled, dropped]. */
  readonly counters: [Counter, Counter, Counter];
  readonly executions: Counter | undefined;
  /** current: cumulative execution time in µs (0 on the virtual clock). */
  readonly executionTimeUs: Counter | undefined;
  readonly latency: Histogram | undefined;
  readonly stats: PolicyStats;
}

/** Decision-cache key: the right half of the trace id (upstream: LittleEndian.Uint64(id[8:16])). */
function cacheKey(traceId: string): string {
  return traceId.slice(8);
}

export class TailSamplingProcessor implements Component, TracesConsumer, HoldsBytes, TailSamplingStats {
  readonly capabilities = { mutatesData: false };
  private readonly _settings: Settings;
  private readonly _cfg: TailSamplingConfig;
  private readonly _next: TracesConsumer;
  private readonly _classic: boolean;
  private _host: Host | undefined;
  private _ticker: Timer | undefined;
  private _stopped = false;

  private readonly _traces = new Map<string, TraceRecord>();
  /** current eviction order: records by arrival (unused with block_on_overflow). */
  private readonly _arrivals = new ArrivalQueue<TraceRecord>((r) => r.inMap);
  private readonly _batcher: IdBatcher<TraceRecord>;
  /** classic eviction: ring of the last `num_traces` new trace keys (upstream `deleteChan`; empty with block_on_overflow). */
  private readonly _deleteRing: (string | undefined)[];
  private _deleteHead = 0;
  private _deleteCount = 0;
  private readonly _sampledCache: LruCache<string, true>;
  private readonly _nonSampledCache: LruCache<string, true>;
  private _policies: PolicyInstance[] = [];
  private readonly _combiner: DecisionCombiner;

  private _heldBytes = 0;
  private readonly _sizes: SpanRunSizes = { tracesData: 0, resourceSpans: 0 };
  /** Where the buffered spans' encodings live. */
  private readonly _arena = new SpanArena();
  /** Counts incoming ResourceSpans (TraceRecord.touchedBy). */
  private _rsSeq = 0;
  /** Sequence number of the ResourceSpans being ingested. */
  private _currentSeq = -1;
  /**
   * Traces routed earlier in the ResourceSpans being ingested and evicted since, with the route
   * the rest of their spans take: upstream handles all spans of a trace in one ResourceSpans as
   * one group, so a trace is never evicted between two of its own spans.
   */
  private readonly _evictedInRs = new Map<string, RouteCode>();
  /** Records that got spans from the ResourceSpans being ingested: its first `touchedCount` entries (reused, never shrunk). */
  private readonly _touched: TraceRecord[] = [];
  /** Keep each record's SpanSummary on ingest (a status_code or latency policy reads it). */
  private readonly _summarize: boolean;
  /** Some decision cache has a capacity (else `_route` skips both lookups). */
  private readonly _hasCache: boolean;
  private readonly _spanIngest: boolean;
  private _pending = 0;
  /** Whether the last `_makeDecision` had a token-bucket policy vote NotSampled. */
  private _lastVoteRateLimited = false;
  /** The map size recorded by the last tick (`sampling_traces_on_memory`); undefined before the first. */
  private _tracesOnMemory: number | undefined = undefined;
  private _evicted = 0;
  private _decided = 0;
  private _finalSampled = 0;
  private _finalNotSampled = 0;
  private _finalDropped = 0;

  private _m: {
    global: { sampled: Counter; notSampled: Counter; dropped: Counter };
    earlySampled: Counter;
    earlyNotSampled: Counter;
    newTraceId: Counter;
    droppedTooEarly: Counter;
    evaluationError: Counter;
    timerLatency: Histogram;
    lateSpanAge: Histogram;
    removalAge: Histogram;
    tooLarge: Counter;
  } | undefined;

  constructor(settings: Settings, cfg: TailSamplingConfig, next: TracesConsumer) {
    this._settings = settings;
    this._cfg = cfg;
    this._next = next;
    this._classic = settings.compat === 'classic';
    this._batcher = new IdBatcher(Math.max(1, Math.trunc(cfg.decisionWaitMs / 1000)));
    this._deleteRing = this._classic && !cfg.blockOnOverflow ? new Array<string | undefined>(Math.max(1, cfg.numTraces)) : [];
    this._summarize = cfg.policies.some((p) => anyPolicy(p, (q) => q.type === 'status_code' || q.type === 'latency'));
    this._spanIngest = cfg.samplingStrategy === 'span-ingest';
    this._combiner = new DecisionCombiner(cfg.sampleOnFirstMatch);
    this._sampledCache = new LruCache(cfg.decisionCache.sampledCacheSize);
    this._nonSampledCache = new LruCache(cfg.decisionCache.nonSampledCacheSize);
    this._hasCache = this._sampledCache.capacity > 0 || this._nonSampledCache.capacity > 0;
  }

  async start(host: Host): Promise<void> {
    if (this._host) return;
    this._host = host;
    const t = host.telemetry;
    const base = { processor: this._settings.id };
    const classic = this._classic;
    const policyCounters = (policy: string): [Counter, Counter, Counter] =>
      classic
        ? [
            t.counter(METRICS.countTracesSampled, { ...base, policy, sampled: 'true' }),
            t.counter(METRICS.countTracesSampled, { ...base, policy, sampled: 'false' }),
            t.counter(METRICS.countTracesSampled, { ...base, policy, sampled: 'false' }),
          ]
        : [
            t.counter(METRICS.countTracesSampled, { ...base, policy, sampled: 'true', decision: 'sampled' }),
            t.counter(METRICS.countTracesSampled, { ...base, policy, sampled: 'false', decision: 'not_sampled' }),
            t.counter(METRICS.countTracesSampled, { ...base, policy, sampled: 'false', decision: 'dropped' }),
          ];
    const opts = { invertDecisions: classic, compat: this._settings.compat };
    const instances = this._cfg.policies.map((p: PolicyConfig, index): PolicyInstance => {
      const policy = policyMetricName(this._settings.id, p.name);
      return {
        index,
        name: p.name,
        isDrop: p.type === 'drop',
        isTokenBucket: p.type === 'rate_limiting' || p.type === 'bytes_limiting',
        evaluator: createPolicyEvaluator(p, opts),
        counters: policyCounters(policy),
        executions: classic ? undefined : t.counter(METRICS.samplingPolicyExecutionCount, { ...base, policy }),
        executionTimeUs: classic ? undefined : t.counter(METRICS.samplingPolicyExecutionTimeSum, { ...base, policy }),
        latency: classic ? t.histogram(METRICS.samplingDecisionLatency, { ...base, policy }) : undefined,
        stats: { sampledTraces: 0, attributedTraces: 0, exclusiveTraces: 0 },
      };
    });
    // current: drop policies are evaluated first (upstream `loadSamplingPolicies`).
    this._policies = classic ? instances : [...instances.filter((p) => p.isDrop), ...instances.filter((p) => !p.isDrop)];
    this._m = {
      global: classic
        ? {
            sampled: t.counter(METRICS.globalCountTracesSampled, { ...base, sampled: 'true' }),
            notSampled: t.counter(METRICS.globalCountTracesSampled, { ...base, sampled: 'false' }),
            dropped: t.counter(METRICS.globalCountTracesSampled, { ...base, sampled: 'false' }),
          }
        : {
            sampled: t.counter(METRICS.globalCountTracesSampled, { ...base, sampled: 'true', decision: 'sampled' }),
            notSampled: t.counter(METRICS.globalCountTracesSampled, { ...base, sampled: 'false', decision: 'not_sampled' }),
            dropped: t.counter(METRICS.globalCountTracesSampled, { ...base, sampled: 'false', decision: 'dropped' }),
          },
      earlySampled: t.counter(METRICS.earlyReleasesFromCacheDecision, { ...base, sampled: 'true' }),
      earlyNotSampled: t.counter(METRICS.earlyReleasesFromCacheDecision, { ...base, sampled: 'false' }),
      newTraceId: t.counter(METRICS.newTraceIdReceived, base),
      droppedTooEarly: t.counter(METRICS.samplingTraceDroppedTooEarly, base),
      evaluationError: t.counter(METRICS.samplingPolicyEvaluationError, base),
      timerLatency: t.histogram(METRICS.samplingDecisionTimerLatency, base),
      lateSpanAge: t.histogram(METRICS.samplingLateSpanAge, base),
      removalAge: t.histogram(METRICS.samplingTraceRemovalAge, base),
      tooLarge: t.counter(METRICS.tracesDroppedTooLarge, base),
    };
    this._ticker = host.clock.setInterval(TICK_MS, () => this._tick(this._batcher.take()));
  }

  heldBytes(): number {
    return this._heldBytes;
  }

  /**
   * Adds the sizes of the record's spans not sized yet: from their stored encodings' lengths and
   * the origins' remembered field sizes, so no span is walked (done for every ingested piece).
   */
  private _sizeRecord(rec: TraceRecord): void {
    const count = rec.heldSpans;
    if (rec.sizedSpans === count) return;
    const sizes = this._sizes;
    measureSpans(rec.refs, rec.originList(), rec.sizedSpans, sizes);
    rec.sizeBytes += sizes.tracesData;
    rec.resourceSpansBytes += sizes.resourceSpans;
    this._heldBytes += sizes.tracesData;
    rec.sizedSpans = count;
  }

  tailSamplingStats(): TailSamplingSnapshot {
    const byPolicy: Record<string, PolicyStats> = {};
    for (const p of [...this._policies].sort((a, b) => a.index - b.index)) byPolicy[p.name] = { ...p.stats };
    return {
      byPolicy,
      tracesHeld: this._traces.size,
      tracesPending: this._pending,
      bytesHeld: this.heldBytes(),
      numTraces: this._cfg.numTraces,
      decisionWaitMs: this._cfg.decisionWaitMs,
      evictedTraces: this._evicted,
      decidedTraces: this._decided,
      sampledTraces: this._finalSampled,
      notSampledTraces: this._finalNotSampled,
      droppedTraces: this._finalDropped,
    };
  }

  async consumeTraces(batch: TraceBatch): Promise<void> {
    const host = this._host;
    if (!host || this._stopped) throw new ShutdownError(this._settings.id);
    if (this._cfg.blockOnOverflow && !this._hasRoomFor(batch)) {
      // Upstream blocks ingestion at a new trace id until a tick frees space (it never evicts);
      // here the whole batch is refused, retryable, which a receiver turns into backpressure.
      throw new RetryableError(`${this._settings.id}: trace buffer full (num_traces ${this._cfg.numTraces})`);
    }
    const shadow = (batch as AccountedBatch).shadow === true;
    const nowMs = host.clock.nowMs();
    const out: IngestOutput = { forward: undefined, lateDropped: undefined, lateUnexpected: undefined, evicted: undefined };
    for (const rs of batch.resourceSpans) this._ingestResource(rs, nowMs, shadow, out);
    const id = this._settings.id;
    if (out.lateDropped) host.accounting.dropped(this._accounted(out.lateDropped, shadow), id, 'late_span_dropped');
    if (out.lateUnexpected) host.accounting.dropped(this._accounted(out.lateUnexpected, shadow), id, 'late_span_unexpected_decision');
    if (out.evicted) host.accounting.dropped(this._accounted(out.evicted, shadow), id, 'tail_buffer_evicted');
    if (out.forward) await this._send(this._accounted(out.forward, shadow));
  }

  /**
   * block_on_overflow: whether every new trace id of `batch` (not in the map, not in a decision
   * cache) fits in the free slots. Spans of traces already held never wait.
   */
  private _hasRoomFor(batch: TraceBatch): boolean {
    const free = this._cfg.numTraces - this._traces.size;
    let runs = 0;
    let lastId: string | undefined;
    for (const rs of batch.resourceSpans)
      for (const ss of rs.scopeSpans)
        for (const span of ss.spans)
          if (span.traceId !== lastId) {
            lastId = span.traceId;
            runs++;
          }
    if (runs <= free) return true;
    const fresh = new Set<string>();
    for (const rs of batch.resourceSpans)
      for (const ss of rs.scopeSpans)
        for (const span of ss.spans) {
          const traceId = span.traceId;
          if (fresh.has(traceId) || this._traces.has(traceId)) continue;
          const ck = cacheKey(traceId);
          if (this._sampledCache.has(ck) || this._nonSampledCache.has(ck)) continue;
          fresh.add(traceId);
          if (fresh.size > free) return false;
        }
    return true;
  }

  async shutdown(): Promise<void> {
    if (this._stopped) return;
    this._stopped = true;
    this._ticker?.cancel();
    if (!this._host) return;
    for (const batch of this._batcher.drain()) {
      // drop_pending_traces_on_shutdown: upstream does not tick at all (no too-early counts, no
      // tick telemetry); otherwise each of the N + 1 batches is one tick
      if (this._cfg.dropPendingTracesOnShutdown) {
        for (const rec of batch.items) if (rec.inMap && rec.decision === Decision.Pending) this._dropPending(rec.traceId, rec, 'pending_on_shutdown');
      } else await this._tick(batch);
    }
    // Traces re-registered in a batch already taken cannot exist; anything still pending is a bug guard.
    for (const [traceId, rec] of this._traces) if (rec.decision === Decision.Pending) this._dropPending(traceId, rec, 'pending_on_shutdown');
    this._traces.clear();
  }

  // ---- ingestion (§3.2) ------------------------------------------------------------------------

  /**
   * One incoming ResourceSpans: each run of spans of one trace is routed once (decision caches,
   * the map, a new record), then spans are appended encoded (the record keeps no span object).
   * Per-piece work (sizing, `maximum_trace_size_bytes`) runs once at the end for every record this
   * ResourceSpans touched.
   */
  private _ingestResource(rs: ResourceSpans, nowMs: number, shadow: boolean, out: IngestOutput): void {
    const seq = this._rsSeq++;
    this._currentSeq = seq;
    if (this._evictedInRs.size > 0) this._evictedInRs.clear();
    const touched = this._touched;
    let touchedCount = 0;
    const rootMove = this._cfg.decisionWaitAfterRootReceivedMs > 0 && !this._classic;
    const summarize = this._summarize;
    let lastId: string | undefined;
    let route: TraceRecord | RouteCode = ROUTE_FORWARD;
    const resourceOrigin = { resource: rs.resource };
    for (const ss of rs.scopeSpans) {
      const origin: SpanOrigin = { resourceSpans: resourceOrigin, scopeSpans: { scope: ss.scope } };
      const encoded = encodedBodies(ss);
      const spans = ss.spans;
      for (let index = 0; index < spans.length; index++) {
        const span = spans[index]!;
        if (span.traceId !== lastId) {
          lastId = span.traceId;
          route = this._route(span.traceId, nowMs, shadow, seq);
          if (typeof route !== 'number' && route.decision === Decision.Pending && route.touchedBy !== seq) {
            route.touchedBy = seq;
            route.pieceStart = route.heldSpans;
            touched[touchedCount++] = route;
          }
        }
        if (typeof route === 'number') {
          if (route === ROUTE_CACHED_SAMPLED) this._m!.earlySampled.add(1);
          else if (route === ROUTE_CACHED_NOT_SAMPLED) this._m!.earlyNotSampled.add(1);
          if (route === ROUTE_FORWARD || route === ROUTE_CACHED_SAMPLED) (out.forward ??= new SpanList()).push(span, origin);
          else if (route === ROUTE_LATE_UNEXPECTED) (out.lateUnexpected ??= new SpanList()).push(span, origin);
          else if (route === ROUTE_EVICTED) (out.evicted ??= new SpanList()).push(span, origin);
          else (out.lateDropped ??= new SpanList()).push(span, origin);
          continue;
        }
        const rec = route;
        rec.spanCount++;
        rec.addSpan(span, origin, this._arena, encoded, index);
        if (summarize) {
          // SpanSummary of the buffered spans, read from the object here, so status_code and
          // latency decide without decoding (no BigInt arithmetic)
          rec.statusMask |= 1 << span.status.code;
          const start = span.startTimeUnixNano;
          const end = span.endTimeUnixNano;
          if (start === 0n || end === 0n) rec.zeroTime = true;
          else if (refCount(rec.refs) === 1) {
            rec.minStartNs = start;
            rec.maxEndNs = end;
          } else {
            if (start < rec.minStartNs) rec.minStartNs = start;
            if (end > rec.maxEndNs) rec.maxEndNs = end;
          }
        }
        if (rootMove && isRootSpan(span)) {
          rec.batchId = this._batcher.moveToEarlierBatch(rec, rec.batchId, Math.trunc(this._cfg.decisionWaitAfterRootReceivedMs / 1000));
        }
      }
    }
    for (let i = 0; i < touchedCount; i++) {
      const rec = touched[i]!;
      if (rec.decision !== Decision.Pending || !rec.inMap) continue;
      this._sizeRecord(rec);
      // current upstream checks the size before any span-ingest evaluation
      if (this._cfg.maximumTraceSizeBytes > 0 && rec.resourceSpansBytes > this._cfg.maximumTraceSizeBytes && !this._classic) {
        this._m!.tooLarge.add(1);
        const spans = this._takeSpans(rec, Decision.NotSampled, nowMs);
        rec.batchId = -1; // upstream RemoveFromBatch: its tick does not see the id
        rec.decisionMs = Number.NaN; // no decision time: its late spans record no late_span_age
        this._removeHeld(spans, rec.traceId, rec.shadow, 'trace_too_large');
        this._afterRelease(rec.traceId, rec, false, nowMs);
        continue;
      }
      if (this._spanIngest) {
        // upstream records the tick's latency histogram for every ingest evaluation too
        // (`recordImmediateDecisionMetrics`), whatever it decides
        const startMs = this._host!.clock.nowMs();
        this._decideOnIngest(rec, nowMs, out);
        this._m!.timerLatency.record(this._host!.clock.nowMs() - startMs);
      }
    }
  }

  /**
   * Where the spans of trace `traceId` in this ResourceSpans go (§3.2): a cached decision, the
   * pending record (created, with eviction, for a new trace), or a decided record's late-span rule.
   */
  private _route(traceId: string, nowMs: number, shadow: boolean, seq: number): TraceRecord | RouteCode {
    const m = this._m!;
    if (this._hasCache) {
      const ck = cacheKey(traceId);
      if (this._sampledCache.capacity > 0 && this._sampledCache.get(ck) !== undefined) {
        return ROUTE_CACHED_SAMPLED;
      }
      if (this._nonSampledCache.capacity > 0 && this._nonSampledCache.get(ck) !== undefined) return ROUTE_CACHED_NOT_SAMPLED;
    }
    let rec = this._traces.get(traceId);
    if (!rec) {
      if (this._evictedInRs.size > 0) {
        const earlier = this._evictedInRs.get(traceId);
        if (earlier !== undefined) return earlier;
      }
      this._makeRoom(traceId);
      rec = new TraceRecord(traceId, nowMs, shadow);
      if (this._summarize) rec.summary = rec;
      rec.batchId = this._batcher.addToCurrentBatch(rec);
      this._traces.set(traceId, rec);
      if (!this._classic && !this._cfg.blockOnOverflow) this._arrivals.push(rec);
      this._pending++;
      m.newTraceId.add(1);
      return rec;
    }
    if (rec.decision === Decision.Pending) return rec;
    // A late span for a trace decided while still in the map (§3.2 step 6), once per ResourceSpans.
    if (rec.touchedBy !== seq) {
      rec.touchedBy = seq;
      if (!Number.isNaN(rec.decisionMs)) m.lateSpanAge.record(Math.floor((nowMs - rec.decisionMs) / 1000));
      if (rec.decision === Decision.Dropped) this._host!.log.warn(`${this._settings.id}: unexpected sampling decision for a late span (trace dropped by a drop policy)`);
    }
    return lateRoute(rec.decision);
  }

  /**
   * FIFO eviction before trace `traceId` (a new trace) enters the map. None with
   * `block_on_overflow`: upstream then never evicts (current: no delete queue; classic: a blocking
   * limiter instead of the `deleteChan` one), and `consumeTraces` lets in only what fits.
   */
  private _makeRoom(traceId: string): void {
    if (this._cfg.blockOnOverflow) return;
    const limit = this._cfg.numTraces;
    if (this._classic) {
      // upstream deleteChan: a queue of the last num_traces new ids, stale entries included.
      const ring = this._deleteRing;
      if (this._deleteCount === ring.length) {
        const oldest = ring[this._deleteHead]!;
        ring[this._deleteHead] = undefined;
        this._deleteHead = (this._deleteHead + 1) % ring.length;
        this._deleteCount--;
        const victim = this._traces.get(oldest);
        if (victim) this._evict(oldest, victim);
      }
      ring[(this._deleteHead + this._deleteCount) % ring.length] = traceId;
      this._deleteCount++;
      return;
    }
    // current: evict the oldest arrival still in the map while the map is full.
    while (this._traces.size >= limit) {
      const oldest = this._arrivals.shiftLive();
      if (!oldest) break;
      this._evict(oldest.traceId, oldest);
    }
  }

  private _evict(traceId: string, rec: TraceRecord): void {
    const nowMs = this._host!.clock.nowMs();
    if (rec.touchedBy === this._currentSeq) this._evictedInRs.set(traceId, rec.decision === Decision.Pending ? ROUTE_EVICTED : lateRoute(rec.decision));
    if (rec.decision === Decision.Pending) {
      this._evicted++;
      this._dropPending(traceId, rec, 'tail_buffer_evicted');
    } else {
      this._remove(traceId, rec);
    }
    this._m!.removalAge.record(Math.floor((nowMs - rec.arrivalMs) / 1000));
  }

  /** Empties the record's buffer (its bytes no longer held) and returns what it held. */
  private _releaseSpans(rec: TraceRecord): HeldSpans {
    const released = rec.release();
    this._heldBytes -= rec.sizeBytes;
    rec.sizeBytes = 0;
    rec.resourceSpansBytes = 0;
    rec.sizedSpans = 0;
    return released;
  }

  private _remove(traceId: string, rec: TraceRecord): void {
    rec.inMap = false;
    this._traces.delete(traceId);
  }

  /** Removes an undecided trace and accounts its spans as lost. It stays in its batch (too early). */
  private _dropPending(traceId: string, rec: TraceRecord, reason: 'tail_buffer_evicted' | 'pending_on_shutdown'): void {
    const spans = this._releaseSpans(rec);
    this._pending--;
    this._remove(traceId, rec);
    this._removeHeld(spans, rec.traceId, rec.shadow, reason);
  }

  // ---- decisions (§3.3, §3.4) ------------------------------------------------------------------

  /**
   * One tick (upstream `samplingPolicyOnTick`): decides `batch`, then records the tick's duration
   * and the map size. `sampling_traces_on_memory` is a gauge recorded here only, so between ticks
   * it reads the size at the last tick, and it has no point before the first tick.
   */
  private async _tick(batch: TakenBatch<TraceRecord>): Promise<void> {
    const host = this._host!;
    const startMs = host.clock.nowMs();
    await this._takeBatch(batch);
    this._m!.timerLatency.record(host.clock.nowMs() - startMs);
    if (this._tracesOnMemory === undefined) host.telemetry.gauge(METRICS.samplingTracesOnMemory, { processor: this._settings.id }, () => this._tracesOnMemory!);
    this._tracesOnMemory = this._traces.size;
  }

  /**
   * Decides the traces of one taken batch. Upstream batches are sets of trace *ids* looked up in
   * the map at the tick, so an entry is about an id, not about the record that created it: an
   * evicted trace whose id came back is decided at the old entry (with the spans it has now);
   * an id no longer in the map counts as `sampling_trace_dropped_too_early` (also when a decision
   * cache removed a trace decided on ingest or at an earlier entry); an id already decided is
   * skipped. An entry whose record moved to another batch (root received) or was removed from
   * its batch (too large) is not in this batch. Each id is handled once per batch.
   */
  private async _takeBatch(batch: TakenBatch<TraceRecord>): Promise<void> {
    const m = this._m!;
    for (const entry of batch.items) {
      if (entry.batchId !== batch.id || entry.takenIn === batch.id) continue;
      entry.takenIn = batch.id;
      const rec = entry.inMap ? entry : this._traces.get(entry.traceId);
      if (!rec) {
        m.droppedTooEarly.add(1);
        continue;
      }
      rec.takenIn = batch.id;
      if (rec.decision !== Decision.Pending) continue;
      if (this._spanIngest) this._finalizeNotSampled(rec.traceId, rec);
      else {
        const sending = this._decide(rec.traceId, rec);
        if (sending) await sending;
      }
    }
  }

  /** Decides and releases one trace; returns the forward in flight when it was sampled. */
  private _decide(traceId: string, rec: TraceRecord): Promise<void> | undefined {
    const nowMs = this._host!.clock.nowMs();
    const final = this._makeDecision(rec, nowMs);
    const rateLimited = this._lastVoteRateLimited;
    this._decided++;
    const m = this._m!;
    const spans = this._takeSpans(rec, final, nowMs);
    if (final === Decision.Sampled) {
      this._finalSampled++;
      m.global.sampled.add(1);
      if (this._sampledCache.capacity > 0) this._sampledCache.add(cacheKey(traceId), true);
      this._afterRelease(traceId, rec, true, nowMs);
      return spans.refs.length > 0 ? this._send(this._accounted(this._decodeHeld(spans), rec.shadow)) : undefined;
    }
    if (final === Decision.Dropped) {
      this._finalDropped++;
      m.global.dropped.add(1);
      // classic reports a Dropped trace as NotSampled (late spans are then dropped as such).
      if (this._classic) rec.decision = Decision.NotSampled;
      this._removeHeld(spans, rec.traceId, rec.shadow, 'drop_policy');
    } else {
      this._finalNotSampled++;
      m.global.notSampled.add(1);
      this._removeHeld(spans, rec.traceId, rec.shadow, rateLimited ? 'rate_limited_policy' : 'sampled_out');
    }
    this._afterRelease(traceId, rec, false, nowMs);
    return undefined;
  }

  /**
   * `sampling_strategy: span-ingest` (§3.7, upstream `makeDecisionOnSpanIngest`): the spans of
   * this ResourceSpans alone are evaluated as they arrive, with the trace's span count so far
   * (`SpanCount`). Drop policies come first: Dropped ⇒ the trace is dropped now; a drop policy
   * that does not drop makes the decision pending, and no other policy is evaluated for this
   * batch. The first other policy voting Sampled releases every buffered span now. Otherwise the
   * spans wait; the trace's tick finalizes it NotSampled. Every evaluated vote is counted.
   */
  private _decideOnIngest(rec: TraceRecord, nowMs: number, out: IngestOutput): void {
    const view: TraceView = {
      traceId: rec.traceId,
      spans: decodeRefs(rec.refs, rec.pieceStart),
      origins: rec.origins.slice(rec.pieceStart),
      spanCount: rec.spanCount,
      sizeBytes: 0,
    };
    let dropPending = false;
    for (const p of this._policies) {
      if (!p.isDrop && dropPending) break;
      const d = p.evaluator.evaluate(view, nowMs);
      p.executions?.add(1);
      if (d === Decision.Error) {
        this._m!.evaluationError.add(1);
        continue;
      }
      if (isSampling(d)) {
        p.counters[0].add(1);
        p.stats.sampledTraces++;
      } else p.counters[d === Decision.Dropped ? 2 : 1].add(1);
      if (d === Decision.Dropped) {
        this._decided++;
        this._finalDropped++;
        this._m!.global.dropped.add(1);
        const spans = this._takeSpans(rec, Decision.Dropped, nowMs);
        this._removeHeld(spans, rec.traceId, rec.shadow, 'drop_policy');
        this._afterRelease(rec.traceId, rec, false, nowMs);
        return;
      }
      if (p.isDrop) {
        dropPending = true;
        continue;
      }
      if (d === Decision.Sampled) {
        p.stats.attributedTraces++;
        this._decided++;
        this._finalSampled++;
        this._m!.global.sampled.add(1);
        if (this._sampledCache.capacity > 0) this._sampledCache.add(cacheKey(rec.traceId), true);
        const spans = this._decodeHeld(this._takeSpans(rec, Decision.Sampled, nowMs));
        const forward = (out.forward ??= new SpanList());
        for (let i = 0; i < spans.spans.length; i++) forward.push(spans.spans[i]!, originAt(spans.origins, i));
        this._afterRelease(rec.traceId, rec, true, nowMs);
        return;
      }
    }
  }

  /** span-ingest: a trace not sampled on ingest is finalized NotSampled at its tick, without evaluation. */
  private _finalizeNotSampled(traceId: string, rec: TraceRecord): undefined {
    const nowMs = this._host!.clock.nowMs();
    this._decided++;
    this._finalNotSampled++;
    this._m!.global.notSampled.add(1);
    const spans = this._takeSpans(rec, Decision.NotSampled, nowMs);
    this._removeHeld(spans, rec.traceId, rec.shadow, 'sampled_out');
    this._afterRelease(traceId, rec, false, nowMs);
    return undefined;
  }

  /** Sets the final decision and hands back the buffered spans (the record keeps none). */
  private _takeSpans(rec: TraceRecord, final: Decision, nowMs: number): HeldSpans {
    const spans = this._releaseSpans(rec);
    this._pending--;
    rec.decision = final;
    rec.decisionMs = nowMs;
    return spans;
  }

  /** Caches the decision; with a real cache for it the trace leaves the map, else it stays for late spans. */
  private _afterRelease(traceId: string, rec: TraceRecord, sampled: boolean, nowMs: number): void {
    if (!sampled && this._nonSampledCache.capacity > 0) this._nonSampledCache.add(cacheKey(traceId), true);
    const cached = sampled ? this._sampledCache.capacity > 0 : this._nonSampledCache.capacity > 0;
    if (cached) {
      this._remove(traceId, rec);
      this._m!.removalAge.record(Math.floor((nowMs - rec.arrivalMs) / 1000));
    }
  }

  /**
   * Evaluates the policies and combines their votes (§3.4): Dropped > InvertNotSampled >
   * Sampled > InvertSampled without NotSampled > NotSampled. Errors never count. Updates the
   * per-policy counters and the report's attribution.
   */
  private _makeDecision(trace: TraceView, nowMs: number): Decision {
    const m = this._m!;
    const live = this._host!.mode === 'live';
    const combiner = this._combiner;
    combiner.reset();
    let voters = 0;
    let firstVoter: PolicyInstance | undefined;
    let rateLimited = false;
    for (const p of this._policies) {
      const t0 = live ? performance.now() : 0;
      const d = p.evaluator.evaluate(trace, nowMs);
      const elapsedUs = live ? (performance.now() - t0) * 1000 : 0;
      p.executions?.add(1);
      p.executionTimeUs?.add(elapsedUs);
      p.latency?.record(elapsedUs);
      if (d === Decision.Error) m.evaluationError.add(1);
      else if (isSampling(d)) {
        p.counters[0].add(1);
        p.stats.sampledTraces++;
        voters++;
        // evaluation order is configuration order for every policy that can vote to sample
        if (!firstVoter || p.index < firstVoter.index) firstVoter = p;
      } else {
        p.counters[d === Decision.Dropped ? 2 : 1].add(1);
        if (d === Decision.NotSampled && (p.isTokenBucket || p.evaluator.lastRefusedByBudget === true)) rateLimited = true;
      }
      if (!combiner.add(d)) break;
    }
    this._lastVoteRateLimited = rateLimited;
    const final = combiner.final();
    if (final === Decision.Sampled && firstVoter) {
      // attributed: the first sampling vote in configuration order; exclusive: the only one
      firstVoter.stats.attributedTraces++;
      if (voters === 1) firstVoter.stats.exclusiveTraces++;
    }
    return final;
  }

  // ---- output ----------------------------------------------------------------------------------

  /** The OTLP batch for released spans, carrying the incoming `shadow` flag. */
  private _accounted(released: ReleasedSpans, shadow: boolean): AccountedBatch {
    const resourceSpans = releaseAsResourceSpans(released.spans, released.origins);
    return shadow ? { resourceSpans, shadow: true } : { resourceSpans };
  }

  /**
   * Accounts a record's spans as sampled out ('sampled_out', 'drop_policy') or dropped (the other
   * reasons); nothing when it held none. When the accounting counts by trace
   * (`sampledOutOfTrace` / `droppedOfTrace`) the spans are not decoded.
   */
  private _removeHeld(
    held: HeldSpans,
    traceId: string,
    shadow: boolean,
    reason: 'sampled_out' | 'drop_policy' | 'rate_limited_policy' | 'tail_buffer_evicted' | 'trace_too_large' | 'pending_on_shutdown',
  ): void {
    const count = refCount(held.refs);
    if (count === 0) return;
    const accounting = this._host!.accounting;
    const id = this._settings.id;
    if (reason === 'sampled_out' || reason === 'drop_policy' || reason === 'rate_limited_policy') {
      if (accounting.sampledOutOfTrace) accounting.sampledOutOfTrace(traceId, count, shadow, id, reason);
      else accounting.sampledOut(this._accounted(asObjects(held), shadow), id, reason);
    } else if (accounting.droppedOfTrace) accounting.droppedOfTrace(traceId, count, shadow, id, reason);
    else accounting.dropped(this._accounted(asObjects(held), shadow), id, reason);
    this._arena.free(held.refs);
  }

  /**
   * The held spans as objects; their encodings are freed. Each `HeldSpans` goes either here or to
   * `_removeHeld`, once.
   */
  private _decodeHeld(held: HeldSpans): ReleasedSpans {
    const released = asObjects(held);
    this._arena.free(held.refs);
    return released;
  }

  private async _send(out: AccountedBatch): Promise<void> {
    try {
      await this._next.consumeTraces(out);
    } catch {
      // Upstream logs and loses the spans: the release was already decided.
      this._host!.accounting.dropped(out, this._settings.id, 'batch_send_failed');
    }
  }
}

/** All 8 bytes zero: pdata reads such a parent span id as empty (`SpanID.IsEmpty`). */
const ZERO_SPAN_ID = '\0'.repeat(8);

/**
 * A root span, as upstream's `decision_wait_after_root_received` sees it: an empty parent span
 * id, i.e. absent or all zero bytes (our decoder keeps 8 zero bytes as they came).
 */
function isRootSpan(span: Span): boolean {
  return span.parentSpanId.length === 0 || span.parentSpanId === ZERO_SPAN_ID;
}

/** Where late spans of a trace decided while still in the map go. */
function lateRoute(decision: Decision): RouteCode {
  if (decision === Decision.Sampled) return ROUTE_FORWARD;
  if (decision === Decision.NotSampled) return ROUTE_LATE_DROPPED;
  return ROUTE_LATE_UNEXPECTED;
}


