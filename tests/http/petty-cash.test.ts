import t, { type Test } from 'tap';
import { formatAmount, money } from '../../src/domain/money.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

// The test clock starts at 2020-06-15T10:00:00Z: today in Amsterdam is 2020-06-15.
const TRANSFER = { date: '2020-06-02', amount: '100.00' };
const SPENDING = { date: '2020-06-12', category: 'A', amount: '12.50', description: 'koffie en thee' };

async function withRooms(t: Test): Promise<TestApp> {
  const api = await createTestApp(t);
  for (const [id, name] of [['top', 'TOP'], ['de-klop', 'De Klop']]) {
    const response = await api.post(api.tokens.treasurer, '/kamers', { id, name });
    if (response.statusCode !== 201) throw new Error(response.body);
  }
  return api;
}

async function transfer(api: TestApp, body: object = TRANSFER, kamer = 'top') {
  const response = await api.post(api.tokens.treasurer, `/kamers/${kamer}/petty-cash/transfers`, body);
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json();
}

/** Posts as `as`, expects the refusal, and checks the log did not change. */
async function expectRefusal(t: Test, api: TestApp, url: string, body: object, expected: { status: number; code: string; field?: string }, as = api.tokens.treasurer) {
  const before = (await api.allEvents()).length;
  const response = await api.post(as, url, body);
  t.equal(response.statusCode, expected.status, `${expected.code}: ${response.body}`);
  t.match(response.headers['content-type'], /problem\+json/);
  t.equal(response.json().code, expected.code);
  if (expected.field !== undefined) {
    t.ok((response.json().errors as Array<{ path: string }>).some((error) => error.path === expected.field), `names ${expected.field}`);
  }
  t.equal((await api.allEvents()).length, before, 'the log is unchanged');
  return response.json();
}

const TRANSFERS = '/kamers/top/petty-cash/transfers';
const SPENDINGS = '/kamers/top/petty-cash/spending';

t.test('transfers', async (t) => {
  t.test('the treasurer transfers petty cash: 201 with the transfer, its month, what is left of the limit, and position', async (t) => {
    const api = await withRooms(t);
    const response = await api.post(api.tokens.treasurer, TRANSFERS, TRANSFER);
    t.equal(response.statusCode, 201, response.body);
    const body = response.json();
    // 250.00 − 100.00 = 150.00 still possible in June
    t.match(body, { id: /^[0-9a-f-]{36}$/, kamer: 'top', date: '2020-06-02', month: '2020-06', amount: '100.00', transferredThisMonth: '100.00', stillPossibleThisMonth: '150.00', balance: '100.00', position: /^\d+$/ });
    const last = (await api.allEvents()).at(-1)!;
    t.equal(last.type, 'PettyCashTransferred');
    t.equal(last.stream, 'petty-cash-top');
    t.equal(last.position, body.position);
    t.same(last.data, { transferId: body.id, kamerId: 'top', date: '2020-06-02', month: '2020-06', amount: '100.00' });
  });

  t.test('250.00 in a month is accepted, one cent more is 422 PETTY_CASH_MONTHLY_LIMIT saying what is still possible', async (t) => {
    const api = await withRooms(t);
    await transfer(api, { ...TRANSFER, amount: '200.00' });
    const refusal = await expectRefusal(t, api, TRANSFERS, { ...TRANSFER, amount: '50.01' }, { status: 422, code: 'PETTY_CASH_MONTHLY_LIMIT', field: 'amount' });
    t.match(refusal.detail, /at most 50\.00 more is possible that month/);
    const last = await transfer(api, { ...TRANSFER, amount: '50.00' });
    t.has(last, { transferredThisMonth: '250.00', stillPossibleThisMonth: '0.00' });
  });

  t.test('another month, or another room, has its own limit', async (t) => {
    const api = await withRooms(t);
    await transfer(api, { date: '2020-05-04', amount: '250.00' });
    t.has(await transfer(api, { date: '2020-06-01', amount: '250.00' }), { month: '2020-06', transferredThisMonth: '250.00' });
    t.has(await transfer(api, { date: '2020-06-01', amount: '250.00' }, 'de-klop'), { kamer: 'de-klop', transferredThisMonth: '250.00' });
  });

  t.test('a month override counts against the named month', async (t) => {
    const api = await withRooms(t);
    t.has(await transfer(api, { date: '2020-06-01', month: '2020-05', amount: '250.00' }), { month: '2020-05', transferredThisMonth: '250.00' });
    await expectRefusal(t, api, TRANSFERS, { date: '2020-06-02', month: '2020-05', amount: '0.01' }, { status: 422, code: 'PETTY_CASH_MONTHLY_LIMIT', field: 'amount' });
    t.has(await transfer(api, { date: '2020-06-02', amount: '250.00' }), { month: '2020-06', transferredThisMonth: '250.00' });
  });

  t.test('an unknown room in the path is 404 NOT_FOUND', async (t) => {
    const api = await withRooms(t);
    await expectRefusal(t, api, '/kamers/nope/petty-cash/transfers', TRANSFER, { status: 404, code: 'NOT_FOUND' });
  });

  t.test('a transfer dated after today is 422 DATE_IN_FUTURE; today is fine', async (t) => {
    const api = await withRooms(t);
    await expectRefusal(t, api, TRANSFERS, { ...TRANSFER, date: '2020-06-16' }, { status: 422, code: 'DATE_IN_FUTURE', field: 'date' });
    t.match(await transfer(api, { ...TRANSFER, date: '2020-06-15' }), { date: '2020-06-15' });
  });

  t.test('malformed transfers are 400 naming the field', async (t) => {
    const api = await withRooms(t);
    const cases: Array<[object, string]> = [
      [{ ...TRANSFER, amount: '0.00' }, 'amount'],
      [{ ...TRANSFER, amount: 100 }, 'amount'],
      [{ ...TRANSFER, amount: '100.001' }, 'amount'],
      [{ ...TRANSFER, month: '2020-13' }, 'month'],
      [{ ...TRANSFER, month: '2020-6' }, 'month'],
      [{ amount: '10.00' }, 'date'],
      [{ ...TRANSFER, category: 'A' }, 'category'],
    ];
    for (const [body, field] of cases) await expectRefusal(t, api, TRANSFERS, body, { status: 400, code: 'VALIDATION_FAILED', field });
  });

  t.test('only the treasurer transfers: accountant, financier and even the room\'s own team leader get 403', async (t) => {
    const api = await withRooms(t);
    for (const token of [api.tokens.accountant, api.tokens.financier('mitros'), api.tokens.teamleader('top'), api.tokens.teamleader('de-klop')]) {
      await expectRefusal(t, api, TRANSFERS, TRANSFER, { status: 403, code: 'FORBIDDEN' }, token);
    }
  });

  t.test('20 simultaneous transfers of 100.00 to one room and month: exactly two succeed, 18 hit the limit', async (t) => {
    const api = await withRooms(t);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => api.post(api.tokens.treasurer, TRANSFERS, TRANSFER)),
    );
    const statuses = responses.map((response) => response.statusCode);
    // 2 × 100.00 = 200.00 fits in 250.00; a third would make 300.00.
    t.equal(statuses.filter((status) => status === 201).length, 2, 'two transfers accepted');
    const refused = responses.filter((response) => response.statusCode !== 201);
    t.equal(refused.length, 18);
    t.ok(refused.every((response) => response.statusCode === 422 && response.json().code === 'PETTY_CASH_MONTHLY_LIMIT'), 'every other one is PETTY_CASH_MONTHLY_LIMIT');
    const transfers = (await api.allEvents()).filter((event) => event.type === 'PettyCashTransferred');
    t.equal(transfers.length, 2, 'the log holds exactly two transfers');
  });
});

t.test('spending', async (t) => {
  t.test('the treasurer records spending: 201 with the category label, the balance left, and position', async (t) => {
    const api = await withRooms(t);
    await transfer(api);
    const response = await api.post(api.tokens.treasurer, SPENDINGS, { ...SPENDING, receipt: 'bon 2020-06-12 AH' });
    t.equal(response.statusCode, 201, response.body);
    const body = response.json();
    // 100.00 − 12.50 = 87.50 left
    t.match(body, { id: /^[0-9a-f-]{36}$/, kamer: 'top', ...SPENDING, categoryLabel: /^Koffie, thee/, receipt: 'bon 2020-06-12 AH', balance: '87.50', position: /^\d+$/ });
    const last = (await api.allEvents()).at(-1)!;
    t.equal(last.type, 'PettyCashSpent');
    t.equal(last.stream, 'petty-cash-top');
    t.same(last.data, { spendingId: body.id, kamerId: 'top', ...SPENDING, receipt: 'bon 2020-06-12 AH' });
  });

  t.test("the room's own team leader records spending", async (t) => {
    const api = await withRooms(t);
    await transfer(api);
    const response = await api.post(api.tokens.teamleader('top'), SPENDINGS, { ...SPENDING, category: 'F', description: 'krijt en gloeilampen' });
    t.equal(response.statusCode, 201, response.body);
    t.match(response.json(), { category: 'F', categoryLabel: /^Materialen voor activiteiten/ });
    t.match((await api.allEvents()).at(-1)!.metadata.recordedBy, /^teamleader/);
  });

  t.test('spending the whole balance is accepted, beyond it is 422 PETTY_CASH_INSUFFICIENT', async (t) => {
    const api = await withRooms(t);
    await expectRefusal(t, api, SPENDINGS, { ...SPENDING, amount: '0.01' }, { status: 422, code: 'PETTY_CASH_INSUFFICIENT', field: 'amount' });
    await transfer(api, { date: '2020-05-04', amount: '40.00' });
    await transfer(api, { date: '2020-06-10', amount: '60.00' });
    // On 1 June only May's 40.00 has been transferred: 70.00 that day is refused, 40.00 is not.
    await expectRefusal(t, api, SPENDINGS, { ...SPENDING, date: '2020-06-01', amount: '70.00' }, { status: 422, code: 'PETTY_CASH_INSUFFICIENT', field: 'amount' });
    const first = await api.post(api.tokens.treasurer, SPENDINGS, { ...SPENDING, date: '2020-06-01', amount: '30.00' });
    // 40.00 + 60.00 − 30.00 = 70.00 in all; 40.00 − 30.00 = 10.00 on 1 June.
    t.has(first.json(), { balance: '70.00', balanceOnDate: '10.00' }, first.body);
    const refusal = await expectRefusal(t, api, SPENDINGS, { ...SPENDING, amount: '70.01' }, { status: 422, code: 'PETTY_CASH_INSUFFICIENT', field: 'amount' });
    t.match(refusal.detail, /it has 70\.00 then/);
    const rest = await api.post(api.tokens.treasurer, SPENDINGS, { ...SPENDING, amount: '70.00' });
    t.has(rest.json(), { balance: '0.00', balanceOnDate: '0.00' }, rest.body);
  });

  t.test("the issue's example: 400.00 on 15 January with 250.00 transferred on 1 January and 1 February is 422, nothing written", async (t) => {
    const api = await withRooms(t);
    await transfer(api, { date: '2019-01-01', amount: '250.00' });
    await transfer(api, { date: '2019-02-01', amount: '250.00' });
    const lastPosition = (await api.allEvents()).at(-1)!.position;
    const refusal = await expectRefusal(t, api, SPENDINGS, { ...SPENDING, date: '2019-01-15', amount: '400.00' }, { status: 422, code: 'PETTY_CASH_INSUFFICIENT', field: 'amount' });
    const negative = formatAmount(money('250.00').minus('400.00'));
    t.match(refusal.detail, new RegExp(`below zero on 2019-01-15: it has 250\\.00 then .* ${negative} after this spending`), 'the detail names the day and the balance there');
    t.equal((await api.allEvents()).at(-1)!.position, lastPosition, "the log's last position is unchanged");
    const view = (await api.get(api.tokens.treasurer, '/kamers/top/petty-cash?year=2019')).json();
    t.equal(view.months[0].balance, '250.00', 'January still shows only its transfer');
    t.ok(view.months.every((month: { balance: string }) => !month.balance.startsWith('-')), 'no month below zero');
  });

  t.test('a backdated spending that would take a later day below zero is 422 naming that day', async (t) => {
    const api = await withRooms(t);
    await transfer(api, { date: '2020-01-02', amount: '250.00' });
    await api.post(api.tokens.treasurer, SPENDINGS, { ...SPENDING, date: '2020-01-20', amount: '200.00' });
    const onTwentieth = money('250.00').minus('200.00');
    const refusal = await expectRefusal(t, api, SPENDINGS, { ...SPENDING, date: '2020-01-10', amount: '100.00' }, { status: 422, code: 'PETTY_CASH_INSUFFICIENT', field: 'amount' });
    t.match(refusal.detail, new RegExp(`below zero on 2020-01-20: .* ${formatAmount(onTwentieth.minus('100.00'))} after this spending`));
    const fits = await api.post(api.tokens.treasurer, SPENDINGS, { ...SPENDING, date: '2020-01-10', amount: formatAmount(onTwentieth) });
    t.equal(fits.statusCode, 201, fits.body);
    // On 10 January: 250.00 − 50.00; the 200.00 of the 20th is later and does not count that day.
    t.has(fits.json(), { balanceOnDate: formatAmount(money('250.00').minus(onTwentieth)), balance: '0.00' });
  });

  t.test('the answer gives the balance on the spending date, which later transfers do not change', async (t) => {
    const api = await withRooms(t);
    await transfer(api, { date: '2020-05-04', amount: '120.00' });
    await transfer(api, { date: '2020-06-01', amount: '80.00' });
    const response = await api.post(api.tokens.teamleader('top'), SPENDINGS, { ...SPENDING, date: '2020-05-20', amount: '20.50' });
    t.equal(response.statusCode, 201, response.body);
    t.match(response.json(), {
      balanceOnDate: formatAmount(money('120.00').minus('20.50')),
      balance: formatAmount(money('120.00').plus('80.00').minus('20.50')),
    });
  });

  t.test('spending dated after today is 422 DATE_IN_FUTURE', async (t) => {
    const api = await withRooms(t);
    await transfer(api);
    await expectRefusal(t, api, SPENDINGS, { ...SPENDING, date: '2020-06-16' }, { status: 422, code: 'DATE_IN_FUTURE', field: 'date' });
  });

  t.test('an unknown room in the path is 404 NOT_FOUND', async (t) => {
    const api = await withRooms(t);
    await expectRefusal(t, api, '/kamers/nope/petty-cash/spending', SPENDING, { status: 404, code: 'NOT_FOUND' });
  });

  t.test('malformed spending is 400 naming the field', async (t) => {
    const api = await withRooms(t);
    await transfer(api);
    const cases: Array<[object, string]> = [
      [{ ...SPENDING, category: 'G' }, 'category'],
      [{ ...SPENDING, category: 'a' }, 'category'],
      [{ ...SPENDING, amount: '0.00' }, 'amount'],
      [{ ...SPENDING, amount: '1.5' }, 'amount'],
      [{ ...SPENDING, description: ' ' }, 'description'],
      [{ ...SPENDING, receipt: '' }, 'receipt'],
      [{ ...SPENDING, month: '2020-06' }, 'month'],
    ];
    for (const [body, field] of cases) await expectRefusal(t, api, SPENDINGS, body, { status: 400, code: 'VALIDATION_FAILED', field });
  });

  t.test('accountant, financier and the team leader of another room get 403', async (t) => {
    const api = await withRooms(t);
    await transfer(api);
    for (const token of [api.tokens.accountant, api.tokens.financier('mitros'), api.tokens.teamleader('de-klop')]) {
      await expectRefusal(t, api, SPENDINGS, SPENDING, { status: 403, code: 'FORBIDDEN' }, token);
    }
  });
});
