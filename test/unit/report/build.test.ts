import { describe, expect, it } from 'vitest';
import { build as buildHistogram } from 'hdr-histogram-js';
import { buildReport, reportExitCode, summarizeLatency } from '../../../src/report/build.js';
import { HdrRecorder } from '../../../src/engine/hdr.js';
import { Ledger } from '../../../src/ledger/ledger.js';
import { InputError } from '../../../src/shared/errors.js';
import { buildSampleInput, buildSampleReport } from '../../fixtures/reports/sample.js';
import type { Report } from '../../../src/report/model.js';

const DESIGN_KEYS = {
  top: ['schemaVersion', 'tool', 'mode', 'scenario', 'window', 'spans', 'traces', 'retention', 'dropped', 'storage', 'throughput', 'latency', 'advisories', 'notSimulated', 'gates', 'ledger'],
  spans: ['generated', 'exported', 'sampledOut', 'dropped', 'inFlight'],
  traces: ['generated', 'exported', 'sampledOut', 'dropped'],
  retention: ['traces', 'spans', 'bytes', 'tracesCi95', 'byPolicy', 'byService', 'byClass'],
  storage: ['bytesPerSpan', 'compressedBytesPerSpan', 'exportedBytesPerDay', 'diskBytesPerDay', 'steadyStateBytes', 'backend', 'retentionDays', 'replicationFactor', 'assumptions'],
  throughput: ['targetSpansPerSecond', 'achievedSpansPerSecond', 'scheduleLagMs'],
};

describe('buildReport', () => {
  const input = buildSampleInput();
  const report = buildReport(input);
  const L = input.ledger;

  it('has every key DESIGN.md lists', () => {
    for (const k of DESIGN_KEYS.top) expect(report, k).toHaveProperty(k);
    for (const section of ['spans', 'traces', 'retention', 'storage', 'throughput'] as const) {
      for (const k of DESIGN_KEYS[section]) expect(report[section], `${section}.${k}`).toHaveProperty(k);
    }
    expect(Object.keys(report.retention.byClass).sort()).toEqual(['error', 'normal', 'slow']);
    expect(Object.keys(report.throughput.scheduleLagMs).sort()).toEqual(['max', 'p50', 'p99']);
    expect(report.schemaVersion).toBe(1);
    expect(report.tool.name).toBe('tracesim');
  });

  it('derives retention, drops and ledger from the ledger counts', () => {
    expect(report.spans).toEqual(L.spans);
    expect(report.spans.generated).toBe(report.spans.exported + report.spans.sampledOut + report.spans.dropped + report.spans.inFlight);
    expect(report.traces.generated).toBe(report.traces.exported + report.traces.sampledOut + report.traces.dropped);
    expect(report.retention.traces).toBe(L.traces.exported / L.traces.generated);
    expect(L.bytes.retained).not.toBeNull();
    expect(report.retention.bytes).toBe(L.bytes.retained! / L.bytes.generated);
    const [lo, hi] = report.retention.tracesCi95!;
    expect(lo).toBeLessThan(report.retention.traces!);
    expect(hi).toBeGreaterThan(report.retention.traces!);
    expect(report.retention.byClass.error).toBe(L.byClass.error.exported / L.byClass.error.generated);
    expect(report.retention.byService['payment']!.spans).toBe(L.byService['payment']!.exported / L.byService['payment']!.generated);
    const summed = Object.values(report.dropped.byReason).reduce((a, e) => a + e!.spans, 0);
    expect(report.dropped.total).toBe(summed);
    expect(report.dropped.byReason.sdk_queue_full!.component).toBe('sdk');
    expect(report.ledger).toEqual({ balanced: true, residual: 0 });
  });

  it('projects storage from the exported bytes per simulated second and the production rate', () => {
    const perSecond = L.bytes.exported / input.windowSeconds;
    const scale = input.storage.productionSpansPerSecond! / (L.spans.generated / input.windowSeconds);
    expect(report.storage.exportedBytesPerDay).toBe(Math.round(perSecond * 86_400 * scale));
  });

  it('evaluates gates and lists advisories, including an undecidable rate gate', () => {
    expect(report.gates.map((g) => g.expression)).toEqual(input.gates);
    expect(report.gates.find((g) => g.expression === 'dropped.total == 0')!.pass).toBe(false);
    expect(report.advisories.map((a) => a.code)).toContain('gate_undecidable');
    expect(report.advisories.map((a) => a.code)).toContain('num_traces_too_small');
  });

  it('rejects a bad gate expression with InputError', () => {
    expect(() => buildReport({ ...input, gates: ['retention.tracez < 1'] })).toThrow(InputError);
  });

  it('marks the ledger unbalanced when spans are still in flight at a normal end, but not when interrupted', () => {
    const l = new Ledger();
    l.traceGenerated({ traceId: 'k'.repeat(16), class: 'normal', spanCount: 3 });
    const base = { ...input, ledger: l.result(), byPolicy: {}, gates: [] };
    expect(buildReport(base).ledger).toEqual({ balanced: false, residual: 0 });
    expect(buildReport({ ...base, interrupted: true }).ledger).toEqual({ balanced: true, residual: 0 });
    const empty = buildReport(base);
    expect(empty.retention.traces).toBe(0);
    expect(empty.retention.byClass.error).toBeNull();
  });

  it('summarises an hdr-histogram-js histogram', () => {
    const h = buildHistogram();
    for (let v = 1; v <= 1000; v++) h.recordValue(v);
    const s = summarizeLatency(h);
    expect(s.count).toBe(1000);
    expect(s.p50).toBeGreaterThanOrEqual(499);
    expect(s.p50).toBeLessThanOrEqual(501);
    expect(s.p99).toBeGreaterThanOrEqual(989);
    expect(s.max).toBeGreaterThanOrEqual(1000);
    for (const p of [s.p50, s.p90, s.p99]) expect(p).toBeLessThanOrEqual(s.max);
    const us = summarizeLatency({ histogram: h, divideBy: 1000 });
    expect(us.max).toBeCloseTo(s.max / 1000, 9);
    h.destroy();
  });
});

describe('latency percentiles never exceed the maximum', () => {
  // 55 347 µs lies in an HDR bucket (3 significant digits) whose highest equivalent value is larger
  it('summarizeLatency and HdrRecorder clamp a percentile to the exact maximum', () => {
    const h = buildHistogram({ numberOfSignificantValueDigits: 3 });
    h.recordValue(55_347);
    expect(h.getValueAtPercentile(99)).toBeGreaterThan(h.maxValue);
    const s = summarizeLatency({ histogram: h, divideBy: 1000 });
    expect(s).toEqual({ p50: 55.347, p90: 55.347, p99: 55.347, max: 55.347, count: 1 });
    h.destroy();
    const recorder = new HdrRecorder();
    recorder.record(55.347);
    expect(recorder.summary()).toEqual({ p50: 55.347, p90: 55.347, p99: 55.347, max: 55.347, count: 1 });
    expect(recorder.p99()).toBe(55.347);
  });
});

describe('reportExitCode', () => {
  const base: Pick<Report, 'interrupted' | 'valid' | 'gates' | 'ledger'> = { interrupted: false, valid: true, gates: [{ expression: 'x', actual: 1, pass: true }], ledger: { balanced: true, residual: 0 } };
  const failedGate = [{ expression: 'x', actual: 1, pass: false }];
  it.each([
    ['ok', {}, 0],
    ['gate failed', { gates: failedGate }, 3],
    ['invalid beats a failed gate', { valid: false, gates: failedGate }, 4],
    ['interrupted beats invalid and gates', { interrupted: true, valid: false, gates: failedGate }, 1],
    ['unbalanced ledger', { ledger: { balanced: false, residual: -2 } }, 1],
    ['an unbalanced ledger beats a failed gate and invalidity (a simulator bug)', { valid: false, gates: failedGate, ledger: { balanced: false, residual: -2 } }, 1],
  ] as const)('%s', (_name, patch, code) => {
    expect(reportExitCode({ ...base, ...patch } as typeof base)).toBe(code);
  });
  it('the sample report fails its gates', () => {
    expect(reportExitCode(buildSampleReport())).toBe(3);
  });
});
