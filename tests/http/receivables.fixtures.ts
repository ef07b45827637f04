/**
 * Master data and helpers shared by the receivables HTTP tests: a room, a financier that pays on
 * invoice and one that pays by subsidy decision, pledges through the real API.
 */
import { randomUUID } from 'node:crypto';
import type { Test } from 'tap';
import { streams, type DomainEvent } from '../../src/domain/events.js';
import { createTestApp, type TestApp, type TestAppOptions } from '../helpers/app.js';

export async function receivablesApp(t: Test, options: TestAppOptions = {}): Promise<TestApp> {
  const api = await createTestApp(t, options);
  const setup: Array<[string, unknown]> = [
    ['/kamers', { id: 'top', name: 'TOP' }],
    ['/kamers', { id: 'de-klop', name: 'De Klop' }],
    ['/financiers', { id: 'portaal', name: 'Portaal', kind: 'housing-corporation', pays: 'invoice' }],
    ['/financiers', { id: 'doen', name: 'Stichting DOEN', kind: 'fund', pays: 'invoice' }],
    ['/financiers', { id: 'gemeente', name: 'Gemeente Utrecht', kind: 'municipality', pays: 'subsidy-decision' }],
  ];
  for (const [url, body] of setup) {
    const response = await api.post(api.tokens.treasurer, url, body);
    if (response.statusCode !== 201) throw new Error(`setup ${url} failed: ${response.body}`);
  }
  return api;
}

/** Makes `accounts` the cooperative's own bank accounts (PUT /cooperative/bank-accounts): statements of them may be imported. */
export async function ownBankAccounts(api: TestApp, accounts: readonly string[]): Promise<void> {
  const response = await api.request(api.tokens.treasurer, { method: 'PUT', url: '/cooperative/bank-accounts', payload: { accounts } });
  if (response.statusCode !== 201) throw new Error(`bank accounts failed: ${response.body}`);
}

export async function makePledge(api: TestApp, body: Record<string, unknown>): Promise<string> {
  const response = await api.post(api.tokens.treasurer, '/pledges', { financier: 'portaal', kamer: 'top', year: 2020, form: 'cash', status: 'committed', ...body });
  if (response.statusCode !== 201) throw new Error(`pledge failed: ${response.body}`);
  return response.json().id as string;
}

export async function issue(api: TestApp, body: Record<string, unknown> = {}) {
  return api.post(api.tokens.treasurer, '/invoices', {
    financier: 'portaal',
    kamer: 'top',
    year: 2020,
    lines: [{ description: 'Bijdrage 2020', amount: '1000.00' }],
    ...body,
  });
}

/** Writes events of areas these tests do not exercise (expenses, petty cash) straight into their stream. */
export async function record(api: TestApp, stream: string, events: readonly DomainEvent[]): Promise<void> {
  await api.store.append(stream, events.map((event) => ({ ...event, metadata: { recordedBy: 'test' } })), 'any');
}

export function expensePaid(kamerId: string, date: string, amount: string): DomainEvent {
  return { type: 'ExpensePaid', data: { expenseId: randomUUID(), kamerId, year: Number(date.slice(0, 4)), line: 'rent', date, amount, payee: 'Verhuurder', description: 'huur' } };
}

export function pettyCashSpent(kamerId: string, date: string, amount: string): DomainEvent {
  return { type: 'PettyCashSpent', data: { spendingId: randomUUID(), kamerId, date, category: 'A', amount, description: 'koffie en thee' } };
}

export { streams };

/** Asserts a refusal: status, code, and (when given) the field path it names. */
export function assertRefused(t: Test, response: { statusCode: number; body: string; json(): unknown }, status: number, code: string, path?: string): void {
  t.equal(response.statusCode, status, `${code}: ${response.body}`);
  const problem = response.json() as { code: string; errors?: Array<{ path: string }> };
  t.equal(problem.code, code);
  if (path !== undefined) t.ok(problem.errors?.some((error) => error.path === path), `names ${path}: ${response.body}`);
}
