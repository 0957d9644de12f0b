/**
 * Hand-written protobuf encoder for OTLP traces over the span model (`model.ts`):
 * `ExportTraceServiceRequest` / `ExportTraceServiceResponse` (field numbers from our `proto/`
 * files), single `Span` messages, and the streaming and templated span writers of the
 * generator's workers. The decoder is `proto-decode.ts`.
 *
 * Encoding is two walks over the model: `size.ts` measures (recording every nested length and
 * string byte length on a tape), then the writer fills one buffer of exactly that size, reading
 * the lengths back in the same order, so nothing is encoded twice or copied. Field presence is
 * defined in `size.ts` (it matches the OpenTelemetry JS serializer).
 */
import type {
  AnyValue,
  ExportResponse,
  InstrumentationScope,
  KeyValue,
  Resource,
  ResourceSpans,
  Span,
  SpanEvent,
  SpanKind,
  SpanLink,
  TraceBatch,
} from './model.js';
import { currentTape, measureRequest, measureSpan, resetTape, resourceFieldProtoSize, scopeFieldProtoSize, utf8Length } from './size.js';
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
