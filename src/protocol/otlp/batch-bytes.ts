/**
 * Byte measures of an export batch — exact OTLP protobuf size and gzip size — remembered per
 * batch object. One exported batch is measured by several parts of a run: every exporter's
 * `StorageMeter` it reaches (fan-out hands each exporter the same object) and the engine's bytes
 * tap. A batch is not modified once it reaches an exporter (exporters never mutate), so the first
 * measure serves every later one; the entries go with the batch (weak keys).
 */
import { gzipSync } from 'node:zlib';
import type { TraceBatch } from './model.js';
import { encodeExportRequest } from './proto-encode.js';
import { exportRequestProtoSize } from './size.js';

const protoBytes = new WeakMap<TraceBatch, number>();
const gzipBytes = new WeakMap<TraceBatch, number>();

/** `encodeExportRequest(batch).length`, without encoding. */
export function batchProtoBytes(batch: TraceBatch): number {
  let n = protoBytes.get(batch);
  if (n === undefined) protoBytes.set(batch, (n = exportRequestProtoSize(batch)));
  return n;
}

/** Bytes of the gzip-compressed export request. */
export function batchGzipBytes(batch: TraceBatch): number {
  let n = gzipBytes.get(batch);
  if (n === undefined) gzipBytes.set(batch, (n = gzipSync(encodeExportRequest(batch)).length));
  return n;
}
