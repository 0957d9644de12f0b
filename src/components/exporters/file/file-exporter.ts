/**
 * The `file` exporter: writes every batch it receives to `path` — OTLP/JSON lines exactly as the
 * collector's file exporter writes them (readable by `tracesim replay`), or length-prefixed
 * protobuf — in live runs. Sim and replay runs leave the file system alone, as the network
 * exporters leave the network alone: the batches are accounted as exported and nothing is opened
 * or written (a production config's path could be a file the user keeps, even the recording being
 * replayed); the run's log says so once. `tracesim generate --output` writes span files.
 *
 * Writes are buffered in memory (≤ 256 KiB) and written synchronously when the buffer fills, on
 * the `flush_interval` timer of the host clock, and at shutdown; synchronous writes keep sim runs
 * in a fixed order and make "accepted" mean "in the file or in this buffer".
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Settings } from '../../../pipeline/component.js';
import type { Timer } from '../../../pipeline/clock.js';
import { writeJsonLine } from '../../../protocol/otlp/json-codec.js';
import { encodeExportRequest } from '../../../protocol/otlp/proto-encode.js';
import { SinkExporter } from '../shared/sink-exporter.js';
import type { FileExporterConfig } from './config.js';

const FLUSH_AT_BYTES = 256 * 1024;

export function createFileExporter(settings: Settings, config: FileExporterConfig): SinkExporter {
  let fd: number | undefined;
  let chunks: Buffer[] = [];
  let buffered = 0;
  let timer: Timer | undefined;

  const flush = (): void => {
    if (fd === undefined || buffered === 0) return;
    const data = Buffer.concat(chunks, buffered);
    chunks = [];
    buffered = 0;
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off);
  };

  return new SinkExporter(settings, {
    start(host) {
      if (host.mode !== 'live') {
        host.log.warn(`exporter ${settings.id}: ${config.path} is not written in ${host.mode} runs (live runs write it)`);
        return;
      }
      if (config.zstdRequested) host.log.warn(`exporter ${settings.id}: compression zstd is not applied, ${config.path} is written uncompressed (tracesim has no zstd compressor; replay reads either)`);
      mkdirSync(dirname(config.path), { recursive: true });
      fd = openSync(config.path, config.append ? 'a' : 'w');
      if (config.flushIntervalMs > 0) timer = host.clock.setInterval(config.flushIntervalMs, flush);
    },
    write(batch) {
      if (fd === undefined) return;
      let chunk: Buffer;
      if (config.format === 'json') {
        chunk = Buffer.from(writeJsonLine(batch), 'utf8');
      } else {
        const body = encodeExportRequest(batch);
        chunk = Buffer.allocUnsafe(4 + body.length);
        chunk.writeUInt32BE(body.length, 0);
        chunk.set(body, 4);
      }
      chunks.push(chunk);
      buffered += chunk.length;
      if (buffered >= FLUSH_AT_BYTES || config.flushIntervalMs === 0) flush();
    },
    shutdown() {
      timer?.cancel();
      flush();
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  });
}
