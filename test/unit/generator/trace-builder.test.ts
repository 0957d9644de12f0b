import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { compileScenario } from '../../../src/generator/compile.js';
import { buildTrace } from '../../../src/generator/trace-builder.js';
import type { Span } from '../../../src/protocol/otlp/model.js';
import { parseScenario } from '../../../src/scenario/load.js';

/**
 * Random acyclic topologies: operation j may call only operations with a higher global index.
 * Operations reached asynchronously are `consumer`s and are only ever called asynchronously, so
 * a span's kind tells which timing rule applies to it.
 */
const topologyArb = fc
  .record({
    opsPerService: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 }),
    seed: fc.integer(),
    instances: fc.integer({ min: 1, max: 3 }),
  })
  .chain(({ opsPerService, seed, instances }) => {
    const ops = opsPerService.flatMap((n, s) => Array.from({ length: n }, (_, k) => ({ service: `svc${s}`, op: `op${k}` })));
    const asyncTarget = ops.map((_, j) => j > 0 && j % 3 === 0);
    const callArb = (j: number) =>
      fc.array(
        fc.record({
          target: fc.integer({ min: j + 1, max: Math.max(j + 1, ops.length - 1) }),
          parallel: fc.boolean(),
          probability: fc.constantFrom(0.3, 1),
          repeat: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)]),
          errorPropagation: fc.constantFrom(0, 0.5, 1),
        }),
        { maxLength: j + 1 < ops.length ? 3 : 0 },
      );
    const latencyArb = fc.oneof(
      fc.integer({ min: 0, max: 50 }).map((ms) => `${ms}ms`),
      fc.constant({ p50: '2ms', p95: '20ms', p99: '80ms' }),
      fc.constant({ exponential: { mean: '3ms' } }),
    );
    return fc.tuple(fc.tuple(...ops.map((_, j) => callArb(j))), fc.tuple(...ops.map(() => latencyArb)), fc.tuple(...ops.map(() => fc.constantFrom(0, 0.1)))).map(([calls, latencies, errorRates]) => {
      const services = opsPerService.map((_, s) => ({ name: `svc${s}`, instances, operations: {} as Record<string, unknown> }));
      ops.forEach((o, j) => {
        services[Number(o.service.slice(3))]!.operations[o.op] = {
          kind: asyncTarget[j] ? 'consumer' : 'server',
          latency: latencies[j],
          error_rate: errorRates[j],
          attributes: { 'app.k': { id: 'K-{n}', cardinality: 10 } },
          calls: calls[j]!.map((c) => ({
            service: ops[c.target]!.service,
            operation: ops[c.target]!.op,
            ...(asyncTarget[c.target]
              ? { async: true, delay: { exponential: { mean: '20ms' } } }
              : { mode: c.parallel ? 'parallel' : 'sequential', error_propagation: c.errorPropagation }),
            probability: c.probability,
            repeat: c.repeat,
          })),
        };
      });
      return {
        seed,
        slow_threshold: '40ms',
        traffic: { rate: '10/s' },
        routes: [{ service: ops[0]!.service, operation: ops[0]!.op }],
        services,
      };
    });
  });

describe('buildTrace over arbitrary topologies', () => {
  test.prop([topologyArb, fc.nat(1_000_000)], { numRuns: 100 })('a synchronous call within the same service runs on the caller\'s instance (its process)', (raw, index) => {
    const cs = compileScenario(parseScenario(raw, 'prop.yaml'));
    const t = buildTrace(cs, index, 0, 1_700_000_000_000);
    const serviceOf = (instance: number) => cs.resources[instance]!.attributes.find((a) => a.key === 'service.name')!.value;
    const byId = new Map(t.spans.map((s) => [s.span.spanId, s]));
    for (const s of t.spans) {
      const parent = byId.get(s.span.parentSpanId);
      // async targets are consumers: a queue hands them to any instance
      if (!parent || s.span.kind === 5 || serviceOf(parent.instance) !== serviceOf(s.instance)) continue;
      expect(s.instance).toBe(parent.instance);
    }
  });

  test.prop([topologyArb, fc.nat(1_000_000), fc.double({ min: 0, max: 1e6, noNaN: true })], { numRuns: 150 })(
    'one root, valid parents, unique non-zero ids, children inside their parent window, consumers after their producer',
    (raw, index, arrivalMs) => {
      const cs = compileScenario(parseScenario(raw, 'prop.yaml'));
      const t = buildTrace(cs, index, arrivalMs, 1_700_000_000_000);
      const spans = t.spans.map((s) => s.span);
      const byId = new Map<string, Span>(spans.map((s) => [s.spanId, s]));
      const problems: string[] = [];
      if (byId.size !== spans.length) problems.push('duplicate span ids');
      if (t.traceId.length !== 16 || /^\0*$/.test(t.traceId)) problems.push('zero trace id');
      const roots = spans.filter((s) => s.parentSpanId === '');
      if (roots.length !== 1) problems.push(`${roots.length} roots`);
      for (const s of spans) {
        if (s.spanId.length !== 8 || /^\0*$/.test(s.spanId)) problems.push('zero span id');
        if (s.traceId !== t.traceId) problems.push('foreign trace id');
        if (s.endTimeUnixNano < s.startTimeUnixNano) problems.push(`${s.name} ends before it starts`);
        if (s.parentSpanId === '') continue;
        const parent = byId.get(s.parentSpanId);
        if (parent === undefined) {
          problems.push(`${s.name}: parent not in trace`);
          continue;
        }
        if (s.kind === 5) {
          if (s.startTimeUnixNano < parent.endTimeUnixNano) problems.push(`${s.name}: consumer starts before its producer ends`);
        } else if (s.startTimeUnixNano < parent.startTimeUnixNano || s.endTimeUnixNano > parent.endTimeUnixNano) {
          problems.push(`${s.name}: outside its parent's window`);
        }
      }
      expect(problems).toEqual([]);
      // the root starts at the arrival time
      expect(Number(roots[0]!.startTimeUnixNano - 1_700_000_000_000_000_000n) / 1e6).toBeCloseTo(arrivalMs, 5);
      // ground truth agrees with the spans
      const anyError = spans.some((s) => s.status.code === 2);
      const start = spans.reduce((m, s) => (s.startTimeUnixNano < m ? s.startTimeUnixNano : m), spans[0]!.startTimeUnixNano);
      const end = spans.reduce((m, s) => (s.endTimeUnixNano > m ? s.endTimeUnixNano : m), spans[0]!.endTimeUnixNano);
      expect(t.class).toBe(anyError ? 'error' : Number(end - start) / 1e6 >= 40 ? 'slow' : 'normal');
      // end times in the metadata are the spans' own
      // (ms since the epoch as a double resolve about 0.25 µs)
      for (const b of t.spans) expect(b.endMs).toBeCloseTo(Number(b.span.endTimeUnixNano / 1000n) / 1000, 2);
    },
  );

  test.prop([topologyArb, fc.nat(1_000_000)], { numRuns: 50 })('is a pure function of (seed, index, arrival)', (raw, index) => {
    const cs1 = compileScenario(parseScenario(raw, 'prop.yaml'));
    const cs2 = compileScenario(parseScenario(raw, 'prop.yaml'));
    expect(buildTrace(cs1, index, 123.25, 0)).toEqual(buildTrace(cs2, index, 123.25, 0));
  });
});
