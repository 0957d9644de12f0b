/**
 * The HTML report in real headless Chromium: for a sim run, a failed live run, a compare and a
 * sweep (synthetic reports), in light and dark mode, the page loads offline with no console
 * errors and no network requests, every chart is laid out and painted with labelled axes and
 * the right number of series and reference lines, and the verdict matches the report.
 * Screenshots and a printed PDF go to test-artifacts/html-report/ for a person to look at.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { renderComparisonHtml, renderHtml } from '../../src/report/html/render.js';
import type { ComparisonReport, Report } from '../../src/report/model.js';
import { syntheticCompare, syntheticReport, syntheticSweep } from '../fixtures/reports/html/synthetic.js';
import type { Browser } from './helpers/chromium.js';
import { launchChromium, openReport } from './helpers/chromium.js';
import type { ExpectedChart } from '../fixtures/reports/html/expected.js';
import { expectedComparisonCharts, expectedGatesWord, expectedRunCharts } from '../fixtures/reports/html/expected.js';
import { countDrawnPixels, openAllDetails, probePage } from './helpers/probe.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'html-report');

interface Case {
  name: string;
  html: string;
  data: Report | ComparisonReport;
  charts: Map<string, ExpectedChart>;
  /** The run whose verdict the header shows (single runs only). */
  run?: Report;
}

function runCase(name: string, report: Report): Case {
  return { name, html: renderHtml(report), data: report, charts: expectedRunCharts(report), run: report };
}

function comparisonCase(name: string, c: ComparisonReport): Case {
  return { name, html: renderComparisonHtml(c), data: c, charts: expectedComparisonCharts(c) };
}

const liveFailed = syntheticReport({
  mode: 'live',
  keep: 0.5,
  valid: false,
  interrupted: true,
  tailInstances: ['tail_sampling/replica-0', 'tail_sampling/replica-1'],
  dropReasons: ['sdk_queue_full', 'schedule_missed', 'tail_buffer_evicted', 'late_span_dropped'],
});

const CASES: Case[] = [
  runCase('run-sim', syntheticReport()),
  runCase('run-live-failed', liveFailed),
  comparisonCase('compare', syntheticCompare()),
  comparisonCase('sweep', syntheticSweep()),
];

/** Relative luminance (0 dark … 1 light) of a computed `rgb(…)` colour. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0']).slice(0, 3).map((v) => Number(v) / 255);
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

let browser: Browser;
let decoder: Page;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
  decoder = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
});

describe.each(CASES)('report.html of $name in headless Chromium', (c) => {
  const file = join(ARTIFACTS, `${c.name}.html`);

  beforeAll(() => {
    writeFileSync(file, c.html);
  });

  test.each(['light', 'dark'] as const)('%s mode: loads offline, draws every chart, shows the verdict', async (scheme) => {
    const { page, log } = await openReport(browser.context, file, scheme);
    try {
      await page.evaluate(openAllDetails);
      const probe = await page.evaluate(probePage);

      expect(log.consoleErrors).toEqual([]);
      expect(log.pageErrors).toEqual([]);
      expect(log.external).toEqual([]);
      expect(log.requests.every((u) => u.startsWith('file:'))).toBe(true);

      // The page carries the report it was rendered from.
      expect(JSON.parse(probe.dataJson)).toEqual(c.data);

      // Every expected chart is there, and nothing else.
      expect(probe.charts.map((ch) => ch.id).sort()).toEqual([...c.charts.keys()].sort());
      for (const ch of probe.charts) {
        const want = c.charts.get(ch.id)!;
        expect.soft(ch.seriesDrawn.length, `${ch.id}: series drawn`).toBe(want.series);
        expect.soft(ch.seriesCountAttr, `${ch.id}: data-series-count`).toBe(want.series);
        expect.soft(ch.refsDrawn.length, `${ch.id}: reference lines`).toBe(want.refs);
        expect.soft(ch.legendItems.length, `${ch.id}: legend entries`).toBe(want.series + want.refs);
        expect.soft(ch.title, `${ch.id}: title`).not.toBe('');
        expect.soft(ch.xLabel, `${ch.id}: x-axis label`).not.toBe('');
        expect.soft(ch.yLabel, `${ch.id}: y-axis label`).not.toBe('');
        expect.soft(ch.svgWidth, `${ch.id}: width`).toBeGreaterThan(300);
        expect.soft(ch.svgHeight, `${ch.id}: height`).toBeGreaterThan(100);
        expect.soft(ch.svgRight, `${ch.id}: fits the viewport`).toBeLessThanOrEqual(probe.viewportWidth);
        expect.soft(ch.emptySeries, `${ch.id}: series with nothing drawn`).toEqual([]);
        expect.soft(ch.unpaintedSeries, `${ch.id}: series without colour`).toEqual([]);
        // Axis titles must contrast with the page: light text on dark, dark on light.
        expect.soft(Math.abs(luminance(ch.axisLabelColor) - luminance(probe.bodyBackground)), `${ch.id}: axis label contrast`).toBeGreaterThan(0.3);
      }

      // Pixels: each chart paints a real share of its box (lines, bars, text), not a blank frame.
      for (const ch of probe.charts) {
        // Charts of the page itself (not of the runs inside a comparison) are kept for a person to look at.
        const keep = !ch.id.startsWith('run');
        const png = await page.locator(`figure[data-chart="${ch.id}"] svg`).screenshot(keep ? { path: join(ARTIFACTS, `${c.name}-${scheme}-chart-${ch.id}.png`) } : {});
        const { drawn, total } = await decoder.evaluate(countDrawnPixels, png.toString('base64'));
        expect.soft(drawn / total, `${ch.id}: share of pixels drawn`).toBeGreaterThan(0.02);
      }

      // Light and dark mode both apply.
      if (scheme === 'dark') expect(luminance(probe.bodyBackground)).toBeLessThan(0.2);
      else expect(luminance(probe.bodyBackground)).toBeGreaterThan(0.8);
      expect(Math.abs(luminance(probe.bodyColor) - luminance(probe.bodyBackground))).toBeGreaterThan(0.5);

      // The verdict matches the report.
      if (c.run) {
        expect(probe.gatesBadge?.text).toContain(expectedGatesWord(c.run));
        expect(probe.validBadge).toBe(String(c.run.valid));
        expect(probe.interruptedBadge).toBe(c.run.interrupted);
      } else {
        const cmp = c.data as ComparisonReport;
        const best = cmp.bestIndex == null ? undefined : cmp.labels[cmp.bestIndex];
        expect(probe.bestBadge).toBe(best === undefined ? 'No entry meets every gate' : `Best meeting every gate: ${best}`);
      }

      await page.screenshot({ path: join(ARTIFACTS, `${c.name}-${scheme}.png`), fullPage: true });
    } finally {
      await page.close();
    }
  });

  test('prints: charts fit the page, closed details and their chrome are hidden', async () => {
    const { page, log } = await openReport(browser.context, file, 'light');
    try {
      await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
      const layout = await page.evaluate(probePage);
      // Print uses the light palette on white whatever the system scheme.
      expect(luminance(layout.bodyBackground)).toBeGreaterThan(0.95);
      for (const ch of layout.charts.filter((x) => x.svgWidth > 0)) expect.soft(ch.svgRight, ch.id).toBeLessThanOrEqual(layout.viewportWidth);
      const pdf = await page.pdf({ path: join(ARTIFACTS, `${c.name}.pdf`), format: 'A4', printBackground: true });
      expect(pdf.length).toBeGreaterThan(10_000);
      expect(log.external).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
