/**
 * Reading recorded spans for `tracesim replay`: the files the collector's `file` exporter writes.
 *
 * Format by extension (a trailing `.zst` / `.zstd` is looked through: `traces.jsonl.zst` is JSON):
 * - `.json`, `.jsonl`, `.ndjson`: OTLP JSON lines, one `ExportTraceServiceRequest` per line (what
 *   the `file` exporter writes, and what the OpenTelemetry JS `JsonTraceSerializer` produces per
 *   request), or one pretty-printed request filling the file;
 * - `.bin`, `.pb`, `.binpb`: OTLP protobuf — one `ExportTraceServiceRequest` per file, or, if the
 *   file does not decode as one request, a stream of length-prefixed requests: a 4-byte
 *   big-endian length before each (the `file` exporter's `format: proto`, `exportMessageAsBuffer`)
 *   or, failing that, a varint length (protobuf's `writeDelimited`).
 *
 * zstd (the `file` exporter's `compression: zstd`) comes in the two layouts the exporter writes:
 * - native compression (the newer default): the whole file is zstd — one stream, or a frame per
 *   write when the file rotates — around the uncompressed layout above;
 * - legacy compression: each request is compressed on its own and written after a 4-byte
 *   big-endian length, for `format: json` too (then each record is one JSON request).
 * A `.zst` file without a format extension is read by its content (JSON starts with `{`).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { decompress as zstdDecompress } from 'fzstd';
import type { TraceBatch } from '../protocol/otlp/model.js';
import { forEachSpan } from '../protocol/otlp/model.js';
import { decodeExportRequest } from '../protocol/otlp/proto-decode.js';
import { decodeJsonRequest, readJsonLines } from '../protocol/otlp/json-codec.js';
import { InputError } from '../shared/errors.js';

type RecordFormat = 'json' | 'proto';

const FORMAT_BY_EXTENSION: ReadonlyMap<string, RecordFormat> = new Map([
  ['.json', 'json'],
  ['.jsonl', 'json'],
  ['.ndjson', 'json'],
  ['.bin', 'proto'],
  ['.pb', 'proto'],
  ['.binpb', 'proto'],
]);
const COMPRESSED_EXTENSIONS = new Set(['.zst', '.zstd']);
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** The file name without a trailing `.zst` / `.zstd`. */
export function withoutCompressionSuffix(file: string): string {
  const ext = extname(file).toLowerCase();
  return COMPRESSED_EXTENSIONS.has(ext) ? file.slice(0, -ext.length) : file;
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
    const decoded = decodeRecordedFile(file, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    checkRecordedSpans(decoded, file);
    batches.push(...decoded);
  }
  return { batches, hash: hash.digest('hex').slice(0, 16) };
}

function decodeRecordedFile(file: string, bytes: Uint8Array): TraceBatch[] {
  const inner = withoutCompressionSuffix(file);
  const ext = extname(inner).toLowerCase();
  const named = FORMAT_BY_EXTENSION.get(ext);
  const compressed = zstdLayout(bytes);
  // Without a format extension, only a compressed file is read by its content.
  if (named === undefined && !(compressed !== undefined && ext === '')) {
    throw new InputError(
      `unknown recorded-span format "${ext || extname(file)}": use .json, .jsonl or .ndjson (OTLP JSON lines) or .bin, .pb or .binpb (OTLP protobuf), optionally followed by .zst`,
      { file },
    );
  }
  try {
    if (compressed === 'per-record') {
      return lengthPrefixedPayloads(bytes, 'uint32be').map((payload, i) => {
        const content = unzstd(payload, `record ${i + 1}`);
        const format = named ?? sniff(content);
        try {
          return format === 'json' ? decodeJsonRequest(new TextDecoder().decode(content)) : decodeExportRequest(content);
        } catch (err) {
          throw new Error(`record ${i + 1} (zstd-compressed ${format === 'json' ? 'JSON' : 'protobuf'} request): ${messageOf(err)}`, { cause: err });
        }
      });
    }
    const content = compressed === 'stream' ? unzstd(bytes, 'the file') : bytes;
    const format = named ?? sniff(content);
    return format === 'json' ? decodeJsonFile(new TextDecoder().decode(content)) : decodeProtobufFile(content);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot decode recorded spans: ${messageOf(err)}`, { file, cause: err });
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A zstd frame starts at `at`. */
function zstdAt(bytes: Uint8Array, at: number): boolean {
  return bytes.length >= at + ZSTD_MAGIC.length && ZSTD_MAGIC.every((b, i) => bytes[at + i] === b);
}

/**
 * How the file exporter compressed this file, if it did: `stream` (native: the file is zstd) or
 * `per-record` (legacy: a 4-byte big-endian length, then a zstd frame, per request). An
 * uncompressed protobuf request cannot start with the zstd magic (0x28 would be field 5, which
 * `ExportTraceServiceRequest` lacks), nor JSON.
 */
function zstdLayout(bytes: Uint8Array): 'stream' | 'per-record' | undefined {
  if (zstdAt(bytes, 0)) return 'stream';
  if (zstdAt(bytes, 4) && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) <= bytes.length - 4) return 'per-record';
  return undefined;
}

function unzstd(bytes: Uint8Array, what: string): Uint8Array {
  try {
    return zstdDecompress(bytes);
  } catch (err) {
    throw new Error(`${what} is not valid zstd (${messageOf(err)}): a truncated or damaged file?`, { cause: err });
  }
}

/** JSON if the first non-blank byte is `{`, else protobuf. */
function sniff(content: Uint8Array): RecordFormat {
  for (const b of content) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    return b === 0x7b ? 'json' : 'proto';
  }
  return 'json';
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

/** The payloads of a length-prefixed stream; an error names where the framing breaks. */
function lengthPrefixedPayloads(bytes: Uint8Array, framing: Framing): Uint8Array[] {
  const found = frames(bytes, framing);
  if ('error' in found) throw new Error(`not a stream of 4-byte big-endian length-prefixed records (${found.error})`);
  return found.ranges.map(([start, end]) => bytes.subarray(start, end));
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
  throw new Error(`neither one OTLP request (${messageOf(single)}) nor 4-byte big-endian length-prefixed requests (${fileExporter.error})`);
}

function decodeFrames(bytes: Uint8Array, ranges: readonly [number, number][]): TraceBatch[] {
  return ranges.map(([start, end], i) => {
    try {
      return decodeExportRequest(bytes.subarray(start, end));
    } catch (err) {
      throw new Error(`request ${i + 1} (payload at byte ${start}): ${messageOf(err)}`, { cause: err });
    }
  });
}
