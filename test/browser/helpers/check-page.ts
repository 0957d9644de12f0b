/**
 * The assertions every rendered report page must pass in the browser, shared by the synthetic
 * and the end-to-end (CLI) tests.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { ComparisonReport, Report } from '../../../src/report/model.js';
import type { ExpectedChart } from '../../fixtures/reports/html/expected.js';
import { expectedGatesWord } from '../../fixtures/reports/html/expected.js';
import type { PageLog } from './chromium.js';
import { countDrawnPixels, openAllDetails, probePage } from './probe.js';

/** Relative luminance (0 dark … 1 light) of a computed `rgb(…)` colour. */
export function luminance(css: string): number {
  const [r, g, b] = (css.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0']).slice(0, 3).map((v) => Number(v) / 255);
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

export interface PageCheck {
  page: Page;
  log: PageLog;
  /** The report the page was rendered from (what its JSON block must hold). */
  data: Report | ComparisonReport;
  charts: ReadonlyMap<string, ExpectedChart>;
  scheme: 'light' | 'dark';
  /** A page (about:blank) used to decode screenshots. */
  decoder: Page;
  /** Where to write screenshots: `<dir>/<name>-<scheme>.png` (+ one per top-level chart). */
  artifacts: { dir: string; name: string };
}

export async function checkReportPage(c: PageCheck): Promise<void> {
  const { page, log, scheme } = c;
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
    const path = join(c.artifacts.dir, `${c.artifacts.name}-${scheme}-chart-${ch.id}.png`);
    const png = await page.locator(`figure[data-chart="${ch.id}"] svg`).screenshot(keep ? { path } : {});
    const { drawn, total } = await c.decoder.evaluate(countDrawnPixels, png.toString('base64'));
    expect.soft(drawn / total, `${ch.id}: share of pixels drawn`).toBeGreaterThan(0.02);
  }

  // Light and dark mode both apply.
  if (scheme === 'dark') expect(luminance(probe.bodyBackground)).toBeLessThan(0.2);
  else expect(luminance(probe.bodyBackground)).toBeGreaterThan(0.8);
  expect(Math.abs(luminance(probe.bodyColor) - luminance(probe.bodyBackground))).toBeGreaterThan(0.5);

  // The verdict matches the report.
  if ('kind' in c.data) {
    const cmp = c.data;
    const best = cmp.bestIndex == null ? undefined : cmp.labels[cmp.bestIndex];
    expect(probe.bestBadge).toBe(best === undefined ? 'No entry meets every gate' : `Best meeting every gate: ${best}`);
  } else {
    expect(probe.gatesBadge?.text).toContain(expectedGatesWord(c.data));
    expect(probe.validBadge).toBe(String(c.data.valid));
    expect(probe.interruptedBadge).toBe(c.data.interrupted);
  }

  await page.screenshot({ path: join(c.artifacts.dir, `${c.artifacts.name}-${scheme}.png`), fullPage: true });
}
