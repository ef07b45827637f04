/**
 * In a real browser (Debian's chromium, driven by playwright-core; nothing downloaded), against the
 * real service listening on 127.0.0.1: a financier signs in with a one-time link, sees its own
 * invoices and not another's, passes axe-core without serious or critical violations, and signs
 * out. The page is photographed to docs/screenshots/financier.png for the README.
 */
import t from 'tap';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageWorld } from './pages.fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does) to run the browser test`;
if (skip) console.log(`# browser test skipped: ${skip}`);

t.test('a financier signs in with a link, sees its own invoices, passes axe, and signs out', { skip }, async (t) => {
  const { chromium } = await import('playwright-core');
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const { api, mitrosInvoice, portaalInvoice } = await pageWorld(t);
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  const address = api.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the service is not listening on a port');
  const base = `http://127.0.0.1:${address.port}`;
  const tokenId = api.registry.create({ role: 'financier', scope: 'mitros', name: 'sign-in link' }).record.id;
  const code = api.signInLinks.create(tokenId, api.clock(), 15);

  // A fresh profile each run, outside tap's fixture folder: chromium's helper processes may still
  // write to it while tap removes that folder, which failed the run (ENOTEMPTY) and left the
  // service listening. bypassCSP only so axe-core can be injected past script-src 'none'.
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

  await page.goto(`${base}/inloggen/${code}`);
  t.equal(new URL(page.url()).pathname, '/financier', 'the link lands on the own page');
  t.match(await page.locator('h1').innerText(), /Mitros: overzicht 2020/);
  const invoiceRows = await page.locator('table').first().locator('tbody tr').allInnerTexts();
  t.ok(invoiceRows.some((row) => row.includes(mitrosInvoice.number)), 'its own invoice is listed');
  t.notOk((await page.content()).includes(portaalInvoice.number), "another financier's is not");

  await page.evaluate(axeSource);
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)`)) as AxeViolation[];
  const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  t.same(
    serious.map((violation) => `${violation.id}: ${violation.help} (${JSON.stringify(violation.nodes.map((node) => node.target))})`),
    [],
    'axe-core: no serious or critical violations',
  );

  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'financier.png'), fullPage: true });

  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await page.waitForURL(/\/inloggen\?uit=1$/);
  t.match(await page.locator('body').innerText(), /U bent uitgelogd/);
  await page.goto(`${base}/financier`);
  t.equal(new URL(page.url()).pathname, '/inloggen', 'after signing out the page asks to sign in again');
  const signInViolations = (await (async () => {
    await page.evaluate(axeSource);
    return page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)`);
  })()) as AxeViolation[];
  t.same(signInViolations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id), [], 'the sign-in page passes axe too');
});
