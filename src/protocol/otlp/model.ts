/**
 * The internal span model every part of tracesim works on: the generator produces it, the codecs
 * read and write it, the pipeline's components transform it.
 *
 * It mirrors OTLP's `ExportTraceServiceRequest` tree (resource → scope → span) so a batch can be
 * encoded without conversion and re-grouped the way the collector's pdata is. Contracts:
 *
 * - Ids are binary strings: one UTF-16 code unit per id byte (char codes 0–255, the string latin1
 *   would decode the bytes to), so `traceId` has length 16, `spanId` 8 and `parentSpanId` 8, or is
 *   `''` for a root span. A binary string is immutable, compares with `===`, serves directly as a
 *   `Map` key and costs V8 ~32 heap bytes for 16 bytes of id (a `Uint8Array` ~200). Never hex on
 *   the hot path: `idToHex` / `idFromHex` are for display and JSON; `idFromBytes` / `idToBytes`
 *   convert at byte boundaries.
 * - 64-bit integers never pass through `number`: timestamps are `bigint` nanoseconds since the
 *   Unix epoch; `int` attribute values are `bigint`.
 * - Attribute lists keep their order and any duplicate keys, so decode → encode is byte-stable.
 * - The model is plain data (no classes) so it survives structured clone, though hot paths move
 *   encoded bytes between threads instead.
 * - A span's `events`, `links` and `status` may be the shared frozen `EMPTY_EVENTS`, `EMPTY_LINKS`
 *   and unset/ok/error statuses of `sharedStatus()` (the decoder and the generator use them so
 *   most spans allocate none of the three): code that changes them assigns a new value, never
 *   writes into the old one. `attributes` arrays are always the span's own, but the `KeyValue`
 *   objects in them may be shared between spans (the decoder reuses one object for a repeated
 *   attribute): to change an attribute, put a new KeyValue in the array.
 */

/** OTLP `Span.SpanKind` (field numbers from the spec): 0 unspecified … 5 consumer. */
export type SpanKind = 0 | 1 | 2 | 3 | 4 | 5;
export const SpanKinds = {
  unspecified: 0,
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
} as const satisfies Record<string, SpanKind>;

/** OTLP `Status.StatusCode`: 0 unset, 1 ok, 2 error. */
export type StatusCode = 0 | 1 | 2;
export const StatusCodes = { unset: 0, ok: 1, error: 2 } as const satisfies Record<string, StatusCode>;

/** An OTLP `KeyValueList` value; boxed so it is distinguishable from an array value. */
export interface KvListValue {
  readonly kvlist: KeyValue[];
}

/**
 * An OTLP `AnyValue`:
 * string → `string_value`, boolean → `bool_value`, bigint → `int_value` (int64),
 * number → `double_value`, Uint8Array → `bytes_value`, array → `array_value`,
 * `{ kvlist }` → `kvlist_value`, null → an AnyValue with no field set.
 */
export type AnyValue = string | boolean | bigint | number | Uint8Array | AnyValue[] | KvListValue | null;

export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface Resource {
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface InstrumentationScope {
  name: string;
  version: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface SpanLink {
  /** Binary string of 16 bytes. */
  traceId: string;
  /** Binary string of 8 bytes. */
  spanId: string;
  traceState: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  /** W3C trace flags in the low 8 bits, plus the OTLP "has/is remote" bits 8–9. */
  flags: number;
}

export interface SpanStatus {
  code: StatusCode;
  message: string;
}

/** Shared by every span without events / links (frozen: replace, never push). */
export const EMPTY_EVENTS: SpanEvent[] = Object.freeze([]) as unknown as SpanEvent[];
export const EMPTY_LINKS: SpanLink[] = Object.freeze([]) as unknown as SpanLink[];

/** Frozen statuses with an empty message, by code: unset, ok, error. */
const SHARED_STATUSES: readonly SpanStatus[] = [0, 1, 2].map((code) => Object.freeze({ code: code as StatusCode, message: '' }));

/** The shared frozen status with `code` and an empty message. */
export function sharedStatus(code: StatusCode): SpanStatus {
  return SHARED_STATUSES[code]!;
}

export interface Span {
  /** Binary string of 16 bytes, never all zero. */
  traceId: string;
  /** Binary string of 8 bytes, never all zero. */
  spanId: string;
  /** W3C tracestate header value; empty when absent. */
  traceState: string;
  /** Binary string of 8 bytes, or `''` for a root span. */
  parentSpanId: string;
  /** OTLP `Span.flags` (fixed32): W3C trace flags in bits 0–7, remote-parent bits 8–9. */
  flags: number;
  name: string;
  kind: SpanKind;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  status: SpanStatus;
}

export interface ScopeSpans {
  scope: InstrumentationScope;
  spans: Span[];
  schemaUrl: string;
  /** The spans' encodings from their source, when it has them: read through `encodedBodies`. */
  encoded?: EncodedSpanBodies;
}

/**
 * The OTLP `Span` message bodies of a ScopeSpans' spans as their source encoded them (sim traffic:
 * the generator's bytes, exactly what `encodeSpan` writes for each decoded span): span i is
 * `bytes[i === 0 ? 0 : ends[i − 1], ends[i])`. They describe `spans`, that very array at that
 * length: a component that builds new ScopeSpans leaves them behind, and one that changes spans in
 * place (a `mutatesData` processor) must drop them (processorHelper does).
 */
export interface EncodedSpanBodies {
  readonly spans: readonly Span[];
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
}

/** `ss.encoded` when it still describes `ss.spans` (same array, same length), else undefined. */
export function encodedBodies(ss: ScopeSpans): EncodedSpanBodies | undefined {
  const e = ss.encoded;
  return e !== undefined && e.spans === ss.spans && e.ends.length === ss.spans.length ? e : undefined;
}

export interface ResourceSpans {
  resource: Resource;
  scopeSpans: ScopeSpans[];
  schemaUrl: string;
}

/** The `ExportTraceServiceResponse`; `partialSuccess` is present only when the server set it. */
export interface ExportResponse {
  partialSuccess?: { rejectedSpans: bigint; errorMessage: string };
}

/**
 * One unit of data flowing between pipeline stages — the analogue of the collector's
 * `ptrace.Traces`, and exactly the payload of one `ExportTraceServiceRequest`.
 */
export interface TraceBatch {
  resourceSpans: ResourceSpans[];
}

/** Number of spans in a batch. O(resources × scopes). */
export function spanCount(batch: TraceBatch): number {
  let n = 0;
  for (const rs of batch.resourceSpans) for (const ss of rs.scopeSpans) n += ss.spans.length;
  return n;
}

/** Calls `visit` for every span with its resource and scope, in encoding order. */
export function forEachSpan(
  batch: TraceBatch,
  visit: (span: Span, resource: ResourceSpans, scope: ScopeSpans) => void,
): void {
  for (const rs of batch.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) visit(span, rs, ss);
    }
  }
}

/** The id (binary string) of `bytes[start, end)`: one char per byte, for id-sized ranges. */
export function idFromBytes(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/** The bytes of an id: a fresh array of `id.length` bytes. */
export function idToBytes(id: string): Uint8Array {
  const bytes = new Uint8Array(id.length);
  for (let i = 0; i < id.length; i++) bytes[i] = id.charCodeAt(i);
  return bytes;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex of bytes (display of `bytes` attribute values). */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

/** Lowercase hex of an id, as OTLP/JSON and the collector's debug output write ids. */
export function idToHex(id: string): string {
  let s = '';
  for (let i = 0; i < id.length; i++) s += HEX[id.charCodeAt(i) & 0xff];
  return s;
}

/** The id of a hex string (either case, even length: the caller validates it). Inverse of `idToHex`. */
export function idFromHex(hex: string): string {
  return Buffer.from(hex, 'hex').toString('latin1');
}

/** Attribute lookup by key: the first entry wins, as in pdata's `Map.Get`. */
export function getAttribute(attributes: readonly KeyValue[], key: string): AnyValue | undefined {
  for (const kv of attributes) if (kv.key === key) return kv.value;
  return undefined;
}

/** An empty resource, scope and status, for building spans. */
export function emptyResource(): Resource {
  return { attributes: [], droppedAttributesCount: 0 };
}
export function emptyScope(): InstrumentationScope {
  return { name: '', version: '', attributes: [], droppedAttributesCount: 0 };
}

/** Deep copy of an AnyValue (bytes copied, arrays and kvlists rebuilt). */
export function cloneAnyValue(v: AnyValue): AnyValue {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return v.slice();
  if (Array.isArray(v)) return v.map(cloneAnyValue);
  return { kvlist: cloneAttributes(v.kvlist) };
}

/** Deep copy of an attribute list (order and duplicates kept). */
export function cloneAttributes(attributes: readonly KeyValue[]): KeyValue[] {
  return attributes.map((kv) => ({ key: kv.key, value: cloneAnyValue(kv.value) }));
}

/** Deep copy of a span: nothing mutable is shared with the original (ids and strings are immutable). */
export function cloneSpan(s: Span): Span {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    traceState: s.traceState,
    parentSpanId: s.parentSpanId,
    flags: s.flags,
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: s.startTimeUnixNano,
    endTimeUnixNano: s.endTimeUnixNano,
    attributes: cloneAttributes(s.attributes),
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.map((e) => ({
      timeUnixNano: e.timeUnixNano,
      name: e.name,
      attributes: cloneAttributes(e.attributes),
      droppedAttributesCount: e.droppedAttributesCount,
    })),
    droppedEventsCount: s.droppedEventsCount,
    links: s.links.map((l) => ({
      traceId: l.traceId,
      spanId: l.spanId,
      traceState: l.traceState,
      attributes: cloneAttributes(l.attributes),
      droppedAttributesCount: l.droppedAttributesCount,
      flags: l.flags,
    })),
    droppedLinksCount: s.droppedLinksCount,
    status: { code: s.status.code, message: s.status.message },
  };
}

/**
 * Deep copy of a batch, for fan-out: the copy can be mutated without affecting the original.
 * Own enumerable extra properties of the batch object (e.g. the accounting `shadow` mark) are kept.
 */
export function cloneBatch<B extends TraceBatch>(batch: B): B {
  return {
    ...batch,
    resourceSpans: batch.resourceSpans.map((rs) => ({
      resource: { attributes: cloneAttributes(rs.resource.attributes), droppedAttributesCount: rs.resource.droppedAttributesCount },
      scopeSpans: rs.scopeSpans.map((ss) => ({
        scope: {
          name: ss.scope.name,
          version: ss.scope.version,
          attributes: cloneAttributes(ss.scope.attributes),
          droppedAttributesCount: ss.scope.droppedAttributesCount,
        },
        spans: ss.spans.map(cloneSpan),
        schemaUrl: ss.schemaUrl,
      })),
      schemaUrl: rs.schemaUrl,
    })),
  };
}
