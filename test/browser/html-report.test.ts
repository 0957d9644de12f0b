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
import { expectedComparisonCharts, expectedRunCharts } from '../fixtures/reports/html/expected.js';
import { checkReportPage, luminance } from './helpers/check-page.js';
import { probePage } from './helpers/probe.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'html-report');

interface Case {
  name: string;
  html: string;
  data: Report | ComparisonReport;
  charts: Map<string, ExpectedChart>;
}

function runCase(name: string, report: Report): Case {
  return { name, html: renderHtml(report), data: report, charts: expectedRunCharts(report) };
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
      await checkReportPage({ page, log, data: c.data, charts: c.charts, scheme, decoder, artifacts: { dir: ARTIFACTS, name: c.name } });
    } finally {
      await page.close();
    }
  });

  test('prints: charts fit the page, closed details and their chrome are hidden', async () => {
    const { page, log } = await openReport(browser.context, file, 'light');
    try {
      // A4 at 96 dpi is 794 × 1123 CSS px.
      await page.setViewportSize({ width: 794, height: 1123 });
      await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
      const layout = await page.evaluate(probePage);
      expect(layout.visibleClosedDetails).toBe(0);
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
