/**
 * Hand-written protobuf codec for OTLP traces over the span model (`model.ts`):
 * `ExportTraceServiceRequest` / `ExportTraceServiceResponse` (field numbers from our
 * `proto/` files), and single `Span` messages for the generator's workers.
 *
 * Encoding is two walks over the model: `size.ts` measures (recording every nested length and
 * string byte length on a tape), then the writer fills one buffer of exactly that size, reading
 * the lengths back in the same order, so nothing is encoded twice or copied. Field presence is
 * defined in `size.ts` (it matches the OpenTelemetry JS serializer).
 *
 * Decoding is a bounds-checked reader over the input: every loop consumes at least one byte,
 * every length is checked against its enclosing message before use, and AnyValue nesting is
 * limited to `MAX_ANY_VALUE_DEPTH`. Any problem throws `OtlpDecodeError` naming the field path
 * and byte offset; nothing else is thrown. Unknown fields are skipped (proto3 rules); fields
 * tracesim does not model (`Resource.entity_refs`) are skipped too. Ids must be empty (read as
 * all-zero, as the collector does) or exactly 16 / 8 bytes; an empty `parent_span_id` stays empty
 * (`''`). Ids decode to binary strings (model.ts), and consecutive spans of one trace in an input
 * share one trace-id string. Decoded bytes values never alias the input buffer.
 */
import { OtlpDecodeError } from './decode-error.js';
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
import { EMPTY_EVENTS, EMPTY_LINKS, sharedStatus } from './model.js';
import { currentTape, measureRequest, measureSpan, resetTape, resourceFieldProtoSize, scopeFieldProtoSize, utf8Length } from './size.js';

/** The OTLP export response; `partialSuccess` is present only when the server set it. */
export interface ExportResponse {
  partialSuccess?: { rejectedSpans: bigint; errorMessage: string };
}

/** Deepest AnyValue nesting (arrays / kvlists inside values) the decoders accept. */
export const MAX_ANY_VALUE_DEPTH = 64;

// ---------------------------------------------------------------------------------------------
// Writer state: one output buffer per call, the tape from the measuring walk and its cursor.
let out: Uint8Array = new Uint8Array(0);
let outView: DataView = new DataView(out.buffer);
let outNode: Buffer = Buffer.alloc(0);
let w = 0;
let tp: Int32Array = new Int32Array(0);
let ti = 0;

function startWrite(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  out = bytes;
  outView = new DataView(bytes.buffer);
  outNode = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  w = 0;
  tp = currentTape();
  ti = 0;
  return bytes;
}

function writeVarint(v: number): void {
  while (v > 0x7f) {
    out[w++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[w++] = v;
}

function writeInt64(v: bigint): void {
  if (v >= 0n && v <= 0xffffffffn) {
    writeVarint(Number(v));
    return;
  }
  const u = BigInt.asUintN(64, v);
  let lo = Number(u & 0xffffffffn);
  let hi = Number(u >> 32n);
  while (hi !== 0) {
    out[w++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  writeVarint(lo);
}

function writeFixed32(v: number): void {
  out[w++] = v & 0xff;
  out[w++] = (v >>> 8) & 0xff;
  out[w++] = (v >>> 16) & 0xff;
  out[w++] = (v >>> 24) & 0xff;
}

function writeFixed64(v: bigint): void {
  outView.setBigUint64(w, v, true);
  w += 8;
}

function writeBytesField(tag: number, bytes: Uint8Array): void {
  out[w++] = tag;
  writeVarint(bytes.length);
  out.set(bytes, w);
  w += bytes.length;
}

/** An id field: tag, length, then one byte per char of the binary string. */
function writeIdField(tag: number, id: string): void {
  const n = id.length;
  out[w++] = tag;
  writeVarint(n);
  for (let i = 0; i < n; i++) out[w + i] = id.charCodeAt(i);
  w += n;
}

/** Writes tag + length + UTF-8 of `s`; the byte length comes from the tape. */
function writeStringField(tag: number, s: string): void {
  const len = tp[ti++]!;
  out[w++] = tag;
  writeVarint(len);
  if (len === s.length) {
    // ASCII (utf8Length equals the UTF-16 length only then): short ones by hand, long ones natively.
    if (len < 48) {
      for (let i = 0; i < len; i++) out[w + i] = s.charCodeAt(i);
    } else outNode.write(s, w, len, 'latin1');
  } else outNode.write(s, w, len, 'utf8');
  w += len;
}

/** Tag + length of a nested message whose body length is next on the tape. */
function writeLenPrefix(tag: number): void {
  out[w++] = tag;
  writeVarint(tp[ti++]!);
}

function writeAnyValueBody(v: AnyValue): void {
  if (typeof v === 'string') writeStringField(0x0a, v);
  else if (typeof v === 'boolean') {
    out[w++] = 0x10;
    out[w++] = v ? 1 : 0;
  } else if (typeof v === 'bigint') {
    out[w++] = 0x18;
    writeInt64(v);
  } else if (typeof v === 'number') {
    out[w++] = 0x21;
    outView.setFloat64(w, v, true);
    w += 8;
  } else if (v === null) {
    // empty AnyValue: no field set
  } else if (v instanceof Uint8Array) writeBytesField(0x3a, v);
  else if (Array.isArray(v)) {
    writeLenPrefix(0x2a);
    for (let i = 0; i < v.length; i++) {
      writeLenPrefix(0x0a);
      writeAnyValueBody(v[i]!);
    }
  } else {
    writeLenPrefix(0x32);
    writeAttributes(0x0a, v.kvlist);
  }
}

function writeAttributes(tag: number, attributes: readonly KeyValue[]): void {
  for (let i = 0; i < attributes.length; i++) {
    const kv = attributes[i]!;
    writeLenPrefix(tag);
    writeStringField(0x0a, kv.key);
    writeLenPrefix(0x12);
    writeAnyValueBody(kv.value);
  }
}

function writeSpanBody(span: Span): void {
  writeIdField(0x0a, span.traceId);
  writeIdField(0x12, span.spanId);
  if (span.traceState !== '') writeStringField(0x1a, span.traceState);
  if (span.parentSpanId !== '') writeIdField(0x22, span.parentSpanId);
  writeStringField(0x2a, span.name);
  if (span.kind !== 0) {
    out[w++] = 0x30;
    out[w++] = span.kind;
  }
  out[w++] = 0x39;
  writeFixed64(span.startTimeUnixNano);
  out[w++] = 0x41;
  writeFixed64(span.endTimeUnixNano);
  writeAttributes(0x4a, span.attributes);
  out[w++] = 0x50;
  writeVarint(span.droppedAttributesCount);
  for (let i = 0; i < span.events.length; i++) {
    const e = span.events[i]!;
    writeLenPrefix(0x5a);
    out[w++] = 0x09;
    writeFixed64(e.timeUnixNano);
    writeStringField(0x12, e.name);
    writeAttributes(0x1a, e.attributes);
    out[w++] = 0x20;
    writeVarint(e.droppedAttributesCount);
  }
  out[w++] = 0x60;
  writeVarint(span.droppedEventsCount);
  for (let i = 0; i < span.links.length; i++) {
    const l = span.links[i]!;
    writeLenPrefix(0x6a);
    writeIdField(0x0a, l.traceId);
    writeIdField(0x12, l.spanId);
    if (l.traceState !== '') writeStringField(0x1a, l.traceState);
    writeAttributes(0x22, l.attributes);
    out[w++] = 0x28;
    writeVarint(l.droppedAttributesCount);
    if (l.flags !== 0) {
      out[w++] = 0x35;
      writeFixed32(l.flags);
    }
  }
  out[w++] = 0x70;
  writeVarint(span.droppedLinksCount);
  writeLenPrefix(0x7a);
  if (span.status.message !== '') writeStringField(0x12, span.status.message);
  out[w++] = 0x18;
  out[w++] = span.status.code;
  if (span.flags !== 0) {
    out[w++] = 0x85; // field 16, wire type 5: (16 << 3 | 5) = 133 as a two-byte varint
    out[w++] = 0x01;
    writeFixed32(span.flags);
  }
}

/** The `resource` field (1) of a ResourceSpans: tag, length, Resource body. */
function writeResourceField(res: Resource): void {
  writeLenPrefix(0x0a);
  writeAttributes(0x0a, res.attributes);
  out[w++] = 0x10;
  writeVarint(res.droppedAttributesCount);
}

/** The `scope` field (1) of a ScopeSpans: tag, length, InstrumentationScope body. */
function writeScopeField(sc: InstrumentationScope): void {
  writeLenPrefix(0x0a);
  writeStringField(0x0a, sc.name);
  if (sc.version !== '') writeStringField(0x12, sc.version);
  writeAttributes(0x1a, sc.attributes);
  if (sc.droppedAttributesCount !== 0) {
    out[w++] = 0x20;
    writeVarint(sc.droppedAttributesCount);
  }
}

function writeResourceSpansBody(rs: ResourceSpans): void {
  writeResourceField(rs.resource);
  for (let s = 0; s < rs.scopeSpans.length; s++) {
    const ss = rs.scopeSpans[s]!;
    writeLenPrefix(0x12);
    writeScopeField(ss.scope);
    for (let i = 0; i < ss.spans.length; i++) {
      writeLenPrefix(0x12);
      writeSpanBody(ss.spans[i]!);
    }
    if (ss.schemaUrl !== '') writeStringField(0x1a, ss.schemaUrl);
  }
  if (rs.schemaUrl !== '') writeStringField(0x1a, rs.schemaUrl);
}

function finishWrite(bytes: Uint8Array): Uint8Array {
  if (w !== bytes.length) throw new Error(`OTLP encoder wrote ${w} bytes, measured ${bytes.length}`); // a bug, not bad input
  out = new Uint8Array(0);
  outNode = Buffer.alloc(0);
  return bytes;
}

/** Encodes a batch as an `ExportTraceServiceRequest`; exactly `exportRequestProtoSize(batch)` bytes. */
export function encodeExportRequest(batch: TraceBatch): Uint8Array {
  resetTape();
  const bytes = startWrite(measureRequest(batch));
  for (let i = 0; i < batch.resourceSpans.length; i++) {
    writeLenPrefix(0x0a);
    writeResourceSpansBody(batch.resourceSpans[i]!);
  }
  return finishWrite(bytes);
}

/** Encodes one `Span` message body (no tag or length prefix); exactly `spanProtoSize(span)` bytes. */
export function encodeSpan(span: Span): Uint8Array {
  resetTape();
  const bytes = startWrite(measureSpan(span));
  ti = 1; // slot 0 holds the span's own size
  writeSpanBody(span);
  return finishWrite(bytes);
}

/**
 * Encodes the `resource` field of a ResourceSpans (tag 1, length, Resource body): the first bytes
 * of every ResourceSpans body carrying `res` (see request-assembler.ts).
 */
export function encodeResourceField(res: Resource): Uint8Array {
  const bytes = startWrite(resourceFieldProtoSize(res));
  writeResourceField(res);
  return finishWrite(bytes);
}

/** Encodes the `scope` field of a ScopeSpans (tag 1, length, InstrumentationScope body). */
export function encodeScopeField(scope: InstrumentationScope): Uint8Array {
  const bytes = startWrite(scopeFieldProtoSize(scope));
  writeScopeField(scope);
  return finishWrite(bytes);
}

// ---------------------------------------------------------------------------------------------
// Streaming span writer: spans back to back in one growing buffer (the generator's workers write a
// whole task's spans this way). One pass per span and no allocation per span: each nested length
// prefix gets one reserved byte and is patched when its body is done; a body of 128 bytes or more
// (rare: long strings, many event attributes) moves right by the extra varint bytes. Varints stay
// minimal, field order and presence are those of `writeSpanBody`, so the bytes equal `encodeSpan`'s.

/**
 * A growing output buffer; `bytes[0, length)` holds what was written. `constants` maps shared
 * attribute objects (by identity) to their `KeyValue` body bytes from `encodeKeyValueBody`: such
 * an attribute is copied instead of encoded (the caller guarantees the object is never mutated).
 */
export class SpanWriter {
  bytes: Uint8Array;
  view: DataView;
  node: Buffer;
  length = 0;
  readonly constants: ReadonlyMap<KeyValue, Uint8Array> | undefined;

  /** `reuse`: a spare buffer to write into when it holds at least `capacity` bytes. */
  constructor(capacity = 1 << 16, constants?: ReadonlyMap<KeyValue, Uint8Array>, reuse?: ArrayBuffer) {
    this.constants = constants;
    const size = Math.max(64, capacity);
    this.bytes = reuse !== undefined && reuse.byteLength >= size ? new Uint8Array(reuse) : new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
    this.node = Buffer.from(this.bytes.buffer, 0, this.bytes.byteLength);
  }

  /** The written bytes: a view of the writer's buffer (transfer `.buffer` to hand it over). */
  written(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

const NO_OUT = new Uint8Array(0);
const NO_OUT_VIEW = new DataView(NO_OUT.buffer);
const NO_OUT_NODE = Buffer.alloc(0);
/** Room for every fixed-size piece written between two `ensure` calls (tags, varints, numbers). */
const SLACK = 64;
let sw: SpanWriter | undefined;

function ensure(n: number): void {
  if (w + n <= out.length) return;
  let cap = out.length * 2;
  while (cap < w + n) cap *= 2;
  const bigger = new Uint8Array(cap);
  bigger.set(out.subarray(0, w));
  out = bigger;
  outView = new DataView(bigger.buffer);
  outNode = Buffer.from(bigger.buffer, 0, cap);
  const writer = sw!;
  writer.bytes = bigger;
  writer.view = outView;
  writer.node = outNode;
}

/** Writes `tag` and reserves one length byte; returns the reserved position. */
function openLen(tag: number): number {
  out[w++] = tag;
  return w++;
}

/** Patches the length reserved at `at` to the body written since. */
function closeLen(at: number): void {
  const len = w - at - 1;
  if (len < 0x80) {
    out[at] = len;
    return;
  }
  const extra = varintLen(len) - 1;
  ensure(extra);
  out.copyWithin(at + 1 + extra, at + 1, w);
  w += extra;
  const end = w;
  w = at;
  writeVarint(len);
  w = end;
}

/** Tag + length + UTF-8 of `s` (ASCII copied by hand in one pass, others via Buffer#write). */
function putString(tag: number, s: string): void {
  const n = s.length;
  ensure(3 * n + 6);
  out[w++] = tag;
  if (n < 0x80) {
    const o = out;
    const body = w + 1;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      o[body + i] = c;
    }
    if (i === n) {
      o[w] = n;
      w = body + n;
      return;
    }
  }
  const len = n === 0 ? 0 : utf8Length(s);
  writeVarint(len);
  if (len === n) outNode.write(s, w, len, 'latin1');
  else outNode.write(s, w, len, 'utf8');
  w += len;
}

function putBytes(tag: number, bytes: Uint8Array): void {
  ensure(bytes.length + 6);
  out[w++] = tag;
  writeVarint(bytes.length);
  if (bytes.length <= 16) for (let i = 0; i < bytes.length; i++) out[w + i] = bytes[i]!;
  else out.set(bytes, w);
  w += bytes.length;
}

function putAnyValueBody(v: AnyValue): void {
  ensure(SLACK);
  if (typeof v === 'string') putString(0x0a, v);
  else if (typeof v === 'boolean') {
    out[w++] = 0x10;
    out[w++] = v ? 1 : 0;
  } else if (typeof v === 'bigint') {
    out[w++] = 0x18;
    writeInt64(v);
  } else if (typeof v === 'number') {
    out[w++] = 0x21;
    outView.setFloat64(w, v, true);
    w += 8;
  } else if (v === null) {
    // empty AnyValue: no field set
  } else if (v instanceof Uint8Array) putBytes(0x3a, v);
  else if (Array.isArray(v)) {
    const at = openLen(0x2a);
    for (let i = 0; i < v.length; i++) {
      ensure(SLACK);
      const el = openLen(0x0a);
      putAnyValueBody(v[i]!);
      closeLen(el);
    }
    closeLen(at);
  } else {
    const at = openLen(0x32);
    putAttributes(0x0a, v.kvlist);
    closeLen(at);
  }
}

function putAttributes(tag: number, attributes: readonly KeyValue[]): void {
  const constants = sw!.constants;
  for (let i = 0; i < attributes.length; i++) {
    const kv = attributes[i]!;
    const pre = constants?.get(kv);
    if (pre !== undefined) {
      const n = pre.length;
      ensure(n + 6);
      out[w++] = tag;
      writeVarint(n);
      if (n <= 96) {
        const o = out;
        for (let j = 0; j < n; j++) o[w + j] = pre[j]!;
      } else out.set(pre, w);
      w += n;
      continue;
    }
    ensure(SLACK);
    const at = openLen(tag);
    putString(0x0a, kv.key);
    ensure(SLACK);
    const v = openLen(0x12);
    putAnyValueBody(kv.value);
    closeLen(v);
    closeLen(at);
  }
}

function putSpanBody(span: Span): void {
  ensure(SLACK);
  putId(0x0a, span.traceId);
  putId(0x12, span.spanId);
  if (span.traceState !== '') putString(0x1a, span.traceState);
  if (span.parentSpanId !== '') putId(0x22, span.parentSpanId);
  putString(0x2a, span.name);
  ensure(SLACK);
  if (span.kind !== 0) {
    out[w++] = 0x30;
    out[w++] = span.kind;
  }
  out[w++] = 0x39;
  writeFixed64(span.startTimeUnixNano);
  out[w++] = 0x41;
  writeFixed64(span.endTimeUnixNano);
  putAttributes(0x4a, span.attributes);
  ensure(SLACK);
  out[w++] = 0x50;
  writeVarint(span.droppedAttributesCount);
  putEvents(span.events);
  ensure(SLACK);
  out[w++] = 0x60;
  writeVarint(span.droppedEventsCount);
  putLinks(span.links);
  ensure(SLACK);
  out[w++] = 0x70;
  writeVarint(span.droppedLinksCount);
  putStatusAndFlags(span.status.code, span.status.message, span.flags);
}

function putEvents(events: readonly SpanEvent[]): void {
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    ensure(SLACK);
    const at = openLen(0x5a);
    out[w++] = 0x09;
    writeFixed64(e.timeUnixNano);
    putString(0x12, e.name);
    putAttributes(0x1a, e.attributes);
    ensure(SLACK);
    out[w++] = 0x20;
    writeVarint(e.droppedAttributesCount);
    closeLen(at);
  }
}

function putLinks(links: readonly SpanLink[]): void {
  for (let i = 0; i < links.length; i++) {
    const l = links[i]!;
    ensure(SLACK);
    const at = openLen(0x6a);
    putId(0x0a, l.traceId);
    putId(0x12, l.spanId);
    if (l.traceState !== '') putString(0x1a, l.traceState);
    putAttributes(0x22, l.attributes);
    ensure(SLACK);
    out[w++] = 0x28;
    writeVarint(l.droppedAttributesCount);
    if (l.flags !== 0) {
      out[w++] = 0x35;
      writeFixed32(l.flags);
    }
    closeLen(at);
  }
}

function putStatusAndFlags(code: number, message: string, flags: number): void {
  ensure(SLACK);
  const st = openLen(0x7a);
  if (message !== '') putString(0x12, message);
  ensure(SLACK);
  out[w++] = 0x18;
  out[w++] = code;
  closeLen(st);
  ensure(SLACK);
  if (flags !== 0) {
    out[w++] = 0x85; // field 16, wire type 5, as in writeSpanBody
    out[w++] = 0x01;
    writeFixed32(flags);
  }
}

/** Copies pre-encoded bytes. */
function putRaw(bytes: Uint8Array): void {
  const n = bytes.length;
  ensure(n);
  if (n <= 16) {
    const o = out;
    for (let j = 0; j < n; j++) o[w + j] = bytes[j]!;
  } else out.set(bytes, w);
  w += n;
}

// ---------------------------------------------------------------------------------------------
// Templated spans (the generator's workers): spans of one operation share name, kind and the
// layout of their attributes, so those parts are encoded once per operation and copied; only ids,
// times, variable attribute values and status are written per span. Times come as integer
// nanosecond offsets from a base, added in two uint32 halves (no bigint per span).

/** The constant parts of spans sharing a name, kind and attribute layout (`spanTemplate`). */
export interface SpanTemplate {
  /** The `name` and `kind` fields. */
  readonly head: Uint8Array;
  /** Per attribute position: the whole field (tag, length, KeyValue body) of a constant; undefined for a variable. */
  readonly constantFields: readonly (Uint8Array | undefined)[];
  /** Per attribute position: the `key` field (tag, length, UTF-8) of a variable; undefined for a constant. */
  readonly keyFields: readonly (Uint8Array | undefined)[];
  /**
   * The attribute layout as steps: `k ≥ 0` writes variable attribute `k`; `k < 0` copies
   * `blocks[−1 − k]`, the fields of a run of consecutive constants concatenated.
   */
  readonly plan: Int32Array;
  readonly blocks: readonly Uint8Array[];
}

/** A unix-nanosecond origin for `TemplatedSpan` times. */
export interface NanosBase {
  readonly unixNanos: bigint;
  readonly hi: number;
  readonly lo: number;
}

export function nanosBase(unixNanos: bigint): NanosBase {
  const u = BigInt.asUintN(64, unixNanos);
  return { unixNanos, hi: Number(u >> 32n), lo: Number(u & 0xffffffffn) };
}

/** A span for `encodeTemplatedSpanInto`; trace state is empty and dropped counts are zero. */
export interface TemplatedSpan {
  /** Binary strings, as in the model; `parentSpanId` is '' for a root span. */
  traceId: string;
  spanId: string;
  parentSpanId: string;
  flags: number;
  /** Integer nanoseconds after the base. */
  startNsOffset: number;
  endNsOffset: number;
  attributes: readonly KeyValue[];
  /**
   * `attributes[i]` is the template's constant `i` (the same object the template was made from)
   * or a value for its variable key `i`; when false, attributes are encoded in full.
   */
  plainAttributes: boolean;
  events: readonly SpanEvent[];
  links: readonly SpanLink[];
  /** Status code ERROR (2) when set, else UNSET (0). */
  error: boolean;
  statusMessage: string;
}

/** Encodes the constant parts: `attributes` are constants (`{ constant }`) or variable keys (`{ key }`). */
export function spanTemplate(name: string, kind: SpanKind, attributes: readonly ({ constant: KeyValue } | { key: string })[]): SpanTemplate {
  const piece = (write: () => void): Uint8Array => {
    const writer = new SpanWriter(64);
    begin(writer);
    try {
      write();
      return out.slice(0, w);
    } finally {
      end();
    }
  };
  const head = piece(() => {
    putString(0x2a, name);
    ensure(SLACK);
    if (kind !== 0) {
      out[w++] = 0x30;
      out[w++] = kind;
    }
  });
  const constantFields = attributes.map((a) => {
    if (!('constant' in a)) return undefined;
    const body = encodeKeyValueBody(a.constant);
    return piece(() => {
      ensure(SLACK);
      out[w++] = 0x4a;
      writeVarint(body.length);
      putRaw(body);
    });
  });
  const keyFields = attributes.map((a) => ('constant' in a ? undefined : piece(() => putString(0x0a, a.key))));
  const plan: number[] = [];
  const blocks: Uint8Array[] = [];
  for (let i = 0; i < attributes.length; ) {
    if (constantFields[i] === undefined) {
      plan.push(i++);
      continue;
    }
    const run: Uint8Array[] = [];
    while (i < attributes.length && constantFields[i] !== undefined) run.push(constantFields[i++]!);
    plan.push(-1 - blocks.length);
    blocks.push(new Uint8Array(Buffer.concat(run))); // a plain Uint8Array, like every other input of putRaw
  }
  return { head, constantFields, keyFields, plan: Int32Array.from(plan), blocks };
}

/** base + offset as a fixed64. */
function putNanos(base: NanosBase, offset: number): void {
  if (!(offset >= 0 && offset <= Number.MAX_SAFE_INTEGER && Number.isInteger(offset))) {
    writeFixed64(base.unixNanos + BigInt(offset)); // not produced by the generator; exact anyway
    return;
  }
  const offLo = offset % 4294967296;
  let lo = base.lo + offLo;
  let hi = base.hi + (offset - offLo) / 4294967296;
  if (lo >= 4294967296) {
    lo -= 4294967296;
    hi++;
  }
  writeFixed32(lo);
  writeFixed32(hi >>> 0);
}

/** `writeIdField` with room ensured first. */
function putId(tag: number, id: string): void {
  ensure(id.length + 6);
  writeIdField(tag, id);
}

function putTemplatedSpan(t: SpanTemplate, base: NanosBase, s: TemplatedSpan): void {
  ensure(SLACK);
  putId(0x0a, s.traceId);
  putId(0x12, s.spanId);
  if (s.parentSpanId !== '') putId(0x22, s.parentSpanId);
  putRaw(t.head);
  ensure(SLACK);
  out[w++] = 0x39;
  putNanos(base, s.startNsOffset);
  out[w++] = 0x41;
  putNanos(base, s.endNsOffset);
  const attrs = s.attributes;
  if (s.plainAttributes) {
    const plan = t.plan;
    const keyFields = t.keyFields;
    for (let k = 0; k < plan.length; k++) {
      const i = plan[k]!;
      if (i < 0) {
        putRaw(t.blocks[-1 - i]!);
        continue;
      }
      ensure(SLACK);
      const at = openLen(0x4a);
      putRaw(keyFields[i]!);
      ensure(SLACK);
      const v = openLen(0x12);
      putAnyValueBody(attrs[i]!.value);
      closeLen(v);
      closeLen(at);
    }
  } else putAttributes(0x4a, attrs);
  ensure(SLACK);
  out[w++] = 0x50;
  out[w++] = 0;
  putEvents(s.events);
  ensure(SLACK);
  out[w++] = 0x60;
  out[w++] = 0;
  putLinks(s.links);
  ensure(SLACK);
  out[w++] = 0x70;
  out[w++] = 0;
  putStatusAndFlags(s.error ? 2 : 0, s.statusMessage, s.flags);
}

/**
 * Appends `s` as one `Span` message body: the same bytes as `encodeSpanInto` of the model span
 * with the template's name, kind and attributes, times `base + offset`, status
 * `{ code: error ? 2 : 0, message: statusMessage }`, empty trace state and zero dropped counts.
 * Returns the number of bytes written.
 */
export function encodeTemplatedSpanInto(t: SpanTemplate, base: NanosBase, s: TemplatedSpan, writer: SpanWriter): number {
  const start = writer.length;
  begin(writer);
  try {
    putTemplatedSpan(t, base, s);
    writer.length = w;
  } finally {
    end();
  }
  return writer.length - start;
}

function begin(writer: SpanWriter): void {
  sw = writer;
  out = writer.bytes;
  outView = writer.view;
  outNode = writer.node;
  w = writer.length;
}

function end(): void {
  out = NO_OUT;
  outView = NO_OUT_VIEW;
  outNode = NO_OUT_NODE;
  sw = undefined;
}

/** The `KeyValue` message body of `kv` (key and value fields, no tag or length), for `SpanWriter.constants`. */
export function encodeKeyValueBody(kv: KeyValue): Uint8Array {
  const writer = new SpanWriter(64);
  sw = writer;
  out = writer.bytes;
  outView = writer.view;
  outNode = writer.node;
  w = 0;
  try {
    putString(0x0a, kv.key);
    ensure(SLACK);
    const v = openLen(0x12);
    putAnyValueBody(kv.value);
    closeLen(v);
    return out.slice(0, w);
  } finally {
    out = NO_OUT;
    outView = NO_OUT_VIEW;
    outNode = NO_OUT_NODE;
    sw = undefined;
  }
}

/**
 * Appends one `Span` message body (no tag or length prefix) to `writer`: the same bytes as
 * `encodeSpan(span)`, at `writer.length` before the call; returns the number of bytes written.
 */
export function encodeSpanInto(span: Span, writer: SpanWriter): number {
  sw = writer;
  out = writer.bytes;
  outView = writer.view;
  outNode = writer.node;
  const start = writer.length;
  w = start;
  try {
    putSpanBody(span);
    writer.length = w;
  } finally {
    out = NO_OUT;
    outView = NO_OUT_VIEW;
    outNode = NO_OUT_NODE;
    sw = undefined;
  }
  return writer.length - start;
}

/** Encodes an `ExportTraceServiceResponse`. */
export function encodeExportResponse(r: ExportResponse): Uint8Array {
  const ps = r.partialSuccess;
  if (ps === undefined) return new Uint8Array(0);
  const msg = Buffer.from(ps.errorMessage, 'utf8');
  resetTape();
  // partial_success { rejected_spans = 1 (int64); error_message = 2 }
  let body = 0;
  if (ps.rejectedSpans !== 0n) body += 1 + int64Len(ps.rejectedSpans);
  if (msg.length > 0) body += 1 + varintLen(msg.length) + msg.length;
  const bytes = startWrite(1 + varintLen(body) + body);
  out[w++] = 0x0a;
  writeVarint(body);
  if (ps.rejectedSpans !== 0n) {
    out[w++] = 0x08;
    writeInt64(ps.rejectedSpans);
  }
  if (msg.length > 0) writeBytesField(0x12, msg);
  return finishWrite(bytes);
}

function varintLen(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

function int64Len(v: bigint): number {
  let u = BigInt.asUintN(64, v);
  let n = 1;
  while (u > 0x7fn) {
    u >>= 7n;
    n++;
  }
  return n;
}

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
