/**
 * A closed year refuses every kind of write dated in it (issue 12): one test per write route,
 * generated from the route table, each posting its body dated in the closed year 2020 and
 * expecting 409 PERIOD_CLOSED with nothing written. Routes with no business date are listed as
 * exempt, each with the reason; a route in neither list fails the last test.
 */
import t, { type Test } from 'tap';
import { craftedStatement } from '../bank/camt053.fixtures.js';
import { ROUTES, STATEMENT_ROUTE, world, type World, type WriteRoute } from './write-routes.js';

/** Registrations and details: no date, no year (docs/years.md). */
const EXEMPT: Record<string, string> = {
  'post /kamers': 'registering a room has no business date',
  'post /financiers': 'registering a financier has no business date',
  'put /cooperative': "the cooperative's details have no business date",
  'put /financiers/{id}/details': "a financier's details have no business date",
  'put /cooperative/bank-accounts': "the list of the cooperative's own accounts has no business date",
  'post /years/{year}/checks': "the year's own events; a closed year refuses them itself (tests/http/years.test.ts)",
  'post /years/{year}/approval': "the year's own events; a closed year refuses them itself (tests/http/years.test.ts)",
  'post /years/{year}/close': "the year's own events; a closed year refuses them itself (tests/http/years.test.ts)",
  'post /years/{year}/reopen': "the year's own events: reopening is how a closed year opens again",
};

/** Where a row's body has no date of its own (it defaults to today, 2021) or names another year. */
const DATED_IN_2020: Record<string, { url?: string; body?: Record<string, unknown> }> = {
  'put /kamers/{kamer}/budgets/{year}': { url: '/kamers/top/budgets/2020' },
  'post /invoices': { body: { issueDate: '2020-12-01' } },
  'post /invoices/{id}/credit-notes': { body: { issueDate: '2020-12-01' } },
};

async function closed2020(t: Test): Promise<World> {
  const w = await world(t);
  w.api.clock.set('2021-02-01T10:00:00Z');
  const steps = [
    // The world has resident hours in 2020: the closing's annual report values them (docs/years.md).
    await w.api.post(w.api.tokens.treasurer, '/valuation-rates', { year: 2020, kind: 'resident', perHour: '10.00' }),
    await w.api.post(w.api.tokens.kascommissie, '/years/2020/checks', { remarks: 'nagekeken' }),
    await w.api.post(w.api.tokens.accountant, '/years/2020/approval', {}),
    await w.api.post(w.api.tokens.treasurer, '/years/2020/close', {}),
  ];
  for (const step of steps) if (step.statusCode !== 201) throw new Error(`closing 2020 failed: ${step.body}`);
  return w;
}

function requestDatedIn2020(w: World, route: WriteRoute) {
  const override = DATED_IN_2020[route.route] ?? {};
  return { method: route.method, url: override.url ?? route.url(w), payload: { ...route.body(w), ...override.body } };
}

for (const route of ROUTES.filter((candidate) => EXEMPT[candidate.route] === undefined)) {
  t.test(`${route.route}: dated in the closed year 2020, refused with 409 PERIOD_CLOSED and nothing written`, async (t) => {
    const w = await closed2020(t);
    const before = await w.api.allEvents();
    const response = await w.api.request(w.api.tokens[route.role ?? 'treasurer'], requestDatedIn2020(w, route));
    t.equal(response.statusCode, 409, response.body);
    t.match(response.headers['content-type'], /application\/problem\+json/);
    const problem = response.json() as { code: string; errors?: Array<{ path: string }> };
    t.equal(problem.code, 'PERIOD_CLOSED');
    t.ok((problem.errors?.[0]?.path ?? '').length > 0, `names the field that dates it: ${response.body}`);
    t.equal((await w.api.allEvents()).length, before.length, 'nothing written');
  });
}

t.test(`${STATEMENT_ROUTE}: a statement booked in the closed year 2020 is refused whole`, async (t) => {
  const w = await closed2020(t);
  const before = await w.api.allEvents();
  const statement = craftedStatement([{ amount: '12.00', direction: 'DBIT', entryReference: 'NTRY-CLOSED-1', creditorName: 'Mitros', bookingDate: '2020-12-30' }], 'BWK-CLOSED');
  const response = await w.api.request(w.api.tokens.treasurer, { method: 'POST', url: '/bank-statements', payload: statement, headers: { 'content-type': 'application/xml' } });
  t.equal(response.statusCode, 409, response.body);
  t.equal(response.json().code, 'PERIOD_CLOSED');
  t.equal((await w.api.allEvents()).length, before.length, 'nothing written');
});

t.test('the exempt list and the date overrides name only real routes (the table itself is checked against the API in rules-write-routes)', async (t) => {
  const unknownExempt = Object.keys(EXEMPT).filter((name) => !ROUTES.some((route) => route.route === name));
  t.same(unknownExempt, [], 'the exempt list names only real routes');
  t.same(Object.keys(DATED_IN_2020).filter((name) => !ROUTES.some((route) => route.route === name)), [], 'the date overrides name only real routes');
});

t.test('the exempt writes are still accepted in a closed year', async (t) => {
  const w = await closed2020(t);
  const response = await w.api.post(w.api.tokens.treasurer, '/kamers', { id: 'hart', name: 'Hart voor Leidsche Rijn' });
  t.equal(response.statusCode, 201, response.body);
});
