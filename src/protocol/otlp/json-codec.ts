/**
 * OTLP/JSON for traces, per the OTLP specification's JSON encoding rules (the protobuf JSON
 * mapping with OTLP's exceptions):
 *
 * - keys are lowerCamelCase field names; decoding also accepts the proto field names
 *   (`trace_id`, `scope_spans`, as the protobuf JSON mapping requires of parsers and the
 *   collector's pdata does) and the pre-1.0 `instrumentationLibrarySpans` /
 *   `instrumentationLibrary` for `scopeSpans` / `scope`; other unknown keys are ignored;
 * - `traceId` / `spanId` / `parentSpanId` are hex strings (not base64); decoding accepts either
 *   case, and an empty string as "no id";
 * - enums (`kind`, `status.code`) are integers; decoding also accepts the enum value names;
 * - 64-bit integers (`startTimeUnixNano`, `intValue`, `rejectedSpans`, …) are decimal strings;
 *   decoding accepts strings and JSON numbers (integral);
 * - `bytesValue` is base64; doubles are JSON numbers, or "NaN" / "Infinity" / "-Infinity"; decoding
 *   also accepts "+Inf" / "-Inf", which the collector's pdata JSON writes (Go `%f`);
 * - fields holding their default value are omitted when encoding, except a set AnyValue member
 *   (`{"stringValue":""}` is kept: it differs from the empty value `{}`).
 *
 * The collector `file` exporter format is JSON lines: one `ExportTraceServiceRequest` per line
 * (`readJsonLines`, `writeJsonLine`). Errors are `OtlpDecodeError` with the JSON path and, for
 * JSON lines, the 1-based line number.
 */
import { OtlpDecodeError } from './decode-error.js';
import { MAX_ANY_VALUE_DEPTH } from './proto-decode.js';
import type { ExportResponse } from './model.js';
import type {
  AnyValue,
  InstrumentationScope,
  KeyValue,
  Resource,
  ResourceSpans,
  ScopeSpans,
  Span,
  SpanEvent,
  SpanKind,
  SpanLink,
  StatusCode,
  TraceBatch,
} from './model.js';
import { idFromHex, idToHex } from './model.js';

// ---------------------------------------------------------------------------------------------
// Encoding: model → plain JSON objects → JSON.stringify (one line).

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function anyValueJson(v: AnyValue): Json {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'bigint') return { intValue: v.toString() };
  if (typeof v === 'number') return { doubleValue: Number.isFinite(v) ? v : String(v) };
  if (v === null) return {};
  if (v instanceof Uint8Array) return { bytesValue: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (Array.isArray(v)) return { arrayValue: v.length > 0 ? { values: v.map(anyValueJson) } : {} };
  return { kvlistValue: v.kvlist.length > 0 ? { values: attributesJson(v.kvlist) } : {} };
}

function attributesJson(attributes: readonly KeyValue[]): Json[] {
  return attributes.map((kv) => ({ key: kv.key, value: anyValueJson(kv.value) }));
}

/** Adds `attributes` and `droppedAttributesCount` when non-empty / non-zero. */
function putAttributes(o: { [key: string]: Json }, attributes: readonly KeyValue[], dropped: number): void {
  if (attributes.length > 0) o.attributes = attributesJson(attributes);
  if (dropped !== 0) o.droppedAttributesCount = dropped;
}

function spanJson(s: Span): Json {
  const o: { [key: string]: Json } = { traceId: idToHex(s.traceId), spanId: idToHex(s.spanId) };
  if (s.traceState !== '') o.traceState = s.traceState;
  if (s.parentSpanId !== '') o.parentSpanId = idToHex(s.parentSpanId);
  if (s.flags !== 0) o.flags = s.flags;
  o.name = s.name;
  if (s.kind !== 0) o.kind = s.kind;
  o.startTimeUnixNano = s.startTimeUnixNano.toString();
  o.endTimeUnixNano = s.endTimeUnixNano.toString();
  putAttributes(o, s.attributes, s.droppedAttributesCount);
  if (s.events.length > 0) {
    o.events = s.events.map((e) => {
      const eo: { [key: string]: Json } = { timeUnixNano: e.timeUnixNano.toString(), name: e.name };
      putAttributes(eo, e.attributes, e.droppedAttributesCount);
      return eo;
    });
  }
  if (s.droppedEventsCount !== 0) o.droppedEventsCount = s.droppedEventsCount;
  if (s.links.length > 0) {
    o.links = s.links.map((l) => {
      const lo: { [key: string]: Json } = { traceId: idToHex(l.traceId), spanId: idToHex(l.spanId) };
      if (l.traceState !== '') lo.traceState = l.traceState;
      putAttributes(lo, l.attributes, l.droppedAttributesCount);
      if (l.flags !== 0) lo.flags = l.flags;
      return lo;
    });
  }
  if (s.droppedLinksCount !== 0) o.droppedLinksCount = s.droppedLinksCount;
  const status: { [key: string]: Json } = {};
  if (s.status.message !== '') status.message = s.status.message;
  if (s.status.code !== 0) status.code = s.status.code;
  o.status = status;
  return o;
}

function requestJson(batch: TraceBatch): Json {
  return {
    resourceSpans: batch.resourceSpans.map((rs) => {
      const resource: { [key: string]: Json } = {};
      putAttributes(resource, rs.resource.attributes, rs.resource.droppedAttributesCount);
      const o: { [key: string]: Json } = {
        resource,
        scopeSpans: rs.scopeSpans.map((ss) => {
          const scope: { [key: string]: Json } = {};
          if (ss.scope.name !== '') scope.name = ss.scope.name;
          if (ss.scope.version !== '') scope.version = ss.scope.version;
          putAttributes(scope, ss.scope.attributes, ss.scope.droppedAttributesCount);
          const so: { [key: string]: Json } = { scope, spans: ss.spans.map(spanJson) };
          if (ss.schemaUrl !== '') so.schemaUrl = ss.schemaUrl;
          return so;
        }),
      };
      if (rs.schemaUrl !== '') o.schemaUrl = rs.schemaUrl;
      return o;
    }),
  };
}

/** An `ExportTraceServiceRequest` as OTLP/JSON, on one line (no newline at the end). */
export function encodeJsonRequest(batch: TraceBatch): string {
  return JSON.stringify(requestJson(batch));
}

/** One line of the collector `file` exporter format: the request JSON plus `\n`. */
export function writeJsonLine(batch: TraceBatch): string {
  return `${encodeJsonRequest(batch)}\n`;
}

/** An `ExportTraceServiceResponse` as OTLP/JSON (`{}` when there is no partial success). */
export function encodeJsonResponse(r: ExportResponse): string {
  const ps = r.partialSuccess;
  if (ps === undefined) return '{}';
  const o: { [key: string]: Json } = {};
  if (ps.rejectedSpans !== 0n) o.rejectedSpans = ps.rejectedSpans.toString();
  if (ps.errorMessage !== '') o.errorMessage = ps.errorMessage;
  return JSON.stringify({ partialSuccess: o });
}

// ---------------------------------------------------------------------------------------------
// Decoding: JSON.parse, then a checked walk that names the JSON path of anything wrong.

function fail(path: string, detail: string): never {
  throw new OtlpDecodeError('json', detail, { path });
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

type Obj = { readonly [key: string]: unknown };

function asObject(v: unknown, path: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(path, `expected an object, got ${describe(v)}`);
  return withCamelCaseKeys(v as Obj);
}

/**
 * `o` with every proto field name (`start_time_unix_nano`) also under its lowerCamelCase JSON
 * name, unless that one is present too; `o` itself when no key has an underscore (the usual case).
 */
function withCamelCaseKeys(o: Obj): Obj {
  let out: Record<string, unknown> | undefined;
  for (const key in o) {
    if (!key.includes('_')) continue;
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    if (camel in o) continue;
    out ??= { ...o };
    out[camel] = o[key];
  }
  return out ?? o;
}

/** A repeated field: absent or null → []; otherwise must be an array. */
function asList(v: unknown, path: string): readonly unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(path, `expected an array, got ${describe(v)}`);
  return v;
}

function asString(v: unknown, path: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') fail(path, `expected a string, got ${describe(v)}`);
  return v;
}

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const INTEGER = /^-?\d+$/;

/** A 64-bit integer from a decimal string or an integral JSON number, range-checked. */
function asInt64(v: unknown, path: string, signed: boolean): bigint {
  if (v === undefined || v === null) return 0n;
  let n: bigint;
  if (typeof v === 'string' && INTEGER.test(v) && v.length <= 21) n = BigInt(v);
  else if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
  else if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v); // exact value of the double, as protobuf JSON parsers do
  else return fail(path, `expected a 64-bit integer (decimal string or number), got ${describe(v)}`);
  if (signed ? n < INT64_MIN || n > INT64_MAX : n < 0n || n > UINT64_MAX) fail(path, `${n} is out of ${signed ? 'int64' : 'uint64'} range`);
  return n;
}

/** A 32-bit unsigned integer (counts, flags) from a number or a decimal string. */
function asUint32(v: unknown, path: string): number {
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'string' && INTEGER.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) fail(path, `expected an unsigned 32-bit integer, got ${describe(v)}`);
  return n;
}

function asEnum(v: unknown, path: string, names: readonly string[]): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'string') {
    const i = names.indexOf(v);
    if (i >= 0) return i;
  }
  const n = asUint32(v, path);
  if (n >= names.length) fail(path, `${n} is not one of 0..${names.length - 1}`);
  return n;
}

const KIND_NAMES = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

const HEX_ID = /^[0-9a-fA-F]*$/;

/** A hex id of exactly `size` bytes as a binary-string id; empty → all zero (or '' when `emptyStaysEmpty`). */
function asId(v: unknown, path: string, size: number, emptyStaysEmpty: boolean): string {
  const hex = asString(v, path);
  if (hex === '') return emptyStaysEmpty ? '' : '\0'.repeat(size);
  if (!HEX_ID.test(hex) || hex.length % 2 !== 0) fail(path, `expected a hex string, got ${JSON.stringify(hex.slice(0, 40))}`);
  if (hex.length !== size * 2) fail(path, `expected ${size} bytes, got ${hex.length / 2}`);
  return idFromHex(hex);
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function asBytes(v: unknown, path: string): Uint8Array {
  const s = asString(v, path);
  if (!BASE64.test(s)) fail(path, 'expected base64');
  return Uint8Array.from(Buffer.from(s, s.includes('-') || s.includes('_') ? 'base64url' : 'base64'));
}

function asDouble(v: unknown, path: string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity' || v === '+Inf') return Infinity;
  if (v === '-Infinity' || v === '-Inf') return -Infinity;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return fail(path, `expected a number, got ${describe(v)}`);
}

function decodeAnyValue(v: unknown, path: string, depth: number): AnyValue {
  if (depth > MAX_ANY_VALUE_DEPTH) fail(path, `AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH}`);
  if (v === null || v === undefined) return null;
  const o = asObject(v, path);
  // A oneof: the first member present wins (a valid message has at most one).
  if (o.stringValue !== undefined && o.stringValue !== null) return asString(o.stringValue, `${path}.stringValue`);
  if (o.boolValue !== undefined && o.boolValue !== null) {
    if (typeof o.boolValue !== 'boolean') fail(`${path}.boolValue`, `expected a boolean, got ${describe(o.boolValue)}`);
    return o.boolValue;
  }
  if (o.intValue !== undefined && o.intValue !== null) return asInt64(o.intValue, `${path}.intValue`, true);
  if (o.doubleValue !== undefined && o.doubleValue !== null) return asDouble(o.doubleValue, `${path}.doubleValue`);
  if (o.arrayValue !== undefined && o.arrayValue !== null) {
    const a = asObject(o.arrayValue, `${path}.arrayValue`);
    return asList(a.values, `${path}.arrayValue.values`).map((item, i) =>
      decodeAnyValue(item, `${path}.arrayValue.values[${i}]`, depth + 1),
    );
  }
  if (o.kvlistValue !== undefined && o.kvlistValue !== null) {
    const kv = asObject(o.kvlistValue, `${path}.kvlistValue`);
    return { kvlist: decodeAttributes(kv.values, `${path}.kvlistValue.values`, depth + 1) };
  }
  if (o.bytesValue !== undefined && o.bytesValue !== null) return asBytes(o.bytesValue, `${path}.bytesValue`);
  return null;
}

function decodeAttributes(v: unknown, path: string, depth = 1): KeyValue[] {
  return asList(v, path).map((item, i) => {
    const p = `${path}[${i}]`;
    const o = asObject(item, p);
    return { key: asString(o.key, `${p}.key`), value: decodeAnyValue(o.value, `${p}.value`, depth) };
  });
}

function decodeEvent(v: unknown, path: string): SpanEvent {
  const o = asObject(v, path);
  return {
    timeUnixNano: asInt64(o.timeUnixNano, `${path}.timeUnixNano`, false),
    name: asString(o.name, `${path}.name`),
    attributes: decodeAttributes(o.attributes, `${path}.attributes`),
    droppedAttributesCount: asUint32(o.droppedAttributesCount, `${path}.droppedAttributesCount`),
  };
}

function decodeLink(v: unknown, path: string): SpanLink {
  const o = asObject(v, path);
  return {
    traceId: asId(o.traceId, `${path}.traceId`, 16, false),
    spanId: asId(o.spanId, `${path}.spanId`, 8, false),
    traceState: asString(o.traceState, `${path}.traceState`),
    attributes: decodeAttributes(o.attributes, `${path}.attributes`),
    droppedAttributesCount: asUint32(o.droppedAttributesCount, `${path}.droppedAttributesCount`),
    flags: asUint32(o.flags, `${path}.flags`),
  };
}

function decodeSpan(v: unknown, path: string): Span {
  const o = asObject(v, path);
  const status = o.status === undefined || o.status === null ? {} : asObject(o.status, `${path}.status`);
  return {
    traceId: asId(o.traceId, `${path}.traceId`, 16, false),
    spanId: asId(o.spanId, `${path}.spanId`, 8, false),
    traceState: asString(o.traceState, `${path}.traceState`),
    parentSpanId: asId(o.parentSpanId, `${path}.parentSpanId`, 8, true),
    flags: asUint32(o.flags, `${path}.flags`),
    name: asString(o.name, `${path}.name`),
    kind: asEnum(o.kind, `${path}.kind`, KIND_NAMES) as SpanKind,
    startTimeUnixNano: asInt64(o.startTimeUnixNano, `${path}.startTimeUnixNano`, false),
    endTimeUnixNano: asInt64(o.endTimeUnixNano, `${path}.endTimeUnixNano`, false),
    attributes: decodeAttributes(o.attributes, `${path}.attributes`),
    droppedAttributesCount: asUint32(o.droppedAttributesCount, `${path}.droppedAttributesCount`),
    events: asList(o.events, `${path}.events`).map((e, i) => decodeEvent(e, `${path}.events[${i}]`)),
    droppedEventsCount: asUint32(o.droppedEventsCount, `${path}.droppedEventsCount`),
    links: asList(o.links, `${path}.links`).map((l, i) => decodeLink(l, `${path}.links[${i}]`)),
    droppedLinksCount: asUint32(o.droppedLinksCount, `${path}.droppedLinksCount`),
    status: {
      code: asEnum(status.code, `${path}.status.code`, STATUS_NAMES) as StatusCode,
      message: asString(status.message, `${path}.status.message`),
    },
  };
}

function decodeScope(v: unknown, path: string): InstrumentationScope {
  if (v === undefined || v === null) return { name: '', version: '', attributes: [], droppedAttributesCount: 0 };
  const o = asObject(v, path);
  return {
    name: asString(o.name, `${path}.name`),
    version: asString(o.version, `${path}.version`),
    attributes: decodeAttributes(o.attributes, `${path}.attributes`),
    droppedAttributesCount: asUint32(o.droppedAttributesCount, `${path}.droppedAttributesCount`),
  };
}

function decodeResource(v: unknown, path: string): Resource {
  if (v === undefined || v === null) return { attributes: [], droppedAttributesCount: 0 };
  const o = asObject(v, path);
  return {
    attributes: decodeAttributes(o.attributes, `${path}.attributes`),
    droppedAttributesCount: asUint32(o.droppedAttributesCount, `${path}.droppedAttributesCount`),
  };
}

function decodeScopeSpans(v: unknown, path: string): ScopeSpans {
  const o = asObject(v, path);
  return {
    scope: decodeScope(o.scope ?? o.instrumentationLibrary, `${path}.scope`),
    spans: asList(o.spans, `${path}.spans`).map((s, i) => decodeSpan(s, `${path}.spans[${i}]`)),
    schemaUrl: asString(o.schemaUrl, `${path}.schemaUrl`),
  };
}

function decodeResourceSpans(v: unknown, path: string): ResourceSpans {
  const o = asObject(v, path);
  return {
    resource: decodeResource(o.resource, `${path}.resource`),
    scopeSpans: asList(o.scopeSpans ?? o.instrumentationLibrarySpans, `${path}.scopeSpans`).map((ss, i) => decodeScopeSpans(ss, `${path}.scopeSpans[${i}]`)),
    schemaUrl: asString(o.schemaUrl, `${path}.schemaUrl`),
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    return fail('', `invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Decodes an OTLP/JSON `ExportTraceServiceRequest`. */
export function decodeJsonRequest(text: string): TraceBatch {
  const o = asObject(parse(text), '');
  return { resourceSpans: asList(o.resourceSpans, 'resourceSpans').map((rs, i) => decodeResourceSpans(rs, `resourceSpans[${i}]`)) };
}

/** Decodes an OTLP/JSON `ExportTraceServiceResponse`. */
export function decodeJsonResponse(text: string): ExportResponse {
  const o = asObject(parse(text), '');
  if (o.partialSuccess === undefined || o.partialSuccess === null) return {};
  const ps = asObject(o.partialSuccess, 'partialSuccess');
  return {
    partialSuccess: {
      rejectedSpans: asInt64(ps.rejectedSpans, 'partialSuccess.rejectedSpans', true),
      errorMessage: asString(ps.errorMessage, 'partialSuccess.errorMessage'),
    },
  };
}

/**
 * Reads the collector `file` exporter format: one request per line; blank lines are skipped.
 * Lazily decodes line by line; an error names the 1-based line.
 */
export function* readJsonLines(text: string): Iterable<TraceBatch> {
  let start = 0;
  let line = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    const content = text.slice(start, end).trim();
    start = end + 1;
    if (content === '') continue;
    try {
      yield decodeJsonRequest(content);
    } catch (err) {
      if (err instanceof OtlpDecodeError) err.atLine(line);
      throw err;
    }
  }
}
