/**
 * Hand-written protobuf decoder for OTLP traces into the span model (`model.ts`):
 * `ExportTraceServiceRequest` (or `TracesData`), `ExportTraceServiceResponse` and single `Span`
 * message bodies. The encoder is `proto-encode.ts`.
 *
 * A bounds-checked reader over the input: every loop consumes at least one byte, every length is
 * checked against its enclosing message before use, and AnyValue nesting is limited to
 * `MAX_ANY_VALUE_DEPTH`. Any problem throws `OtlpDecodeError` naming the field path and byte
 * offset; nothing else is thrown. Unknown fields are skipped (proto3 rules); fields tracesim does
 * not model (`Resource.entity_refs`) are skipped too. Ids must be empty (read as all-zero, as the
 * collector does) or exactly 16 / 8 bytes; an empty `parent_span_id` stays empty (`''`). Ids
 * decode to binary strings (model.ts), and consecutive spans of one trace in an input share one
 * trace-id string. Decoded bytes values never alias the input buffer.
 */
import { OtlpDecodeError } from './decode-error.js';
import type {
  AnyValue,
  ExportResponse,
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
import { EMPTY_EVENTS, EMPTY_LINKS, sharedStatus } from './model.js';

/** Deepest AnyValue nesting (arrays / kvlists inside values) the decoders accept. */
export const MAX_ANY_VALUE_DEPTH = 64;

// ---------------------------------------------------------------------------------------------
// Reader state: the input, a DataView over it (cached per input buffer) and the cursor.
let B: Uint8Array = new Uint8Array(0);
let BV: DataView = new DataView(B.buffer);
let p = 0;
const utf8 = new TextDecoder('utf-8');

function setInput(bytes: Uint8Array, start: number): void {
  if (bytes !== B) {
    B = bytes;
    BV = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  p = start;
  lastTraceIdAt = -1;
}

function fail(detail: string, field = '', offset = p): never {
  throw new OtlpDecodeError('protobuf', detail, { path: field, offset });
}

/** Reads a varint and returns its low 32 bits as an unsigned number (uint32, enum, tag, length). */
function readVarint(end: number): number {
  if (p < end) {
    const c = B[p]!;
    if (c < 0x80) {
      p++;
      return c;
    }
  }
  const start = p;
  let result = 0;
  for (let i = 0; i < 10; i++) {
    if (p >= end) fail('truncated varint', '', start);
    const c = B[p++]!;
    if (i < 5) result |= (c & 0x7f) << (7 * i);
    if (c < 0x80) return result >>> 0;
  }
  return fail('varint longer than 10 bytes', '', start);
}

/**
 * Small non-negative int values (status codes, ports, counts) as shared bigints: a bigint is
 * immutable, so one object per value serves every span. Filled on first use; 16 384 slots
 * (128 KiB) cover the values attribute sets repeat most.
 */
const SMALL_BIGINTS: (bigint | undefined)[] = new Array<bigint | undefined>(1 << 14).fill(undefined);

function smallBigInt(v: number): bigint {
  if (v >= SMALL_BIGINTS.length) return BigInt(v);
  let b = SMALL_BIGINTS[v];
  if (b === undefined) SMALL_BIGINTS[v] = b = BigInt(v);
  return b;
}

/** Reads an int64 varint as a signed bigint. */
function readInt64(end: number): bigint {
  const start = p;
  let lo = 0;
  for (let i = 0; i < 4; i++) {
    if (p >= end) fail('truncated varint', '', start);
    const c = B[p++]!;
    lo |= (c & 0x7f) << (7 * i);
    if (c < 0x80) return smallBigInt(lo);
  }
  let v = BigInt(lo);
  let shift = 28n;
  for (let i = 4; i < 10; i++) {
    if (p >= end) fail('truncated varint', '', start);
    const c = B[p++]!;
    v |= BigInt(c & 0x7f) << shift;
    if (c < 0x80) return BigInt.asIntN(64, v);
    shift += 7n;
  }
  return fail('varint longer than 10 bytes', '', start);
}

/** Reads a length prefix and checks the body fits in the enclosing message; returns the body end. */
function readLength(end: number, field: string): number {
  const at = p;
  const len = readVarint(end);
  if (p - at > 5) fail('length varint longer than 5 bytes', field, at);
  if (len > end - p) fail(`length ${len} exceeds the ${end - p} bytes left in the enclosing message`, field, at);
  return p + len;
}

function readFixed64(end: number, field: string): bigint {
  if (end - p < 8) fail(`truncated fixed64: ${end - p} bytes left`, field);
  const v = BV.getBigUint64(p, true);
  p += 8;
  return v;
}

function readFixed32(end: number, field: string): number {
  if (end - p < 4) fail(`truncated fixed32: ${end - p} bytes left`, field);
  const v = (B[p]! | (B[p + 1]! << 8) | (B[p + 2]! << 16) | (B[p + 3]! << 24)) >>> 0;
  p += 4;
  return v;
}

function readString(end: number, field: string): string {
  const e = readLength(end, field);
  const start = p;
  p = e;
  const len = e - start;
  if (len === 0) return '';
  const buf = B; // a local: module-level bindings are slower to read in a loop
  if (len <= MAX_CACHED_STRING) {
    // Sampled hash (the length, about 8 bytes spread over the string and the last byte), so a
    // hit costs one compare pass and allocates nothing. The cache holds ASCII strings only, so
    // a full match also proves the bytes ASCII.
    let h = len;
    const step = (len >>> 3) + 1;
    for (let i = start; i < e; i += step) h = (Math.imul(h, 31) + buf[i]!) | 0;
    h = (Math.imul(h, 31) + buf[e - 1]!) | 0;
    const slot = (h ^ (h >>> 15)) & STRING_CACHE_MASK;
    const cached = stringCache[slot]!;
    if (cached.length === len) {
      let j = 0;
      while (j < len && cached.charCodeAt(j) === buf[start + j]) j++;
      if (j === len) return cached;
    }
    if (isAscii(buf, start, e)) {
      const fresh = latin1Slice.call(buf, start, e);
      stringCache[slot] = fresh;
      return fresh;
    }
  } else if (isAscii(buf, start, e)) return latin1Slice.call(buf, start, e);
  return utf8.decode(buf.subarray(start, e));
}

function isAscii(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end && buf[i]! < 0x80) i++;
  return i === end;
}

/**
 * Node's native latin1 decoder (`Buffer#latin1Slice`), callable on any Uint8Array. For ASCII
 * bytes latin1 and UTF-8 agree, and it builds a one-byte string with no intermediate objects.
 */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice: (this: Uint8Array, start: number, end: number) => string }).latin1Slice;

/**
 * Decoded short ASCII strings, by hash of their bytes. Attribute keys and most values repeat
 * (bounded pools), so most reads become a hash + compare with no allocation. Direct-mapped:
 * a collision just replaces the entry, so memory stays bounded (4096 strings of ≤ 64 chars).
 */
const MAX_CACHED_STRING = 64;
const STRING_CACHE_MASK = 4095;
// Filled with '' (never a hit for len > 0) so the array stays packed with one element kind.
const stringCache: string[] = new Array<string>(STRING_CACHE_MASK + 1).fill('');

/** A plain Uint8Array copy of B[start, end): never a view (Buffer#slice would alias the input). */
function copyOut(start: number, end: number): Uint8Array {
  const buf = B;
  const bytes = new Uint8Array(end - start);
  for (let i = start, j = 0; i < end; i++, j++) bytes[j] = buf[i]!;
  return bytes;
}

function readBytes(end: number, field: string): Uint8Array {
  const e = readLength(end, field);
  const bytes = e - p > 64 ? new Uint8Array(B.subarray(p, e)) : copyOut(p, e);
  p = e;
  return bytes;
}

/** A 16-byte id: empty (→ all-zero) or exactly 16 bytes. */
function readTraceId(end: number, field: string): string {
  const at = p;
  const e = readLength(end, field);
  const len = e - p;
  if (len === 0) return ZERO_TRACE_ID;
  if (len !== 16) fail(`expected 16 bytes, got ${len}`, field, at);
  const b = B;
  const s = p;
  p = e;
  // Explicit arguments: a one-byte string with no intermediate objects (~10 ns; a 16-byte
  // Uint8Array copy, or Buffer#latin1Slice, costs more).
  return String.fromCharCode(
    b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!,
    b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!,
  );
}

/** An 8-byte id: empty (→ all-zero, or '' when `emptyStaysEmpty`) or exactly 8 bytes. */
function readSpanId(end: number, field: string, emptyStaysEmpty: boolean): string {
  const at = p;
  const e = readLength(end, field);
  const len = e - p;
  if (len === 0) return emptyStaysEmpty ? '' : ZERO_SPAN_ID;
  if (len !== 8) fail(`expected 8 bytes, got ${len}`, field, at);
  const b = B;
  const s = p;
  p = e;
  return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
}

/**
 * Where in B the trace-id bytes of the last span that had 16 of them lie (−1: none yet in this
 * input), and the string made of them. The spans of a trace usually come together, so a span
 * whose 16 trace-id bytes equal those reuses the string: one string per run of spans of a trace,
 * not one per span (a 16-char string is 32 heap bytes, kept as long as its span is buffered).
 */
let lastTraceIdAt = -1;
let lastTraceId = '';

/** A span's `trace_id` (as `readTraceId`), sharing the previous span's string when the bytes are equal. */
function readSpanTraceId(end: number): string {
  const prev = lastTraceIdAt;
  // fast path: a one-byte length 16 and the same 16 bytes as the previous span's
  if (prev >= 0 && end - p >= 17 && B[p] === 16) {
    const b = B;
    const s = p + 1;
    let i = 0;
    while (i < 16 && b[s + i] === b[prev + i]) i++;
    if (i === 16) {
      p = s + 16;
      return lastTraceId;
    }
  }
  const at = p;
  const id = readTraceId(end, 'trace_id');
  if (p - at === 17) {
    lastTraceIdAt = at + 1;
    lastTraceId = id;
  }
  return id;
}

const ZERO_TRACE_ID = '\0'.repeat(16);
const ZERO_SPAN_ID = '\0'.repeat(8);

/** Skips a field of an unknown (or unmodelled) number. */
function skipField(wireType: number, end: number, field: number): void {
  switch (wireType) {
    case 0:
      readVarint(end);
      return;
    case 1:
      if (end - p < 8) fail('truncated fixed64', `field ${field}`);
      p += 8;
      return;
    case 2:
      p = readLength(end, `field ${field}`);
      return;
    case 5:
      if (end - p < 4) fail('truncated fixed32', `field ${field}`);
      p += 4;
      return;
    default:
      fail(`unsupported wire type ${wireType} for field ${field}`);
  }
}

/** Reads a tag; rejects field number 0. Returns the tag (field << 3 | wire type). */
function readTag(end: number): number {
  const at = p;
  const tag = readVarint(end);
  if (tag >>> 3 === 0) fail('field number 0 is invalid', '', at);
  return tag;
}

function wrongWireType(tag: number, name: string): never {
  return fail(`wrong wire type ${tag & 7} for field ${tag >>> 3}`, name);
}

/** `err`, with `segment` prefixed to its path when it is a decode error (hot paths: no closure). */
function prefixed(err: unknown, segment: string): unknown {
  if (err instanceof OtlpDecodeError) err.prefixPath(segment);
  return err;
}

/** Runs `decode` and prefixes the path segment on a decode error. */
function within<T>(segment: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof OtlpDecodeError) err.prefixPath(segment);
    throw err;
  }
}

function decodeAnyValue(end: number, depth: number): AnyValue {
  if (depth > MAX_ANY_VALUE_DEPTH) fail(`AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH}`);
  let v: AnyValue = null;
  while (p < end) {
    const tag = readTag(end);
    switch (tag >>> 3) {
      case 1:
        if (tag !== 0x0a) wrongWireType(tag, 'string_value');
        v = readString(end, 'string_value');
        break;
      case 2:
        if (tag !== 0x10) wrongWireType(tag, 'bool_value');
        v = readVarint(end) !== 0;
        break;
      case 3:
        if (tag !== 0x18) wrongWireType(tag, 'int_value');
        v = readInt64(end);
        break;
      case 4:
        if (tag !== 0x21) wrongWireType(tag, 'double_value');
        if (end - p < 8) fail('truncated double', 'double_value');
        v = BV.getFloat64(p, true);
        p += 8;
        break;
      case 5: {
        if (tag !== 0x2a) wrongWireType(tag, 'array_value');
        const e = readLength(end, 'array_value');
        v = within('array_value', () => decodeArrayValue(e, depth + 1));
        break;
      }
      case 6: {
        if (tag !== 0x32) wrongWireType(tag, 'kvlist_value');
        const e = readLength(end, 'kvlist_value');
        const list: KeyValue[] = [];
        within('kvlist_value', () => {
          while (p < e) {
            const t = readTag(e);
            if (t >>> 3 === 1) {
              if (t !== 0x0a) wrongWireType(t, 'values');
              const kvEnd = readLength(e, 'values');
              const index = list.length;
              list.push(within(`values[${index}]`, () => decodeKeyValue(kvEnd, depth + 1)));
            } else skipField(t & 7, e, t >>> 3);
          }
        });
        v = { kvlist: list };
        break;
      }
      case 7:
        if (tag !== 0x3a) wrongWireType(tag, 'bytes_value');
        v = readBytes(end, 'bytes_value');
        break;
      default:
        skipField(tag & 7, end, tag >>> 3);
    }
  }
  return v;
}

function decodeArrayValue(end: number, depth: number): AnyValue[] {
  const values: AnyValue[] = [];
  while (p < end) {
    const tag = readTag(end);
    if (tag >>> 3 === 1) {
      if (tag !== 0x0a) wrongWireType(tag, 'values');
      const e = readLength(end, 'values');
      const index = values.length;
      values.push(within(`values[${index}]`, () => decodeAnyValue(e, depth)));
    } else skipField(tag & 7, end, tag >>> 3);
  }
  return values;
}

function decodeKeyValue(end: number, depth: number): KeyValue {
  let key = '';
  let value: AnyValue = null;
  while (p < end) {
    const tag = readTag(end);
    if (tag === 0x0a) key = readString(end, 'key');
    else if (tag === 0x12) {
      const e = readLength(end, 'value');
      value = decodeAnyValue(e, depth);
      if (p !== e) fail('AnyValue overran its length', 'value');
    } else if (tag >>> 3 === 1 || tag >>> 3 === 2) wrongWireType(tag, tag >>> 3 === 1 ? 'key' : 'value');
    else skipField(tag & 7, end, tag >>> 3);
  }
  return { key, value };
}

/**
 * Decoded attributes by the bytes of their KeyValue message. Attribute sets repeat (a service's
 * spans carry the same method, scheme, db system, port…), so most KeyValues are found here and
 * cost one hash and one byte compare, no parsing and no allocation. Same bytes ⇒ same decoded
 * value, and a KeyValue is shared only when its value is immutable (string, bool, int, double;
 * never bytes, arrays or kvlists): the model's contract is that KeyValue objects are never
 * written into (model.ts). Direct-mapped like the string cache: `KV_CACHE_SLOTS` entries of at
 * most `MAX_CACHED_KV` bytes in one arena, a collision replaces the entry (bounded memory: 512 KiB
 * of bytes plus the shared objects).
 */
const MAX_CACHED_KV = 128;
const KV_CACHE_SLOTS = 4096;
const kvCacheBytes = new Uint8Array(KV_CACHE_SLOTS * MAX_CACHED_KV);
const kvCacheLength = new Int32Array(KV_CACHE_SLOTS); // 0: empty slot
const kvCacheValue: (KeyValue | undefined)[] = new Array<KeyValue | undefined>(KV_CACHE_SLOTS).fill(undefined);

/** The arena again, as little-endian 32-bit words (slots start at multiples of 128 bytes). */
const kvCacheWords = new DataView(kvCacheBytes.buffer);

/**
 * The cached KeyValue whose message bytes equal B[start, end), or undefined; `slot` is where it
 * would live. Compares four bytes at a time, then the tail byte by byte.
 */
function cachedKeyValue(start: number, end: number, slot: number): KeyValue | undefined {
  const len = end - start;
  if (kvCacheLength[slot] !== len) return undefined;
  const input = BV;
  const cache = kvCacheWords;
  const base = slot * MAX_CACHED_KV;
  // BV views the input from B's first byte, so input offset i is BV offset i.
  const words = len & ~3;
  for (let k = 0; k < words; k += 4) if (cache.getInt32(base + k, true) !== input.getInt32(start + k, true)) return undefined;
  const buf = B;
  for (let k = words; k < len; k++) if (kvCacheBytes[base + k] !== buf[start + k]) return undefined;
  return kvCacheValue[slot];
}

function kvSlot(start: number, end: number): number {
  const buf = B;
  const len = end - start;
  let h = len;
  const step = (len >>> 3) + 1;
  for (let i = start; i < end; i += step) h = (Math.imul(h, 31) + buf[i]!) | 0;
  h = (Math.imul(h, 31) + buf[end - 1]!) | 0;
  return (h ^ (h >>> 13)) & (KV_CACHE_SLOTS - 1);
}

function isSharable(v: AnyValue): boolean {
  return v === null || typeof v !== 'object';
}

/** Appends one KeyValue (the tag was already read) to `list`, naming `field[index]` on errors. */
function pushAttribute(list: KeyValue[], end: number, field: string): void {
  const e = readLength(end, field);
  const start = p;
  const len = e - start;
  const slot = len > 0 && len <= MAX_CACHED_KV ? kvSlot(start, e) : -1;
  if (slot >= 0) {
    const hit = cachedKeyValue(start, e, slot);
    if (hit !== undefined) {
      list.push(hit);
      p = e;
      return;
    }
  }
  const index = list.length;
  let kv: KeyValue;
  try {
    kv = decodeKeyValue(e, 1);
  } catch (err) {
    if (err instanceof OtlpDecodeError) err.prefixPath(`${field}[${index}]`);
    throw err;
  }
  list.push(kv);
  if (slot >= 0 && isSharable(kv.value)) {
    kvCacheBytes.set(B.subarray(start, e), slot * MAX_CACHED_KV);
    kvCacheLength[slot] = len;
    kvCacheValue[slot] = kv;
  }
}

function decodeEvent(end: number): SpanEvent {
  const e: SpanEvent = { timeUnixNano: 0n, name: '', attributes: [], droppedAttributesCount: 0 };
  while (p < end) {
    const tag = readTag(end);
    switch (tag) {
      case 0x09:
        e.timeUnixNano = readFixed64(end, 'time_unix_nano');
        break;
      case 0x12:
        e.name = readString(end, 'name');
        break;
      case 0x1a:
        pushAttribute(e.attributes, end, 'attributes');
        break;
      case 0x20:
        e.droppedAttributesCount = readVarint(end);
        break;
      default:
        checkUnknown(tag, EVENT_FIELDS, end);
    }
  }
  return e;
}

function decodeLink(end: number): SpanLink {
  const l: SpanLink = {
    traceId: ZERO_TRACE_ID,
    spanId: ZERO_SPAN_ID,
    traceState: '',
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
  };
  while (p < end) {
    const tag = readTag(end);
    switch (tag) {
      case 0x0a:
        l.traceId = readTraceId(end, 'trace_id');
        break;
      case 0x12:
        l.spanId = readSpanId(end, 'span_id', false);
        break;
      case 0x1a:
        l.traceState = readString(end, 'trace_state');
        break;
      case 0x22:
        pushAttribute(l.attributes, end, 'attributes');
        break;
      case 0x28:
        l.droppedAttributesCount = readVarint(end);
        break;
      case 0x35:
        l.flags = readFixed32(end, 'flags');
        break;
      default:
        checkUnknown(tag, LINK_FIELDS, end);
    }
  }
  return l;
}

// Field number → name, for the known fields of each message (wrong wire type errors).
const SPAN_FIELDS = [
  '', 'trace_id', 'span_id', 'trace_state', 'parent_span_id', 'name', 'kind', 'start_time_unix_nano',
  'end_time_unix_nano', 'attributes', 'dropped_attributes_count', 'events', 'dropped_events_count',
  'links', 'dropped_links_count', 'status', 'flags',
];
const EVENT_FIELDS = ['', 'time_unix_nano', 'name', 'attributes', 'dropped_attributes_count'];
const LINK_FIELDS = ['', 'trace_id', 'span_id', 'trace_state', 'attributes', 'dropped_attributes_count', 'flags'];
const STATUS_FIELDS = ['', '', 'message', 'code'];
const SCOPE_FIELDS = ['', 'name', 'version', 'attributes', 'dropped_attributes_count'];
const RESOURCE_FIELDS = ['', 'attributes', 'dropped_attributes_count', ''];
const CONTAINER_FIELDS_RS = ['', 'resource', 'scope_spans', 'schema_url'];
const CONTAINER_FIELDS_SS = ['', 'scope', 'spans', 'schema_url'];

/** A tag that matched no known (field, wire type): a known field with the wrong type, or skip. */
function checkUnknown(tag: number, names: readonly string[], end: number): void {
  const field = tag >>> 3;
  const name = names[field];
  if (name !== undefined && name !== '') wrongWireType(tag, name);
  skipField(tag & 7, end, field);
}

function decodeStatus(end: number, span: Span): void {
  let code = 0;
  let message = '';
  while (p < end) {
    const tag = readTag(end);
    if (tag === 0x12) message = readString(end, 'message');
    else if (tag === 0x18) {
      const at = p;
      code = readVarint(end);
      if (code > 2) fail(`status code ${code} is not 0, 1 or 2`, 'code', at);
    } else checkUnknown(tag, STATUS_FIELDS, end);
  }
  span.status = message === '' ? sharedStatus(code as StatusCode) : { code: code as StatusCode, message };
}

function decodeSpanBody(end: number): Span {
  const span: Span = {
    traceId: ZERO_TRACE_ID,
    spanId: ZERO_SPAN_ID,
    traceState: '',
    parentSpanId: '',
    flags: 0,
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: [],
    droppedAttributesCount: 0,
    events: EMPTY_EVENTS,
    droppedEventsCount: 0,
    links: EMPTY_LINKS,
    droppedLinksCount: 0,
    status: UNSET_STATUS,
  };
  while (p < end) {
    const tag = readTag(end);
    switch (tag) {
      case 0x0a:
        span.traceId = readSpanTraceId(end);
        break;
      case 0x12:
        span.spanId = readSpanId(end, 'span_id', false);
        break;
      case 0x1a:
        span.traceState = readString(end, 'trace_state');
        break;
      case 0x22:
        span.parentSpanId = readSpanId(end, 'parent_span_id', true);
        break;
      case 0x2a:
        span.name = readString(end, 'name');
        break;
      case 0x30: {
        const at = p;
        const kind = readVarint(end);
        if (kind > 5) fail(`span kind ${kind} is not in 0..5`, 'kind', at);
        span.kind = kind as SpanKind;
        break;
      }
      case 0x39:
        span.startTimeUnixNano = readFixed64(end, 'start_time_unix_nano');
        break;
      case 0x41:
        span.endTimeUnixNano = readFixed64(end, 'end_time_unix_nano');
        break;
      case 0x4a:
        pushAttribute(span.attributes, end, 'attributes');
        break;
      case 0x50:
        span.droppedAttributesCount = readVarint(end);
        break;
      case 0x5a: {
        const e = readLength(end, 'events');
        if (span.events === EMPTY_EVENTS) span.events = [];
        const index = span.events.length;
        try {
          span.events.push(decodeEvent(e));
        } catch (err) {
          throw prefixed(err, `events[${index}]`);
        }
        break;
      }
      case 0x60:
        span.droppedEventsCount = readVarint(end);
        break;
      case 0x6a: {
        const e = readLength(end, 'links');
        if (span.links === EMPTY_LINKS) span.links = [];
        const index = span.links.length;
        try {
          span.links.push(decodeLink(e));
        } catch (err) {
          throw prefixed(err, `links[${index}]`);
        }
        break;
      }
      case 0x70:
        span.droppedLinksCount = readVarint(end);
        break;
      case 0x7a: {
        const e = readLength(end, 'status');
        try {
          decodeStatus(e, span);
        } catch (err) {
          throw prefixed(err, 'status');
        }
        break;
      }
      case 0x85:
        span.flags = readFixed32(end, 'flags');
        break;
      default:
        checkUnknown(tag, SPAN_FIELDS, end);
    }
  }
  return span;
}

const UNSET_STATUS = sharedStatus(0);

function decodeScope(end: number): InstrumentationScope {
  const scope: InstrumentationScope = { name: '', version: '', attributes: [], droppedAttributesCount: 0 };
  while (p < end) {
    const tag = readTag(end);
    if (tag === 0x0a) scope.name = readString(end, 'name');
    else if (tag === 0x12) scope.version = readString(end, 'version');
    else if (tag === 0x1a) pushAttribute(scope.attributes, end, 'attributes');
    else if (tag === 0x20) scope.droppedAttributesCount = readVarint(end);
    else checkUnknown(tag, SCOPE_FIELDS, end);
  }
  return scope;
}

function decodeResource(end: number): Resource {
  const resource: Resource = { attributes: [], droppedAttributesCount: 0 };
  while (p < end) {
    const tag = readTag(end);
    if (tag === 0x0a) pushAttribute(resource.attributes, end, 'attributes');
    else if (tag === 0x10) resource.droppedAttributesCount = readVarint(end);
    else checkUnknown(tag, RESOURCE_FIELDS, end); // entity_refs (3) is skipped
  }
  return resource;
}

function decodeScopeSpans(end: number): ScopeSpans {
  let scope: InstrumentationScope | undefined;
  const spans: Span[] = [];
  let schemaUrl = '';
  while (p < end) {
    const tag = readTag(end);
    if (tag === 0x0a) {
      const e = readLength(end, 'scope');
      scope = within('scope', () => decodeScope(e));
    } else if (tag === 0x12) {
      const e = readLength(end, 'spans');
      const index = spans.length;
      try {
        spans.push(decodeSpanBody(e));
      } catch (err) {
        if (err instanceof OtlpDecodeError) err.prefixPath(`spans[${index}]`);
        throw err;
      }
    } else if (tag === 0x1a) schemaUrl = readString(end, 'schema_url');
    else checkUnknown(tag, CONTAINER_FIELDS_SS, end);
  }
  return { scope: scope ?? { name: '', version: '', attributes: [], droppedAttributesCount: 0 }, spans, schemaUrl };
}

function decodeResourceSpans(end: number): ResourceSpans {
  let resource: Resource | undefined;
  const scopeSpans: ScopeSpans[] = [];
  let schemaUrl = '';
  while (p < end) {
    const tag = readTag(end);
    if (tag === 0x0a) {
      const e = readLength(end, 'resource');
      resource = within('resource', () => decodeResource(e));
    } else if (tag === 0x12) {
      const e = readLength(end, 'scope_spans');
      const index = scopeSpans.length;
      scopeSpans.push(within(`scope_spans[${index}]`, () => decodeScopeSpans(e)));
    } else if (tag === 0x1a) schemaUrl = readString(end, 'schema_url');
    else checkUnknown(tag, CONTAINER_FIELDS_RS, end);
  }
  return { resource: resource ?? { attributes: [], droppedAttributesCount: 0 }, scopeSpans, schemaUrl };
}

/** Decodes an `ExportTraceServiceRequest` (or `TracesData`, same wire form). */
export function decodeExportRequest(bytes: Uint8Array): TraceBatch {
  setInput(bytes, 0);
  const end = bytes.length;
  const resourceSpans: ResourceSpans[] = [];
  while (p < end) {
    const tag = readTag(end);
    if (tag === 0x0a) {
      const e = readLength(end, 'resource_spans');
      const index = resourceSpans.length;
      resourceSpans.push(within(`resource_spans[${index}]`, () => decodeResourceSpans(e)));
    } else checkUnknown(tag, ['', 'resource_spans'], end);
  }
  return { resourceSpans };
}

/** Decodes one `Span` message body from `bytes[start, end)` (default: all of it). */
export function decodeSpan(bytes: Uint8Array, start = 0, end = bytes.length): Span {
  if (!(start >= 0 && end <= bytes.length && start <= end)) {
    throw new OtlpDecodeError('protobuf', `span range [${start}, ${end}) is outside the ${bytes.length}-byte input`);
  }
  setInput(bytes, start);
  return decodeSpanBody(end);
}

/** Decodes an `ExportTraceServiceResponse`. */
export function decodeExportResponse(bytes: Uint8Array): ExportResponse {
  setInput(bytes, 0);
  const end = bytes.length;
  const r: ExportResponse = {};
  while (p < end) {
    const tag = readTag(end);
    if (tag === 0x0a) {
      const e = readLength(end, 'partial_success');
      const ps = { rejectedSpans: 0n, errorMessage: '' };
      within('partial_success', () => {
        while (p < e) {
          const t = readTag(e);
          if (t === 0x08) ps.rejectedSpans = readInt64(e);
          else if (t === 0x12) ps.errorMessage = readString(e, 'error_message');
          else checkUnknown(t, ['', 'rejected_spans', 'error_message'], e);
        }
      });
      r.partialSuccess = ps;
    } else checkUnknown(tag, ['', 'partial_success'], end);
  }
  return r;
}
