/**
 * End to end: the built CLI (dist/, as users run it) writes report.html beside report.json for a
 * sim run, a live run, a compare and a sweep of scenarios/ci-smoke.yaml; each page renders in headless Chromium
 * offline with every chart the JSON calls for and the verdict the JSON states, and
 * `tracesim report report.json --format html` renders the same page again.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { ComparisonReport, Report } from '../../src/report/model.js';
import { expectedComparisonCharts, expectedRunCharts } from '../fixtures/reports/html/expected.js';
import type { ExpectedChart } from '../fixtures/reports/html/expected.js';
import type { Browser } from './helpers/chromium.js';
import { launchChromium, openReport } from './helpers/chromium.js';
import { checkReportPage } from './helpers/check-page.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli/main.js');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'html-report');
const SCENARIO = join(ROOT, 'scenarios/ci-smoke.yaml');
const COLLECTOR = join(ROOT, 'scenarios/ci-smoke.collector.yaml');
/** Each test runs the CLI (one to five simulations) and two page checks: allow for a loaded 2-core CI machine. */
const E2E_TIMEOUT_MS = 240_000;
const PROBABILISTIC = 'collector.processors.tail_sampling.policies[name=sampling-policy].probabilistic.sampling_percentage';

/** Runs the built CLI; resolves with its exit code and output (never rejects on a non-zero exit). */
function tracesim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: E2E_TIMEOUT_MS / 2, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** Exit code the CLI must give for runs with these verdicts (DESIGN.md: 4 invalid, 3 gate failed). */
function expectedExit(runs: readonly Report[]): number {
  if (runs.some((r) => r.interrupted)) return 1;
  if (runs.some((r) => !r.valid)) return 4;
  if (runs.some((r) => r.gates.some((g) => !g.pass))) return 3;
  return 0;
}

let browser: Browser;
let decoder: Page;
let work: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run build; npm test does it).`);
  mkdirSync(ARTIFACTS, { recursive: true });
  work = await mkdtemp(join(tmpdir(), 'tracesim-html-e2e-'));
  browser = await launchChromium();
  decoder = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function checkInBrowser(name: string, htmlPath: string, data: Report | ComparisonReport, charts: ReadonlyMap<string, ExpectedChart>): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    const { page, log } = await openReport(browser.context, htmlPath, scheme);
    try {
      await checkReportPage({ page, log, data, charts, scheme, decoder, artifacts: { dir: ARTIFACTS, name } });
    } finally {
      await page.close();
    }
  }
}

describe('tracesim run → report.html', () => {
  test('renders offline with the charts and verdict of report.json; `tracesim report` renders it again', async () => {
    const out = join(work, 'run');
    const res = await tracesim(['run', SCENARIO, '--format', 'html,json', '--out', out, '--no-progress']);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
    expect(res.code, res.stderr).toBe(expectedExit([report]));
    expect(report.timeseries?.t.length).toBeGreaterThan(0);

    const html = join(out, 'report.html');
    await checkInBrowser('cli-run', html, report, expectedRunCharts(report));

    const again = join(work, 'again');
    const re = await tracesim(['report', join(out, 'report.json'), '--format', 'html', '--out', again]);
    expect(re.code, re.stderr).toBe(0);
    expect(await readFile(join(again, 'report.html'), 'utf8')).toBe(await readFile(html, 'utf8'));
  }, E2E_TIMEOUT_MS);
});

describe('tracesim run --mode live → report.html', () => {
  test('shows the live charts (rate, schedule lag, latency) of a wall-clock run over loopback', async () => {
    const out = join(work, 'live');
    const res = await tracesim(['run', SCENARIO, '--mode', 'live', '--duration', '3s', '--format', 'html,json', '--out', out, '--no-progress']);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
    expect(res.code, res.stderr).toBe(expectedExit([report]));
    expect(report.mode).toBe('live');
    const charts = expectedRunCharts(report);
    expect([...charts.keys()]).toEqual(expect.arrayContaining(['live-rate', 'schedule-lag', 'latency']));
    await checkInBrowser('cli-live', join(out, 'report.html'), report, charts);
  }, E2E_TIMEOUT_MS);
});

describe('tracesim compare and sweep → comparison.html', () => {
  test('compare of 3 configs marks the best and draws the gates', async () => {
    const base = await readFile(COLLECTOR, 'utf8');
    expect(base).toMatch(/sampling_percentage: 25/);
    const configs: string[] = [];
    for (const pct of [50, 25, 5]) {
      const path = join(work, `keep-${pct}pct.yaml`);
      await writeFile(path, base.replace(/sampling_percentage: 25/, `sampling_percentage: ${pct}`));
      configs.push(path);
    }
    const out = join(work, 'compare');
    const res = await tracesim(['compare', '--scenario', SCENARIO, ...configs, '--gate', 'retention.traces <= 0.3', '--gate', 'storage.diskBytesPerDay < 1GB', '--format', 'html,json', '--out', out, '--no-progress']);
    const cmp = JSON.parse(await readFile(join(out, 'comparison.json'), 'utf8')) as ComparisonReport;
    expect(res.code, res.stderr).toBe(expectedExit(cmp.runs));
    expect(cmp.runs).toHaveLength(3);
    await checkInBrowser('cli-compare', join(out, 'comparison.html'), cmp, expectedComparisonCharts(cmp));
  }, E2E_TIMEOUT_MS);

  test('sweep over 5 values of the sampling percentage', async () => {
    const out = join(work, 'sweep');
    const res = await tracesim(['sweep', '--scenario', SCENARIO, '--vary', `${PROBABILISTIC}=1,5,10,25,50`, '--gate', 'retention.traces <= 0.2', '--gate', 'retention.byClass.error >= 0.99', '--format', 'html,json', '--out', out, '--no-progress']);
    const cmp = JSON.parse(await readFile(join(out, 'comparison.json'), 'utf8')) as ComparisonReport;
    expect(res.code, res.stderr).toBe(expectedExit(cmp.runs));
    expect(cmp.kind).toBe('sweep');
    expect(cmp.labels).toHaveLength(5);
    await checkInBrowser('cli-sweep', join(out, 'comparison.html'), cmp, expectedComparisonCharts(cmp));
  }, E2E_TIMEOUT_MS);
});
