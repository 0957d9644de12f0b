/**
 * Exact protobuf sizes of the OTLP trace messages, computed without encoding.
 *
 * The encoder (`proto-encode.ts`) runs the same walk first: every nested message length and every
 * string's UTF-8 byte length is recorded, in pre-order, into a scratch tape (`tape`), and the write
 * pass reads them back in the same order. So the encoder knows each length prefix before it writes
 * the body, writes into one buffer of exactly the right size, and scans each string only once for
 * its length. The public functions here run the same walk and return the total.
 *
 * Field presence (which zero values are written) is defined here, and the writer follows it:
 * it matches the OpenTelemetry JS serializer (`@opentelemetry/otlp-transformer`) so sizes equal
 * what SDKs send: span/event/link `dropped_*_count`, the status message with its `code`, the event
 * `name`, the scope `name` and the resource `dropped_attributes_count` are always written; other
 * fields only when non-empty / non-zero. Decoders accept both forms.
 *
 * A field costs `tag + (length varint + body)`; all tags used here are below field 16 and so one
 * byte, except `Span.flags` (field 16, two bytes).
 */
import type { AnyValue, InstrumentationScope, KeyValue, Resource, ResourceSpans, ScopeSpans, Span, SpanEvent, SpanLink, TraceBatch } from './model.js';

/** Scratch tape of recorded lengths (pre-order). Only valid between a measure and a write. */
let tape = new Int32Array(1 << 14);
let tapeLength = 0;

function reserve(): number {
  if (tapeLength === tape.length) {
    const bigger = new Int32Array(tape.length * 2);
    bigger.set(tape);
    tape = bigger;
  }
  return tapeLength++;
}

/** Bytes of a varint for an unsigned 32-bit value (0 ≤ v < 2^32). */
export function varint32Size(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

/** Bytes of an int64 varint; negative values take 10 (two's complement, 64 bits). */
export function int64Size(v: bigint): number {
  if (v < 0n) return 10;
  if (v < 0x10000000n) return varint32Size(Number(v));
  let n = 5;
  let rest = v >> 35n;
  while (rest > 0n) {
    n++;
    rest >>= 7n;
  }
  return n;
}

/**
 * UTF-8 byte length of a JS string as TextEncoder/Buffer write it: a lone surrogate becomes
 * U+FFFD (3 bytes). Equals `s.length` exactly when the string is ASCII. Node's native count
 * (`Buffer.byteLength`, a V8 fast call) follows the same rule and is ≈ 3× faster than a JS
 * loop over the code units on the sizing hot paths.
 */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Records the string's byte length and returns the size of the whole field (tag + len + bytes). */
function stringField(s: string): number {
  const len = utf8Length(s);
  // reserve() may replace `tape` with a bigger array: take the slot first, then index the new one.
  const slot = reserve();
  tape[slot] = len;
  return 1 + varint32Size(len) + len;
}

/** Size of a length-delimited field whose body is `len` bytes, tag of one byte. */
function lenField(len: number): number {
  return 1 + varint32Size(len) + len;
}

function anyValueBody(v: AnyValue): number {
  // Records this AnyValue's body length, then the nested lengths in pre-order.
  const slot = reserve();
  let size: number;
  if (typeof v === 'string') size = stringField(v);
  else if (typeof v === 'boolean') size = 2;
  else if (typeof v === 'bigint') size = 1 + int64Size(v);
  else if (typeof v === 'number') size = 9;
  else if (v === null) size = 0;
  else if (v instanceof Uint8Array) size = lenField(v.length);
  else if (Array.isArray(v)) {
    const inner = reserve();
    let body = 0;
    for (let i = 0; i < v.length; i++) body += lenField(anyValueBody(v[i]!));
    tape[inner] = body;
    size = lenField(body);
  } else {
    const inner = reserve();
    const body = attributesSize(v.kvlist);
    tape[inner] = body;
    size = lenField(body);
  }
  tape[slot] = size;
  return size;
}

function keyValueBody(kv: KeyValue): number {
  const slot = reserve();
  const size = stringField(kv.key) + lenField(anyValueBody(kv.value));
  tape[slot] = size;
  return size;
}

/** Total size of a repeated KeyValue field (one-byte tag) over `attributes`. */
function attributesSize(attributes: readonly KeyValue[]): number {
  let size = 0;
  for (let i = 0; i < attributes.length; i++) size += lenField(keyValueBody(attributes[i]!));
  return size;
}

function statusBody(span: Span): number {
  const slot = reserve();
  const st = span.status;
  const size = (st.message !== '' ? stringField(st.message) : 0) + 2;
  tape[slot] = size;
  return size;
}

function eventBody(e: SpanEvent): number {
  const slot = reserve();
  const size = 9 + stringField(e.name) + attributesSize(e.attributes) + 1 + varint32Size(e.droppedAttributesCount);
  tape[slot] = size;
  return size;
}

function linkBody(l: SpanLink): number {
  const slot = reserve();
  let size = lenField(l.traceId.length) + lenField(l.spanId.length);
  if (l.traceState !== '') size += stringField(l.traceState);
  size += attributesSize(l.attributes) + 1 + varint32Size(l.droppedAttributesCount);
  if (l.flags !== 0) size += 5;
  tape[slot] = size;
  return size;
}

/** Walks a span; records nested lengths; returns the span body size. */
export function measureSpan(span: Span): number {
  const slot = reserve();
  let size = lenField(span.traceId.length) + lenField(span.spanId.length);
  if (span.traceState !== '') size += stringField(span.traceState);
  if (span.parentSpanId.length > 0) size += lenField(span.parentSpanId.length);
  size += stringField(span.name);
  if (span.kind !== 0) size += 2;
  size += 18; // start and end: tag + fixed64 each
  size += attributesSize(span.attributes);
  size += 1 + varint32Size(span.droppedAttributesCount);
  for (let i = 0; i < span.events.length; i++) size += lenField(eventBody(span.events[i]!));
  size += 1 + varint32Size(span.droppedEventsCount);
  for (let i = 0; i < span.links.length; i++) size += lenField(linkBody(span.links[i]!));
  size += 1 + varint32Size(span.droppedLinksCount);
  size += lenField(statusBody(span));
  if (span.flags !== 0) size += 6; // two-byte tag + fixed32
  tape[slot] = size;
  return size;
}

function scopeBody(sc: InstrumentationScope): number {
  let scope = stringField(sc.name);
  if (sc.version !== '') scope += stringField(sc.version);
  scope += attributesSize(sc.attributes);
  if (sc.droppedAttributesCount !== 0) scope += 1 + varint32Size(sc.droppedAttributesCount);
  return scope;
}

function resourceBody(res: Resource): number {
  return attributesSize(res.attributes) + 1 + varint32Size(res.droppedAttributesCount);
}

/** Walks the `scope` field of a ScopeSpans; records its body length first; returns the field size. */
function measureScopeField(sc: InstrumentationScope): number {
  const slot = reserve();
  const body = scopeBody(sc);
  tape[slot] = body;
  return lenField(body);
}

/** Walks the `resource` field of a ResourceSpans; records its body length first; returns the field size. */
function measureResourceField(res: Resource): number {
  const slot = reserve();
  const body = resourceBody(res);
  tape[slot] = body;
  return lenField(body);
}

function measureScopeSpans(ss: ScopeSpans): number {
  const slot = reserve();
  let size = measureScopeField(ss.scope);
  for (let i = 0; i < ss.spans.length; i++) size += lenField(measureSpan(ss.spans[i]!));
  if (ss.schemaUrl !== '') size += stringField(ss.schemaUrl);
  tape[slot] = size;
  return size;
}

/** Walks a ResourceSpans; records nested lengths; returns its body size. */
export function measureResourceSpans(rs: ResourceSpans): number {
  const slot = reserve();
  let size = measureResourceField(rs.resource);
  for (let i = 0; i < rs.scopeSpans.length; i++) size += lenField(measureScopeSpans(rs.scopeSpans[i]!));
  if (rs.schemaUrl !== '') size += stringField(rs.schemaUrl);
  tape[slot] = size;
  return size;
}

/** Walks a request; records nested lengths; returns the request size. */
export function measureRequest(batch: TraceBatch): number {
  let size = 0;
  for (let i = 0; i < batch.resourceSpans.length; i++) size += lenField(measureResourceSpans(batch.resourceSpans[i]!));
  return size;
}

/** The tape filled by the last walk (read it right after measuring; the next walk overwrites it). */
export function currentTape(): Int32Array {
  return tape;
}

/** Empties the tape before a new walk. */
export function resetTape(): void {
  tapeLength = 0;
}

/**
 * Encoded size of one `Span` message body (= `encodeSpan(span).length`). Inside a request the
 * span also costs its tag and length prefix: `1 + varint32Size(size) + size`.
 */
export function spanProtoSize(span: Span): number {
  tapeLength = 0;
  return measureSpan(span);
}

/**
 * Size of the `resource` field of a ResourceSpans: tag, length and the Resource body. Leaves the
 * field's lengths on the tape (for `encodeResourceField`).
 */
export function resourceFieldProtoSize(res: Resource): number {
  tapeLength = 0;
  return measureResourceField(res);
}

/**
 * Size of the `scope` field of a ScopeSpans: tag, length and the InstrumentationScope body. Leaves
 * the field's lengths on the tape (for `encodeScopeField`).
 */
export function scopeFieldProtoSize(scope: InstrumentationScope): number {
  tapeLength = 0;
  return measureScopeField(scope);
}

/** Encoded size of one `ResourceSpans` message body. */
export function resourceSpansProtoSize(rs: ResourceSpans): number {
  tapeLength = 0;
  return measureResourceSpans(rs);
}

/** Encoded size of an `ExportTraceServiceRequest` (= `encodeExportRequest(batch).length`). */
export function exportRequestProtoSize(batch: TraceBatch): number {
  tapeLength = 0;
  return measureRequest(batch);
}
