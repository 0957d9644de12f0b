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
import { Random } from '../shared/random.js';
import { makeAttributes } from './attributes.js';
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
  traceId: Uint8Array;
  route: number;
  class: TraceClass;
  /** max span end − min span start, ms. */
  durationMs: number;
  /** In creation order (children before parents). */
  spans: BuiltSpan[];
}

const FLAG_SAMPLED = 0x01;
const FLAG_HAS_IS_REMOTE = 0x100;
const FLAG_IS_REMOTE = 0x200;

interface Ctx {
  cs: CompiledScenario;
  r: Random;
  traceId: Uint8Array;
  startUnixMs: number;
  baseNs: bigint;
  arrivalOffsetMs: number;
  spans: BuiltSpan[];
  anyError: boolean;
  minStartMs: number;
  maxEndMs: number;
}

/**
 * Builds trace `index`, arriving `arrivalOffsetMs` after the run start `startUnixMs` (an integer
 * ms since the Unix epoch). Spans share constant attribute objects: treat them as read-only.
 */
export function buildTrace(cs: CompiledScenario, index: number, arrivalOffsetMs: number, startUnixMs: number): BuiltTrace {
  const r = new Random(cs.seed, TRACE_STREAM, index);
  const route = r.pickWeighted(cs.routeCumulativeWeights);
  const traceId = r.fillNonZeroBytes(new Uint8Array(16));
  const ctx: Ctx = {
    cs,
    r,
    traceId,
    startUnixMs,
    baseNs: BigInt(startUnixMs) * 1_000_000n,
    arrivalOffsetMs,
    spans: [],
    anyError: false,
    minStartMs: Infinity,
    maxEndMs: -Infinity,
  };
  buildSpan(ctx, cs.routes[route]!.operation, arrivalOffsetMs, EMPTY, -1);
  const durationMs = ctx.maxEndMs - ctx.minStartMs;
  const cls: TraceClass = ctx.anyError ? 'error' : durationMs >= cs.slowThresholdMs ? 'slow' : 'normal';
  return { traceId, route, class: cls, durationMs, spans: ctx.spans };
}

const EMPTY = new Uint8Array(0);

interface PlannedCall {
  target: number;
  errorPropagation: number;
}

/** Builds one span and its subtree starting at `startMs` (offset); returns its end offset and status. */
function buildSpan(ctx: Ctx, opIndex: number, startMs: number, parentSpanId: Uint8Array, parentService: number): { endMs: number; error: boolean } {
  const { cs, r } = ctx;
  const op = cs.operations[opIndex]!;
  const spanId = r.fillNonZeroBytes(new Uint8Array(8));
  const svc = cs.services[op.serviceIndex]!;
  const instance = svc.firstInstance + (svc.instances === 1 ? 0 : r.nextInt(0, svc.instances - 1));

  const incident = activeIncident(op, ctx.arrivalOffsetMs);
  const selfMs = Math.max(0, op.latency(r) * (incident?.latencyMultiplier ?? 1));

  // Plan the calls (randomness consumed in declaration order), then lay them out in time.
  const groups: PlannedCall[][] = [];
  const asyncCalls: { target: number; delayMs: number }[] = [];
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
      if (ctx.spans.length >= MAX_SPANS_PER_TRACE) break;
      const child = buildSpan(ctx, planned.target, cursor, spanId, op.serviceIndex);
      if (child.endMs > groupEnd) groupEnd = child.endMs;
      if (child.error && r.chance(planned.errorPropagation)) error = true;
    }
    cursor = groupEnd + sliceMs;
  }
  const endMs = groups.length === 0 ? startMs + selfMs : cursor;

  emitSpan(ctx, op, spanId, parentSpanId, parentService, instance, startMs, endMs, error, incident?.statusMessage);

  for (const a of asyncCalls) {
    if (ctx.spans.length >= MAX_SPANS_PER_TRACE) break;
    // Async consumer errors do not propagate to the producer.
    buildSpan(ctx, a.target, endMs + a.delayMs, spanId, op.serviceIndex);
  }
  return { endMs, error };
}

function activeIncident(op: CompiledOperation, arrivalOffsetMs: number) {
  for (const inc of op.incidents) if (arrivalOffsetMs >= inc.startMs && arrivalOffsetMs < inc.endMs) return inc;
  return undefined;
}

function emitSpan(
  ctx: Ctx,
  op: CompiledOperation,
  spanId: Uint8Array,
  parentSpanId: Uint8Array,
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
  const startTimeUnixNano = ctx.baseNs + BigInt(startNsOffset);
  const endTimeUnixNano = ctx.baseNs + BigInt(endNsOffset);

  let attributes: KeyValue[] = makeAttributes(op.attributes, r);
  if (error && op.errorAttributes.length > 0) {
    const overrides = makeAttributes(op.errorAttributes, r);
    const keys = new Set(overrides.map((kv) => kv.key));
    attributes = attributes.filter((kv) => !keys.has(kv.key)).concat(overrides);
  }

  const events: SpanEvent[] = [];
  for (const e of op.events) {
    if (e.onErrorOnly && !error) continue;
    if (!r.chance(e.probability)) continue;
    const t = startNsOffset + Math.round((endNsOffset - startNsOffset) * e.at);
    events.push({ timeUnixNano: ctx.baseNs + BigInt(t), name: e.name, attributes: makeAttributes(e.attributes, r), droppedAttributesCount: 0 });
  }

  const links: SpanLink[] = [];
  for (const l of op.links) {
    if (!r.chance(l.probability)) continue;
    links.push({
      traceId: r.fillNonZeroBytes(new Uint8Array(16)),
      spanId: r.fillNonZeroBytes(new Uint8Array(8)),
      traceState: '',
      attributes: makeAttributes(l.attributes, r),
      droppedAttributesCount: 0,
      flags: FLAG_SAMPLED,
    });
  }

  const remoteParent = parentService !== -1 && parentService !== op.serviceIndex;
  const span: Span = {
    traceId: ctx.traceId,
    spanId,
    traceState: '',
    parentSpanId,
    flags: FLAG_SAMPLED | FLAG_HAS_IS_REMOTE | (remoteParent ? FLAG_IS_REMOTE : 0),
    name: op.spanName,
    kind: op.kind,
    startTimeUnixNano,
    endTimeUnixNano,
    attributes,
    droppedAttributesCount: 0,
    events,
    droppedEventsCount: 0,
    links,
    droppedLinksCount: 0,
    status: error ? { code: 2, message: incidentMessage ?? op.statusMessage } : { code: 0, message: '' },
  };
  if (error) ctx.anyError = true;
  const s = startNsOffset / 1e6;
  const e = endNsOffset / 1e6;
  if (s < ctx.minStartMs) ctx.minStartMs = s;
  if (e > ctx.maxEndMs) ctx.maxEndMs = e;
  ctx.spans.push({ span, instance, scope: op.scopeIndex, endMs: ctx.startUnixMs + e });
}
