import { describe, expect, it } from 'vitest';
import { otlpExporterFactory } from '../../../../../src/components/exporters/otlp/factory.js';
import { otlpHttpExporterFactory } from '../../../../../src/components/exporters/otlphttp/factory.js';
import type { OtlpExporterConfig } from '../../../../../src/components/exporters/otlp/config.js';
import { requestSizer } from '../../../../../src/components/exporters/shared/exporter-helper.js';
import { pdataTracesSize } from '../../../../../src/protocol/otlp/pdata-size.js';
import { exportRequestProtoSize } from '../../../../../src/protocol/otlp/size.js';
import { spansBatch } from '../../../../helpers/spans.js';

function problems(extra: Record<string, unknown>): string[] {
  const r = otlpExporterFactory.parseConfig({ endpoint: 'tempo:4317', ...extra }, 'exporters.otlp');
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('exporterhelper settings (upstream configretry / queuebatch Validate)', () => {
  it('reads sending_queue.sizer; the default counts requests', () => {
    const d = otlpExporterFactory.parseConfig({ endpoint: 'tempo:4317' }, 'exporters.otlp');
    expect(d.ok && (d.config as OtlpExporterConfig).sendingQueue).toEqual({ enabled: true, numConsumers: 10, queueSize: 1000, sizer: 'requests' });
    const items = otlpHttpExporterFactory.parseConfig({ endpoint: 'http://tempo:4318', sending_queue: { sizer: 'items', queue_size: 50_000 } }, 'exporters.otlphttp');
    expect(items.ok && items.config.sendingQueue).toMatchObject({ queueSize: 50_000, sizer: 'items' });
  });

  it('lists queue settings that load but act like the defaults (persistent storage, blocking, waiting) as not simulated', () => {
    const r = otlpHttpExporterFactory.parseConfig(
      { endpoint: 'http://tempo:4318', sending_queue: { storage: 'file_storage/queue', block_on_overflow: true, wait_for_result: true } },
      'exporters.otlphttp',
    );
    expect(r.ok && r.notSimulated?.map((n) => n.path)).toEqual([
      'exporters.otlphttp.sending_queue.storage',
      'exporters.otlphttp.sending_queue.block_on_overflow',
      'exporters.otlphttp.sending_queue.wait_for_result',
    ]);
    const plain = otlpExporterFactory.parseConfig({ endpoint: 'tempo:4317', sending_queue: { storage: 'file_storage/queue', enabled: false } }, 'exporters.otlp');
    expect(plain.ok && plain.notSimulated).toBeUndefined();
  });

  it('accepts what upstream accepts: multiplier below 1, max_interval below initial_interval, max_elapsed_time 0', () => {
    expect(problems({ retry_on_failure: { multiplier: 0.5 } })).toEqual([]);
    expect(problems({ retry_on_failure: { initial_interval: '10s', max_interval: '5s' } })).toEqual([]);
    expect(problems({ retry_on_failure: { max_elapsed_time: 0, max_interval: '10m' } })).toEqual([]);
  });

  it('rejects a finite max_elapsed_time shorter than initial_interval or max_interval', () => {
    expect(problems({ retry_on_failure: { max_elapsed_time: '10s' } })).toEqual([
      "exporters.otlp.retry_on_failure.max_elapsed_time: 'max_elapsed_time' must not be less than 'max_interval'",
    ]);
    expect(problems({ retry_on_failure: { initial_interval: '1m', max_interval: '1s', max_elapsed_time: '30s' } })).toEqual([
      "exporters.otlp.retry_on_failure.max_elapsed_time: 'max_elapsed_time' must not be less than 'initial_interval'",
    ]);
  });

  it('rejects negative values and a factor outside [0, 1], all at once', () => {
    expect(problems({ retry_on_failure: { multiplier: -1, randomization_factor: 1.5, initial_interval: '-1s' } })).toEqual([
      "exporters.otlp.retry_on_failure.initial_interval: 'initial_interval' must be non-negative",
      "exporters.otlp.retry_on_failure.randomization_factor: 'randomization_factor' must be within [0, 1]",
      "exporters.otlp.retry_on_failure.multiplier: 'multiplier' must be non-negative",
    ]);
    expect(problems({ sending_queue: { queue_size: 0, num_consumers: 0 } })).toEqual([
      'exporters.otlp.sending_queue.num_consumers: `num_consumers` must be positive',
      'exporters.otlp.sending_queue.queue_size: `queue_size` must be positive',
    ]);
  });

  it('does not validate a disabled section', () => {
    expect(problems({ retry_on_failure: { enabled: false, multiplier: -1, max_elapsed_time: '1s' } })).toEqual([]);
    expect(problems({ sending_queue: { enabled: false, queue_size: 0 } })).toEqual([]);
  });
});

describe('sending_queue sizer units (upstream request.Sizer)', () => {
  it('bytes counts the collector\'s protobuf size of the request (ptrace.ProtoMarshaler), not the SDK serializer\'s', () => {
    const batch = spansBatch(5);
    const bytes = requestSizer('bytes')({ batch, spans: 5 });
    expect(bytes).toBe(pdataTracesSize(batch));
    // the SDK form writes zero dropped counts and status codes the collector leaves out
    expect(exportRequestProtoSize(batch)).toBeGreaterThan(bytes);
    expect(requestSizer('items')({ batch, spans: 5 })).toBe(5);
    expect(requestSizer('requests')({ batch, spans: 5 })).toBe(1);
  });
});
