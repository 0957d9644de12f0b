import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../../../src/components/index.js';
import { parseRoutingConfig } from '../../../../src/components/connectors/routing/routing.js';
import { loadCollectorConfig } from '../../../../src/pipeline/config-loader.js';
import { buildPipelines } from '../../../../src/pipeline/graph.js';
import { collectorProblems } from '../../../helpers/collector.js';
import type { ResourceSpans, Span } from '../../../../src/protocol/otlp/model.js';
import { emptyScope } from '../../../../src/protocol/otlp/model.js';
import { createTestHost } from '../../../helpers/host.js';
import { makeSpan } from '../../../helpers/spans.js';

/** traces/in → routing → traces/cart | traces/slow | traces/rest, each with its own file exporter stand-in. */
const config = (routing: string) => `
receivers: {otlp: {protocols: {grpc: {}}}}
processors:
  tail_sampling:
    decision_wait: 1s
    policies: [{name: none, type: probabilistic, probabilistic: {sampling_percentage: 0}}]
connectors:
  routing:
${routing}
exporters: {otlp/cart: {endpoint: a:4317}, otlp/slow: {endpoint: b:4317}, otlp/rest: {endpoint: c:4317}}
service:
  pipelines:
    traces/in: {receivers: [otlp], exporters: [routing]}
    traces/cart: {receivers: [routing], exporters: [otlp/cart]}
    traces/slow: {receivers: [routing], exporters: [otlp/slow]}
    traces/rest: {receivers: [routing], processors: [tail_sampling], exporters: [otlp/rest]}`;

const resourceOf = (service: string, spans: Span[]): ResourceSpans => ({
  resource: { attributes: [{ key: 'service.name', value: service }], droppedAttributesCount: 0 },
  scopeSpans: [{ scope: emptyScope(), spans, schemaUrl: '' }],
  schemaUrl: '',
});

async function run(routing: string) {
  const loaded = loadCollectorConfig(config(routing), 'c.yaml', {});
  const graph = buildPipelines(loaded.config, builtinRegistry(), { compat: 'current', mode: 'sim' });
  const host = createTestHost();
  await graph.start(host);
  await graph.receivers().get('otlp')!.consumeTraces({
    resourceSpans: [
      resourceOf('cart', [makeSpan({ name: 'fast' }), makeSpan({ name: 'slow' })]),
      resourceOf('pay', [makeSpan({ name: 'slow' }), makeSpan({ name: 'fast' }), makeSpan({ name: 'fast' })]),
    ],
  });
  await host.clock.advanceTo(host.clock.nowMs() + 3000);
  await graph.shutdown();
  return { loaded, exported: host.accounting.exportedByComponent, sampledOut: host.accounting.sampledOutSpans };
}

describe('routing connector (connector/routingconnector, match once)', () => {
  it('resource routes take whole ResourceSpans in table order; the rest goes to default_pipelines', async () => {
    const r = await run(`
    default_pipelines: [traces/rest]
    table:
      - statement: route() where attributes["service.name"] == "cart"
        pipelines: [traces/cart]
      - condition: attributes["service.name"] == "cart" or attributes["service.name"] == "pay"
        pipelines: [traces/slow]`);
    expect(r.loaded.notSimulated.map((n) => n.component)).not.toContain('connectors.routing');
    // cart (2 spans) → first route; pay (3 spans) → second route; nothing reaches the sampler
    expect(r.exported.get('otlp/cart')).toBe(2);
    expect(r.exported.get('otlp/slow')).toBe(3);
    expect(r.exported.get('otlp/rest') ?? 0).toBe(0);
  });

  it('span routes take single spans with their resource; unrouted spans reach the default pipeline and its sampler', async () => {
    const r = await run(`
    default_pipelines: [traces/rest]
    table:
      - context: span
        condition: name == "slow"
        pipelines: [traces/slow]`);
    expect(r.exported.get('otlp/slow')).toBe(2);
    expect(r.exported.get('otlp/cart') ?? 0).toBe(0);
    // the three fast spans went through tail_sampling at 0 %: sampled out, not exported
    expect(r.exported.get('otlp/rest') ?? 0).toBe(0);
    expect([...r.sampledOut.values()].reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('without default_pipelines what no route takes is removed (not exported)', async () => {
    const r = await run(`
    table:
      - statement: route() where attributes["service.name"] == "pay"
        pipelines: [traces/cart, traces/slow]`);
    // pay's 3 spans go to both pipelines (one ledger copy, one shadow); cart's 2 are dropped by the router
    expect(r.exported.get('otlp/cart')).toBe(3);
    expect(r.exported.get('otlp/slow')).toBe(3);
    expect([...r.sampledOut.values()].reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('refuses what upstream Config.Validate and the router refuse, with key paths', () => {
    const problems = (routing: string) => collectorProblems(config(routing));
    expect(problems(`
    default_pipelines: [traces/rest]`)).toEqual(['connectors.routing.table: invalid routing table: the routing table is empty']);
    expect(problems(`
    table:
      - statement: route()
        condition: name == "x"
        pipelines: [traces/cart]
      - condition: attributes["x"] == "y"
        pipelines: [traces/nope]
      - condition: Len(name) > 3
        pipelines: [traces/in]`)).toEqual([
      'connectors.routing.table[0]: invalid route: both statement and condition cannot be provided',
      'connectors.routing.table[1].pipelines[0]: pipeline "traces/nope" is not a traces pipeline receiving from this connector',
      'connectors.routing.table[2].pipelines[0]: pipeline "traces/in" is not a traces pipeline receiving from this connector',
      'connectors.routing.table[2].condition: unsupported OTTL "Len(name) > 3": unsupported function Len (the supported subset has IsMatch only)',
    ]);
    // a resource route reads resource paths: a span path is refused there
    expect(problems(`
    table:
      - condition: name == "x"
        pipelines: [traces/cart]`)).toEqual([
      'connectors.routing.table[0].condition: unsupported OTTL "name == \\"x\\"": unsupported path name (at offset 0)',
    ]);
  });

  it('parses route() without where as a catch-all; request routes are kept but never match', () => {
    const { config: c, problems } = parseRoutingConfig(
      { table: [{ statement: 'route()', pipelines: ['traces/a'] }, { context: 'request', condition: 'request["X-Tenant"] == "acme"', pipelines: ['traces/a'] }] },
      new Set(['traces/a']),
    );
    expect(problems).toEqual([]);
    expect(c.table.map((r) => [r.context, r.condition === undefined])).toEqual([
      ['resource', true],
      ['request', true],
    ]);
  });
});
