import t, { type Test } from 'tap';
import { createTestApp, type TestApp } from '../helpers/app.js';

// The test clock starts at 2020-06-15T10:00:00Z: today in Amsterdam is 2020-06-15.
const EXPENSE = { date: '2020-06-01', kamer: 'top', line: 'rent', amount: '890.00', payee: 'Mitros', description: 'huur juni' };

/** Two rooms; TOP has a 2020 budget with rent and utilities, De Klop has none. */
async function withBudget(t: Parameters<typeof createTestApp>[0]): Promise<TestApp> {
  const api = await createTestApp(t);
  const setUp = [
    await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: 'TOP' }),
    await api.post(api.tokens.treasurer, '/kamers', { id: 'de-klop', name: 'De Klop' }),
    await api.request(api.tokens.treasurer, {
      method: 'PUT',
      url: '/kamers/top/budgets/2020',
      payload: { lines: [{ line: 'rent', label: 'Huur', amount: '10680.00' }, { line: 'utilities', label: 'Gas, water, licht', amount: '5556.05' }] },
    }),
  ];
  for (const response of setUp) if (response.statusCode !== 201) throw new Error(response.body);
  return api;
}

async function expectRefusal(t: Test, api: TestApp, body: object, status: number, code: string, field: string): Promise<void> {
  const before = (await api.allEvents()).length;
  const response = await api.post(api.tokens.treasurer, '/payments/made', body);
  t.equal(response.statusCode, status, `${code}: ${response.body}`);
  t.match(response.headers['content-type'], /problem\+json/);
  t.equal(response.json().code, code);
  t.ok((response.json().errors as Array<{ path: string }>).some((error) => error.path === field), `names ${field}`);
  t.equal((await api.allEvents()).length, before, 'the log is unchanged');
}

t.test('the treasurer records a payment made: 201 with the expense, its id and position, in the room-year stream', async (t) => {
  const api = await withBudget(t);
  const response = await api.post(api.tokens.treasurer, '/payments/made', EXPENSE);
  t.equal(response.statusCode, 201, response.body);
  const body = response.json();
  t.match(body, { ...EXPENSE, id: /^[0-9a-f-]{36}$/, year: 2020, position: /^\d+$/ });
  const last = (await api.allEvents()).at(-1)!;
  t.equal(last.type, 'ExpensePaid');
  t.equal(last.stream, 'expenses-top-2020');
  t.equal(last.position, body.position);
  t.same(last.data, { expenseId: body.id, kamerId: 'top', year: 2020, line: 'rent', date: '2020-06-01', amount: '890.00', payee: 'Mitros', description: 'huur juni' });
  t.match(last.metadata.recordedBy, /^treasurer/);
});

t.test('a payment dated today is accepted', async (t) => {
  const api = await withBudget(t);
  const response = await api.post(api.tokens.treasurer, '/payments/made', { ...EXPENSE, date: '2020-06-15' });
  t.equal(response.statusCode, 201, response.body);
});

t.test('an unknown room is 422 UNKNOWN_KAMER on kamer, and writes nothing', async (t) => {
  const api = await withBudget(t);
  await expectRefusal(t, api, { ...EXPENSE, kamer: 'nope' }, 422, 'UNKNOWN_KAMER', 'kamer');
});

t.test('a line the budget does not have is 422 UNKNOWN_BUDGET_LINE on line, naming the known lines', async (t) => {
  const api = await withBudget(t);
  await expectRefusal(t, api, { ...EXPENSE, line: 'travel' }, 422, 'UNKNOWN_BUDGET_LINE', 'line');
  const response = await api.post(api.tokens.treasurer, '/payments/made', { ...EXPENSE, line: 'travel' });
  t.match(response.json().detail, /known lines: rent, utilities/);
});

t.test('a room without a budget for the year of the date is 422 UNKNOWN_BUDGET_LINE', async (t) => {
  const api = await withBudget(t);
  await expectRefusal(t, api, { ...EXPENSE, kamer: 'de-klop' }, 422, 'UNKNOWN_BUDGET_LINE', 'line');
  // TOP has a 2020 budget, not a 2019 one: the year of the date decides.
  await expectRefusal(t, api, { ...EXPENSE, date: '2019-12-31' }, 422, 'UNKNOWN_BUDGET_LINE', 'line');
});

t.test('a payment dated after today is 422 DATE_IN_FUTURE on date', async (t) => {
  const api = await withBudget(t);
  await expectRefusal(t, api, { ...EXPENSE, date: '2020-06-16' }, 422, 'DATE_IN_FUTURE', 'date');
});

t.test('malformed payments are 400 naming the field, and write nothing', async (t) => {
  const api = await withBudget(t);
  const cases: Array<[object, string]> = [
    [{ ...EXPENSE, amount: '0.00' }, 'amount'],
    [{ ...EXPENSE, amount: '-5.00' }, 'amount'],
    [{ ...EXPENSE, amount: 890 }, 'amount'],
    [{ ...EXPENSE, amount: '890.001' }, 'amount'],
    [{ ...EXPENSE, payee: '  ' }, 'payee'],
    [{ ...EXPENSE, description: '' }, 'description'],
    [{ ...EXPENSE, date: '2020-02-30' }, 'date'],
    [{ ...EXPENSE, iban: 'NL91ABNA0417164300' }, 'iban'],
  ];
  for (const [body, field] of cases) await expectRefusal(t, api, body, 400, 'VALIDATION_FAILED', field);
});

t.test('only the treasurer records payments made', async (t) => {
  const api = await withBudget(t);
  const before = (await api.allEvents()).length;
  for (const token of [api.tokens.accountant, api.tokens.financier('mitros'), api.tokens.teamleader('top')]) {
    const response = await api.post(token, '/payments/made', EXPENSE);
    t.equal(response.statusCode, 403);
    t.equal(response.json().code, 'FORBIDDEN');
  }
  t.equal((await api.allEvents()).length, before, 'the log is unchanged');
});

t.test('an Idempotency-Key repeat returns the first expense and pays nothing twice', async (t) => {
  const api = await withBudget(t);
  const headers = { 'idempotency-key': 'expense-rent-june' };
  const first = await api.post(api.tokens.treasurer, '/payments/made', EXPENSE, headers);
  const repeat = await api.post(api.tokens.treasurer, '/payments/made', EXPENSE, headers);
  t.equal(repeat.statusCode, 201);
  t.same(repeat.json(), first.json());
  t.equal((await api.allEvents()).filter((event) => event.type === 'ExpensePaid').length, 1);
});
