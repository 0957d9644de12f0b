import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../../../src/components/index.js';
import { loadCollectorConfig } from '../../../../src/pipeline/config-loader.js';
import { buildPipelines } from '../../../../src/pipeline/graph.js';
import { collectorProblems } from '../../../helpers/collector.js';
import { createTestHost } from '../../../helpers/host.js';
import { makeBatch, makeSpan } from '../../../helpers/spans.js';

const config = (connector: string) => `
receivers: {otlp: {protocols: {grpc: {}}}}
connectors:
${connector}
exporters: {otlp/a: {endpoint: a:4317}, otlp/b: {endpoint: b:4317}}
service:
  pipelines:
    traces/in: {receivers: [otlp], exporters: [${connector.trim().split(':')[0]}]}
    traces/a: {receivers: [${connector.trim().split(':')[0]}], exporters: [otlp/a]}
    traces/b: {receivers: [${connector.trim().split(':')[0]}], exporters: [otlp/b]}`;

async function send(connector: string, batches: number[]) {
  const loaded = loadCollectorConfig(config(connector), 'c.yaml', {});
  const graph = buildPipelines(loaded.config, builtinRegistry(), { compat: 'current', mode: 'sim' });
  const host = createTestHost();
  await graph.start(host);
  for (const n of batches) await graph.receivers().get('otlp')!.consumeTraces(makeBatch(Array.from({ length: n }, () => makeSpan())));
  await graph.shutdown();
  return { loaded, exported: host.accounting.exportedByComponent, total: host.accounting.exportedSpans };
}

describe('failover connector', () => {
  it('sends every span to the first priority level (the switch on failure is listed as not simulated)', async () => {
    const r = await send('  failover:\n    priority_levels: [[traces/b], [traces/a]]', [2, 3]);
    expect(r.exported.get('otlp/b')).toBe(5);
    expect(r.exported.get('otlp/a') ?? 0).toBe(0);
    expect(r.loaded.notSimulated.map((n) => n.component)).toContain('connectors.failover');
  });
  it('needs priority_levels naming pipelines that receive from it', () => {
    const problems = (connector: string) => collectorProblems(config(connector));
    expect(problems('  failover: {}')).toEqual(['connectors.failover.priority_levels: missing required field "priority_levels": give at least one list of pipelines']);
    expect(problems('  failover:\n    priority_levels: [[traces/in]]')).toEqual([
      'connectors.failover.priority_levels[0][0]: pipeline "traces/in" is not a traces pipeline receiving from this connector',
    ]);
  });
  it("takes upstream's current and deprecated keys, and refuses a retry interval that is not positive (errInvalidRetryIntervals)", () => {
    const problems = (body: string) => collectorProblems(config(`  failover:\n    priority_levels: [[traces/a], [traces/b]]\n${body}`));
    // upstream testdata: failover/queue, failover/full and the strategy form
    expect(problems('    sending_queue: {enabled: true}')).toEqual([]);
    expect(problems('    retry_interval: 5m\n    retry_gap: 1m\n    max_retries: 10')).toEqual([]);
    expect(problems('    strategy: standard\n    standard: {retry_interval: 30s}\n    condition: {}')).toEqual([]);
    expect(problems('    retry_interval: 0m')).toEqual(['connectors.failover.retry_interval: Retry interval must be positive (got "0m")']);
    expect(problems('    standard: {retry_interval: -1s}')).toEqual(['connectors.failover.standard.retry_interval: Retry interval must be positive (got "-1s")']);
    expect(problems('    strategy: progressive')).toEqual(['connectors.failover.strategy: strategy is invalid: "progressive" (the only strategy is "standard")']);
    expect(problems('    retry_intervall: 5m')).toEqual(['connectors.failover.retry_intervall: unknown key']);
  });
});

describe('roundrobin connector', () => {
  it('hands each batch, whole, to the next pipeline in turn', async () => {
    const r = await send('  roundrobin:', [1, 2, 4, 8]);
    // batches 1 and 4 → traces/a (1 + 4), batches 2 and 8 → traces/b (2 + 8)
    expect(r.exported.get('otlp/a')).toBe(5);
    expect(r.exported.get('otlp/b')).toBe(10);
    expect(r.total).toBe(15);
    expect(r.loaded.notSimulated.map((n) => n.component)).not.toContain('connectors.roundrobin');
  });
});
