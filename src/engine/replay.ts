/**
 * `tracesim replay`: recorded spans through a collector pipeline in virtual time.
 *
 * Input files are read by recorded-files.ts (the `file` exporter's formats, zstd included).
 *
 * Timing: every span arrives at the collector at its end time plus `arrivalDelayMs` (the SDK's
 * export delay); spans of the same resource arriving in the same millisecond travel in one
 * export. The virtual clock starts at the first arrival; the window is first → last arrival.
 *
 * Ground truth per trace, from the spans themselves: `error` if any span has status ERROR, else
 * `slow` if (latest end − earliest start) ≥ `slowThresholdMs`, else `normal`.
 */
import { basename, extname } from 'node:path';
import type { Resource, ScopeSpans, Span, TraceBatch } from '../protocol/otlp/model.js';
import { getAttribute } from '../protocol/otlp/model.js';
import { nanosToMs } from '../pipeline/clock.js';
import { InputError } from '../shared/errors.js';
import type { TraceClass } from '../ledger/ledger.js';
import type { EngineEvent } from './sim-runner.js';
import { withoutCompressionSuffix } from './recorded-files.js';

export interface RecordedTraffic {
  events: EngineEvent[];
  /** Service name per instance index used by the export events. */
  instanceServices: string[];
  startUnixMs: number;
  /** First → last arrival, ms. */
  spanMs: number;
  spans: number;
  traces: number;
  /** sha256 of the files' bytes (first 16 hex digits), the report's scenario hash. */
  hash: string;
}

interface Arrival {
  atMs: number;
  order: number;
  resource: Resource;
  service: string;
  scope: ScopeSpans;
  span: Span;
}

/** The longest recording replay accepts (first → last span end): longer almost always means a bad timestamp. */
const MAX_RECORDED_WINDOW_MS = 7 * 86_400_000;

/** Turns recorded batches into the engine's time-ordered event stream. */
export function recordedTraffic(batches: readonly TraceBatch[], options: { arrivalDelayMs: number; slowThresholdMs: number; hash: string }): RecordedTraffic {
  const arrivals: Arrival[] = [];
  const traces = new Map<string, { first: number; startMs: number; endMs: number; error: boolean; spans: number }>();
  let order = 0;
  for (const b of batches) {
    for (const rs of b.resourceSpans) {
      const name = getAttribute(rs.resource.attributes, 'service.name');
      const service = typeof name === 'string' ? name : 'unknown_service';
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) {
          const startMs = nanosToMs(span.startTimeUnixNano);
          const endMs = nanosToMs(span.endTimeUnixNano);
          const atMs = Math.floor(endMs + options.arrivalDelayMs);
          arrivals.push({ atMs, order: order++, resource: rs.resource, service, scope: ss, span });
          const t = traces.get(span.traceId);
          if (!t) traces.set(span.traceId, { first: atMs, startMs, endMs, error: span.status.code === 2, spans: 1 });
          else {
            t.first = Math.min(t.first, atMs);
            t.startMs = Math.min(t.startMs, startMs);
            t.endMs = Math.max(t.endMs, endMs);
            t.error ||= span.status.code === 2;
            t.spans++;
          }
        }
      }
    }
  }
  if (arrivals.length === 0) throw new InputError('the recorded files hold no spans');
  arrivals.sort((a, b) => a.atMs - b.atMs || a.order - b.order);

  const instanceOf = new Map<string, number>();
  const instanceServices: string[] = [];
  const events: EngineEvent[] = [];
  const announced = new Set<string>();
  let traceIndex = 0;
  /** Exports so far per instance: each export's number (replay has no SDK model to hold, but every export carries one). */
  const exportCounts: number[] = [];
  let i = 0;
  while (i < arrivals.length) {
    const atMs = arrivals[i]!.atMs;
    // All spans arriving in this millisecond: announce their traces first, then one export per resource.
    let j = i;
    while (j < arrivals.length && arrivals[j]!.atMs === atMs) j++;
    const byResource = new Map<Resource, { service: string; scopes: Map<ScopeSpans, Span[]> }>();
    for (let k = i; k < j; k++) {
      const a = arrivals[k]!;
      const traceId = a.span.traceId;
      if (!announced.has(traceId)) {
        announced.add(traceId);
        const t = traces.get(traceId)!;
        const cls: TraceClass = t.error ? 'error' : t.endMs - t.startMs >= options.slowThresholdMs ? 'slow' : 'normal';
        events.push({ type: 'trace', traceId, traceIndex: traceIndex++, class: cls, spanCount: t.spans, route: 0, routeName: 'replay', arrivalMs: t.first });
      }
      let group = byResource.get(a.resource);
      if (!group) byResource.set(a.resource, (group = { service: a.service, scopes: new Map() }));
      const list = group.scopes.get(a.scope);
      if (list) list.push(a.span);
      else group.scopes.set(a.scope, [a.span]);
    }
    for (const [resource, group] of byResource) {
      let instance = instanceOf.get(group.service);
      if (instance === undefined) {
        instance = instanceServices.length;
        instanceOf.set(group.service, instance);
        instanceServices.push(group.service);
      }
      const scopeSpans: ScopeSpans[] = [...group.scopes].map(([ss, spans]) => ({ scope: ss.scope, spans, schemaUrl: ss.schemaUrl }));
      events.push({
        type: 'export',
        atMs,
        instanceIndex: instance,
        exportSeq: (exportCounts[instance] = (exportCounts[instance] ?? -1) + 1),
        batch: { resourceSpans: [{ resource, scopeSpans, schemaUrl: '' }] },
      });
    }
    i = j;
  }
  const first = arrivals[0]!.atMs;
  const last = arrivals[arrivals.length - 1]!.atMs;
  if (last - first > MAX_RECORDED_WINDOW_MS) {
    const days = ((last - first) / 86_400_000).toFixed(1);
    throw new InputError(
      `the recorded spans end ${days} days apart (${new Date(first).toISOString()} … ${new Date(last).toISOString()}); replay simulates every second in between — look for spans with wrong timestamps, or replay at most ${MAX_RECORDED_WINDOW_MS / 86_400_000} days at a time`,
    );
  }
  return { events, instanceServices, startUnixMs: first, spanMs: last - first, spans: arrivals.length, traces: traces.size, hash: options.hash };
}

/** The report's name for a replay: the first file's base name (plus a count when several). */
export function replayName(files: readonly string[]): string {
  const file = withoutCompressionSuffix(files[0] ?? 'replay');
  const first = basename(file, extname(file));
  return files.length > 1 ? `${first}+${files.length - 1}` : first;
}

/** An async iterable over an in-memory event list (the engine's input type). */
export async function* iterate(events: readonly EngineEvent[]): AsyncGenerator<EngineEvent> {
  for (const e of events) yield e;
}
