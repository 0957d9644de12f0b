import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEncodedTrafficSource, createTrafficSource, type EncodedTrafficEvent, type TrafficEvent, type TrafficOptions } from '../../../src/generator/traffic.js';
import { compileScenario } from '../../../src/generator/compile.js';
import { buildTrace } from '../../../src/generator/trace-builder.js';
import { encodedBodies, idToHex, type Span } from '../../../src/protocol/otlp/model.js';
import { writeJsonLine } from '../../../src/protocol/otlp/json-codec.js';
import { encodeExportRequest, encodeSpan } from '../../../src/protocol/otlp/proto-encode.js';
import { batchSpanBytes } from '../../../src/engine/bytes-tap.js';
import { loadScenarioFile } from '../../../src/scenario/load.js';
import type { Scenario } from '../../../src/scenario/schema.js';

const SMOKE = join(import.meta.dirname, '../../../scenarios/ci-smoke.yaml');
const START = Date.UTC(2025, 0, 1);

async function collect(scenario: Scenario, options: Partial<TrafficOptions> = {}): Promise<TrafficEvent[]> {
  const source = createTrafficSource(scenario, { workers: 0, startUnixMs: START, ...options });
  const events: TrafficEvent[] = [];
  for await (const e of source) events.push(e);
  return events;
}

/** A comparable rendering of the event stream (exports as their OTLP JSON line). */
function render(events: TrafficEvent[]): string[] {
  return events.map((e) =>
    e.type === 'export'
      ? `export ${e.atMs} ${e.instanceIndex} ${writeJsonLine(e.batch)}`
      : e.type === 'trace'
        ? `trace ${JSON.stringify({ ...e, traceId: idToHex(e.traceId) })}`
        : `drop ${e.atMs} ${e.instanceIndex} ${e.spans.length}`,
  );
}

function timeOf(e: TrafficEvent): number {
  return e.type === 'trace' ? e.arrivalMs : e.atMs;
}

describe('traffic source (in-process generation)', () => {
  const { scenario } = loadScenarioFile(SMOKE);

  it('emits time-ordered events; truth records precede exports of their spans; every span once', async () => {
    const events = await collect(scenario, { durationMs: 3_000 });
    const problems: string[] = [];
    const truth = new Map<string, number>();
    let exported = 0;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (i > 0 && timeOf(e) < timeOf(events[i - 1]!)) problems.push(`event ${i} goes back in time`);
      if (e.type === 'trace') {
        truth.set(e.traceId, e.spanCount);
        continue;
      }
      const spans = e.type === 'export' ? e.batch.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)) : e.spans;
      for (const s of spans) {
        const left = truth.get(s.traceId);
        if (left === undefined) problems.push(`span of trace ${idToHex(s.traceId)} before its truth record`);
        else truth.set(s.traceId, left - 1);
        if (e.type === 'export' && Number(s.endTimeUnixNano / 1_000_000n) > e.atMs) problems.push('exported before it ended');
      }
      exported += spans.length;
    }
    expect(problems).toEqual([]);
    expect([...truth.values()].filter((n) => n !== 0)).toEqual([]);
    const traces = events.filter((e) => e.type === 'trace');
    expect(traces.length).toBeGreaterThan(100);
    expect(exported).toBe(traces.reduce((a, t) => a + (t.type === 'trace' ? t.spanCount : 0), 0));
  });

  it('does not depend on the task size', async () => {
    const a = render(await collect(scenario, { durationMs: 2_000 }));
    const b = render(await collect(scenario, { durationMs: 2_000, chunkTraces: 7 }));
    expect(b).toEqual(a);
  });

  it('every delivered span equals buildTrace’s (span buffers are recycled into later tasks)', async () => {
    const cs = compileScenario(scenario);
    const expected = new Map<string, Span>();
    const delivered: Span[] = [];
    const source = createTrafficSource(scenario, { workers: 0, startUnixMs: START, durationMs: 2_000, chunkTraces: 5 });
    for await (const e of source) {
      if (e.type === 'trace') {
        const offsetMs = source.schedule.arrivalOffsetMs(e.traceIndex);
        for (const b of buildTrace(cs, e.traceIndex, offsetMs, START).spans) expected.set(b.span.spanId, b.span);
      } else if (e.type === 'export') delivered.push(...e.batch.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
      else delivered.push(...e.spans);
    }
    expect(delivered.length).toBe(expected.size);
    for (const s of delivered) expect(s).toEqual(expected.get(s.spanId));
  });

  it('every export carries its spans’ bodies, byte for byte what encodeSpan writes for the decoded spans (the tail sampler copies them instead of encoding)', async () => {
    let spans = 0;
    for (const e of await collect(scenario, { durationMs: 2_000, chunkTraces: 5 })) {
      if (e.type !== 'export') continue;
      for (const ss of e.batch.resourceSpans[0]!.scopeSpans) {
        const bodies = encodedBodies(ss);
        expect(bodies).toBeDefined();
        ss.spans.forEach((span, i) => {
          const start = i === 0 ? 0 : bodies!.ends[i - 1]!;
          expect(Buffer.from(bodies!.bytes.subarray(start, bodies!.ends[i]))).toEqual(Buffer.from(encodeSpan(span)));
          spans++;
        });
        expect(bodies!.ends.at(-1)).toBe(bodies!.bytes.length);
      }
    }
    expect(spans).toBeGreaterThan(100);
  });

  it('reuses one Resource per instance and groups spans by scope', async () => {
    const events = await collect(scenario, { durationMs: 2_000 });
    const resources = new Map<number, unknown>();
    for (const e of events) {
      if (e.type !== 'export') continue;
      expect(e.batch.resourceSpans).toHaveLength(1);
      const rs = e.batch.resourceSpans[0]!;
      const seen = resources.get(e.instanceIndex);
      if (seen !== undefined) expect(rs.resource).toBe(seen);
      resources.set(e.instanceIndex, rs.resource);
      const scopes = rs.scopeSpans.map((ss) => `${ss.scope.name}@${ss.scope.version}`);
      expect(new Set(scopes).size).toBe(scopes.length);
    }
    expect(resources.size).toBeGreaterThan(1);
  });

  it('counts SDK queue overflow as sdk_drop events', async () => {
    const tiny: Scenario = {
      ...scenario,
      services: scenario.services.map((s) => ({ ...s, sdk: { ...s.sdk, max_queue_size: 4, max_export_batch_size: 4, export_duration: 2_000 } })),
    };
    const source = createTrafficSource(tiny, { workers: 0, startUnixMs: START, durationMs: 2_000 });
    let dropped = 0;
    let exported = 0;
    let generated = 0;
    for await (const e of source) {
      if (e.type === 'sdk_drop') dropped += e.spans.length;
      else if (e.type === 'export') exported += e.batch.resourceSpans[0]!.scopeSpans.reduce((a, ss) => a + ss.spans.length, 0);
      else generated += e.spanCount;
    }
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBe(source.stats.sdkDroppedSpans);
    expect(exported + dropped).toBe(generated);
    expect(source.stats.spans).toBe(generated);
  });

  it('holds an instance’s SDK while the engine retries its export, never running ahead of the engine’s timers', async () => {
    const small: Scenario = { ...scenario, services: scenario.services.map((s) => ({ ...s, sdk: { ...s.sdk, max_queue_size: 32, max_export_batch_size: 16 } })) };
    const source = createTrafficSource(small, { workers: 0, startUnixMs: START, durationMs: 6_000 });
    // A fake engine: a timer every 100 ms; the held export is accepted on the retry at `settleAtMs`.
    const PERIOD_MS = 100;
    const nextTimerMs = (ms: number) => (Math.floor(ms / PERIOD_MS) + 1) * PERIOD_MS;
    let engineMs = START;
    let held: { seq: number; atMs: number } | undefined;
    let settleAtMs = Infinity;
    let settled = false;
    source.attachEngineClock({
      nextDueMs: () => nextTimerMs(engineMs),
      fireNext: async () => {
        engineMs = nextTimerMs(engineMs);
        if (held && !settled && engineMs >= settleAtMs) {
          settled = true;
          source.exportSettled(0, held.seq, engineMs, true);
        }
      },
    });
    const events: TrafficEvent[] = [];
    const aheadOfEngine: number[] = [];
    for await (const e of source) {
      const t = timeOf(e);
      if (held && !settled && t >= settleAtMs) aheadOfEngine.push(t);
      engineMs = Math.max(engineMs, t);
      events.push(e);
      if (e.type === 'export' && e.instanceIndex === 0 && !held && e.atMs >= START + 1_000) {
        held = { seq: e.exportSeq, atMs: e.atMs };
        settleAtMs = nextTimerMs(e.atMs + 2_500);
        source.holdExport(0, e.exportSeq, e.atMs);
      }
    }
    expect(held).toBeDefined();
    expect(settled).toBe(true);
    expect(aheadOfEngine).toEqual([]);
    for (let i = 1; i < events.length; i++) expect(timeOf(events[i]!)).toBeGreaterThanOrEqual(timeOf(events[i - 1]!));
    const exports0 = events.filter((e) => e.type === 'export' && e.instanceIndex === 0).map(timeOf);
    // nothing leaves instance 0 while its export is held; it resumes when the retry's round trip (5 ms) ends
    expect(exports0.filter((t) => t > held!.atMs && t < settleAtMs + 5)).toEqual([]);
    expect(exports0).toContain(settleAtMs + 5);
    const drops0 = events.filter((e) => e.type === 'sdk_drop' && e.instanceIndex === 0);
    expect(drops0.length).toBeGreaterThan(0);
    expect(drops0.every((e) => timeOf(e) > held!.atMs && timeOf(e) < settleAtMs + 5)).toBe(true);
    let generated = 0;
    let left = 0;
    for (const e of events) {
      if (e.type === 'trace') generated += e.spanCount;
      else if (e.type === 'sdk_drop') left += e.spans.length;
      else left += e.batch.resourceSpans.reduce((a, rs) => a + rs.scopeSpans.reduce((b, ss) => b + ss.spans.length, 0), 0);
    }
    expect(left).toBe(generated);
  });

  it('an encoded source emits the same exports as OTLP bytes, with each span’s trace id, in the same stream', async () => {
    const decoded = await collect(scenario, { durationMs: 10_000, chunkTraces: 9 });
    const source = createEncodedTrafficSource(scenario, { workers: 0, startUnixMs: START, durationMs: 10_000, chunkTraces: 9 });
    const encoded: EncodedTrafficEvent[] = [];
    for await (const e of source) encoded.push(e);
    expect(encoded.map((e) => e.type.replace('otlp_export', 'export'))).toEqual(decoded.map((e) => e.type));
    let exports = 0;
    for (let i = 0; i < decoded.length; i++) {
      const d = decoded[i]!;
      const e = encoded[i]!;
      if (d.type !== 'export' || e.type !== 'otlp_export') continue;
      exports++;
      expect([e.atMs, e.instanceIndex]).toEqual([d.atMs, d.instanceIndex]);
      expect(Buffer.from(e.request).equals(Buffer.from(encodeExportRequest(d.batch)))).toBe(true);
      expect(e.traceIds).toEqual(d.batch.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.traceId))));
      expect(e.spanBytes).toBe(batchSpanBytes(d.batch).bytes);
    }
    expect(exports).toBeGreaterThan(10);
  });

  it('yields nothing for a zero rate', async () => {
    expect(await collect({ ...scenario, traffic: { ...scenario.traffic, rate: 0 } }, { durationMs: 1_000 })).toEqual([]);
  });
});
