import { describe, expect, it } from 'vitest';
import { otlpExporterFactory } from '../../../../../src/components/exporters/otlp/factory.js';
import { otlpHttpExporterFactory } from '../../../../../src/components/exporters/otlphttp/factory.js';
import { loadCollectorConfig } from '../../../../../src/pipeline/config-loader.js';
import type { ExporterFactory } from '../../../../../src/pipeline/factory.js';
import { InputError } from '../../../../../src/shared/errors.js';
import { createTestHost } from '../../../../helpers/host.js';
import { createLiveHost } from '../../receivers/otlp/live-host.js';

describe('otlp / otlphttp compression', () => {
  it.each(['gzip', 'zstd', 'snappy', 'zlib', 'deflate', 'lz4', 'none', ''])('accepts the collector algorithm %j', (compression) => {
    for (const factory of [otlpExporterFactory, otlpHttpExporterFactory]) {
      const parsed = factory.parseConfig({ endpoint: 'http://127.0.0.1:4317', compression }, 'exporters.x');
      expect(parsed.ok).toBe(true);
    }
  });

  it('sends gzip for algorithms Node 20 lacks and says so; none stays none', () => {
    const zstd = otlpExporterFactory.parseConfig({ endpoint: 'tempo:4317', compression: 'zstd' }, 'exporters.otlp');
    expect(zstd.ok && zstd.config.compression).toBe('gzip');
    expect(zstd.ok && zstd.config.compressionWarning).toMatch(/zstd.*sending gzip/);
    const none = otlpHttpExporterFactory.parseConfig({ endpoint: 'http://tempo:4318', compression: 'none' }, 'exporters.otlphttp');
    expect(none.ok && none.config.compression).toBe('none');
    expect(none.ok && none.config.compressionWarning).toBeUndefined();
  });

  it('rejects an algorithm the collector does not know, naming the key', () => {
    const parsed = otlpExporterFactory.parseConfig({ endpoint: 'tempo:4317', compression: 'brotli' }, 'exporters.otlp/tempo');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems[0]!.path).toBe('exporters.otlp/tempo.compression');
  });
});

describe('otlp / otlphttp endpoint from an unset environment variable', () => {
  const CONFIG = `
receivers:
  otlp:
    protocols:
      grpc:
exporters:
  otlp/tempo:
    endpoint: \${env:TEMPO_ENDPOINT}
  otlphttp/vendor:
    endpoint: \${env:VENDOR_ENDPOINT}
service:
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [otlp/tempo, otlphttp/vendor]
`;

  it('a production config loads with a warning per variable (sim runs never connect)', () => {
    const r = loadCollectorConfig(CONFIG, 'c.yaml', {});
    expect(r.config.exporters.get('otlp/tempo')?.simulation).toBe('simulated');
    expect(r.warnings).toEqual([
      'exporters.otlp/tempo.endpoint: environment variable TEMPO_ENDPOINT is not set; using an empty string',
      'exporters.otlphttp/vendor.endpoint: environment variable VENDOR_ENDPOINT is not set; using an empty string',
    ]);
  });

  it('a missing endpoint key is still refused, naming the path', () => {
    const otlp = otlpExporterFactory.parseConfig({ tls: { insecure: true } }, 'exporters.otlp/tempo');
    expect(!otlp.ok && otlp.problems.map((p) => p.path)).toEqual(['exporters.otlp/tempo.endpoint']);
    const http = otlpHttpExporterFactory.parseConfig({}, 'exporters.otlphttp');
    expect(!http.ok && http.problems.map((p) => p.path)).toEqual(['exporters.otlphttp.endpoint']);
  });

  it.each([
    ['otlp/tempo', otlpExporterFactory],
    ['otlphttp/vendor', otlpHttpExporterFactory],
  ] as const)('%s with an empty endpoint: sim start measures, live start is an InputError naming the exporter', async (id, factory) => {
    const parsed = (factory as ExporterFactory).parseConfig({ endpoint: '' }, `exporters.${id}`);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const sim = (factory as ExporterFactory).createTraces({ id, compat: 'current' }, parsed.config);
    await sim.start(createTestHost());
    await sim.shutdown();
    const live = (factory as ExporterFactory).createTraces({ id, compat: 'current' }, parsed.config);
    const failure = await live.start(createLiveHost()).then(() => undefined, (err: unknown) => err);
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as Error).message).toContain(`exporters.${id}: the endpoint`);
    await live.shutdown();
  });
});
