import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import stringWidth from 'string-width';
import { renderTable } from '../../../src/report/render-table.js';
import { renderMarkdown } from '../../../src/report/render-markdown.js';
import { renderComparisonJunit, renderJunit } from '../../../src/report/render-junit.js';
import { comparisonRows, renderComparisonMarkdown, renderComparisonTable } from '../../../src/report/render-comparison.js';
import type { ComparisonReport, Report } from '../../../src/report/model.js';
import { buildSampleReport } from '../../fixtures/reports/sample.js';

const report = buildSampleReport();
const failing = report.gates.filter((g) => !g.pass);
const ESC = String.fromCharCode(27);

describe('fixture', () => {
  it('sample-report.json is exactly what the builder produces (regenerate: UPDATE_FIXTURES=1)', async () => {
    const path = new URL('../../fixtures/reports/sample-report.json', import.meta.url);
    const fresh = `${JSON.stringify(report, null, 2)}\n`;
    if (process.env['UPDATE_FIXTURES'] === '1') {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path, fresh);
    }
    expect(readFileSync(path, 'utf8')).toBe(fresh);
  });
  it('has passing and failing gates, drops and advisories to render', () => {
    expect(failing.length).toBeGreaterThan(0);
    expect(report.gates.some((g) => g.pass)).toBe(true);
    expect(Object.keys(report.dropped.byReason).length).toBeGreaterThan(1);
    expect(report.advisories.length).toBeGreaterThan(1);
  });
});

describe('renderTable', () => {
  const text = renderTable(report);
  it('shows every section with its numbers', () => {
    for (const heading of ['Load', 'Retention', 'Storage', 'Dropped', 'Advisories', 'Gates', 'Ledger']) expect(text).toMatch(new RegExp(`^${heading}`, 'm'));
    expect(text).toContain('95% CI');
    expect(text).toContain(`by class: error ${Number((report.retention.byClass.error! * 100).toPrecision(4))}%`);
    for (const policy of Object.keys(report.retention.byPolicy)) expect(text).toContain(policy);
    for (const reason of Object.keys(report.dropped.byReason)) expect(text).toContain(reason);
    for (const a of report.advisories) expect(text).toContain(a.code);
    expect(text).toContain('/day on disk');
    expect(text).toContain(`${report.spans.generated.toLocaleString('en-US')} generated =`);
    expect(text.match(/FAIL/g)!.length).toBe(failing.length);
  });
  it('fits 100 columns and has no colour unless asked', () => {
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(text).not.toContain(ESC);
    const coloured = renderTable(report, { color: true });
    expect(coloured).toContain(`${ESC}[31mFAIL`);
    for (const line of coloured.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '').split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
  it('says when a run is interrupted or invalid', () => {
    const t = renderTable(buildSampleReport({ interrupted: true, invalidReasons: ['achieved 80% of the target rate'] }));
    expect(t).toContain('[INTERRUPTED, INVALID]');
    expect(t).toContain('invalid: achieved 80% of the target rate');
  });

  it('lists each latency histogram with a readable name, ms below a second and s above', () => {
    const withDelays = renderTable({
      ...report,
      latency: { spanToCollector: { p50: 850, p90: 900, p99: 4_820, max: 5_000, count: 1_234 }, spanToExport: { p50: 31_100, p90: 31_900, p99: 32_500, max: 34_300, count: 17 } },
    });
    expect(withDelays).toMatch(/^Latency {5}span end → collector p50 850 ms · p99 4\.82 s · max 5 s \(1,234\)$/m);
    expect(withDelays).toMatch(/^ {12}span end → exporter p50 31\.1 s · p99 32\.5 s · max 34\.3 s \(17\)$/m);
    expect(renderTable({ ...report, latency: {} })).not.toMatch(/^Latency/m);
    expect(renderMarkdown({ ...report, latency: { scheduleLag: { p50: 0.4, p90: 1, p99: 2.5, max: 9, count: 300 } } })).toContain('- schedule lag p50 0.4 ms · p99 2.5 ms · max 9 ms (300)');
  });

  it('aligns the gate table in terminal cells when a gate names a policy in CJK or with an emoji', () => {
    const gates: Report['gates'] = [
      { expression: 'retention.byPolicy[エラー] >= 0.5', actual: 0.61, pass: true, operator: '>=', bound: 0.5 },
      { expression: 'retention.byPolicy[slow🐢] >= 0.5', actual: 0.4, pass: false, operator: '>=', bound: 0.5 },
      { expression: 'dropped.total == 0', actual: 12, pass: false, operator: '==', bound: 0 },
    ];
    const lines = renderTable({ ...report, gates }).split('\n');
    const at = (text: string) => lines.find((l) => l.includes(text))!;
    // values are right-aligned: every gate row ends in the same terminal column
    const ends = gates.map((g) => stringWidth(at(g.expression)));
    expect(new Set(ends).size).toBe(1);
    // and each value starts after its expression's padded cell, two spaces on
    for (const g of gates) expect(stringWidth(at(g.expression).split(g.expression)[0]!)).toBe(stringWidth(at(gates[2]!.expression).split(gates[2]!.expression)[0]!));
  });

  it('names the seed of a generated run, and none for a replay (its traffic is the recording)', () => {
    expect(renderTable(report)).toMatch(/\(seed \d+, sim, /);
    const title = renderTable({ ...report, mode: 'replay' }).split('\n')[0]!;
    expect(title).toMatch(/\(replay, [\d.,]+ s\)/);
    expect(title).not.toContain('seed');
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(report);
  it('leads with the verdict and a gate table naming values and bounds', () => {
    expect(md).toContain(`**${failing.length} of ${report.gates.length} gates failed.**`);
    expect(md.match(/^\| ❌ \|/gm)!.length).toBe(failing.length);
    expect(md).toContain('| ❌ | `dropped.total == 0` | ' + String(report.dropped.total) + ' | == 0 |');
    expect(md).toContain("`retention.traces <= 25%`");
    expect(renderTable(report)).toMatch(/^Not simulated k8sattributes/m);
    expect(md).toContain('### Storage per day');
    expect(md).toContain('### Dropped');
    expect(md).toContain('tail_buffer_evicted');
  });
  it('stays small enough for a job summary', () => {
    expect(md.length).toBeLessThan(16_000);
  });
});

describe('renderJunit', () => {
  const xml = renderJunit(report);
  it('has one testcase per gate plus the ledger, and a failure per failing gate', () => {
    expect(xml.match(/<testcase /g)!.length).toBe(report.gates.length + 1);
    expect(xml.match(/<failure /g)!.length).toBe(failing.length);
    expect(xml).toContain(`tests="${report.gates.length + 1}" failures="${failing.length}"`);
    expect(xml).toContain(`<failure message="dropped.total == 0: value ${report.dropped.total}, bound == 0" type="gate">`);
    expect(xml).toContain('name="ledger balanced" time="0"/>');
  });
  it('escapes XML and adds failures for an unbalanced ledger and an invalid run, whose gates are skipped (not applied)', () => {
    const gates: Report['gates'] = [{ expression: 'dropped.total < 1', actual: 5, pass: false, operator: '<', bound: 1 }];
    const bad: Report = { ...report, valid: false, invalidReasons: ['lag p99 > 50ms & rising'], ledger: { balanced: false, residual: -3 }, gates };
    const x = renderJunit(bad);
    expect(x).toContain('name="dropped.total &lt; 1"');
    expect(x).toContain('type="ledger"');
    expect(x).toContain('lag p99 &gt; 50ms &amp; rising');
    expect(x.match(/<failure /g)!.length).toBe(2);
    expect(x).toContain('<skipped message="not applied: the ledger does not balance"/>');
    expect(x).toContain('skipped="1"');
    // the same gate on an invalid but balanced run: skipped too, and the table and markdown say so
    const invalid: Report = { ...report, valid: false, invalidReasons: ['achieved 80% of the target'], gates };
    expect(renderJunit(invalid)).toContain('<skipped message="not applied: the run is invalid"/>');
    expect(renderTable(invalid, { color: false, width: 100 })).toContain('not applied: the run is invalid (values for reference)');
    expect(renderTable(invalid, { color: false, width: 100 })).not.toContain('FAIL');
    expect(renderMarkdown(invalid)).toContain('Not applied: the run is invalid; the values are for reference.');
    // a valid run's failing gate is a failure
    expect(renderJunit({ ...report, gates }).match(/<failure /g)!.length).toBe(1);
  });
});

describe('policy shares', () => {
  it('says when the shares add up to more than retention because sampled traces were lost after the sampler', () => {
    const r = buildSampleReport();
    const attributed = Object.values(r.retention.byPolicy).reduce((n, p) => n + p.attributedTraces, 0);
    expect(renderTable({ ...r, traces: { ...r.traces, exported: attributed } }, { color: false, width: 100 })).not.toContain('shares count decisions');
    const lossy = { ...r, traces: { ...r.traces, exported: attributed - 7 } };
    expect(renderTable(lossy, { color: false, width: 100 })).toContain('(shares count decisions: 7 sampled traces were lost after the sampler)');
  });
});

describe('comparison', () => {
  const a = buildSampleReport({ seed: 1 });
  const b = buildSampleReport({ seed: 2, traces: 1000 });
  const cmp: ComparisonReport = { schemaVersion: 1, kind: 'sweep', variedPath: 'collector.processors.tail_sampling.decision_wait', labels: ['5s', '30s'], runs: [a, b], bestIndex: 1 };
  it('lines up one column per run for each metric', () => {
    const rows = comparisonRows(cmp);
    const traces = rows.find((r) => r.metric === 'traces')!;
    expect(traces.values).toEqual([a, b].map((r) => `${Number((r.retention.traces! * 100).toPrecision(4))}%`));
    expect(rows.map((r) => r.section)).toEqual(expect.arrayContaining(['Retention', 'Retention by policy', 'Retention by class', 'Storage per day', 'Dropped', 'Gates']));
    expect(rows.find((r) => r.metric === 'errors')!.values).toHaveLength(2);
  });
  it('renders junit with one suite per entry, named by its label, and the totals of all', () => {
    const xml = renderComparisonJunit(cmp);
    const failures = [a, b].reduce((n, r) => n + r.gates.filter((g) => !g.pass).length, 0);
    expect(xml).toContain(`<testsuites name="tracesim" tests="${a.gates.length + b.gates.length + 2}" failures="${failures}">`);
    expect(xml.match(/<testsuite name="tracesim (5s|30s): /g)).toEqual(['<testsuite name="tracesim 5s: ', '<testsuite name="tracesim 30s: ']);
    expect(xml).toContain(`classname="tracesim.${b.scenario.name}.30s"`);
    // A single run renders exactly as before: one suite.
    expect(renderJunit(a).match(/<testsuite /g)).toHaveLength(1);
  });
  it('renders markdown and console forms', () => {
    const md = renderComparisonMarkdown(cmp);
    expect(md).toContain('Sweep of collector.processors.tail_sampling.decision_wait');
    expect(md).toContain('| Metric | 5s | 30s ★ |');
    expect(md).toContain('★ best: 30s');
    const t = renderComparisonTable({ ...cmp, kind: 'compare', variedPath: undefined, bestIndex: null });
    expect(t).toContain('Comparison of 2 configs');
    expect(t).toContain('No entry meets every gate.');
    for (const line of t.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
  it('marks an interrupted entry and lists the values that never ran, in every form', () => {
    const stopped: ComparisonReport = { ...cmp, labels: ['5s', '10s'], runs: [a, { ...b, interrupted: true }], bestIndex: 0, notRun: ['30s'] };
    const md = renderComparisonMarkdown(stopped);
    expect(md).toContain('| Metric | 5s ★ | 10s (interrupted) |');
    expect(md).toContain('Interrupted during 10s: its column covers only the traffic up to the interrupt.');
    expect(md).toContain('Not run (interrupted before): 30s.');
    const t = renderComparisonTable(stopped);
    expect(t).toContain('10s (interrupted)');
    expect(t).toContain('Not run (interrupted before): 30s.');
  });
  it('junit classnames keep one segment per label (no dots from paths or values) and times to the ms', () => {
    const xml = renderComparisonJunit({ ...cmp, kind: 'compare', labels: ['./configs/tail-5pct.yaml', '0.5'] });
    expect(xml).toContain(`classname="tracesim.${a.scenario.name}.tail-5pct"`);
    expect(xml).toContain(`classname="tracesim.${b.scenario.name}.0_5"`);
    for (const m of xml.matchAll(/<testsuite [^>]*time="([^"]+)"/g)) expect(m[1]).toMatch(/^\d+\.\d{3}$/);
  });
  it('cuts a long label in the console table before the ★, so the mark always shows', () => {
    const t = renderComparisonTable({ ...cmp, kind: 'compare', labels: ['./configs/tail-5pct.yaml', './configs/tail-10pct.yaml'], bestIndex: 1 });
    expect(t).toContain('…s/tail-10pct.yaml ★');
  });
});
