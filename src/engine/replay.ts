/**
 * `tracesim replay`: recorded spans through a collector pipeline in virtual time.
 *
 * Input files (format by extension):
 * - `.json`, `.jsonl`, `.ndjson`: OTLP JSON lines, one `ExportTraceServiceRequest` per line (what
 *   the collector's `file` exporter writes, and what the OpenTelemetry JS `JsonTraceSerializer`
 *   produces per request), or one pretty-printed request filling the file;
 * - `.bin`, `.pb`, `.binpb`: OTLP protobuf — one `ExportTraceServiceRequest` per file, or, if the
 *   file does not decode as one request, a stream of length-prefixed requests: a 4-byte
 *   big-endian length before each (the `file` exporter's `format: proto`, `exportMessageAsBuffer`)
 *   or, failing that, a varint length (protobuf's `writeDelimited`).
 *
 * zstd (the `file` exporter's `compression: zstd`, whole-file or per record) is detected and
 * refused: Node 20's zlib has no zstd.
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
import { forEachSpan, getAttribute } from '../protocol/otlp/model.js';
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
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** A zstd frame at `at`. */
function zstdAt(bytes: Uint8Array, at: number): boolean {
  return bytes.length >= at + ZSTD_MAGIC.length && ZSTD_MAGIC.every((b, i) => bytes[at + i] === b);
}

/** zstd output of the file exporter: one stream (native compression) or a frame per 4-byte length-prefixed record. */
function isZstd(bytes: Uint8Array): boolean {
  if (zstdAt(bytes, 0)) return true;
  return zstdAt(bytes, 4) && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) <= bytes.length - 4;
}

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
    if (isZstd(bytes)) {
      throw new InputError('zstd-compressed recorded spans (file exporter `compression: zstd`) cannot be read: Node 20 has no zstd; export them without compression', { file });
    }
    let decoded: TraceBatch[];
    try {
      if (JSON_EXTENSIONS.has(ext)) decoded = decodeJsonFile(bytes.toString('utf8'));
      else if (PROTO_EXTENSIONS.has(ext)) decoded = decodeProtobufFile(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      else throw new InputError(`unknown recorded-span format "${ext}": use .json, .jsonl or .ndjson (OTLP JSON lines) or .bin, .pb or .binpb (OTLP protobuf)`, { file });
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`cannot decode recorded spans: ${err instanceof Error ? err.message : String(err)}`, { file, cause: err });
    }
    checkRecordedSpans(decoded, file);
    batches.push(...decoded);
  }
  return { batches, hash: hash.digest('hex').slice(0, 16) };
}

/**
 * Each file must hold spans, and every span an end time: replay places a span at its end time, so
 * an unset one (0, 1970) would stretch the simulated window over decades.
 */
function checkRecordedSpans(batches: readonly TraceBatch[], file: string): void {
  let spans = 0;
  for (const b of batches) {
    forEachSpan(b, (span) => {
      spans++;
      if (span.endTimeUnixNano === 0n) throw new InputError(`span "${span.name}" (span ${spans} of the file) has no end time (endTimeUnixNano 0): replay places each span at its end time`, { file });
    });
  }
  if (spans === 0) throw new InputError('holds no spans: expected OTLP trace export requests (resourceSpans → scopeSpans → spans)', { file });
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

/** How each request of a stream is prefixed with its length. */
type Framing = 'uint32be' | 'varint';

/** A prefix's length field: the payload length and where the payload starts; undefined if cut short. */
function readPrefix(bytes: Uint8Array, pos: number, framing: Framing): { length: number; start: number } | undefined {
  if (framing === 'uint32be') {
    if (pos + 4 > bytes.length) return undefined;
    return { length: new DataView(bytes.buffer, bytes.byteOffset + pos, 4).getUint32(0), start: pos + 4 };
  }
  let length = 0;
  for (let shift = 0; shift <= 28 && pos < bytes.length; shift += 7) {
    const b = bytes[pos++]!;
    length += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return { length, start: pos };
  }
  return undefined;
}

/**
 * The payload ranges of a length-prefixed stream, or the first place where `framing` does not fit
 * (a prefix cut short, or a length running past the end of the file).
 */
function frames(bytes: Uint8Array, framing: Framing): { ranges: [number, number][] } | { error: string } {
  const ranges: [number, number][] = [];
  for (let pos = 0; pos < bytes.length; ) {
    const prefix = readPrefix(bytes, pos, framing);
    if (prefix === undefined) return { error: `at byte ${pos}: ${bytes.length - pos} trailing bytes, not a length prefix` };
    const end = prefix.start + prefix.length;
    if (end > bytes.length) return { error: `at byte ${pos}: request ${ranges.length + 1} claims ${prefix.length} bytes, only ${bytes.length - prefix.start} are left` };
    ranges.push([prefix.start, end]);
    pos = end;
  }
  return { ranges };
}

/** One request, or length-prefixed requests (4-byte big-endian, else varint); errors name the request and its byte offset. */
export function decodeProtobufFile(bytes: Uint8Array): TraceBatch[] {
  let single: unknown;
  try {
    return [decodeExportRequest(bytes)];
  } catch (err) {
    single = err;
  }
  const fileExporter = frames(bytes, 'uint32be');
  if ('ranges' in fileExporter) return decodeFrames(bytes, fileExporter.ranges);
  const delimited = frames(bytes, 'varint');
  if ('ranges' in delimited) return decodeFrames(bytes, delimited.ranges);
  const whole = single instanceof Error ? single.message : String(single);
  throw new Error(`neither one OTLP request (${whole}) nor 4-byte big-endian length-prefixed requests (${fileExporter.error})`);
}

function decodeFrames(bytes: Uint8Array, ranges: readonly [number, number][]): TraceBatch[] {
  return ranges.map(([start, end], i) => {
    try {
      return decodeExportRequest(bytes.subarray(start, end));
    } catch (err) {
      throw new Error(`request ${i + 1} (payload at byte ${start}): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  });
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
  const first = basename(files[0] ?? 'replay', extname(files[0] ?? ''));
  return files.length > 1 ? `${first}+${files.length - 1}` : first;
}

/** An async iterable over an in-memory event list (the engine's input type). */
export async function* iterate(events: readonly EngineEvent[]): AsyncGenerator<EngineEvent> {
  for (const e of events) yield e;
}
