/**
 * Protobuf sizes as the collector computes them (`ptrace.ProtoMarshaler.TracesSize`, the gogo
 * `Size()` methods of pdata's `protogen` messages; open-telemetry/opentelemetry-collector,
 * `pdata/internal/data/protogen/{trace,common}/v1/*.pb.go`, `pdata/internal/data/spanid.go`).
 * Every size the collector's components act on is one of these: `bytes_limiting` tokens and
 * `maximum_trace_size_bytes` in `tail_sampling`, the `bytes` queue sizer, batch size metrics.
 *
 * The collector's field presence differs from the SDK serializer's (`size.ts`), so the same span
 * has two sizes. The collector writes:
 * - scalars (`kind`, times, `dropped_*_count`, `flags`, status `code`) only when non-zero, strings
 *   (`name`, `trace_state`, key, scope `name`) only when non-empty;
 * - `trace_id`, `span_id` and `parent_span_id` always (non-nullable custom types), with an empty
 *   body when the id is all zero — so a root span carries a 2-byte empty `parent_span_id`;
 * - `status`, a ResourceSpans' `resource`, a ScopeSpans' `scope` and a KeyValue's `value` always
 *   (non-nullable messages), even when empty;
 * - an AnyValue's set member always (a string value even when empty); no member, no bytes.
 *
 * For a span the SDK serializer also writes the zero `dropped_*_count`s and status `code`, the
 * empty `name` and zero times, and leaves out an empty `parent_span_id`: the collector's span is
 * typically 8 bytes smaller per span, 2 larger for a root span.
 */
import type { AnyValue, InstrumentationScope, KeyValue, Resource, ResourceSpans, Span, SpanEvent, SpanLink, TraceBatch } from './model.js';
import { int64Size, utf8Length, varint32Size } from './size.js';

/** Tag (one byte) + length varint + body. */
function field(len: number): number {
  return 1 + varint32Size(len) + len;
}

/** A string field written only when non-empty (proto3 scalar presence). */
function optionalString(s: string): number {
  return s === '' ? 0 : field(utf8Length(s));
}

/** A uint32 field written only when non-zero. */
function optionalVarint(v: number): number {
  return v === 0 ? 0 : 1 + varint32Size(v);
}

/** True when every byte of the binary-string id is 0 (pdata `IsEmpty`): its body is then empty. */
function isZeroId(id: string): boolean {
  for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) !== 0) return false;
  return true;
}

/** An id field: always written, with an empty body for an empty or all-zero id. */
function idField(id: string): number {
  return isZeroId(id) ? 2 : 2 + id.length;
}

function anyValueBody(v: AnyValue): number {
  if (typeof v === 'string') return field(utf8Length(v));
  if (typeof v === 'boolean') return 2;
  if (typeof v === 'bigint') return 1 + int64Size(v);
  if (typeof v === 'number') return 9;
  if (v === null) return 0;
  if (v instanceof Uint8Array) return field(v.length);
  if (Array.isArray(v)) {
    let body = 0;
    for (let i = 0; i < v.length; i++) body += field(anyValueBody(v[i]!));
    return field(body);
  }
  return field(attributesSize(v.kvlist));
}

function keyValueBody(kv: KeyValue): number {
  return optionalString(kv.key) + field(anyValueBody(kv.value));
}

function attributesSize(attributes: readonly KeyValue[]): number {
  let size = 0;
  for (let i = 0; i < attributes.length; i++) size += field(keyValueBody(attributes[i]!));
  return size;
}

function eventBody(e: SpanEvent): number {
  return (e.timeUnixNano !== 0n ? 9 : 0) + optionalString(e.name) + attributesSize(e.attributes) + optionalVarint(e.droppedAttributesCount);
}

function linkBody(l: SpanLink): number {
  return (
    idField(l.traceId) +
    idField(l.spanId) +
    optionalString(l.traceState) +
    attributesSize(l.attributes) +
    optionalVarint(l.droppedAttributesCount) +
    (l.flags !== 0 ? 5 : 0)
  );
}

/** The collector's size of one `Span` message body. */
export function pdataSpanSize(span: Span): number {
  let size = idField(span.traceId) + idField(span.spanId) + optionalString(span.traceState) + idField(span.parentSpanId);
  size += optionalString(span.name) + optionalVarint(span.kind);
  if (span.startTimeUnixNano !== 0n) size += 9;
  if (span.endTimeUnixNano !== 0n) size += 9;
  size += attributesSize(span.attributes) + optionalVarint(span.droppedAttributesCount);
  for (let i = 0; i < span.events.length; i++) size += field(eventBody(span.events[i]!));
  size += optionalVarint(span.droppedEventsCount);
  for (let i = 0; i < span.links.length; i++) size += field(linkBody(span.links[i]!));
  size += optionalVarint(span.droppedLinksCount);
  size += field(optionalString(span.status.message) + optionalVarint(span.status.code));
  if (span.flags !== 0) size += 6; // two-byte tag + fixed32
  return size;
}

/**
 * The collector's size of a span whose SDK-serializer body (`spanProtoSize`, the length of its
 * `encodeSpan` bytes) is `sdkBytes` long, without walking its attributes: the two forms differ
 * only in the fields listed in the module comment. Spans with events, links, an empty or
 * nested-value attribute key, or an all-zero trace or span id take the full walk instead.
 * Equal to `pdataSpanSize(span)` (tested).
 */
export function pdataSpanSizeFromSdk(span: Span, sdkBytes: number): number {
  if (span.events.length > 0 || span.links.length > 0 || !flatAttributes(span.attributes)) return pdataSpanSize(span);
  if (isZeroId(span.traceId) || isZeroId(span.spanId)) return pdataSpanSize(span);
  let size = sdkBytes;
  // parent: the SDK writes it only when set; the collector always (empty body when all zero)
  if (span.parentSpanId === '') size += 2;
  else if (isZeroId(span.parentSpanId)) size -= span.parentSpanId.length;
  if (span.name === '') size -= 2;
  if (span.startTimeUnixNano === 0n) size -= 9;
  if (span.endTimeUnixNano === 0n) size -= 9;
  if (span.droppedAttributesCount === 0) size -= 2;
  if (span.droppedEventsCount === 0) size -= 2;
  if (span.droppedLinksCount === 0) size -= 2;
  if (span.status.code === 0) {
    // the SDK's status body has the code (2 bytes) even when 0; the collector's does not
    const message = span.status.message === '' ? 0 : field(utf8Length(span.status.message));
    size -= field(message + 2) - field(message);
  }
  return size;
}

/** Attributes whose keys are non-empty and whose values hold no nested KeyValues. */
function flatAttributes(attributes: readonly KeyValue[]): boolean {
  for (let i = 0; i < attributes.length; i++) {
    const kv = attributes[i]!;
    if (kv.key === '') return false;
    const v = kv.value;
    if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) return false;
  }
  return true;
}

/** The collector's size of a ResourceSpans' `resource` field (tag, length, Resource body). */
export function pdataResourceFieldSize(res: Resource): number {
  return field(attributesSize(res.attributes) + optionalVarint(res.droppedAttributesCount));
}

/** The collector's size of a ScopeSpans' `scope` field (tag, length, InstrumentationScope body). */
export function pdataScopeFieldSize(scope: InstrumentationScope): number {
  return field(optionalString(scope.name) + optionalString(scope.version) + attributesSize(scope.attributes) + optionalVarint(scope.droppedAttributesCount));
}

/** The collector's size of one `ResourceSpans` message body (`ptrace.ProtoMarshaler.ResourceSpansSize`). */
export function pdataResourceSpansSize(rs: ResourceSpans): number {
  let size = pdataResourceFieldSize(rs.resource);
  for (let i = 0; i < rs.scopeSpans.length; i++) {
    const ss = rs.scopeSpans[i]!;
    let body = pdataScopeFieldSize(ss.scope);
    for (let j = 0; j < ss.spans.length; j++) body += field(pdataSpanSize(ss.spans[j]!));
    body += optionalString(ss.schemaUrl);
    size += field(body);
  }
  return size + optionalString(rs.schemaUrl);
}

/** The collector's size of a batch as `TracesData` / an export request (`ptrace.ProtoMarshaler.TracesSize`). */
export function pdataTracesSize(batch: TraceBatch): number {
  let size = 0;
  for (let i = 0; i < batch.resourceSpans.length; i++) size += field(pdataResourceSpansSize(batch.resourceSpans[i]!));
  return size;
}
