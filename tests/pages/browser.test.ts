/**
 * In a real browser (Debian's chromium, driven by playwright-core; nothing downloaded), against the
 * real service listening on 127.0.0.1: a financier signs in with a one-time link, sees its own
 * invoices and not another's, passes axe-core without serious or critical violations, and signs
 * out. The page is photographed to docs/screenshots/financier.png for the README.
 */
import t from 'tap';
import { pageWorld } from './pages.fixtures.js';
import { browserSkip, listen, openBrowser, screenshot, seriousViolations } from './browser-harness.js';

t.test('a financier signs in with a link, sees its own invoices, passes axe, and signs out', { skip: browserSkip }, async (t) => {
  const { api, mitrosInvoice, portaalInvoice } = await pageWorld(t);
  const base = await listen(api);
  const tokenId = api.registry.create({ role: 'financier', scope: 'mitros', name: 'sign-in link' }).record.id;
  const code = api.signInLinks.create(tokenId, api.clock(), 15);
  const { page } = await openBrowser(t);

  await page.goto(`${base}/inloggen/${code}`);
  t.equal(new URL(page.url()).pathname, '/financier', 'the link lands on the own page');
  t.match(await page.locator('h1').innerText(), /Mitros: overzicht 2020/);
  const invoiceRows = await page.locator('table').first().locator('tbody tr').allInnerTexts();
  t.ok(invoiceRows.some((row) => row.includes(mitrosInvoice.number)), 'its own invoice is listed');
  t.notOk((await page.content()).includes(portaalInvoice.number), "another financier's is not");
  t.same(await seriousViolations(page), [], 'axe-core: no serious or critical violations');
  await screenshot(page, 'financier');

  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await page.waitForURL(/\/inloggen\?uit=1$/);
  t.match(await page.locator('body').innerText(), /U bent uitgelogd/);
  await page.goto(`${base}/financier`);
  t.equal(new URL(page.url()).pathname, '/inloggen', 'after signing out the page asks to sign in again');
  t.same(await seriousViolations(page), [], 'the sign-in page passes axe too');
});
