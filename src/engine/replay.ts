/**
 * `tracesim replay`: recorded spans through a collector pipeline in virtual time.
 *
 * Input files (format by extension):
 * - `.json`, `.jsonl`, `.ndjson`: OTLP JSON lines, one `ExportTraceServiceRequest` per line (what
 *   the collector's `file` exporter writes, and what the OpenTelemetry JS `JsonTraceSerializer`
 *   produces per request), or one pretty-printed request filling the file;
 * - `.bin`, `.pb`, `.binpb`: OTLP protobuf — one `ExportTraceServiceRequest` per file, or, if the
 *   file does not decode as one request, a stream of varint-length-delimited requests
 *   (protobuf's `writeDelimited` framing).
 *
 * Timing: every span arrives at the collector at its end time plus `arrivalDelayMs` (the SDK's
 * export delay); spans of the same resource arriving in the same millisecond travel in one
 * export. The virtual clock starts at the first arrival; the window is first → last arrival.
 *
 * Ground truth per trace, from the spans themselves: `error` if any span has status ERROR, else
 * `slow` if (latest end − earliest start) ≥ `slowThresholdMs`, else `normal`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Resource, ScopeSpans, Span, TraceBatch } from '../protocol/otlp/model.js';
import { getAttribute } from '../protocol/otlp/model.js';
import { decodeExportRequest } from '../protocol/otlp/proto-codec.js';
import { decodeJsonRequest, readJsonLines } from '../protocol/otlp/json-codec.js';
import { nanosToMs } from '../pipeline/clock.js';
import { InputError } from '../shared/errors.js';
import type { TraceClass } from '../ledger/ledger.js';
import type { EngineEvent } from './sim-runner.js';

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

const JSON_EXTENSIONS = new Set(['.json', '.jsonl', '.ndjson']);
const PROTO_EXTENSIONS = new Set(['.bin', '.pb', '.binpb']);

/** Reads every file into batches; unreadable or undecodable files are InputErrors naming them. */
export function readRecordedBatches(files: readonly string[]): { batches: TraceBatch[]; hash: string } {
  const hash = createHash('sha256');
  const batches: TraceBatch[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      throw new InputError(`cannot read recorded spans: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file, cause: err });
    }
    hash.update(bytes);
    const ext = extname(file).toLowerCase();
    try {
      if (JSON_EXTENSIONS.has(ext)) batches.push(...decodeJsonFile(bytes.toString('utf8')));
      else if (PROTO_EXTENSIONS.has(ext)) batches.push(...decodeProtobufFile(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
      else throw new InputError(`unknown recorded-span format "${ext}": use .json/.jsonl (OTLP JSON lines) or .bin/.pb (OTLP protobuf)`, { file });
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`cannot decode recorded spans: ${err instanceof Error ? err.message : String(err)}`, { file, cause: err });
    }
  }
  return { batches, hash: hash.digest('hex').slice(0, 16) };
}

/** JSON lines, or one (pretty-printed) request spanning the whole file. */
export function decodeJsonFile(text: string): TraceBatch[] {
  try {
    return [...readJsonLines(text)];
  } catch (lines) {
    try {
      return [decodeJsonRequest(text)];
    } catch {
      throw lines;
    }
  }
}

/** One request, or varint-length-delimited requests. */
export function decodeProtobufFile(bytes: Uint8Array): TraceBatch[] {
  try {
    return [decodeExportRequest(bytes)];
  } catch (single) {
    const out: TraceBatch[] = [];
    let pos = 0;
    while (pos < bytes.length) {
      let len = 0;
      let shift = 0;
      for (;;) {
        if (pos >= bytes.length || shift > 28) throw single;
        const b = bytes[pos++]!;
        len |= (b & 0x7f) << shift;
        if ((b & 0x80) === 0) break;
        shift += 7;
      }
      if (pos + len > bytes.length) throw single;
      out.push(decodeExportRequest(bytes.subarray(pos, pos + len)));
      pos += len;
    }
    return out;
  }
}

interface Arrival {
  atMs: number;
  order: number;
  resource: Resource;
  service: string;
  scope: ScopeSpans;
  span: Span;
}

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
        batch: { resourceSpans: [{ resource, scopeSpans, schemaUrl: '' }] },
      });
    }
    i = j;
  }
  const first = arrivals[0]!.atMs;
  const last = arrivals[arrivals.length - 1]!.atMs;
  return { events, instanceServices, startUnixMs: first, spanMs: last - first, spans: arrivals.length, traces: traces.size, hash: options.hash };
}

/** The report's name for a replay: the first file's base name (plus a count when several). */
export function replayName(files: readonly string[]): string {
  const first = basename(files[0] ?? 'replay', extname(files[0] ?? ''));
  return files.length > 1 ? `${first}+${files.length - 1}` : first;
}

/** An async iterable over an in-memory event list (the engine's input type). */
export async function* iterate(events: readonly EngineEvent[]): AsyncGenerator<EngineEvent> {
  for (const e of events) yield e;
}
