/**
 * The accountant's page in a real browser (Debian's chromium through playwright-core): the
 * accountant signs in with a one-time link, sees the verification OK with the digest to keep,
 * filters the audit history with the GET form (no JavaScript needed), and the page passes axe-core
 * without serious or critical violations. Photographed to docs/screenshots/accountant.png.
 */
import t from 'tap';
import { pageWorld } from './pages.fixtures.js';
import { browserSkip, listen, openBrowser, screenshot, seriousViolations } from './browser-harness.js';

t.test('an accountant signs in with a link, sees verification OK and the digest, filters the history, passes axe', { skip: browserSkip }, async (t) => {
  const { api } = await pageWorld(t);
  const verified = (await api.get(api.tokens.accountant, '/audit/verify')).json() as { digest: string; lastPosition: string };
  const base = await listen(api);
  const tokenId = api.registry.create({ role: 'accountant', name: 'accountant link' }).record.id;
  const code = api.signInLinks.create(tokenId, api.clock(), 15);
  const { page } = await openBrowser(t);

  await page.goto(`${base}/inloggen/${code}`);
  t.equal(new URL(page.url()).pathname, '/accountant', 'the link lands on the accountant page');
  await page.getByRole('button', { name: 'Controleer de administratie' }).click();
  await page.waitForURL(/controle=1/);
  t.match(await page.locator('#controle-uitkomst').innerText(), /In orde/);
  t.equal(await page.locator('.digest__code code').innerText(), verified.digest, 'the digest to keep');
  t.match(await page.locator('section[aria-labelledby="controle"]').innerText(), new RegExp(`Positie\\s+${verified.lastPosition}`));
  t.match(await page.locator('#proefbalans').innerText(), /Proefbalans 2020/);
  t.same(await seriousViolations(page), [], 'axe-core: no serious or critical violations');
  await screenshot(page, 'accountant');

  await page.getByLabel('Soort gebeurtenis').selectOption('InvoiceIssued');
  await page.getByRole('button', { name: 'Filter toepassen' }).click();
  await page.waitForURL(/type=InvoiceIssued/);
  const types = await page.locator('.audit-table tbody tr td:nth-child(4)').allInnerTexts();
  t.same(types, ['InvoiceIssued', 'InvoiceIssued', 'InvoiceIssued'], 'only the three invoices');
  t.equal(await page.getByLabel('Soort gebeurtenis').inputValue(), 'InvoiceIssued', 'the form keeps the filter');

  await page.getByLabel('Vastgelegd vanaf').fill('2020-03-01');
  await page.getByLabel('Soort gebeurtenis').selectOption('');
  await page.getByRole('button', { name: 'Filter toepassen' }).click();
  await page.waitForURL(/van=2020-03-01/);
  const march = await page.locator('.audit-table tbody tr td:nth-child(4)').allInnerTexts();
  t.same(march, ['PaymentReceived', 'PaymentAllocated'], 'what was recorded from March on: the payment and its allocation');
  t.same(await seriousViolations(page), [], 'the filtered page passes axe too');
});
