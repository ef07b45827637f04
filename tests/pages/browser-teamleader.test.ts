/**
 * In a real browser against the real service: a team leader signs in with a one-time link, lands
 * on its room's page, records a petty-cash spending, uploads a CSV of hours (a refused one first,
 * its errors listed per row), cannot open another room's page, and every page passes axe-core.
 * Photographed to docs/screenshots/teamleader.png and teamleader-csv-errors.png for the README.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { browserSkip, listen, openBrowser, screenshot, seriousViolations } from './browser-harness.js';
import { MARCH_HOURS_CSV, MARCH_HOURS_CSV_WITH_ERRORS, teamleaderWorld } from './teamleader.fixtures.js';

t.test("a team leader records a spending and a month's hours, and cannot open another room", { skip: browserSkip }, async (t) => {
  const api = await teamleaderWorld(t);
  const base = await listen(api);
  const tokenId = api.registry.create({ role: 'teamleader', scope: 'top', name: 'sign-in link' }).record.id;
  const code = api.signInLinks.create(tokenId, api.clock(), 15);
  const { page } = await openBrowser(t);
  const files = mkdtempSync(join(tmpdir(), 'bwk-csv-'));
  t.teardown(() => rmSync(files, { recursive: true, force: true }));

  await page.goto(`${base}/inloggen/${code}`);
  t.equal(new URL(page.url()).pathname, '/kamer', 'the link lands on the own room page');
  t.match(await page.locator('h1').innerText(), /Kamer TOP/);

  await page.getByLabel('Datum').first().fill('2020-03-10');
  await page.getByLabel('Categorie').selectOption('B');
  await page.getByLabel('Bedrag in euro').fill('18,75');
  await page.getByLabel('Waarvoor').fill('Broodjes voor de buurtlunch');
  await page.getByRole('button', { name: 'Uitgave bewaren' }).click();
  await page.waitForURL(`${base}/kamer`);
  t.match(await page.getByRole('status').innerText(), /De uitgave van € 18,75 is bewaard/);
  t.match(await page.locator('table').first().innerText(), /maart\s+€ 250,00\s+€ 18,75\s+€ 231,25/);

  const refusedFile = join(files, 'maart-fout.csv');
  writeFileSync(refusedFile, MARCH_HOURS_CSV_WITH_ERRORS);
  await page.getByLabel('CSV-bestand').setInputFiles(refusedFile);
  await page.getByRole('button', { name: 'Bestand inlezen' }).click();
  await page.waitForLoadState();
  const errors = await page.locator('#csv-fouten tbody tr').allInnerTexts();
  t.equal(errors.length, 4, 'four errors, per row and column');
  t.match(errors[0], /^3\s+uren\s+Vul uren in/);
  t.same(await seriousViolations(page), [], 'axe-core on the refused upload');
  await page.locator('#uren-inlezen').scrollIntoViewIfNeeded();
  await screenshot(page, 'teamleader-csv-errors');

  const goodFile = join(files, 'maart.csv');
  writeFileSync(goodFile, MARCH_HOURS_CSV);
  await page.getByLabel('CSV-bestand').setInputFiles(goodFile);
  await page.getByRole('button', { name: 'Bestand inlezen' }).click();
  await page.waitForURL(`${base}/kamer`);
  t.match(await page.getByRole('status').innerText(), /3 regels met uren ingelezen/);
  t.same(await seriousViolations(page), [], 'axe-core on the room page');
  await screenshot(page, 'teamleader');
  const budget = (await api.get(api.tokens.treasurer, '/kamers/top/budget/2020')).json();
  t.same(budget.volunteers.hours, { resident: '6.50', professional: '1.25' }, 'the hours count in the room, as the API answers');

  const other = await page.goto(`${base}/kamer/bos`);
  t.equal(other?.status(), 403, "another room's page is refused");
  t.match(await page.locator('main').innerText(), /U heeft geen toegang tot deze pagina/);
  t.same(await seriousViolations(page), [], 'axe-core on the refusal');
});
