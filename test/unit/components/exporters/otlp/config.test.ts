import { describe, expect, it } from 'vitest';
import { otlpExporterFactory } from '../../../../../src/components/exporters/otlp/factory.js';
import { otlpHttpExporterFactory } from '../../../../../src/components/exporters/otlphttp/factory.js';

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
