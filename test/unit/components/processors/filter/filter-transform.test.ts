import { describe, expect, it } from 'vitest';
import { filterProcessorFactory } from '../../../../../src/components/processors/filter/factory.js';
import { transformProcessorFactory } from '../../../../../src/components/processors/transform/factory.js';
import type { AccountedBatch } from '../../../../../src/pipeline/accounting.js';
import type { ProcessorFactory } from '../../../../../src/pipeline/factory.js';
import { createTestHost } from '../../../../helpers/host.js';
import { TracesSink } from '../../../../helpers/traces-sink.js';
import { makeBatch, makeSpan } from '../../../../helpers/spans.js';

async function make<C>(factory: ProcessorFactory<C>, raw: unknown) {
  const parsed = factory.parseConfig(raw, `processors.${factory.type}`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const sink = new TracesSink();
  const host = createTestHost();
  const proc = factory.createTraces({ id: factory.type, compat: 'current' }, parsed.config, sink);
  await proc.start(host);
  return { sink, host, proc };
}

describe('filter processor', () => {
  const spans = () => [
    makeSpan({ name: 'GET /health', attributes: [{ key: 'http.route', value: '/health' }] }),
    makeSpan({ name: 'GET /cart', events: [{ name: 'cache.miss', timeUnixNano: 1n, attributes: [], droppedAttributesCount: 0 }, { name: 'log', timeUnixNano: 2n, attributes: [], droppedAttributesCount: 0 }] }),
    makeSpan({ name: 'grpc.health.v1.Health/Check', kind: 3 }),
  ];

  it('drops spans for which any condition holds and reports them as filtered', async () => {
    const { sink, host, proc } = await make(filterProcessorFactory, { error_mode: 'ignore', traces: { span: ['attributes["http.route"] == "/health"', 'IsMatch(name, "^grpc\\\\.health")'], spanevent: ['name == "cache.miss"'] } });
    await proc.consumeTraces(makeBatch(spans()));
    expect(sink.spans().map((s) => s.name)).toEqual(['GET /cart']);
    expect(sink.spans()[0]!.events.map((e) => e.name)).toEqual(['log']);
    expect(host.accounting.sampledOutSpans.get('filtered')).toBe(2);
  });

  it('a batch with nothing left is not forwarded; shadow marks carry to the removal report', async () => {
    const { sink, host, proc } = await make(filterProcessorFactory, { traces: { span: ['true'] } });
    const shadow: AccountedBatch = { ...makeBatch(spans()), shadow: true };
    await proc.consumeTraces(shadow);
    expect(sink.batches).toHaveLength(0);
    expect(host.accounting.totalSampledOut).toBe(0);
  });

  it('legacy spans.exclude', async () => {
    const { sink, proc } = await make(filterProcessorFactory, { spans: { exclude: { match_type: 'strict', span_names: ['GET /health'] } } });
    await proc.consumeTraces(makeBatch(spans()));
    expect(sink.spans().map((s) => s.name)).toEqual(['GET /cart', 'grpc.health.v1.Health/Check']);
  });
});

describe('transform processor', () => {
  it('runs grouped and flat statements in order, with where clauses and group conditions', async () => {
    const { sink, proc } = await make(transformProcessorFactory, {
      trace_statements: [
        {
          context: 'span',
          conditions: ['kind == SPAN_KIND_SERVER'],
          statements: ['set(attributes["tier"], "edge")', 'replace_pattern(name, "/users/[0-9]+", "/users/{id}")', 'delete_key(attributes, "secret")'],
        },
        { context: 'resource', statements: ['set(attributes["deployment.environment"], "prod") where attributes["service.name"] == "checkout"'] },
        'set(span.status.code, STATUS_CODE_ERROR) where span.attributes["http.status_code"] >= 500',
      ],
    });
    await proc.consumeTraces(
      makeBatch([
        makeSpan({ name: 'GET /users/42', attributes: [{ key: 'secret', value: 's' }, { key: 'http.status_code', value: 503n }] }),
        makeSpan({ name: 'SELECT', kind: 3, attributes: [{ key: 'secret', value: 's' }] }),
      ]),
    );
    const [server, client] = sink.spans();
    expect(server!.name).toBe('GET /users/{id}');
    expect(server!.attributes).toEqual([{ key: 'http.status_code', value: 503n }, { key: 'tier', value: 'edge' }]);
    expect(server!.status.code).toBe(2);
    expect(client!.attributes).toEqual([{ key: 'secret', value: 's' }]);
    expect(sink.batches[0]!.resourceSpans[0]!.resource.attributes).toContainEqual({ key: 'deployment.environment', value: 'prod' });
  });

  it('leaves out, and lists, upstream OTTL outside the subset (the demo config loads); a name upstream does not have is refused', async () => {
    const raw = {
      error_mode: 'ignore',
      trace_statements: [
        { context: 'span', statements: ['replace_match(name, "GET /api/products/*", "GET /api/products/{productId}")', 'set(attributes["tier"], "edge")', 'set(attributes["k"], Concat([name, "x"], "-"))'] },
        { context: 'span', conditions: ['IsRootSpan()'], statements: ['set(attributes["root"], true)'] },
      ],
    };
    const parsed = transformProcessorFactory.parseConfig(raw, 'processors.transform');
    expect(parsed.ok && parsed.notSimulated).toEqual([
      { path: 'processors.transform.trace_statements[0].statements[0]', reason: "replace_match is outside tracesim's OTTL subset: this statement is not simulated, and spans pass unchanged by it" },
      { path: 'processors.transform.trace_statements[0].statements[2]', reason: "Concat is outside tracesim's OTTL subset: this statement is not simulated, and spans pass unchanged by it" },
      { path: 'processors.transform.trace_statements[1].conditions[0]', reason: "IsRootSpan is outside tracesim's OTTL subset: this group (its condition) is not simulated, and spans pass unchanged by it" },
    ]);
    const { sink, proc } = await make(transformProcessorFactory, raw);
    await proc.consumeTraces(makeBatch([makeSpan({ name: 'GET /api/products/7', attributes: [] })]));
    // only the simulated statement ran
    expect(sink.spans()[0]).toMatchObject({ name: 'GET /api/products/7', attributes: [{ key: 'tier', value: 'edge' }] });
    const typo = transformProcessorFactory.parseConfig({ trace_statements: ['replace_mach(name, "a", "b")'] }, 'processors.transform');
    expect(typo.ok ? [] : typo.problems.map((p) => p.path)).toEqual(['processors.transform.trace_statements[0]']);
  });

  it('rejects contexts outside the subset', () => {
    const r = transformProcessorFactory.parseConfig({ trace_statements: [{ context: 'scope', statements: ['set(name, "x")'] }] }, 'processors.transform');
    expect(r.ok ? [] : r.problems).toEqual([{ path: 'processors.transform.trace_statements[0].context', message: 'context "scope" is not supported (span, resource, spanevent)' }]);
  });
});

describe('error_mode of filter and transform', () => {
  const problemsOf = (r: { ok: true } | { ok: false; problems: unknown[] }) => (r.ok ? [] : r.problems);

  it('is read in any letter case (OTTL ErrorMode.UnmarshalText lower-cases it); other words are config errors', () => {
    const filter = (mode: string) => filterProcessorFactory.parseConfig({ error_mode: mode, traces: { span: ['name == "a"'] } }, 'processors.filter');
    const transform = (mode: string) =>
      transformProcessorFactory.parseConfig({ error_mode: mode, trace_statements: [{ context: 'span', error_mode: mode, statements: ['set(name, "x")'] }] }, 'processors.transform');
    for (const mode of ['IGNORE', 'Silent', 'propagate']) {
      expect(problemsOf(filter(mode))).toEqual([]);
      expect(problemsOf(transform(mode))).toEqual([]);
    }
    expect(problemsOf(filter('Loud'))).toEqual([{ path: 'processors.filter.error_mode', message: 'unknown error mode loud' }]);
    expect(problemsOf(transform('loud'))).toEqual([
      { path: 'processors.transform.error_mode', message: 'unknown error mode loud' },
      { path: 'processors.transform.trace_statements[0].error_mode', message: 'unknown error mode loud' },
    ]);
  });
});
