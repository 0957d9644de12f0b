/**
 * Real headless Chromium for the browser tests: Debian's `chromium` package driven by
 * playwright-core, a fresh profile per launch, and every request that is not the report file
 * itself recorded and aborted. Never skips: a missing browser is a test failure that says how to
 * install it (`.ci/run` installs it on CI).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM_PATH}. The browser tests need Debian's chromium package: ` +
        `run \`apt-get update && apt-get install -y chromium\` (.ci/run does this on CI). These tests never skip.`,
    );
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'tracesim-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    offline: true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** What happened while a page loaded: console errors, uncaught errors, requests made. */
export interface PageLog {
  consoleErrors: string[];
  pageErrors: string[];
  /** Every request URL the page made (the report's own file:// URL included). */
  requests: string[];
  /** Requests to anything but file:, data: or about: — each one aborted, each one a failure. */
  external: string[];
}

const LOCAL = /^(file|data|about|blob):/;

/** Opens `htmlPath` in a new page with the given colour scheme, logging console and network. */
export async function openReport(context: BrowserContext, htmlPath: string, colorScheme: 'light' | 'dark'): Promise<{ page: Page; log: PageLog }> {
  const page = await context.newPage();
  const log: PageLog = { consoleErrors: [], pageErrors: [], requests: [], external: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.pageErrors.push(e.message));
  page.on('request', (r) => log.requests.push(r.url()));
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (LOCAL.test(url)) return route.continue();
    log.external.push(url);
    return route.abort('blockedbyclient');
  });
  await page.emulateMedia({ colorScheme, media: 'screen' });
  await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
  return { page, log };
}
