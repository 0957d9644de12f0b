import { describe, expect, test } from 'vitest';
import { renderComparisonHtml, renderHtml } from '../../../../src/report/html/render.js';
import type { ComparisonReport, Report } from '../../../../src/report/model.js';
import { expectedComparisonCharts, expectedGatesWord, expectedRunCharts } from '../../../fixtures/reports/html/expected.js';
import type { ExpectedChart } from '../../../fixtures/reports/html/expected.js';
import { syntheticCompare, syntheticReport, syntheticSweep } from '../../../fixtures/reports/html/synthetic.js';

/** The text of the JSON data block. */
function dataBlock(html: string): string {
  const m = /<script type="application\/json" id="tracesim-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no data block');
  return m[1]!;
}

/** Each chart figure's id with the series and reference lines drawn inside it, read from the markup. */
function chartsIn(html: string): Map<string, ExpectedChart> {
  const out = new Map<string, ExpectedChart>();
  for (const fig of html.split('<figure').slice(1)) {
    const id = /data-chart="([^"]+)"/.exec(fig)?.[1];
    if (!id) continue;
    const svg = fig.slice(fig.indexOf('<svg'), fig.indexOf('</svg>'));
    const series = new Set([...svg.matchAll(/data-series="([^"]*)"/g)].map((m) => m[1]));
    out.set(id, { series: series.size, refs: [...svg.matchAll(/data-ref="/g)].length });
  }
  return out;
}

/** Asserts `html` loads nothing: no http(s) or protocol-relative URL in src/href/url()/@import, no external script. */
function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  expect(html).not.toMatch(/@import/i);
  expect(html).not.toMatch(/url\(\s*["']?\s*(https?:)?\/\//i);
  expect(html).not.toMatch(/<script(?![^>]*type="application\/json")/i);
  expect(html).not.toMatch(/<link\b/i);
  expect(html).not.toMatch(/https?:\/\//i);
}

const HOSTILE = `<img src=x onerror=alert(1)>"'&</script><!--`;

describe('renderHtml', () => {
  const report = syntheticReport();
  const html = renderHtml(report);

  test('is one HTML document with inline styles and the report as JSON', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<html/g)).toHaveLength(1);
    expect(html).toContain('<style>');
    expect(html).toMatch(/prefers-color-scheme: dark/);
    expect(html).toMatch(/@media print/);
    expect(JSON.parse(dataBlock(html))).toEqual(report);
  });

  test('loads nothing from anywhere', () => {
    expectSelfContained(html);
  });

  test('draws the charts the report calls for, with their series and limit lines', () => {
    expect(chartsIn(html)).toEqual(expectedRunCharts(report));
  });

  test('every chart has a title, both axis titles and a legend', () => {
    const figures = html.split('<figure').slice(1).filter((f) => f.includes('data-chart='));
    expect(figures.length).toBeGreaterThan(0);
    for (const f of figures) {
      expect(f).toMatch(/<h3>[^<]+<\/h3>/);
      expect(f).toMatch(/class="axis-label x-label"[^>]*>[^<]+</);
      expect(f).toMatch(/class="axis-label y-label"[^>]*>[^<]+</);
      expect(f).toMatch(/<ul class="legend"><li>/);
    }
  });

  test('the header states the verdict and the numbers that matter', () => {
    const header = html.slice(html.indexOf('<header'), html.indexOf('</header>'));
    expect(header).toContain(expectedGatesWord(report));
    expect(header).toContain('Run valid');
    expect(header).toContain('12.0%'); // retention of 13,255 / 110,841 traces
    expect(header).toMatch(/95% interval \d/);
    expect(header).toContain('Storage per day (disk)');
    expect(header).toContain('Storage per day (exported)');
    expect(header).toContain('Dropped spans');
    expect(header).toContain(report.scenario.name);
    expect(header).toContain(`seed <b>${report.scenario.seed}</b>`);
    expect(header).toContain(`mode <b>${report.mode}</b>`);
  });

  test('a failed, invalid, interrupted run says so', () => {
    const bad = syntheticReport({ keep: 0.5, valid: false, interrupted: true });
    const header = renderHtml(bad).split('</header>')[0]!;
    // numbers that cannot be trusted are not gated (exit 1 or 4 wins over 3)
    expect(header).toContain('Gates not applied (the run was interrupted)');
    expect(renderHtml(syntheticReport({ keep: 0.5 })).split('</header>')[0]).toContain('Gates failed (1 of 2 failed)');
    expect(header).toContain('Run invalid');
    expect(header).toContain('Interrupted');
    expect(header).toContain(bad.invalidReasons[0]!);
    expect(header).toContain('status-fail');
  });

  test('lists advisories and not-simulated components; inputs are collapsible', () => {
    expect(html).toContain(report.advisories[0]!.code);
    expect(html).toContain('k8sattributes');
    expect(html).toMatch(/<details class="input"><summary>Scenario \(YAML\)<\/summary><pre>name: checkout-sale/);
    expect(html).toMatch(/<details class="input"><summary>Collector config \(YAML\)<\/summary>/);
  });

  test('escapes every inserted string', () => {
    const r = syntheticReport({ scenarioName: HOSTILE, policies: [HOSTILE, 'ok'] });
    r.advisories = [{ code: HOSTILE, message: HOSTILE }];
    r.notSimulated = [{ component: HOSTILE, reason: HOSTILE }];
    r.inputs = { scenarioYaml: HOSTILE, collectorYaml: HOSTILE };
    r.gates = [{ expression: HOSTILE, actual: null, pass: false }];
    r.collector.path = HOSTILE;
    const out = renderHtml(r);
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<!--');
    expect(out.match(/<\/script/g)).toHaveLength(1); // only the data block's own end tag
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;&lt;/script&gt;&lt;!--');
    expect(JSON.parse(dataBlock(out))).toEqual(r);
    expectSelfContained(out);
  });

  test('without time series, drops or policies the charts say why they are missing', () => {
    const r = syntheticReport({ dropReasons: [], policies: [] });
    delete r.timeseries;
    const out = renderHtml(r);
    expect(out).toContain('data-empty-chart="throughput"');
    expect(out).toContain('No spans were dropped.');
    expect(out).toContain('No tail_sampling policies');
    expect(chartsIn(out)).toEqual(expectedRunCharts(r));
  });

  test('is deterministic', () => {
    expect(renderHtml(syntheticReport())).toBe(html);
  });

  test("a sim run's span delays are charted under their short labels, in virtual time", () => {
    const delay = (p50: number, count: number) => ({ p50, p90: p50 * 1.5, p99: p50 * 2, max: p50 * 3, count });
    const r: Report = { ...syntheticReport({ mode: 'sim' }), latency: { spanToCollector: delay(500, 1825), spanToExport: delay(6800, 514) } };
    const out = renderHtml(r);
    expect(chartsIn(out).get('latency')).toEqual({ series: 4, refs: 0 });
    expect(out).toContain('span end → collector (n=1825)');
    expect(out).toContain('span end → exporter (n=514)');
    expect(out).toContain('(virtual time)');
  });
});

describe('renderComparisonHtml', () => {
  const cases: [string, ComparisonReport][] = [
    ['compare', syntheticCompare()],
    ['sweep', syntheticSweep()],
  ];

  test.each(cases)('%s: self-contained, with the report as JSON', (_, c) => {
    const html = renderComparisonHtml(c);
    expectSelfContained(html);
    expect(JSON.parse(dataBlock(html))).toEqual(c);
  });

  test.each(cases)('%s: retention, storage and every gated path charted, gate bounds drawn, runs included', (_, c) => {
    expect(chartsIn(renderComparisonHtml(c))).toEqual(expectedComparisonCharts(c));
  });

  test.each(cases)('%s: the best entry meeting every gate is marked', (_, c) => {
    expect(c.bestIndex).not.toBeNull();
    const html = renderComparisonHtml(c);
    const best = c.labels[c.bestIndex!]!;
    expect(html).toContain(`Best meeting every gate: ${best}`);
    expect(html).toContain(`<tr class="best" data-run-index="${c.bestIndex}"><td>★ ${best}</td>`);
    // Marked in every comparison chart (a band in bars, a ringed point in a sweep's line).
    const comparisonFigures = html.split('<figure').slice(1).filter((f) => !/data-chart="run\d/.test(f));
    for (const f of comparisonFigures) expect(f).toContain(`★ ${best}`);
  });

  test('a sweep is titled by its key and shows the full varied path', () => {
    const c = syntheticSweep();
    const html = renderComparisonHtml(c);
    expect(html).toContain('<h1>Sweep of sampling_percentage (5 values)</h1>');
    expect(html).toContain(`varied <code>${c.variedPath}</code>`);
  });

  test('no entry meeting every gate is said plainly', () => {
    const c = syntheticCompare();
    const html = renderComparisonHtml({ ...c, bestIndex: null });
    expect(html).toContain('No entry meets every gate');
    expect(html).not.toContain('★');
  });

  test('every run keeps its own verdict', () => {
    const c = syntheticSweep();
    const html = renderComparisonHtml(c);
    c.runs.forEach((r, i) => {
      const row = html.slice(html.indexOf(`<tr${i === c.bestIndex ? ' class="best"' : ''} data-run-index="${i}">`));
      expect(row.slice(0, row.indexOf('</tr>'))).toContain(expectedGatesWord(r));
    });
  });
});

test('a report built by hand with the minimum fields renders', () => {
  const r: Report = { ...syntheticReport(), latency: {}, advisories: [], notSimulated: [], gates: [] };
  delete r.limits;
  delete r.inputs;
  const html = renderHtml(r);
  expect(html).toContain('No gates');
  expect(chartsIn(html)).toEqual(expectedRunCharts(r));
});
