/**
 * The ledger: every generated span counted exactly once under one outcome (DESIGN.md "Every span
 * is accounted for"), in spans and in traces.
 *
 *   generator ──traceGenerated()──────────────► generated (+ pending per trace)
 *             ──generatorDropped()──┐
 *   pipeline  ──exported()/sampledOut()/dropped() (SpanAccounting) ──► outcome, pending −= n
 *
 * Conservation, in spans, at every instant:
 *
 *   generated = exported + sampledOut + dropped + inFlight
 *
 * where `inFlight` is the sum of the per-trace pending counts. The `residual` of that equation is
 * therefore non-zero only when an outcome names a trace the ledger never saw generated (or already
 * settled), or when a trace gets more outcomes than it has spans — both simulator bugs.
 *
 * A trace's outcome: `exported` if ≥ 1 of its spans was exported, else `dropped` if ≥ 1 was
 * dropped, else `sampledOut` once all its spans are settled; until then it is in flight. These
 * partition the generated traces.
 *
 * Memory: per live trace one `Map` entry (trace key → slot) and 9 bytes of typed-array state in
 * the slot (pending spans, class + outcome flags, a bitmask of drop reasons). A trace's slot is
 * freed and reused as soon as its last span is settled, so memory follows the traces in flight
 * (bounded by the pipeline's buffers), not the run length.
 *
 * Contract for the engine: call `traceGenerated` before any outcome of that trace's spans;
 * outcomes of shadow batches are ignored (see `SpanAccounting`).
 */
import type { AccountedBatch, DropReason, SampledOutReason, SpanAccounting } from '../pipeline/accounting.js';
import { DROP_REASONS } from '../pipeline/accounting.js';
import { getAttribute, traceKey } from '../protocol/otlp/model.js';

/** Ground-truth class of a generated trace (the generator knows it: error flag, latency). */
export type TraceClass = 'error' | 'slow' | 'normal';
export const TRACE_CLASSES: readonly TraceClass[] = ['error', 'slow', 'normal'];

/** What the generator tells the ledger about one trace it produced. */
export interface GeneratedTrace {
  /** `traceKey(traceId)` of the trace. */
  traceKey: string;
  class: TraceClass;
  /** Spans the trace has in total (> 0); each will get exactly one outcome. */
  spanCount: number;
  /** Spans per `service.name`; alternatively feed `addGeneratedServiceSpans` in bulk. */
  spansByService?: Readonly<Record<string, number>>;
  /** Exact OTLP bytes of the trace's spans, for byte retention; alternatively `addGeneratedBytes`. */
  bytes?: number;
}

/** Cumulative counts at one instant, for time series (spans). */
export interface LedgerSnapshot {
  generated: number;
  exported: number;
  sampledOut: number;
  dropped: number;
  inFlight: number;
  droppedByReason: Partial<Record<DropReason, number>>;
}

export interface LedgerBalance {
  /** True when `residual` is 0 (inFlight may be non-zero while a run goes on or when interrupted). */
  balanced: boolean;
  /** generated − (exported + sampledOut + dropped + inFlight), in spans. */
  residual: number;
  inFlight: number;
}

export interface LedgerDropEntry {
  spans: number;
  /** Distinct traces with ≥ 1 span dropped for this reason. */
  traces: number;
  /** Spans by component id. */
  components: Record<string, number>;
}

/** Everything the ledger knows at the end of a run; plain data (the input of `buildReport`). */
export interface LedgerResult {
  spans: { generated: number; exported: number; sampledOut: number; dropped: number; inFlight: number };
  traces: { generated: number; exported: number; sampledOut: number; dropped: number; inFlight: number };
  droppedByReason: Partial<Record<DropReason, LedgerDropEntry>>;
  sampledOutByReason: Partial<Record<SampledOutReason, { spans: number; components: Record<string, number> }>>;
  /** Ground-truth traces per class, and how many of them were exported. */
  byClass: Record<TraceClass, { generated: number; exported: number }>;
  /** Spans per service.name, generated and exported. */
  byService: Record<string, { generated: number; exported: number }>;
  bytes: { generated: number; exported: number };
  balance: LedgerBalance;
}

const REASON_INDEX = new Map<DropReason, number>(DROP_REASONS.map((r, i) => [r, i]));
if (DROP_REASONS.length > 32) throw new Error('ledger: drop-reason bitmask holds at most 32 reasons');

const CLASS_INDEX: Record<TraceClass, number> = { error: 0, slow: 1, normal: 2 };
const FLAG_CLASS_MASK = 0b11;
const FLAG_EXPORTED = 0b100;
const FLAG_DROPPED = 0b1000;

const OUTCOME_EXPORTED = 0;
const OUTCOME_SAMPLED_OUT = 1;
const OUTCOME_DROPPED = 2;
type Outcome = typeof OUTCOME_EXPORTED | typeof OUTCOME_SAMPLED_OUT | typeof OUTCOME_DROPPED;

export class Ledger implements SpanAccounting {
  private readonly _slotOf = new Map<string, number>();
  private readonly _freeSlots: number[] = [];
  private _slotCount = 0;
  private _pending = new Uint32Array(1024);
  private _flags = new Uint8Array(1024);
  private _reasonMask = new Uint32Array(1024);

  private _spansGenerated = 0;
  private _spansExported = 0;
  private _spansSampledOut = 0;
  private _spansDropped = 0;
  private _spansPending = 0;

  private _tracesGenerated = 0;
  private _tracesExported = 0;
  /** Traces with a dropped span and (so far) no exported one. */
  private _tracesDroppedOnly = 0;
  private _tracesSampledOut = 0;
  private readonly _classGenerated = [0, 0, 0];
  private readonly _classExported = [0, 0, 0];

  private readonly _dropSpans = new Float64Array(DROP_REASONS.length);
  private readonly _dropTraces = new Float64Array(DROP_REASONS.length);
  private readonly _dropComponents: Map<string, number>[] = DROP_REASONS.map(() => new Map());
  private readonly _sampledOut = new Map<SampledOutReason, Map<string, number>>();

  private readonly _serviceGenerated = new Map<string, number>();
  private readonly _serviceExported = new Map<string, number>();
  private _bytesGenerated = 0;
  private _bytesExported = 0;

  /** Registers a generated trace; its spans are in flight until each gets an outcome. */
  traceGenerated(trace: GeneratedTrace): void {
    const n = trace.spanCount;
    if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`ledger: spanCount must be a positive integer, got ${n}`);
    if (this._slotOf.has(trace.traceKey)) throw new Error('ledger: trace generated twice while still in flight');
    const slot = this._allocSlot();
    this._slotOf.set(trace.traceKey, slot);
    const cls = CLASS_INDEX[trace.class];
    this._pending[slot] = n;
    this._flags[slot] = cls;
    this._reasonMask[slot] = 0;
    this._spansGenerated += n;
    this._spansPending += n;
    this._tracesGenerated++;
    this._classGenerated[cls]!++;
    if (trace.spansByService) {
      for (const service in trace.spansByService) this.addGeneratedServiceSpans(service, trace.spansByService[service]!);
    }
    if (trace.bytes !== undefined) this._bytesGenerated += trace.bytes;
  }

  /** Bulk form of `GeneratedTrace.spansByService`. */
  addGeneratedServiceSpans(service: string, spans: number): void {
    this._serviceGenerated.set(service, (this._serviceGenerated.get(service) ?? 0) + spans);
  }

  /** Bulk form of `GeneratedTrace.bytes`: OTLP bytes of generated spans. */
  addGeneratedBytes(bytes: number): void {
    this._bytesGenerated += bytes;
  }

  /** OTLP bytes of spans counted `exported` (from the storage meter of the ledger's exporter). */
  addExportedBytes(bytes: number): void {
    this._bytesExported += bytes;
  }

  /**
   * Spans of a generated trace lost before they reached the pipeline (SDK queue full, schedule
   * missed, client gave up after retries). `component` defaults to `generator`.
   */
  generatorDropped(traceKeyOfTrace: string, spans: number, reason: DropReason, component = 'generator'): void {
    this._apply(traceKeyOfTrace, spans, OUTCOME_DROPPED, reasonIndex(reason));
    this._addDropComponent(reasonIndex(reason), component, spans);
  }

  exported(batch: AccountedBatch, _componentId: string): void {
    if (batch.shadow) return;
    for (const rs of batch.resourceSpans) {
      let n = 0;
      for (const ss of rs.scopeSpans) n += ss.spans.length;
      if (n === 0) continue;
      const service = getAttribute(rs.resource.attributes, 'service.name');
      const name = typeof service === 'string' ? service : 'unknown_service';
      this._serviceExported.set(name, (this._serviceExported.get(name) ?? 0) + n);
    }
    this._walk(batch, OUTCOME_EXPORTED, -1);
  }

  sampledOut(batch: AccountedBatch, componentId: string, reason: SampledOutReason): void {
    if (batch.shadow) return;
    const n = this._walk(batch, OUTCOME_SAMPLED_OUT, -1);
    let byComponent = this._sampledOut.get(reason);
    if (!byComponent) this._sampledOut.set(reason, (byComponent = new Map()));
    byComponent.set(componentId, (byComponent.get(componentId) ?? 0) + n);
  }

  dropped(batch: AccountedBatch, componentId: string, reason: DropReason): void {
    if (batch.shadow) return;
    const r = reasonIndex(reason);
    const n = this._walk(batch, OUTCOME_DROPPED, r);
    this._addDropComponent(r, componentId, n);
  }

  /** Cumulative span counts now (cheap: O(drop reasons)). */
  snapshot(): LedgerSnapshot {
    const droppedByReason: Partial<Record<DropReason, number>> = {};
    for (let i = 0; i < DROP_REASONS.length; i++) if (this._dropSpans[i]! > 0) droppedByReason[DROP_REASONS[i]!] = this._dropSpans[i]!;
    return {
      generated: this._spansGenerated,
      exported: this._spansExported,
      sampledOut: this._spansSampledOut,
      dropped: this._spansDropped,
      inFlight: this._spansPending,
      droppedByReason,
    };
  }

  balance(): LedgerBalance {
    const residual = this._spansGenerated - (this._spansExported + this._spansSampledOut + this._spansDropped + this._spansPending);
    return { balanced: residual === 0, residual, inFlight: this._spansPending };
  }

  /** Traces currently holding a slot (generated, not every span settled). */
  get tracesInFlight(): number {
    return this._slotOf.size;
  }

  result(): LedgerResult {
    const droppedByReason: Partial<Record<DropReason, LedgerDropEntry>> = {};
    for (let i = 0; i < DROP_REASONS.length; i++) {
      if (this._dropSpans[i]! === 0 && this._dropTraces[i]! === 0) continue;
      droppedByReason[DROP_REASONS[i]!] = {
        spans: this._dropSpans[i]!,
        traces: this._dropTraces[i]!,
        components: Object.fromEntries(this._dropComponents[i]!),
      };
    }
    const sampledOutByReason: LedgerResult['sampledOutByReason'] = {};
    for (const [reason, byComponent] of this._sampledOut) {
      let spans = 0;
      for (const v of byComponent.values()) spans += v;
      sampledOutByReason[reason] = { spans, components: Object.fromEntries(byComponent) };
    }
    const byService: LedgerResult['byService'] = {};
    for (const name of new Set([...this._serviceGenerated.keys(), ...this._serviceExported.keys()]).values()) {
      byService[name] = { generated: this._serviceGenerated.get(name) ?? 0, exported: this._serviceExported.get(name) ?? 0 };
    }
    const byClass = {} as LedgerResult['byClass'];
    for (const c of TRACE_CLASSES) byClass[c] = { generated: this._classGenerated[CLASS_INDEX[c]]!, exported: this._classExported[CLASS_INDEX[c]]! };
    const tracesInFlight = this._tracesGenerated - this._tracesExported - this._tracesDroppedOnly - this._tracesSampledOut;
    return {
      spans: {
        generated: this._spansGenerated,
        exported: this._spansExported,
        sampledOut: this._spansSampledOut,
        dropped: this._spansDropped,
        inFlight: this._spansPending,
      },
      traces: {
        generated: this._tracesGenerated,
        exported: this._tracesExported,
        sampledOut: this._tracesSampledOut,
        dropped: this._tracesDroppedOnly,
        inFlight: tracesInFlight,
      },
      droppedByReason,
      sampledOutByReason,
      byClass,
      byService,
      bytes: { generated: this._bytesGenerated, exported: this._bytesExported },
      balance: this.balance(),
    };
  }

  /**
   * Applies one outcome to every span of `batch`, in runs of adjacent spans of the same trace
   * (one key computation and map lookup per run, not per span). Returns the span count.
   */
  private _walk(batch: AccountedBatch, outcome: Outcome, reason: number): number {
    let total = 0;
    let runId: Uint8Array | undefined;
    let runKey = '';
    let runLength = 0;
    for (const rs of batch.resourceSpans) {
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) {
          const id = span.traceId;
          if (id !== runId) {
            const key = traceKey(id);
            if (key !== runKey) {
              if (runLength > 0) this._apply(runKey, runLength, outcome, reason);
              runKey = key;
              runLength = 0;
            }
            runId = id;
          }
          runLength++;
          total++;
        }
      }
    }
    if (runLength > 0) this._apply(runKey, runLength, outcome, reason);
    return total;
  }

  private _apply(key: string, spans: number, outcome: Outcome, reason: number): void {
    if (outcome === OUTCOME_EXPORTED) this._spansExported += spans;
    else if (outcome === OUTCOME_SAMPLED_OUT) this._spansSampledOut += spans;
    else {
      this._spansDropped += spans;
      this._dropSpans[reason]! += spans;
    }
    const slot = this._slotOf.get(key);
    // Unknown or already settled trace: the spans stay counted in their outcome but leave the
    // pending sum untouched, so they show up as a negative residual.
    if (slot === undefined) return;
    const flags = this._flags[slot]!;
    if (outcome === OUTCOME_EXPORTED) {
      if ((flags & FLAG_EXPORTED) === 0) {
        this._flags[slot] = flags | FLAG_EXPORTED;
        this._tracesExported++;
        this._classExported[flags & FLAG_CLASS_MASK]!++;
        if ((flags & FLAG_DROPPED) !== 0) this._tracesDroppedOnly--;
      }
    } else if (outcome === OUTCOME_DROPPED) {
      if ((flags & FLAG_DROPPED) === 0) {
        this._flags[slot] = flags | FLAG_DROPPED;
        if ((flags & FLAG_EXPORTED) === 0) this._tracesDroppedOnly++;
      }
      const bit = 1 << reason;
      const mask = this._reasonMask[slot]!;
      if ((mask & bit) === 0) {
        this._reasonMask[slot] = mask | bit;
        this._dropTraces[reason]!++;
      }
    }
    const pending = this._pending[slot]!;
    const settled = spans < pending ? spans : pending;
    this._pending[slot] = pending - settled;
    this._spansPending -= settled;
    if (pending - settled === 0) {
      if ((this._flags[slot]! & (FLAG_EXPORTED | FLAG_DROPPED)) === 0) this._tracesSampledOut++;
      this._slotOf.delete(key);
      this._freeSlots.push(slot);
    }
  }

  private _addDropComponent(reason: number, component: string, spans: number): void {
    const m = this._dropComponents[reason]!;
    m.set(component, (m.get(component) ?? 0) + spans);
  }

  private _allocSlot(): number {
    const free = this._freeSlots.pop();
    if (free !== undefined) return free;
    const slot = this._slotCount++;
    if (slot === this._pending.length) {
      const size = this._pending.length * 2;
      this._pending = grow(this._pending, new Uint32Array(size));
      this._flags = grow(this._flags, new Uint8Array(size));
      this._reasonMask = grow(this._reasonMask, new Uint32Array(size));
    }
    return slot;
  }
}

function grow<T extends Uint8Array | Uint32Array>(old: T, bigger: T): T {
  bigger.set(old);
  return bigger;
}

function reasonIndex(reason: DropReason): number {
  const i = REASON_INDEX.get(reason);
  if (i === undefined) throw new RangeError(`ledger: unknown drop reason ${String(reason)}`);
  return i;
}
