import { describe, expect, test } from 'vitest';
import { renderPrometheus } from '../../../src/pipeline/prometheus.js';
import { MetricsRegistry } from '../../../src/pipeline/telemetry.js';
import { startTelemetryServer } from '../../../src/pipeline/telemetry-server.js';

describe('Prometheus text format', () => {
  test('counters get _total, gauges keep their name, histograms expand, labels are escaped', () => {
    const reg = new MetricsRegistry();
    reg.counter('otelcol_receiver_accepted_spans', { receiver: 'otlp', transport: 'grpc' }).add(12);
    reg.counter('otelcol_receiver_accepted_spans', { receiver: 'otlp', transport: 'http' }).add(3);
    reg.gauge('otelcol_exporter_queue_size', { exporter: 'otlp/tempo' }, () => 4);
    reg.counter('odd.name', { 'weird-label': 'a"b\\c\nd' }).add(1);
    reg.histogram('lag_ms', {}).record(3);
    const text = renderPrometheus(reg.snapshot());
    expect(text).toContain('# TYPE otelcol_receiver_accepted_spans_total counter\n');
    expect(text).toContain('otelcol_receiver_accepted_spans_total{receiver="otlp",transport="grpc"} 12\n');
    expect(text).toContain('otelcol_receiver_accepted_spans_total{receiver="otlp",transport="http"} 3\n');
    expect(text).toContain('# TYPE otelcol_exporter_queue_size gauge\notelcol_exporter_queue_size{exporter="otlp/tempo"} 4\n');
    expect(text).toContain('odd_name_total{weird_label="a\\"b\\\\c\\nd"} 1\n');
    expect(text).toContain('lag_ms_bucket{le="2"} 0\n');
    expect(text).toContain('lag_ms_bucket{le="5"} 1\n');
    expect(text).toContain('lag_ms_bucket{le="+Inf"} 1\nlag_ms_sum 3\nlag_ms_count 1\n');
    expect(text.match(/# TYPE otelcol_receiver_accepted_spans_total/g)).toHaveLength(1);
  });

  test('a snapshot is sorted by series; gaugeValues reads the gauges of one name only, as they are now', () => {
    const reg = new MetricsRegistry();
    let queued = 2;
    reg.gauge('otelcol_exporter_queue_size', { exporter: 'otlp/b' }, () => queued);
    reg.counter('otelcol_exporter_sent_spans', { exporter: 'otlp/a' }).add(1);
    reg.gauge('otelcol_exporter_queue_size', { exporter: 'otlp/a' }, () => 7);
    reg.gauge('otelcol_exporter_queue_capacity', { exporter: 'otlp/a' }, () => 1000);
    expect(reg.snapshot().map((p) => `${p.name}/${p.labels['exporter']}`)).toEqual([
      'otelcol_exporter_queue_capacity/otlp/a',
      'otelcol_exporter_queue_size/otlp/a',
      'otelcol_exporter_queue_size/otlp/b',
      'otelcol_exporter_sent_spans/otlp/a',
    ]);
    queued = 5;
    expect(reg.gaugeValues('otelcol_exporter_queue_size')).toEqual([
      { labels: { exporter: 'otlp/b' }, value: 5 },
      { labels: { exporter: 'otlp/a' }, value: 7 },
    ]);
    expect(reg.gaugeValues('otelcol_exporter_sent_spans')).toEqual([]);
  });

  test('the /metrics endpoint serves the registry and nothing else', async () => {
    const reg = new MetricsRegistry();
    reg.counter('otelcol_exporter_sent_spans', { exporter: 'otlp' }).add(5);
    const server = await startTelemetryServer(reg, '127.0.0.1', 0);
    try {
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
      expect(await res.text()).toContain('otelcol_exporter_sent_spans_total{exporter="otlp"} 5');
      expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
      expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });
});
