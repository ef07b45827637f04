import t from 'tap';
import { createTestApp } from '../helpers/app.js';

t.test('the treasurer registers a room and a financier; the events record who did it', async (t) => {
  const api = await createTestApp(t);
  const kamer = await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: 'TOP', teamLeaderIban: 'NL91 ABNA 0417 1643 00' });
  t.equal(kamer.statusCode, 201, kamer.body);
  t.match(kamer.json(), { id: 'top', name: 'TOP', teamLeaderIban: 'NL91ABNA0417164300', position: /^\d+$/ });
  const financier = await api.post(api.tokens.treasurer, '/financiers', { id: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'invoice' });
  t.equal(financier.statusCode, 201, financier.body);
  const events = await api.allEvents();
  t.same(events.map((e) => e.type), ['KamerRegistered', 'FinancierRegistered']);
  t.match(events[0]!.metadata.recordedBy, /^treasurer\(Penningmeester\)$/);
});

t.test('a financier registered with an IBAN is answered with 201 and the IBAN in electronic format', async (t) => {
  const api = await createTestApp(t);
  const financier = await api.post(api.tokens.treasurer, '/financiers', { id: 'kansfonds', name: 'Kansfonds', kind: 'fund', pays: 'invoice', iban: 'NL44 RABO 0123 4567 89' });
  t.equal(financier.statusCode, 201, financier.body);
  t.match(financier.json(), { id: 'kansfonds', iban: 'NL44RABO0123456789', position: /^\d+$/ });
  t.match((await api.allEvents()).at(-1), { type: 'FinancierRegistered', data: { financierId: 'kansfonds', iban: 'NL44RABO0123456789' } });
});

t.test('a duplicate id is a 409 and writes nothing', async (t) => {
  const api = await createTestApp(t);
  await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: 'TOP' });
  const again = await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: 'Other' });
  t.equal(again.statusCode, 409);
  t.match(again.json(), { code: 'DUPLICATE_ID', errors: [{ path: 'id' }] });
  t.equal((await api.allEvents()).length, 1);
});

t.test('a duplicate financier id is a 409 naming id and writes nothing', async (t) => {
  const api = await createTestApp(t);
  const first = await api.post(api.tokens.treasurer, '/financiers', { id: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'invoice' });
  t.equal(first.statusCode, 201, first.body);
  const again = await api.post(api.tokens.treasurer, '/financiers', { id: 'mitros', name: 'Mitros Wonen', kind: 'housing-corporation', pays: 'none' });
  t.equal(again.statusCode, 409, again.body);
  t.match(again.headers['content-type'], /problem\+json/);
  t.match(again.json(), { code: 'DUPLICATE_ID', errors: [{ path: 'id' }] });
  const events = await api.allEvents();
  t.equal(events.length, 1, 'only the first registration');
  t.match(events[0]!.data, { financierId: 'mitros', name: 'Mitros', pays: 'invoice' });
});

t.test('a budget naming a line twice is a 400 naming the second line, and writes nothing', async (t) => {
  const api = await createTestApp(t);
  await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: 'TOP' });
  const before = (await api.allEvents()).length;
  const response = await api.request(api.tokens.treasurer, {
    method: 'PUT',
    url: '/kamers/top/budgets/2020',
    payload: { lines: [{ line: 'rent', label: 'Huur', amount: '9000.00' }, { line: 'utilities', label: 'GWL', amount: '500.00' }, { line: 'rent', label: 'Huur', amount: '1.00' }] },
  });
  t.equal(response.statusCode, 400, response.body);
  t.match(response.json(), { code: 'INVALID_INPUT', errors: [{ path: 'lines.2.line' }] });
  t.equal((await api.allEvents()).length, before);
});

t.test('malformed master data is refused with the field and the rule named', async (t) => {
  const api = await createTestApp(t);
  const cases: Array<[string, unknown, string]> = [
    ['/kamers', { id: 'Top Kamer', name: 'TOP' }, 'id'],
    ['/kamers', { id: 'top', name: 'TOP', teamLeaderIban: 'NL00BANK0123456789' }, 'teamLeaderIban'],
    ['/kamers', { id: 'top', name: 'TOP', colour: 'red' }, 'colour'],
    ['/financiers', { id: 'x', name: 'X', kind: 'bank', pays: 'invoice' }, 'kind'],
    ['/valuation-rates', { year: 2020, kind: 'resident', perHour: 11 }, 'perHour'],
    ['/valuation-rates', { year: 2020, kind: 'resident', perHour: '11.005' }, 'perHour'],
    ['/valuation-rates', { year: 2020, kind: 'resident', perHour: '0.00' }, 'perHour'],
  ];
  for (const [url, body, field] of cases) {
    const response = await api.post(api.tokens.treasurer, url, body);
    t.equal(response.statusCode, 400, `${url} ${JSON.stringify(body)}`);
    t.match(response.headers['content-type'], /problem\+json/);
    t.ok((response.json().errors as Array<{ path: string }>).some((e) => e.path === field), `names ${field}: ${response.body}`);
  }
  t.equal((await api.allEvents()).length, 0, 'nothing was written');
});

t.test('a budget replaces the earlier one; both stay in the history', async (t) => {
  const api = await createTestApp(t);
  await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: 'TOP' });
  const first = await api.request(api.tokens.treasurer, {
    method: 'PUT',
    url: '/kamers/top/budgets/2018',
    payload: { lines: [{ line: 'rent', label: 'Huur', amount: '10680.00' }] },
  });
  t.equal(first.statusCode, 201, first.body);
  t.equal(first.json().total, '10680.00');
  const second = await api.request(api.tokens.treasurer, {
    method: 'PUT',
    url: '/kamers/top/budgets/2018',
    payload: { lines: [{ line: 'rent', label: 'Huur', amount: '9000.00' }, { line: 'utilities', label: 'GWL', amount: '500.50' }] },
  });
  t.equal(second.json().total, '9500.50');
  t.same((await api.allEvents()).filter((e) => e.type === 'BudgetSet').length, 2);
  const unknown = await api.request(api.tokens.treasurer, { method: 'PUT', url: '/kamers/nope/budgets/2018', payload: { lines: [{ line: 'rent', label: 'Huur', amount: '1.00' }] } });
  t.equal(unknown.statusCode, 404);
});

t.test('only the treasurer writes master data', async (t) => {
  const api = await createTestApp(t);
  for (const token of [api.tokens.accountant, api.tokens.financier('mitros'), api.tokens.teamleader('top')]) {
    const response = await api.post(token, '/kamers', { id: 'top', name: 'TOP' });
    t.equal(response.statusCode, 403);
    t.equal(response.json().code, 'FORBIDDEN');
  }
  t.equal((await api.allEvents()).length, 0);
});

t.test('an Idempotency-Key repeat returns the first response and writes nothing; another body is a 409', async (t) => {
  const api = await createTestApp(t);
  const headers = { 'idempotency-key': 'kamer-top-1' };
  const first = await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: 'TOP' }, headers);
  const repeat = await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: 'TOP' }, headers);
  t.equal(repeat.statusCode, 201);
  t.same(repeat.json(), first.json());
  t.equal((await api.allEvents()).length, 1);
  const other = await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: 'Different' }, headers);
  t.equal(other.statusCode, 409);
  t.equal(other.json().code, 'IDEMPOTENCY_KEY_REUSED');
  t.equal((await api.allEvents()).length, 1);
  const events = await api.allEvents();
  t.equal(events[0]!.metadata.idempotencyKey, 'kamer-top-1');
});
