import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { compare, evaluateGate, evaluateGates, formatGateValue, parseGate, parseGates, type GateOperator } from '../../../src/report/gates.js';
import { InputError } from '../../../src/shared/errors.js';
import { buildSampleReport } from '../../fixtures/reports/sample.js';
import type { Report } from '../../../src/report/model.js';

const report: Report = buildSampleReport({ gates: [] });

describe('parseGate', () => {
  it.each([
    ['retention.traces <= 0.2', ['retention', 'traces'], '<=', 0.2, 'fraction'],
    ['retention.traces <= 20%', ['retention', 'traces'], '<=', 0.2, 'fraction'],
    ['retention.byClass.error >= 0.999', ['retention', 'byClass', 'error'], '>=', 0.999, 'fraction'],
    ['dropped.total == 0', ['dropped', 'total'], '==', 0, 'count'],
    ['storage.diskBytesPerDay < 500GB', ['storage', 'diskBytesPerDay'], '<', 500e9, 'bytes'],
    ['storage.diskBytesPerDay < 2 TiB', ['storage', 'diskBytesPerDay'], '<', 2 * 1024 ** 4, 'bytes'],
    ['storage.bytesPerSpan<1KB', ['storage', 'bytesPerSpan'], '<', 1000, 'bytes'],
    ['throughput.scheduleLagMs.p99 < 50', ['throughput', 'scheduleLagMs', 'p99'], '<', 50, 'ms'],
    ['throughput.scheduleLagMs.p99 < 1.5s', ['throughput', 'scheduleLagMs', 'p99'], '<', 1500, 'ms'],
    ['dropped.byReason.tail_buffer_evicted.spans == 0', ['dropped', 'byReason', 'tail_buffer_evicted', 'spans'], '==', 0, 'count'],
    ['retention.byPolicy.errors.attributedTraces > 0', ['retention', 'byPolicy', 'errors', 'attributedTraces'], '>', 0, 'count'],
    ['retention.byPolicy[keep errors.v2].attributedTraces != 0', ['retention', 'byPolicy', 'keep errors.v2', 'attributedTraces'], '!=', 0, 'count'],
    ['latency.exportMs.p99 < 20ms', ['latency', 'exportMs', 'p99'], '<', 20, 'ms'],
    ['  retention.spans   >   1e-2 ', ['retention', 'spans'], '>', 0.01, 'fraction'],
  ] as const)('%s', (text, path, op, bound, kind) => {
    const g = parseGate(text);
    expect(g.path).toEqual(path);
    expect(g.operator).toBe(op);
    expect(g.bound).toBeCloseTo(bound, 12);
    expect(g.kind).toBe(kind);
    expect(g.expression).toBe(text.trim());
  });

  it.each([
    ['retention.trace <= 0.2', /unknown report path "retention.trace".*retention.traces/],
    ['retention.byClas.error >= 1', /close matches: retention.byClass.error/],
    ['dropped.byReason.tail_buffer_evict.spans == 0', /unknown drop reason "tail_buffer_evict".*did you mean tail_buffer_evicted/],
    ['storage.diskBytesPerDay < 500GiBs', /unit "GiBs" does not fit storage.diskBytesPerDay/],
    ['retention.traces <= 20MB', /unit "MB" does not fit retention.traces, which takes a fraction/],
    ['dropped.total == 5%', /unit "%" does not fit dropped.total/],
    ['retention.traces = 0.2', /bad operator "="/],
    ['retention.traces => 0.2', /bad operator "=>"/],
    ['retention.traces 0.2', /no comparison operator/],
    ['retention.traces <= lots', /bound "lots" is not a number/],
    ['<= 3', /no report path/],
    ['retention.byPolicy[errors.attributedTraces > 0', /unclosed "\["/],
    // a fraction's bound outside [0, 1] would make a gate that cannot fail (or cannot pass)
    ['retention.traces <= 20', /bound 20 is outside 0\.\.1: retention\.traces is a fraction, written 0\.2 or 20% \(did you mean 20%\?\)/],
    ['retention.byClass.error >= 99.9', /bound 99\.9 is outside 0\.\.1: .*\(did you mean 99\.9%\?\)/],
    ['retention.byClass.error >= 120%', /bound 120% is outside 0\.\.1: retention\.byClass\.error is a fraction, written 0\.2 or 20%$/],
    ['retention.spans > -0.1', /bound -0\.1 is outside 0\.\.1/],
  ])('rejects %s', (text, message) => {
    let err: unknown;
    try {
      parseGate(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain(`gate "${text.trim()}"`);
    expect((err as Error).message).toMatch(message);
  });

  it('parseGates reports every bad expression at once', () => {
    expect(() => parseGates(['retention.traces <= 0.2', 'nope < 1', 'dropped.total = 0'])).toThrow(/2 bad gates:[\s\S]*nope[\s\S]*dropped.total = 0/);
  });
});

describe('evaluateGates', () => {
  it('passes and fails against the report values, naming value and bound', () => {
    const [a, b, c] = evaluateGates(report, [
      parseGate(`retention.traces <= ${report.retention.traces! + 0.01}`),
      parseGate('dropped.total == 0'),
      parseGate('storage.diskBytesPerDay < 1TB'),
    ]);
    expect(a).toMatchObject({ pass: true, actual: report.retention.traces });
    expect(b).toMatchObject({ pass: false, actual: report.dropped.total, bound: 0, operator: '==' });
    expect(b!.message).toBe(`dropped.total = ${report.dropped.total}, bound == 0`);
    expect(c).toMatchObject({ pass: report.storage.diskBytesPerDay < 1e12, actual: report.storage.diskBytesPerDay });
    expect(c!.message).toMatch(/GB, bound < 1.00 TB$/);
  });

  it('counts a drop reason absent from the report as 0', () => {
    expect(report.dropped.byReason.late_span_dropped).toBeUndefined();
    const r = evaluateGate(report, parseGate('dropped.byReason.late_span_dropped.traces == 0'));
    expect(r).toMatchObject({ pass: true, actual: 0 });
  });

  it('fails a gate with no data, saying why', () => {
    const missingPolicy = evaluateGate(report, parseGate('retention.byPolicy.nope.attributedTraces > 0'));
    expect(missingPolicy).toMatchObject({ pass: false, actual: null });
    expect(missingPolicy.message).toMatch(/no policy "nope" in this report \(known: errors, slow, baseline-10pct\)/);
    const empty: Report = { ...report, retention: { ...report.retention, byClass: { ...report.retention.byClass, error: null } } };
    const nullValue = evaluateGate(empty, parseGate('retention.byClass.error >= 0.9'));
    expect(nullValue).toMatchObject({ pass: false, actual: null });
    expect(nullValue.message).toMatch(/no data/);
    const noHist = evaluateGate(report, parseGate('latency.nope.p99 < 1'));
    expect(noHist.message).toMatch(/no latency histogram "nope"/);
  });

  const ops: GateOperator[] = ['<', '<=', '>', '>=', '==', '!='];
  test.prop([fc.constantFrom(...ops), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 })])(
    'a gate on dropped.total agrees with plain comparison, and its negation flips the result',
    (op, total, bound) => {
      const r: Report = { ...report, dropped: { ...report.dropped, total } };
      const g = evaluateGate(r, parseGate(`dropped.total ${op} ${bound}`));
      const oracle = { '<': total < bound, '<=': total <= bound, '>': total > bound, '>=': total >= bound, '==': total === bound, '!=': total !== bound }[op];
      expect(g.pass).toBe(oracle);
      const negation: Record<GateOperator, GateOperator> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<', '==': '!=', '!=': '==' };
      expect(compare(total, negation[op], bound)).toBe(!oracle);
    },
  );

  test.prop([fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(['KB', 1e3], ['MB', 1e6], ['GB', 1e9], ['TB', 1e12], ['KiB', 1024], ['MiB', 1024 ** 2], ['GiB', 1024 ** 3], ['TiB', 1024 ** 4])])(
    'byte units scale the bound',
    (n, [unit, factor]) => {
      expect(parseGate(`storage.steadyStateBytes <= ${n}${unit}`).bound).toBe(n * (factor as number));
      expect(parseGate(`storage.steadyStateBytes <= ${n} ${(unit as string).toLowerCase()}`).bound).toBe(n * (factor as number));
    },
  );

  it('formats values per kind', () => {
    expect(formatGateValue('fraction', 0.2)).toBe('20%');
    expect(formatGateValue('fraction', 0.999)).toBe('99.9%');
    expect(formatGateValue('bytes', 5e11)).toBe('500 GB');
    expect(formatGateValue('ms', 12.5)).toBe('12.5ms');
    expect(formatGateValue('count', 3)).toBe('3');
  });
});
