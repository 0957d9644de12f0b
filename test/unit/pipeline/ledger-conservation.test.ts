import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { builtinRegistry } from '../../../src/components/index.js';
import { loadCollectorConfig } from '../../../src/pipeline/config-loader.js';
import { buildPipelines, createHost } from '../../../src/pipeline/graph.js';
import { createTestHost } from '../../helpers/host.js';
import { makeBatch, makeSpan } from '../../helpers/spans.js';

const CONFIG = `
receivers:
  otlp: {protocols: {grpc: {}}}
processors:
  memory_limiter: {check_interval: 1s, limit_mib: 4096}
  attributes: {actions: [{key: seen, value: true, action: insert}]}
  probabilistic_sampler: {sampling_percentage: 40}
  filter: {traces: {span: ['attributes["drop"] == true']}}
  batch: {send_batch_size: 7, timeout: 300ms}
exporters:
  nop:
  debug:
  file/never: {path: /nonexistent/never-written.jsonl}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, attributes, probabilistic_sampler, filter, batch]
      exporters: [nop, debug]
    traces/all:
      receivers: [otlp]
      processors: [batch]
      exporters: [debug]
`;

test.prop([fc.array(fc.array(fc.record({ trace: fc.integer({ min: 1, max: 250 }), drop: fc.boolean() }), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 15 })], { numRuns: 40 })(
  'through shared receivers, fan-out and every processor, each span is counted exactly once',
  async (batches) => {
    const loaded = loadCollectorConfig(CONFIG, 'c.yaml', {});
    const graph = buildPipelines(loaded.config, builtinRegistry(), { compat: 'current', mode: 'sim' });
    const t = createTestHost();
    const host = createHost({ mode: 'sim', clock: t.clock, accounting: t.accounting, telemetry: t.telemetry, log: t.log }, graph);
    await graph.start(host);
    let generated = 0;
    for (const b of batches) {
      generated += b.length;
      await graph.receivers().get('otlp')!.consumeTraces(makeBatch(b.map((s) => makeSpan({ traceByte: s.trace, attributes: [{ key: 'drop', value: s.drop }] }))));
      await t.clock.advanceTo(t.clock.nowMs() + 100);
    }
    await graph.shutdown();
    const a = t.accounting;
    expect(a.exportedSpans + a.totalSampledOut + a.totalDropped).toBe(generated);
    // the second pipeline saw every span (as shadow copies): telemetry counts them, the ledger does not
    expect(t.telemetry.sum('otelcol_exporter_sent_spans', { exporter: 'debug' })).toBe(generated + a.exportedSpans);
  },
);
