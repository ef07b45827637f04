import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import { ConcurrencyError } from '../../src/store/port.js';
import { TokenRegistry } from '../../src/auth/tokens.js';
import { CommandHandler } from '../../src/application/command-handler.js';
import { createProjectionRunner } from '../../src/projections/create.js';
import { buildApp } from '../../src/http/app.js';
import type { TestApp } from '../helpers/app.js';
import { issue, receivablesApp } from './receivables.fixtures.js';

const INVOICE = { financier: 'portaal', kamer: 'top', year: 2020 };
const numbersOneToFifty = Array.from({ length: 50 }, (_unused, index) => `2020-${String(index + 1).padStart(4, '0')}`);

/** Counts the appends a store refused because another writer got there first. */
function countConflicts(store: SqliteEventStore, counter = { count: 0 }): { count: number } {
  const append = store.append.bind(store);
  store.append = async (...args: Parameters<typeof append>) => {
    try {
      return await append(...args);
    } catch (error) {
      if (error instanceof ConcurrencyError) counter.count += 1;
      throw error;
    }
  };
  return counter;
}

/**
 * A second server over the same SQLite file, as a second process would be: its own store
 * connection, command handler (and state cache) and tokens. Its writes meet the first server's
 * only through the stream's expected revision.
 */
async function secondServer(t: Test, api: TestApp): Promise<{ app: FastifyInstance; store: SqliteEventStore; treasurer: string }> {
  const store = new SqliteEventStore(api.store.path, { now: api.clock });
  const tokens = TokenRegistry.inMemory();
  const projections = createProjectionRunner(store);
  const app = await buildApp(
    { store, tokens, commands: new CommandHandler(store), projections, clock: api.clock },
    { logger: false, rateLimits: { perToken: 1_000_000 } },
  );
  t.teardown(async () => {
    await app.close();
    await projections.close();
    await store.close();
  });
  return { app, store, treasurer: tokens.create({ role: 'treasurer', name: 'Penningmeester (tweede server)' }).token };
}

async function issuedNumbers(api: TestApp): Promise<string[]> {
  return (await api.allEvents()).filter((event) => event.type === 'InvoiceIssued').map((event) => (event.data as { number: string }).number);
}

t.test('50 invoices issued at once on one server get the numbers 2020-0001 to 2020-0050, each exactly once', async (t) => {
  const api = await receivablesApp(t);
  const responses = await Promise.all(numbersOneToFifty.map((_number, index) => issue(api, { lines: [{ description: `Factuur ${index}`, amount: '10.00' }] })));
  t.same(responses.map((response) => response.statusCode), Array(50).fill(201), responses.find((response) => response.statusCode !== 201)?.body ?? 'all 201');
  t.same(responses.map((response) => response.json().number as string).sort(), numbersOneToFifty);
  t.same(await issuedNumbers(api), numbersOneToFifty, 'the log holds them in number order, without gaps');
});

t.test('50 invoices issued at once through two servers on one file race, retry, and still number 2020-0001 to 2020-0050 once each', async (t) => {
  const api = await receivablesApp(t);
  const other = await secondServer(t, api);
  const conflicts = countConflicts(api.store);
  countConflicts(other.store, conflicts);
  const responses = await Promise.all(
    numbersOneToFifty.map((_number, index) => {
      const payload = { ...INVOICE, lines: [{ description: `Factuur ${index}`, amount: '10.00' }] };
      return index % 2 === 0
        ? issue(api, payload)
        : other.app.inject({ method: 'POST', url: '/invoices', payload, headers: { authorization: `Bearer ${other.treasurer}` } });
    }),
  );
  t.same(responses.map((response) => response.statusCode), Array(50).fill(201), responses.find((response) => response.statusCode !== 201)?.body ?? 'all 201');
  t.same(responses.map((response) => response.json().number as string).sort(), numbersOneToFifty);
  t.same(await issuedNumbers(api), numbersOneToFifty, 'the log holds them in number order, without gaps');
  // The servers really raced: an append decided on a state the other server had moved past was refused and retried.
  t.ok(conflicts.count > 0, `${conflicts.count} appends lost a race and were retried`);
});

t.test('allocations racing for one invoice through two servers never pay it more than is open', async (t) => {
  const api = await receivablesApp(t);
  const other = await secondServer(t, api);
  const invoice = (await issue(api, { lines: [{ description: 'Bijdrage', amount: '100.00' }] })).json();
  const payment = (await api.post(api.tokens.treasurer, '/payments/received', { date: '2020-06-12', amount: '1000.00', allocations: [] })).json();
  const conflicts = countConflicts(api.store);
  countConflicts(other.store, conflicts);
  const url = `/payments/${payment.id}/allocations`;
  const payload = { invoice: invoice.id, amount: '10.00' };
  const responses = await Promise.all(
    Array.from({ length: 20 }, (_unused, index) =>
      index % 2 === 0
        ? api.post(api.tokens.treasurer, url, payload)
        : other.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${other.treasurer}` } }),
    ),
  );
  // 100.00 open, 10.00 each: exactly ten fit, the rest are refused by the rule
  t.equal(responses.filter((response) => response.statusCode === 201).length, 10);
  t.ok(
    responses.filter((response) => response.statusCode !== 201).every((response) => response.statusCode === 422 && response.json().code === 'ALLOCATION_EXCEEDS_INVOICE'),
    'the other ten are refused with ALLOCATION_EXCEEDS_INVOICE',
  );
  const credit = await api.post(api.tokens.treasurer, `/invoices/${invoice.id}/credit-notes`, { reason: 'niets meer open' });
  t.equal(credit.json().code, 'CREDIT_NOTE_EXCEEDS_OPEN_AMOUNT', 'nothing is open any more');
  t.ok(conflicts.count > 0, `${conflicts.count} appends lost a race and were retried`);
});
