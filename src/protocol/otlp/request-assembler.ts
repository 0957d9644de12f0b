/**
 * An `ExportTraceServiceRequest` put together from pieces that are already encoded: the resource
 * field of its one ResourceSpans (`encodeResourceField`), the scope field of each ScopeSpans
 * (`encodeScopeField`) and the span bodies (as the generator's workers write them). Nothing is
 * decoded or re-encoded; the pieces are copied behind freshly computed length prefixes.
 *
 *   0x0a len(RS) · resource field · { 0x12 len(SS) · scope field · { 0x12 len(span) · span }* }*
 *
 * Empty schema URLs are omitted, as `encodeExportRequest` omits them, so the result is byte for
 * byte `encodeExportRequest` of the batch the pieces decode to (tested).
 */
import { varint32Size } from './size.js';

/** One encoded span body: `bytes[start, end)`. */
export interface EncodedSpanRef {
  bytes: Uint8Array;
  start: number;
  end: number;
}

export interface EncodedScopeSpans {
  /** The encoded `scope` field (tag, length, body). */
  scopeField: Uint8Array;
  spans: readonly EncodedSpanRef[];
}

/** A length-delimited field of a one-byte tag around a body of `length` bytes. */
function fieldSize(length: number): number {
  return 1 + varint32Size(length) + length;
}

function writeVarint(out: Uint8Array, at: number, v: number): number {
  while (v > 0x7f) {
    out[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[at++] = v;
  return at;
}

/** The request holding one ResourceSpans (`resourceField`, then `scopes` in order). */
export function assembleExportRequest(resourceField: Uint8Array, scopes: readonly EncodedScopeSpans[]): Uint8Array {
  const scopeBodySizes = new Array<number>(scopes.length);
  let resourceSpansBody = resourceField.length;
  for (let s = 0; s < scopes.length; s++) {
    const scope = scopes[s]!;
    let body = scope.scopeField.length;
    for (const span of scope.spans) body += fieldSize(span.end - span.start);
    scopeBodySizes[s] = body;
    resourceSpansBody += fieldSize(body);
  }
  const out = new Uint8Array(fieldSize(resourceSpansBody));
  out[0] = 0x0a;
  let at = writeVarint(out, 1, resourceSpansBody);
  out.set(resourceField, at);
  at += resourceField.length;
  for (let s = 0; s < scopes.length; s++) {
    const scope = scopes[s]!;
    out[at++] = 0x12;
    at = writeVarint(out, at, scopeBodySizes[s]!);
    out.set(scope.scopeField, at);
    at += scope.scopeField.length;
    for (const span of scope.spans) {
      out[at++] = 0x12;
      at = writeVarint(out, at, span.end - span.start);
      out.set(span.bytes.subarray(span.start, span.end), at);
      at += span.end - span.start;
    }
  }
  if (at !== out.length) throw new Error(`request assembler wrote ${at} bytes, measured ${out.length}`); // a bug, not bad input
  return out;
}
