/**
 * Builds trace number `index` of a scenario: a pure function of (seed, index, arrival time). One
 * `Random(seed, TRACE_STREAM, index)` drives every choice in a fixed order (route, trace id, then a
 * depth-first walk of the call tree), so any worker makes the same trace.
 *
 * Timing contract (all offsets in ms since the run start, converted once to integer nanoseconds):
 * - the root span starts at the trace's arrival time;
 * - an operation's sampled `latency` is its self time; its synchronous calls are laid out in
 *   groups (a `parallel` call joins the preceding call's group, a `sequential` one starts a new
 *   group) separated by equal slices of the self time: with g groups, slice = self / (g + 1), so
 *   duration = self + Σ group durations and every child lies inside its parent's window;
 * - an async call's consumer span starts `delay` after its caller (the producer) ends.
 * Status: ERROR with the operation's (or an active incident's) error rate, or when a synchronous
 * child is ERROR and the call's `error_propagation` chance hits.
 * Ground truth: `error` if any span is ERROR, else `slow` when max end − min start ≥ slow threshold.
 */
import type { KeyValue, Span, SpanEvent, SpanLink } from '../protocol/otlp/model.js';
import { EMPTY_EVENTS, EMPTY_LINKS, sharedStatus } from '../protocol/otlp/model.js';
import { Random } from '../shared/random.js';
import { makeAttributes, refillAttributes } from './attributes.js';
import { MAX_SPANS_PER_TRACE, type CompiledOperation, type CompiledScenario } from './compile.js';

/** Random stream id for trace contents (other streams: arrivals, see load/schedule.ts). */
export const TRACE_STREAM = 1;

export type TraceClass = 'error' | 'slow' | 'normal';
/** Numeric class codes for columnar transfer. */
export const TRACE_CLASS_CODES: readonly TraceClass[] = ['normal', 'slow', 'error'];

export interface BuiltSpan {
  span: Span;
  /** Global service-instance index (`CompiledScenario.resources`). */
  instance: number;
  /** Index into `CompiledScenario.scopes`. */
  scope: number;
  /** End time, virtual ms since the Unix epoch (exactly `endTimeUnixNano / 1e6`). */
  endMs: number;
}

export interface BuiltTrace {
  /** Binary string (model.ts), as every id here. */
  traceId: string;
  route: number;
  class: TraceClass;
  /** max span end − min span start, ms. */
  durationMs: number;
  /** In creation order (children before parents). */
  spans: BuiltSpan[];
}

/** Spans with an unset status share the model's frozen one (spans are read-only, see `buildTrace`). */
const STATUS_UNSET = sharedStatus(0);

const FLAG_SAMPLED = 0x01;
const FLAG_HAS_IS_REMOTE = 0x100;
const FLAG_IS_REMOTE = 0x200;

/**
 * One span as the builder emits it, before it becomes a model `Span` (`buildTrace`) or protobuf
 * bytes (workers, `streamTrace`). The same object is refilled for every span: copy what you keep.
 */
export interface EmittedSpan {
  opIndex: number;
  op: CompiledOperation;
  traceId: string;
  spanId: string;
  /** '' for the root. */
  parentSpanId: string;
  flags: number;
  /** Global service-instance index. */
  instance: number;
  /** Start and end as integer nanoseconds after the run start (`startUnixMs`). */
  startNsOffset: number;
  endNsOffset: number;
  /** End, virtual ms since the Unix epoch (exactly `startUnixMs + endNsOffset / 1e6`). */
  endMs: number;
  attributes: KeyValue[];
  /** `attributes[i]` was made by `op.attributes[i]` (no error overrides applied). */
  plainAttributes: boolean;
  events: SpanEvent[];
  links: SpanLink[];
  error: boolean;
  /** The status message when `error`, else ''. */
  statusMessage: string;
}

/** Receives a trace's spans in creation order (children before parents). */
export interface SpanSink {
  /**
   * Defined when the sink is done with `EmittedSpan.attributes` once `span` returns: the builder
   * then keeps one attribute list per operation here (by operation index; constants in place,
   * one reused `KeyValue` per variable attribute) and refills it for every span, instead of
   * allocating a list and variable `KeyValue`s per span.
   */
  readonly attributeScratch: KeyValue[][] | undefined;
  span(s: EmittedSpan): void;
}

/** A trace without its spans (they went to a `SpanSink`). */
export interface TraceSummary {
  traceId: string;
  route: number;
  class: TraceClass;
  durationMs: number;
  spanCount: number;
}

interface Ctx {
  cs: CompiledScenario;
  r: Random;
  traceId: string;
  startUnixMs: number;
  baseNs: bigint;
  arrivalOffsetMs: number;
  sink: SpanSink;
  emitted: EmittedSpan;
  spanCount: number;
  anyError: boolean;
  minStartMs: number;
  maxEndMs: number;
  /** Status of the span `buildSpan` returned last. */
  lastError: boolean;
}

/**
 * Builds trace `index`, arriving `arrivalOffsetMs` after the run start `startUnixMs` (an integer
 * ms since the Unix epoch). Spans share constant attribute objects, the unset status and empty
 * event and link lists (frozen): treat them as read-only.
 */
export function buildTrace(cs: CompiledScenario, index: number, arrivalOffsetMs: number, startUnixMs: number): BuiltTrace {
  const sink = new ObjectSink(startUnixMs);
  const t = streamTrace(cs, index, arrivalOffsetMs, startUnixMs, sink);
  return { traceId: t.traceId, route: t.route, class: t.class, durationMs: t.durationMs, spans: sink.spans };
}

/**
 * The same trace as `buildTrace` (same randomness, same values), its spans handed to `sink` one
 * by one instead of being collected as model objects.
 */
export function streamTrace(cs: CompiledScenario, index: number, arrivalOffsetMs: number, startUnixMs: number, sink: SpanSink): TraceSummary {
  const r = new Random(cs.seed, TRACE_STREAM, index);
  const route = r.pickWeighted(cs.routeCumulativeWeights);
  const traceId = r.nonZeroId(16);
  const ctx: Ctx = {
    cs,
    r,
    traceId,
    startUnixMs,
    baseNs: BigInt(startUnixMs) * 1_000_000n,
    arrivalOffsetMs,
    sink,
    emitted: {
      opIndex: 0,
      op: cs.operations[0]!,
      traceId,
      spanId: '',
      parentSpanId: '',
      flags: 0,
      instance: 0,
      startNsOffset: 0,
      endNsOffset: 0,
      endMs: 0,
      attributes: [],
      plainAttributes: true,
      events: EMPTY_EVENTS,
      links: EMPTY_LINKS,
      error: false,
      statusMessage: '',
    },
    spanCount: 0,
    anyError: false,
    minStartMs: Infinity,
    maxEndMs: -Infinity,
    lastError: false,
  };
  buildSpan(ctx, cs.routes[route]!.operation, arrivalOffsetMs, '', -1);
  const durationMs = ctx.maxEndMs - ctx.minStartMs;
  const cls: TraceClass = ctx.anyError ? 'error' : durationMs >= cs.slowThresholdMs ? 'slow' : 'normal';
  return { traceId, route, class: cls, durationMs, spanCount: ctx.spanCount };
}

/** Collects emitted spans as model objects (`buildTrace`). */
class ObjectSink implements SpanSink {
  readonly attributeScratch = undefined;
  readonly spans: BuiltSpan[] = [];
  private readonly _baseNs: bigint;
  constructor(startUnixMs: number) {
    this._baseNs = BigInt(startUnixMs) * 1_000_000n;
  }
  span(e: EmittedSpan): void {
    const span: Span = {
      traceId: e.traceId,
      spanId: e.spanId,
      traceState: '',
      parentSpanId: e.parentSpanId,
      flags: e.flags,
      name: e.op.spanName,
      kind: e.op.kind,
      startTimeUnixNano: this._baseNs + BigInt(e.startNsOffset),
      endTimeUnixNano: this._baseNs + BigInt(e.endNsOffset),
      attributes: e.attributes,
      droppedAttributesCount: 0,
      events: e.events,
      droppedEventsCount: 0,
      links: e.links,
      droppedLinksCount: 0,
      status: e.error ? { code: 2, message: e.statusMessage } : STATUS_UNSET,
    };
    this.spans.push({ span, instance: e.instance, scope: e.op.scopeIndex, endMs: e.endMs });
  }
}

interface PlannedCall {
  target: number;
  errorPropagation: number;
}

/**
 * Builds one span and its subtree starting at `startMs` (offset); returns its end offset and
 * leaves its status in `ctx.lastError` (no result object per span). A span picks its service's
 * instance at random, except a synchronous call within the caller's own service (a DB client span
 * of the caller, an in-process step): it runs in the caller's process, so on its instance
 * (`inProcessOf`, the caller's global instance index, or -1). The draw is made either way, so
 * the rest of the trace is the same random stream.
 */
function buildSpan(ctx: Ctx, opIndex: number, startMs: number, parentSpanId: string, parentService: number, inProcessOf = -1): number {
  const { cs, r } = ctx;
  const op = cs.operations[opIndex]!;
  const spanId = r.nonZeroId(8);
  const svc = cs.services[op.serviceIndex]!;
  const drawn = svc.firstInstance + (svc.instances === 1 ? 0 : r.nextInt(0, svc.instances - 1));
  const instance = inProcessOf >= 0 && op.serviceIndex === parentService ? inProcessOf : drawn;

  const incident = activeIncident(op, ctx.arrivalOffsetMs);
  const selfMs = Math.max(0, op.latency(r) * (incident?.latencyMultiplier ?? 1));

  // Plan the calls (randomness consumed in declaration order), then lay them out in time. Leaves
  // (most spans) have no calls and share the empty lists.
  const hasCalls = op.calls.length > 0;
  const groups: PlannedCall[][] = hasCalls ? [] : NO_GROUPS;
  const asyncCalls: { target: number; delayMs: number }[] = hasCalls ? [] : NO_ASYNC;
  for (const call of op.calls) {
    if (!r.chance(call.probability)) continue;
    const n = call.repeatMin === call.repeatMax ? call.repeatMin : r.nextInt(call.repeatMin, call.repeatMax);
    for (let k = 0; k < n; k++) {
      if (call.async) {
        asyncCalls.push({ target: call.target, delayMs: Math.max(0, call.delay(r)) });
      } else if (call.parallel && groups.length > 0) {
        groups[groups.length - 1]!.push({ target: call.target, errorPropagation: call.errorPropagation });
      } else {
        groups.push([{ target: call.target, errorPropagation: call.errorPropagation }]);
      }
    }
  }

  const sliceMs = selfMs / (groups.length + 1);
  let cursor = startMs + sliceMs;
  let error = r.chance(incident?.errorRate ?? op.errorRate);
  for (const group of groups) {
    let groupEnd = cursor;
    for (const planned of group) {
      if (ctx.spanCount >= MAX_SPANS_PER_TRACE) break;
      const childEndMs = buildSpan(ctx, planned.target, cursor, spanId, op.serviceIndex, instance);
      if (childEndMs > groupEnd) groupEnd = childEndMs;
      if (ctx.lastError && r.chance(planned.errorPropagation)) error = true;
    }
    cursor = groupEnd + sliceMs;
  }
  const endMs = groups.length === 0 ? startMs + selfMs : cursor;

  emitSpan(ctx, opIndex, op, spanId, parentSpanId, parentService, instance, startMs, endMs, error, incident?.statusMessage);

  for (const a of asyncCalls) {
    if (ctx.spanCount >= MAX_SPANS_PER_TRACE) break;
    // Async consumer errors do not propagate to the producer.
    buildSpan(ctx, a.target, endMs + a.delayMs, spanId, op.serviceIndex);
  }
  ctx.lastError = error;
  return endMs;
}

const NO_GROUPS: PlannedCall[][] = [];
const NO_ASYNC: { target: number; delayMs: number }[] = [];

function activeIncident(op: CompiledOperation, arrivalOffsetMs: number) {
  for (const inc of op.incidents) if (arrivalOffsetMs >= inc.startMs && arrivalOffsetMs < inc.endMs) return inc;
  return undefined;
}

function emitSpan(
  ctx: Ctx,
  opIndex: number,
  op: CompiledOperation,
  spanId: string,
  parentSpanId: string,
  parentService: number,
  instance: number,
  startMs: number,
  endMs: number,
  error: boolean,
  incidentMessage: string | undefined,
): void {
  const { r } = ctx;
  const startNsOffset = Math.round(startMs * 1e6);
  const endNsOffset = Math.max(startNsOffset, Math.round(endMs * 1e6));

  let attributes: KeyValue[];
  const scratch = ctx.sink.attributeScratch;
  if (scratch !== undefined) {
    let list = scratch[opIndex];
    if (list === undefined) {
      list = op.attributes.map((m) => ('constant' in m ? m.constant : { key: m.key, value: null }));
      scratch[opIndex] = list;
    }
    attributes = refillAttributes(op.attributes, r, list);
  } else attributes = makeAttributes(op.attributes, r);
  let plainAttributes = true;
  if (error && op.errorAttributes.length > 0) {
    const overrides = makeAttributes(op.errorAttributes, r);
    const keys = new Set(overrides.map((kv) => kv.key));
    attributes = attributes.filter((kv) => !keys.has(kv.key)).concat(overrides);
    plainAttributes = false;
  }

  const events: SpanEvent[] = op.events.length === 0 ? EMPTY_EVENTS : [];
  for (const e of op.events) {
    if (e.onErrorOnly && !error) continue;
    if (!r.chance(e.probability)) continue;
    const t = startNsOffset + Math.round((endNsOffset - startNsOffset) * e.at);
    events.push({ timeUnixNano: ctx.baseNs + BigInt(t), name: e.name, attributes: makeAttributes(e.attributes, r), droppedAttributesCount: 0 });
  }

  const links: SpanLink[] = op.links.length === 0 ? EMPTY_LINKS : [];
  for (const l of op.links) {
    if (!r.chance(l.probability)) continue;
    links.push({
      traceId: r.nonZeroId(16),
      spanId: r.nonZeroId(8),
      traceState: '',
      attributes: makeAttributes(l.attributes, r),
      droppedAttributesCount: 0,
      flags: FLAG_SAMPLED,
    });
  }

  const remoteParent = parentService !== -1 && parentService !== op.serviceIndex;
  if (error) ctx.anyError = true;
  const s = startNsOffset / 1e6;
  const e = endNsOffset / 1e6;
  if (s < ctx.minStartMs) ctx.minStartMs = s;
  if (e > ctx.maxEndMs) ctx.maxEndMs = e;

  const out = ctx.emitted;
  out.opIndex = opIndex;
  out.op = op;
  out.spanId = spanId;
  out.parentSpanId = parentSpanId;
  out.flags = FLAG_SAMPLED | FLAG_HAS_IS_REMOTE | (remoteParent ? FLAG_IS_REMOTE : 0);
  out.instance = instance;
  out.startNsOffset = startNsOffset;
  out.endNsOffset = endNsOffset;
  out.endMs = ctx.startUnixMs + e;
  out.attributes = attributes;
  out.plainAttributes = plainAttributes;
  out.events = events;
  out.links = links;
  out.error = error;
  out.statusMessage = error ? (incidentMessage ?? op.statusMessage) : '';
  ctx.spanCount++;
  ctx.sink.span(out);
}
