/**
 * What every browser test shares: Debian's chromium driven by playwright-core (nothing downloaded),
 * the service listening on 127.0.0.1, axe-core's serious and critical violations, and screenshots
 * in docs/screenshots for the README. A test file imports these and skips with the printed reason
 * when chromium is missing.
 */
import type { Test } from 'tap';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';

const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');

/** false when the browser tests can run, else the reason they are skipped (printed once). */
export const browserSkip: false | string = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does) to run the browser tests`;
if (browserSkip) console.log(`# browser tests skipped: ${browserSkip}`);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}

let axeSource: string | undefined;

/** Starts the test app on a free port of 127.0.0.1 and answers its base URL. */
export async function listen(api: TestApp): Promise<string> {
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  const address = api.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the service is not listening on a port');
  return `http://127.0.0.1:${address.port}`;
}

/**
 * A fresh chromium with its own profile, closed at the test's end. The profile lives outside tap's
 * fixture folder: chromium's helper processes may still write to it while tap removes that folder,
 * which failed a run (ENOTEMPTY) and left the service listening. bypassCSP only so axe-core can be
 * injected past script-src 'none'.
 */
export async function openBrowser(t: Test): Promise<{ browser: BrowserContext; page: Page }> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'bwk-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: LAUNCH_ARGS,
    bypassCSP: true,
    viewport: { width: 1280, height: 900 },
  });
  t.teardown(async () => {
    await browser.close();
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch {
      // A helper process still writing: a stray temp folder is harmless; a failed teardown is not.
    }
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  return { browser, page };
}

/** axe-core's serious and critical violations on the page as it is now, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)`)) as AxeViolation[];
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} (${JSON.stringify(violation.nodes.map((node) => node.target))})`);
}

/** Photographs the whole page to docs/screenshots/<name>.png for the README's tour. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
