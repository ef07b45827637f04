/**
 * The treasurer in a real browser (Debian's chromium through playwright-core) against the service
 * on 127.0.0.1: signs in, issues an invoice through the form and finds it on the overview; a
 * refused form shows the Dutch rule at the field and keeps the input; a form whose CSRF field was
 * removed is refused and writes nothing; axe-core finds no serious or critical violation on any
 * page. Screenshots: treasurer-dashboard, treasurer-invoice-form, treasurer-refused.
 */
import t from 'tap';
import { nl } from '../../src/pages/text/nl.js';
import { pageWorld } from './pages.fixtures.js';
import { browserSkip, listen, openBrowser, screenshot, seriousViolations } from './browser-harness.js';

t.test('the treasurer issues an invoice through the form, meets a refusal, and a form without CSRF is refused', { skip: browserSkip }, async (t) => {
  const { api } = await pageWorld(t);
  const base = await listen(api);
  const { page } = await openBrowser(t);

  await page.goto(`${base}/inloggen`);
  await page.getByLabel(nl.signIn.tokenLabel).fill(api.tokens.treasurer);
  await page.getByRole('button', { name: nl.signIn.submit }).click();
  await page.waitForURL(/\/penningmeester$/);
  t.same(await seriousViolations(page), [], 'axe: the overview');

  // An invoice to Portaal, over the form, with the amount typed the Dutch way. The invoice must be
  // overdue to be on the overview: it is dated 8 February, due 7 March, and today is 15 March.
  await page.goto(`${base}/penningmeester/invoeren/factuur`);
  t.same(await seriousViolations(page), [], 'axe: the invoice form');
  await page.getByLabel(nl.treasurer.financier, { exact: true }).selectOption('portaal');
  await page.getByLabel(nl.treasurer.kamer, { exact: true }).selectOption('top');
  await page.getByLabel(nl.treasurer.year, { exact: true }).fill('2020');
  await page.getByLabel(`${nl.treasurer.issueDate} ${nl.forms.optional}`).fill('2020-02-08');
  const firstLine = page.getByRole('group', { name: nl.treasurer.lineLegend(1) });
  await firstLine.getByLabel(nl.treasurer.lineDescription, { exact: true }).fill('Huur zaal februari');
  await firstLine.getByLabel(nl.treasurer.amount, { exact: true }).fill('1.250,75');
  await screenshot(page, 'treasurer-invoice-form');
  await page.getByRole('button', { name: nl.treasurer.save }).click();
  await page.waitForURL(/\/penningmeester\/invoeren$/);
  const notice = await page.getByRole('status').innerText();
  const number = /Factuur (\d{4}-\d{4}) is gemaakt/.exec(notice)?.[1];
  t.ok(number, `a Dutch confirmation: ${notice}`);
  t.match(notice, /€ 1\.250,75/);

  await page.goto(`${base}/penningmeester`);
  const overdueRows = await page.locator('table').first().locator('tbody tr').allInnerTexts();
  t.ok(
    overdueRows.some((row) => row.includes(number!) && row.includes('€ 1.250,75')),
    'the new invoice is on the overview, past its due date',
  );
  await screenshot(page, 'treasurer-dashboard');

  // A refused transfer: more than the monthly petty-cash limit.
  await page.goto(`${base}/penningmeester/kamers?jaar=2020`);
  t.same(await seriousViolations(page), [], 'axe: the rooms page');
  const transfer = page.getByRole('form', { name: nl.treasurer.transferLegend('TOP') });
  await transfer.getByLabel(nl.treasurer.transferDate, { exact: true }).fill('2020-03-02');
  await transfer.getByLabel(nl.treasurer.amount, { exact: true }).fill('300,00');
  await transfer.getByRole('button', { name: nl.treasurer.transfer }).click();
  await page.waitForLoadState();
  const amount = page.getByRole('form', { name: nl.treasurer.transferLegend('TOP') }).getByLabel(nl.treasurer.amount, { exact: true });
  t.equal(await amount.getAttribute('aria-invalid'), 'true', 'the field is marked invalid');
  t.equal(await amount.inputValue(), '300,00', 'the typed amount is kept');
  const describedBy = (await amount.getAttribute('aria-describedby')) ?? '';
  const errorId = describedBy.split(' ').find((id) => id.endsWith('-fout'));
  t.ok(errorId, 'the field is described by its error');
  t.equal(await page.locator(`#${errorId}`).innerText(), nl.rules.PETTY_CASH_MONTHLY_LIMIT, 'the Dutch rule, next to the field');
  t.same(await seriousViolations(page), [], 'axe: the refused form');
  await screenshot(page, 'treasurer-refused');

  // The same form with its CSRF field removed from the page: refused, nothing written.
  const before = await api.store.lastPosition();
  await page.goto(`${base}/penningmeester/invoeren/kamer`);
  t.same(await seriousViolations(page), [], 'axe: the room form');
  await page.getByLabel(nl.treasurer.id, { exact: true }).fill('west');
  await page.getByLabel(nl.treasurer.name, { exact: true }).fill('Kamer West');
  await page.evaluate(`document.querySelectorAll('main form input[name="_csrf"]').forEach((field) => field.remove())`);
  await page.getByRole('button', { name: nl.treasurer.save }).click();
  await page.waitForLoadState();
  t.match(await page.locator('main').innerText(), /formulier is verlopen/);
  t.equal(await api.store.lastPosition(), before, 'nothing written');
});
