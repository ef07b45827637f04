/**
 * The team leader's world: the page world (room `top`, today 15 March 2020) with a second room
 * `bos`, €250 of petty cash for top in March, and the 2020 hourly rates (the room's budget view
 * values hours and refuses while a rate is missing).
 */
import type { Test } from 'tap';
import type { TestApp } from '../helpers/app.js';
import { pageWorld } from './pages.fixtures.js';

export async function teamleaderWorld(t: Test): Promise<TestApp> {
  const { api } = await pageWorld(t);
  for (const [url, payload] of [
    ['/kamers', { id: 'bos', name: 'Bos' }],
    ['/kamers/top/petty-cash/transfers', { date: '2020-03-02', amount: '250.00' }],
    ['/valuation-rates', { year: 2020, kind: 'resident', perHour: '11.00' }],
    ['/valuation-rates', { year: 2020, kind: 'professional', perHour: '37.00' }],
  ] as const) {
    const response = await api.request(api.tokens.treasurer, { method: 'POST', url, payload });
    if (response.statusCode !== 201) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  }
  return api;
}

/** A month of hours for room top as a Dutch spreadsheet saves it: semicolons, decimal commas. */
export const MARCH_HOURS_CSV = 'vrijwilliger;datum;uren;soort;activiteit\nv-001;2020-03-02;2,5;bewoner;inloop\nv-002;3-3-2020;4;Bewoner;\n\nv-003;04-03-2020;1.25;professional;klussendienst\n';

/** The same month with errors on rows 3, 4 and 5 (too many hours, a future day, no such date and kind). */
export const MARCH_HOURS_CSV_WITH_ERRORS = 'vrijwilliger;datum;uren;soort\nv-001;2020-03-02;2;bewoner\nv-002;2020-03-03;25;bewoner\nv-003;2020-04-01;1;bewoner\nv-004;31-02-2020;1;vrijwilliger\n';
