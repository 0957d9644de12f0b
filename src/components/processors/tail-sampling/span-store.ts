/**
 * Buffered spans kept encoded: each span is stored as its OTLP `Span` message body
 * (`encodeSpanInto`: the bytes of `encodeSpan`, exactly `spanProtoSize(span)` long) and decoded
 * again only when a policy or the release needs the objects.
 *
 * Bodies are written back to back into shared chunks of `CHUNK_BYTES` (one `SpanWriter` each); a
 * trace keeps, per span, four slots of a plain array (`SpanRefs`: chunk, start, end and the span's
 * size as the collector counts it, `pdataSpanSize` — 32 bytes on Node's 64-bit V8, small integers
 * stored inline) instead of a span object graph (≈ 500 B for a 3-attribute span with its ids and
 * bigints). Each chunk counts its spans not yet freed (`SpanArena.free`); one
 * that reaches 0 after the arena moved on is reused for later spans (up to `MAX_SPARE_CHUNKS`
 * wait; beyond that it is left to the GC), so a steady flow of traces allocates no new buffers.
 * Pending traces are decided at most `decision_wait` + 1 s after their first span, so a chunk is
 * free at most that long after its last write.
 */
import type { Span } from '../../../protocol/otlp/model.js';
import { pdataSpanSizeFromSdk } from '../../../protocol/otlp/pdata-size.js';
import { decodeSpan } from '../../../protocol/otlp/proto-decode.js';
import { encodeSpanInto, SpanWriter } from '../../../protocol/otlp/proto-encode.js';

/** Size of a fresh chunk. */
const CHUNK_BYTES = 64 * 1024;
/**
 * A chunk with less room than this is retired before the next span, which then goes into a fresh
 * chunk (at most this much is left unused per chunk, ≤ 0.8 %). A span that still does not fit
 * makes the writer grow the chunk into a bigger copy; `append` then puts the span alone into the
 * next chunk and gives the retired chunk its own buffer back (one wasted copy of at most a chunk,
 * so chunks keep their size). A span larger than a chunk gets a chunk of its own size.
 */
const CHUNK_RESERVE_BYTES = 512;
/** Free chunks kept for reuse (4 MiB); more are left to the GC. */
const MAX_SPARE_CHUNKS = 64;

/** A chunk of span bodies: the writer, plus how many of its spans are not freed yet. */
class Chunk extends SpanWriter {
  live = 0;
}

/** Array slots per span in `SpanRefs`. */
const SLOTS = 4;

/**
 * The encoded spans of one trace, in order: span `i` is `refs[4i]` (the chunk), bytes
 * `[refs[4i+1], refs[4i+2])` of `chunk.bytes`, and `refs[4i+3]` its collector size. Chunk `bytes`
 * may be replaced by a grown copy while the chunk is being written; reading through the chunk
 * always sees the current one.
 */
export type SpanRefs = (Chunk | number)[];

/** Number of spans in `refs`. */
export function refCount(refs: SpanRefs): number {
  return refs.length / SLOTS;
}

/** Encoded length of span `i` (its `spanProtoSize`). */
export function encodedBytes(refs: SpanRefs, i: number): number {
  return (refs[SLOTS * i + 2] as number) - (refs[SLOTS * i + 1] as number);
}

/** Size of span `i` as the collector counts it (`pdataSpanSize`): what its byte limits act on. */
export function collectorBytes(refs: SpanRefs, i: number): number {
  return refs[SLOTS * i + 3] as number;
}

/** The spans `from..` of `refs`, decoded: fresh objects equal to the spans appended. */
export function decodeRefs(refs: SpanRefs, from = 0): Span[] {
  const n = refs.length / SLOTS;
  const spans = new Array<Span>(n - from);
  for (let i = from; i < n; i++) {
    const chunk = refs[SLOTS * i] as Chunk;
    spans[i - from] = decodeSpan(chunk.bytes, refs[SLOTS * i + 1] as number, refs[SLOTS * i + 2] as number);
  }
  return spans;
}

/** Writes span bodies into shared chunks (one arena per processor). */
export class SpanArena {
  private _chunk = new Chunk(CHUNK_BYTES);
  private readonly _spare: Chunk[] = [];

  /** Appends the encoding of `span` to `refs`; returns its length in bytes (= `spanProtoSize(span)`). */
  append(span: Span, refs: SpanRefs): number {
    let chunk = this._chunk;
    if (chunk.length + CHUNK_RESERVE_BYTES > chunk.bytes.length) this._chunk = chunk = this._nextChunk(chunk);
    const { bytes, view, node } = chunk;
    let start = chunk.length;
    const n = encodeSpanInto(span, chunk);
    if (chunk.bytes !== bytes) {
      // It did not fit: the writer moved the chunk into a bigger copy. The old buffer still holds
      // the chunk's earlier spans as they were; the new span goes alone into the next chunk.
      const grown = chunk.bytes;
      chunk.bytes = bytes;
      chunk.view = view;
      chunk.node = node;
      chunk.length = start;
      const next = n > CHUNK_BYTES ? new Chunk(n) : this._nextChunk(chunk);
      next.bytes.set(grown.subarray(start, start + n), 0);
      next.length = n;
      this._chunk = chunk = next;
      start = 0;
    }
    chunk.live++;
    refs.push(chunk, start, start + n, pdataSpanSizeFromSdk(span, n));
    return n;
  }

  /**
   * Appends `span` from a body encoded already (`bytes[start, end)`, exactly what `encodeSpanInto`
   * would write for it: its source's encoding, `EncodedSpanBodies`) — a copy instead of an encode.
   * Returns its length.
   */
  appendBody(span: Span, bytes: Uint8Array, start: number, end: number, refs: SpanRefs): number {
    const n = end - start;
    let chunk = this._chunk;
    if (chunk.length + Math.max(n, CHUNK_RESERVE_BYTES) > chunk.bytes.length) {
      this._chunk = chunk = n > CHUNK_BYTES ? new Chunk(n) : this._nextChunk(chunk);
    }
    const at = chunk.length;
    chunk.bytes.set(bytes.subarray(start, end), at);
    chunk.length = at + n;
    chunk.live++;
    refs.push(chunk, at, at + n, pdataSpanSizeFromSdk(span, n));
    return n;
  }

  /**
   * Gives back the spans of `refs`: their bytes may be overwritten by later spans, so the caller
   * must have decoded what it needs and must not read `refs` again.
   */
  free(refs: SpanRefs): void {
    for (let i = 0; i < refs.length; i += SLOTS) {
      const chunk = refs[i] as Chunk;
      if (--chunk.live === 0 && chunk !== this._chunk) this._recycle(chunk);
    }
  }

  /** The chunk after a full one: itself when all its spans are freed already, else a spare or a new one. */
  private _nextChunk(full: Chunk): Chunk {
    if (full.live === 0) {
      full.length = 0;
      return full;
    }
    return this._spare.pop() ?? new Chunk(CHUNK_BYTES);
  }

  private _recycle(chunk: Chunk): void {
    // a chunk of one span larger than CHUNK_BYTES is not kept: spares stay CHUNK_BYTES each
    if (this._spare.length >= MAX_SPARE_CHUNKS || chunk.bytes.length !== CHUNK_BYTES) return;
    chunk.length = 0;
    this._spare.push(chunk);
  }
}
