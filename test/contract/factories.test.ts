/**
 * Contract over every registered factory (STYLE item 21; collector `generated_component_test.go`
 * and `receivertest/contract_checker.go`):
 *
 * 1. config: an empty body parses, or — for types whose upstream default does not validate either
 *    (required settings) — fails cleanly with named problems while a minimal body parses;
 * 2. lifecycle: create → start → shutdown → shutdown, and shutdown without start;
 * 3. consume after shutdown is refused with a PermanentError (ShutdownError);
 * 4. consume contract: batches of unique span ids through the component into a downstream that
 *    randomly rejects (permanent or retryable, seeded); afterwards every span is in exactly one
 *    place — accepted downstream, reported to the ledger by the component, or in a call that was
 *    rejected back to the sender — and none is accepted downstream twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../src/components/index.js';
import type { AccountedBatch, DropReason, SampledOutReason, SpanAccounting } from '../../src/pipeline/accounting.js';
import type { Component, Host, Settings } from '../../src/pipeline/component.js';
import type { TracesConsumer } from '../../src/pipeline/consumer.js';
import { PermanentError, RetryableError, isPermanent } from '../../src/pipeline/errors.js';
import type { AnyFactory } from '../../src/pipeline/factory.js';
import { MetricsRegistry } from '../../src/pipeline/telemetry.js';
import { VirtualClock } from '../../src/pipeline/virtual-clock.js';
import { forEachSpan, idToHex, type TraceBatch } from '../../src/protocol/otlp/model.js';
import { Random } from '../../src/shared/random.js';
import { makeBatch, makeSpan } from '../helpers/spans.js';

const dir = mkdtempSync(join(tmpdir(), 'tracesim-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Minimal bodies for types with required settings (upstream's defaults do not validate either). */
const REQUIRED_BODIES: Record<string, unknown> = {
  'receiver/otlp': { protocols: { grpc: { endpoint: '127.0.0.1:0' }, http: { endpoint: '127.0.0.1:0' } } },
  'processor/memory_limiter': { check_interval: '1s', limit_mib: 1024 },
  'processor/resource': { attributes: [{ key: 'deployment.environment', value: 'test', action: 'upsert' }] },
  'processor/attributes': { actions: [{ key: 'contract', value: true, action: 'insert' }] },
  'exporter/file': { path: join(dir, 'contract.jsonl') },
  'exporter/otlp': { endpoint: '127.0.0.1:4317' },
  'exporter/otlphttp': { endpoint: 'http://127.0.0.1:4318' },
};

const factories = builtinRegistry().all();
const key = (f: AnyFactory) => `${f.kind}/${f.type}`;

function configFor(f: AnyFactory): unknown {
  const body = REQUIRED_BODIES[key(f)];
  if (f.type === 'storage_sink') return f.defaultConfig();
  const r = f.parseConfig(body ?? null, `${f.kind}s.${f.type}`);
  if (!r.ok) throw new Error(`${key(f)}: ${JSON.stringify(r.problems)}`);
  return r.config;
}

/** Records which component reported which span id, and how. */
class IdAccounting implements SpanAccounting {
  readonly exportedIds: string[] = [];
  readonly removedIds: string[] = [];
  exported(batch: AccountedBatch): void {
    forEachSpan(batch, (s) => this.exportedIds.push(idToHex(s.spanId)));
  }
  sampledOut(batch: AccountedBatch, _c: string, _r: SampledOutReason): void {
    forEachSpan(batch, (s) => this.removedIds.push(idToHex(s.spanId)));
  }
  dropped(batch: AccountedBatch, _c: string, _r: DropReason): void {
    forEachSpan(batch, (s) => this.removedIds.push(idToHex(s.spanId)));
  }
}

function makeHost(accounting: SpanAccounting = new IdAccounting()): Host & { clock: VirtualClock } {
  return {
    mode: 'sim',
    clock: new VirtualClock(Date.UTC(2026, 0, 1)),
    accounting,
    telemetry: new MetricsRegistry(),
    log: { warn: () => {}, info: () => {} },
    heldBytes: () => 0,
  };
}

const settings = (f: AnyFactory): Settings => ({ id: f.type, pipelineId: 'traces', compat: 'current' });

function create(f: AnyFactory, next: TracesConsumer): Component & TracesConsumer {
  const cfg = configFor(f);
  switch (f.kind) {
    case 'receiver':
      return f.createTraces(settings(f), cfg, next);
    case 'processor':
      return f.createTraces(settings(f), cfg, next);
    case 'exporter':
      return f.createTraces(settings(f), cfg);
  }
}

const accepting: TracesConsumer = { capabilities: { mutatesData: false }, consumeTraces: async () => {} };

describe.each(factories.map((f) => [key(f), f] as const))('%s', (_name, f) => {
  it('config: an empty body parses, or fails cleanly and a minimal body parses', () => {
    const empty = f.parseConfig(null, `${f.kind}s.${f.type}`);
    if (REQUIRED_BODIES[key(f)] !== undefined) {
      expect(empty.ok).toBe(false);
      if (!empty.ok) for (const p of empty.problems) expect(p.path.startsWith(`${f.kind}s.${f.type}`)).toBe(true);
    } else {
      expect(empty.ok).toBe(true);
    }
    expect(() => configFor(f)).not.toThrow();
    const unknown = f.type === 'storage_sink' ? { ok: false } : f.parseConfig({ no_such_key_anywhere: 1 }, 'x');
    expect(unknown.ok).toBe(false);
  });

  it('lifecycle: create → start → shutdown → shutdown; shutdown without start', async () => {
    const c = create(f, accepting);
    await c.start(makeHost());
    await c.shutdown();
    await c.shutdown();
    const never = create(f, accepting);
    await never.shutdown();
    await never.shutdown();
  });

  it('consume after shutdown is refused with a PermanentError', async () => {
    const c = create(f, accepting);
    await c.start(makeHost());
    await c.shutdown();
    const err = await c.consumeTraces(makeBatch([makeSpan()])).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PermanentError);
  });

  it('consume contract: every span accepted downstream, reported to the ledger, or refused to the sender', async () => {
    const rnd = new Random(42, 7);
    const downstreamIds: string[] = [];
    const flaky: TracesConsumer = {
      capabilities: { mutatesData: false },
      async consumeTraces(batch: TraceBatch) {
        const u = rnd.nextFloat();
        if (u < 0.15) throw new PermanentError('downstream: bad data');
        if (u < 0.3) throw new RetryableError('downstream: try later');
        forEachSpan(batch, (s) => downstreamIds.push(idToHex(s.spanId)));
      },
    };
    const accounting = new IdAccounting();
    const host = makeHost(accounting);
    const c = create(f, flaky);
    await c.start(host);
    const sent: string[] = [];
    const refused: string[] = [];
    for (let i = 0; i < 40; i++) {
      const spans = Array.from({ length: 1 + (i % 5) }, (_, j) => makeSpan({ traceByte: 1 + ((i * 7 + j) % 200), attributes: [{ key: 'i', value: BigInt(i) }] }));
      const ids = spans.map((s) => idToHex(s.spanId));
      sent.push(...ids);
      try {
        await c.consumeTraces(makeBatch(spans));
      } catch (err) {
        expect(isPermanent(err) || err instanceof RetryableError || err instanceof Error).toBe(true);
        refused.push(...ids);
      }
      await host.clock.advanceTo(host.clock.nowMs() + 500);
    }
    // let time-driven components decide and flush, then stop
    await host.clock.advanceTo(host.clock.nowMs() + 120_000);
    await c.shutdown();
    const delivered = f.kind === 'exporter' ? accounting.exportedIds : downstreamIds;
    const removed = f.kind === 'exporter' ? [] : accounting.removedIds;
    expect(new Set(delivered).size).toBe(delivered.length);
    for (const id of delivered) expect(removed).not.toContain(id);
    const refusedSet = new Set(refused);
    const placed = new Set([...delivered, ...removed, ...refused]);
    for (const id of sent) expect(placed.has(id)).toBe(true);
    // a span the component reported itself is never also refused to the sender
    for (const id of removed) expect(refusedSet.has(id)).toBe(false);
  });
});
