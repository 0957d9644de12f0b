import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../../src/components/index.js';
import type { AccountedBatch } from '../../../src/pipeline/accounting.js';
import type { Component, Host } from '../../../src/pipeline/component.js';
import { loadCollectorConfig } from '../../../src/pipeline/config-loader.js';
import type { TracesConsumer } from '../../../src/pipeline/consumer.js';
import type { ExporterFactory, ProcessorFactory } from '../../../src/pipeline/factory.js';
import { createFanout } from '../../../src/pipeline/fanout.js';
import { buildPipelines, createHost } from '../../../src/pipeline/graph.js';
import { ComponentRegistry } from '../../../src/pipeline/registry.js';
import { PermanentError, RetryableError, ShutdownError } from '../../../src/pipeline/errors.js';
import type { TraceBatch } from '../../../src/protocol/otlp/model.js';
import { spanCount } from '../../../src/protocol/otlp/model.js';
import { createTestHost } from '../../helpers/host.js';
import { TracesSink } from '../../helpers/traces-sink.js';
import { makeBatch, makeSpan, spansBatch } from '../../helpers/spans.js';

/** Records lifecycle order across components, and what each exporter received. */
function recordingRegistry(events: string[], received: Map<string, AccountedBatch[]>): ComponentRegistry {
  const life = (id: string): Component => ({
    async start() {
      events.push(`start ${id}`);
    },
    async shutdown() {
      events.push(`shutdown ${id}`);
    },
  });
  const exporter: ExporterFactory = {
    kind: 'exporter',
    type: 'nop',
    stability: 'stable',
    defaultConfig: () => ({}),
    parseConfig: () => ({ ok: true, config: {} }),
    createTraces: (settings) => ({
      ...life(settings.id),
      capabilities: { mutatesData: false },
      async consumeTraces(b: TraceBatch) {
        received.set(settings.id, [...(received.get(settings.id) ?? []), b]);
      },
    }),
  };
  const mutator: ProcessorFactory = {
    kind: 'processor',
    type: 'resource',
    stability: 'beta',
    defaultConfig: () => ({}),
    parseConfig: () => ({ ok: true, config: {} }),
    createTraces: (settings, _c, next: TracesConsumer) => ({
      ...life(`${settings.id}@${settings.pipelineId}`),
      capabilities: { mutatesData: true },
      async consumeTraces(b: TraceBatch) {
        b.resourceSpans[0]!.resource.attributes.push({ key: 'touched.by', value: settings.pipelineId ?? '' });
        await next.consumeTraces(b);
      },
    }),
  };
  const base = builtinRegistry().all().filter((f) => !(f.kind === 'exporter' && f.type === 'nop') && !(f.kind === 'processor' && f.type === 'resource'));
  return new ComponentRegistry([...base, exporter as never, mutator as never]);
}

const CONFIG = `
receivers:
  otlp:
    protocols: {grpc: {}}
  otlp/2:
    protocols: {grpc: {}}
processors:
  resource:
    attributes: [{key: a, value: b, action: upsert}]
  k8sattributes: {}
exporters:
  nop:
  nop/2:
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [resource, k8sattributes]
      exporters: [nop, nop/2]
    traces/b:
      receivers: [otlp, otlp/2]
      processors: [resource]
      exporters: [nop/2]
`;

describe('buildPipelines', () => {
  it('starts in reverse topological order and shuts down in topological order, idempotently', async () => {
    const events: string[] = [];
    const registry = recordingRegistry(events, new Map());
    const loaded = loadCollectorConfig(CONFIG, 'c.yaml', {}, { registry });
    const graph = buildPipelines(loaded.config, registry, { compat: 'current', mode: 'sim', notSimulated: loaded.notSimulated });
    const host = createTestHost();
    await graph.start(host);
    await graph.start(host);
    const starts = events.filter((e) => e.startsWith('start'));
    expect(starts).toEqual(['start nop', 'start nop/2', 'start resource@traces', 'start resource@traces/b']);
    events.length = 0;
    await graph.shutdown();
    await graph.shutdown();
    expect(events).toEqual(['shutdown resource@traces', 'shutdown resource@traces/b', 'shutdown nop', 'shutdown nop/2']);
    expect(graph.notSimulated.map((n) => n.component)).toContain('processors.k8sattributes');
  });

  it('one processor instance per pipeline; shared receivers fan out; only the first copy is not shadow', async () => {
    const received = new Map<string, AccountedBatch[]>();
    const registry = recordingRegistry([], received);
    const loaded = loadCollectorConfig(CONFIG, 'c.yaml', {}, { registry });
    const graph = buildPipelines(loaded.config, registry, { compat: 'current', mode: 'sim' });
    const host = createTestHost();
    await graph.start(host);
    expect([...graph.receivers().keys()]).toEqual(['otlp', 'otlp/2']);
    expect(graph.components().filter((n) => n.kind === 'processor').map((n) => `${n.id}@${n.pipelineId}`)).toEqual(['resource@traces', 'k8sattributes@traces', 'resource@traces/b']);

    await graph.receivers().get('otlp')!.consumeTraces(spansBatch(3));
    const nop = received.get('nop')!;
    const nop2 = received.get('nop/2')!;
    expect(nop).toHaveLength(1);
    expect(nop2).toHaveLength(2);
    expect(nop[0]!.shadow).toBeUndefined();
    expect(nop2.every((b) => b.shadow === true)).toBe(true);
    // each pipeline's mutating processor worked on its own copy
    expect(nop[0]!.resourceSpans[0]!.resource.attributes.filter((kv) => kv.key === 'touched.by').map((kv) => kv.value)).toEqual(['traces']);
    const pipelineB = nop2.find((b) => b.resourceSpans[0]!.resource.attributes.some((kv) => kv.value === 'traces/b'))!;
    expect(pipelineB.resourceSpans[0]!.resource.attributes.filter((kv) => kv.key === 'touched.by').map((kv) => kv.value)).toEqual(['traces/b']);

    // a receiver only in the second pipeline delivers ledger (non-shadow) batches there
    received.clear();
    await graph.receivers().get('otlp/2')!.consumeTraces(spansBatch(2));
    expect(received.get('nop/2')![0]!.shadow).toBeUndefined();
    await graph.shutdown();
  });

  it('heldBytes sums the byte-holding components (a batch buffer) and createHost wires it', async () => {
    const cfg = `
receivers: {otlp: {protocols: {grpc: {}}}}
processors: {batch: {timeout: 10s}}
exporters: {nop: }
service: {pipelines: {traces: {receivers: [otlp], processors: [batch], exporters: [nop]}}}`;
    const registry = builtinRegistry();
    const graph = buildPipelines(loadCollectorConfig(cfg, 'c.yaml', {}).config, registry, { compat: 'current', mode: 'sim' });
    const test = createTestHost();
    const host: Host = createHost({ mode: 'sim', clock: test.clock, accounting: test.accounting, telemetry: test.telemetry, log: test.log }, graph);
    await graph.start(host);
    expect(host.heldBytes()).toBe(0);
    await graph.receivers().get('otlp')!.consumeTraces(spansBatch(4));
    expect(host.heldBytes()).toBeGreaterThan(0);
    await graph.shutdown();
    expect(host.heldBytes()).toBe(0);
    expect(test.accounting.exportedSpans).toBe(4);
  });

  it('a forward connector feeds the pipelines that receive from it; upstream flushes into them at shutdown', async () => {
    // The downstream pipeline is listed first: shutdown must still flush traces/in's batch into it.
    const cfg = `
receivers: {otlp: {protocols: {grpc: {}}}}
processors:
  batch/in: {timeout: 10s}
  filter/drop-b:
    traces: {span: ['name == "b"']}
connectors: {forward/out: }
exporters: {nop: }
service:
  pipelines:
    traces/out: {receivers: [forward/out], processors: [filter/drop-b], exporters: [nop]}
    traces/in: {receivers: [otlp], processors: [batch/in], exporters: [forward/out]}`;
    const loaded = loadCollectorConfig(cfg, 'c.yaml', {});
    expect(loaded.notSimulated.map((n) => n.component)).not.toContain('connectors.forward/out');
    const graph = buildPipelines(loaded.config, builtinRegistry(), { compat: 'current', mode: 'sim' });
    const host = createTestHost();
    await graph.start(host);
    await graph.receivers().get('otlp')!.consumeTraces(makeBatch([makeSpan({ name: 'a' }), makeSpan({ name: 'b' }), makeSpan({ name: 'a' })]));
    expect(host.accounting.exportedSpans).toBe(0);
    await graph.shutdown();
    expect(host.accounting.exportedSpans).toBe(2);
    expect([...host.accounting.sampledOutSpans.values()]).toEqual([1]);
  });

  it('refuses to start on a host of another mode', () => {
    const registry = builtinRegistry();
    const graph = buildPipelines(loadCollectorConfig(CONFIG, 'c.yaml', {}).config, registry, { compat: 'current', mode: 'live' });
    expect(() => graph.start(createTestHost())).toThrow(/graph built for live mode started on a sim host/);
  });
});

describe('createFanout', () => {
  const consumer = (mutatesData: boolean, sink = new TracesSink()) => ({ sink, c: { capabilities: { mutatesData }, consumeTraces: (b: TraceBatch) => sink.consumeTraces(b) } });

  it('passes the original to the first consumer and shadow copies to the rest', async () => {
    const a = consumer(false);
    const b = consumer(false);
    const m = consumer(true);
    const batch = makeBatch([makeSpan()]);
    await createFanout([a.c, b.c, m.c]).consumeTraces(batch);
    expect(a.sink.batches[0]).toBe(batch);
    expect((b.sink.batches[0] as AccountedBatch).shadow).toBe(true);
    expect(b.sink.batches[0]!.resourceSpans).toBe(batch.resourceSpans);
    expect((m.sink.batches[0] as AccountedBatch).shadow).toBe(true);
    expect(m.sink.batches[0]!.resourceSpans).not.toBe(batch.resourceSpans);
    expect(spanCount(m.sink.batches[0]!)).toBe(1);
  });

  it('when the first consumer mutates, read-only consumers share a clone made before it runs', async () => {
    const first = { capabilities: { mutatesData: true }, consumeTraces: async (b: TraceBatch) => void (b.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name = 'changed') };
    const ro = consumer(false);
    await createFanout([first, ro.c]).consumeTraces(makeBatch([makeSpan({ name: 'orig' })]));
    expect(ro.sink.spans()[0]!.name).toBe('orig');
  });

  it('calls every consumer; rejects retryable if any failure is retryable, else permanent', async () => {
    const ok = consumer(false);
    const perm = { capabilities: { mutatesData: false }, consumeTraces: async () => Promise.reject(new PermanentError('bad')) };
    const retry = { capabilities: { mutatesData: false }, consumeTraces: async () => Promise.reject(new RetryableError('later')) };
    await expect(createFanout([perm, ok.c, retry]).consumeTraces(makeBatch([makeSpan()]))).rejects.toBeInstanceOf(RetryableError);
    expect(ok.sink.batches).toHaveLength(1);
    await expect(createFanout([perm, ok.c]).consumeTraces(makeBatch([makeSpan()]))).rejects.toBeInstanceOf(PermanentError);
  });

  it('a processor after shutdown refuses with ShutdownError', async () => {
    const registry = builtinRegistry();
    const graph = buildPipelines(loadCollectorConfig(CONFIG, 'c.yaml', {}).config, registry, { compat: 'current', mode: 'sim' });
    const host = createTestHost();
    await graph.start(host);
    await graph.shutdown();
    const proc = graph.components().find((n) => n.kind === 'processor')!.component;
    await expect(proc.consumeTraces(spansBatch(1))).rejects.toBeInstanceOf(ShutdownError);
  });
});
