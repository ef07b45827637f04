/** A year with some books, and the steps that close it, for the year tests. */
import type { Test } from 'tap';
import type { TestApp } from '../helpers/app.js';
import { issue, receivablesApp } from './receivables.fixtures.js';

export interface YearView {
  status: string;
  checks: Array<{ by: string; at: string; remarks: string; position: string; digest: string; verifies: boolean; problem?: string }>;
  approval: { by: string; at: string; position: string; digest: string; verifies: boolean; problem?: string } | null;
  closing: { by: string; at: string; filesAtPosition: string; closedAt: string; files: Array<{ name: string; sha256: string }> } | null;
  history: Array<{ event: string; by: string; at: string; reason?: string }>;
}

/** Rooms and financiers, an invoice of 1000.00 issued 15 June 2020 and 400.00 of it paid on 12 June; the clock then stands in February 2021. */
export async function year2020(t: Test): Promise<{ api: TestApp; invoice: string }> {
  const api = await receivablesApp(t);
  const invoice = await issue(api);
  if (invoice.statusCode !== 201) throw new Error(invoice.body);
  const paid = await api.post(api.tokens.treasurer, '/payments/received', { date: '2020-06-12', amount: '400.00', allocations: [{ invoice: '2020-0001', amount: '400.00' }] });
  if (paid.statusCode !== 201) throw new Error(paid.body);
  api.clock.set('2021-02-01T10:00:00Z');
  return { api, invoice: invoice.json().id as string };
}

export async function close(api: TestApp, year = 2020): Promise<void> {
  for (const [token, url, body] of [
    [api.tokens.kascommissie, `/years/${year}/checks`, { remarks: 'kas, bank en bonnen nagekeken' }],
    [api.tokens.accountant, `/years/${year}/approval`, { note: 'goedgekeurd' }],
    [api.tokens.treasurer, `/years/${year}/close`, {}],
  ] as const) {
    const response = await api.post(token, url, body);
    if (response.statusCode !== 201) throw new Error(`${url}: ${response.body}`);
  }
}

export const view = async (api: TestApp, year = 2020) => (await api.get(api.tokens.accountant, `/years/${year}`)).json() as YearView;

