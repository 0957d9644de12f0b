import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { debugExporterFactory } from '../../../../../src/components/exporters/debug/factory.js';
import { fileExporterFactory } from '../../../../../src/components/exporters/file/factory.js';
import { nopExporterFactory } from '../../../../../src/components/exporters/nop/factory.js';
import { StorageMeter } from '../../../../../src/components/exporters/shared/storage-meter.js';
import { storageSinkExporterFactory } from '../../../../../src/components/exporters/storage-sink/factory.js';
import type { StorageSinkExporter } from '../../../../../src/components/exporters/storage-sink/storage-sink.js';
import type { AccountedBatch } from '../../../../../src/pipeline/accounting.js';
import { ShutdownError } from '../../../../../src/pipeline/errors.js';
import type { ExporterFactory } from '../../../../../src/pipeline/factory.js';
import { readJsonLines } from '../../../../../src/protocol/otlp/json-codec.js';
import { decodeExportRequest } from '../../../../../src/protocol/otlp/proto-decode.js';
import { encodeExportRequest } from '../../../../../src/protocol/otlp/proto-encode.js';
import { spanCount } from '../../../../../src/protocol/otlp/model.js';
import { createTestHost } from '../../../../helpers/host.js';
import { makeBatch, makeSpan, spansBatch } from '../../../../helpers/spans.js';

const dir = mkdtempSync(join(tmpdir(), 'tracesim-exporters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parse<C>(f: ExporterFactory<C>, raw: unknown): C {
  const r = f.parseConfig(raw, `exporters.${f.type}`);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

describe('file exporter', () => {
  /** The file exporter writes only in live runs. */
  const liveHost = () => ({ ...createTestHost(), mode: 'live' as const });

  it('writes OTLP JSON lines the replay reader reads back, flushing on the clock and at shutdown', async () => {
    const path = join(dir, 'sub', 'out.jsonl');
    const host = liveHost();
    const exp = fileExporterFactory.createTraces({ id: 'file', compat: 'current' }, parse(fileExporterFactory, { path, flush_interval: '1s' }));
    await exp.start(host);
    const a = makeBatch([makeSpan({ name: 'a', attributes: [{ key: 'n', value: 1n }] })]);
    const b = spansBatch(3);
    await exp.consumeTraces(a);
    await exp.consumeTraces(b);
    expect(readFileSync(path, 'utf8')).toBe('');
    await host.clock.advanceTo(Date.UTC(2026, 0, 1) + 1000);
    const lines = [...readJsonLines(readFileSync(path, 'utf8'))];
    expect(lines.map(spanCount)).toEqual([1, 3]);
    expect(lines[0]!.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes).toEqual([{ key: 'n', value: 1n }]);
    await exp.consumeTraces(spansBatch(2));
    await exp.shutdown();
    expect([...readJsonLines(readFileSync(path, 'utf8'))].map(spanCount)).toEqual([1, 3, 2]);
    expect(host.accounting.exportedSpans).toBe(6);
    expect(host.telemetry.sum('otelcol_exporter_sent_spans', { exporter: 'file' })).toBe(6);
    await expect(exp.consumeTraces(spansBatch(1))).rejects.toBeInstanceOf(ShutdownError);
  });

  it('compression: zstd loads (a production config) and is written uncompressed, with a warning, for replay to read', async () => {
    const path = join(dir, 'z.jsonl');
    const host = liveHost();
    const exp = fileExporterFactory.createTraces({ id: 'file/z', compat: 'current' }, parse(fileExporterFactory, { path, compression: 'zstd', flush_interval: 0 }));
    await exp.start(host);
    await exp.consumeTraces(spansBatch(2));
    await exp.shutdown();
    expect([...readJsonLines(readFileSync(path, 'utf8'))].map(spanCount)).toEqual([2]);
    expect(host.warnings).toEqual([`exporter file/z: compression zstd is not applied, ${path} is written uncompressed (tracesim has no zstd compressor; replay reads either)`]);
  });

  it('a sim run writes nothing, not even an existing file it would truncate, and says so; the spans count as exported', async () => {
    const path = join(dir, 'keep.jsonl');
    writeFileSync(path, 'precious recording\n');
    const host = createTestHost();
    const exp = fileExporterFactory.createTraces({ id: 'file/archive', compat: 'current' }, parse(fileExporterFactory, { path, flush_interval: 0 }));
    await exp.start(host);
    await exp.consumeTraces(spansBatch(3));
    await exp.shutdown();
    expect(readFileSync(path, 'utf8')).toBe('precious recording\n');
    expect(host.accounting.exportedSpans).toBe(3);
    expect(host.warnings).toEqual([`exporter file/archive: ${path} is not written in sim runs (live runs write it)`]);
    const missing = join(dir, 'no', 'such', 'dir', 'out.jsonl');
    const exp2 = fileExporterFactory.createTraces({ id: 'file', compat: 'current' }, parse(fileExporterFactory, { path: missing }));
    await exp2.start(createTestHost());
    await exp2.shutdown();
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });

  it('proto format: 4-byte big-endian length + request bytes', async () => {
    const path = join(dir, 'out.bin');
    const exp = fileExporterFactory.createTraces({ id: 'file/p', compat: 'current' }, parse(fileExporterFactory, { path, format: 'proto', flush_interval: 0 }));
    await exp.start(liveHost());
    const batch = spansBatch(2);
    await exp.consumeTraces(batch);
    await exp.shutdown();
    const data = readFileSync(path);
    const len = data.readUInt32BE(0);
    expect(len).toBe(data.length - 4);
    expect(spanCount(decodeExportRequest(data.subarray(4)))).toBe(2);
    expect(data.subarray(4)).toEqual(Buffer.from(encodeExportRequest(batch)));
  });

  it('requires path', () => {
    const r = fileExporterFactory.parseConfig({}, 'exporters.file');
    expect(r.ok ? [] : r.problems).toEqual([{ path: 'exporters.file.path', message: 'required: the file to write' }]);
  });
});

describe('storage sink and meter', () => {
  it('counts spans and exact OTLP bytes; gzip bytes exact when every batch is compressed', async () => {
    const host = createTestHost();
    const sink = storageSinkExporterFactory.createTraces({ id: 'tempo', compat: 'current' }, { compressEveryNth: 1 }) as StorageSinkExporter;
    await sink.start(host);
    const batches = [spansBatch(3), spansBatch(5)];
    for (const b of batches) await sink.consumeTraces(b);
    expect(sink.spans()).toBe(8);
    expect(sink.storedBytes()).toBe(batches.reduce((n, b) => n + encodeExportRequest(b).length, 0));
    expect(sink.compressedBytes()).toBe(batches.reduce((n, b) => n + gzipSync(encodeExportRequest(b)).length, 0));
    expect(host.accounting.exportedSpans).toBe(8);
  });

  it('samples compression deterministically and projects the ratio', () => {
    const meter = new StorageMeter({ alwaysFirst: 2, everyNth: 4 });
    for (let i = 0; i < 20; i++) meter.record(spansBatch(4));
    expect(meter.batches()).toBe(20);
    expect(meter.compressionRatio()).toBeGreaterThan(0);
    expect(meter.compressedBytes()).toBe(Math.round(meter.storedBytes() * meter.compressionRatio()));
  });
});

describe('debug and nop exporters', () => {
  it('debug logs through host.log.info (detailed prints spans), sampled per clock second', async () => {
    const host = createTestHost();
    const lines: string[] = [];
    const logged = { ...host, log: { warn: () => {}, info: (m: string) => void lines.push(m) } };
    const exp = debugExporterFactory.createTraces({ id: 'debug', compat: 'current' }, parse(debugExporterFactory, { verbosity: 'detailed', sampling_initial: 1, sampling_thereafter: 2 }));
    await exp.start(logged);
    for (let i = 0; i < 5; i++) await exp.consumeTraces(makeBatch([makeSpan({ name: `span-${i}` })]));
    // per second: the first message, then one in two (3rd, 5th)
    expect(lines.map((l) => /Name\s+: (\S+)/.exec(l)?.[1])).toEqual(['span-0', 'span-2', 'span-4']);
    expect(lines[0]).toContain('Traces {"resource spans": 1, "spans": 1}');
    expect(host.accounting.exportedSpans).toBe(5);
  });

  it('nop accepts, counts and reports exported; shadow copies stay out of the ledger', async () => {
    const host = createTestHost();
    const exp = nopExporterFactory.createTraces({ id: 'nop', compat: 'current' }, {});
    await exp.start(host);
    await exp.consumeTraces(spansBatch(2));
    const shadow: AccountedBatch = { ...spansBatch(3), shadow: true };
    await exp.consumeTraces(shadow);
    expect(host.accounting.exportedSpans).toBe(2);
    expect(host.telemetry.sum('otelcol_exporter_sent_spans', { exporter: 'nop' })).toBe(5);
    const r = nopExporterFactory.parseConfig({ x: 1 }, 'exporters.nop');
    expect(r.ok ? [] : r.problems).toEqual([{ path: 'exporters.nop.x', message: 'unknown key' }]);
  });
});
