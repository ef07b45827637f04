/**
 * GET /kamers/:kamer/budget/:year figure by figure, from facts recorded through the HTTP commands:
 * the funding gap (budget − committed pledges), the popular budget (budget + volunteer value), the
 * financiers' share of it, active volunteers (≥ 250 hours in the room's year, corrections counted)
 * and a clear refusal when hours have no valuation rate. Expected values are computed here from
 * the inputs, with decimal.js, never taken from an answer.
 */
import t, { type Test } from 'tap';
import { Decimal } from 'decimal.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

async function ok(api: TestApp, url: string, body: unknown, method: 'POST' | 'PUT' = 'POST', as = api.tokens.treasurer): Promise<Record<string, unknown>> {
  const response = await api.request(as, { method, url, payload: body as object });
  if (response.statusCode !== 201) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

const money = (value: Decimal.Value): string => new Decimal(value).toFixed(2);
const total = (values: readonly Decimal.Value[]): Decimal => values.reduce<Decimal>((acc, value) => acc.plus(value), new Decimal(0));

const LINES = [
  { line: 'rent', label: 'Huur', amount: '9000.00' },
  { line: 'salaries', label: 'Salarissen', amount: '21000.00' },
  { line: 'activities', label: 'Activiteiten', amount: '2500.55' },
];
const RATES = { resident: '11.13', professional: '37.00' };

interface PledgeSpec {
  financier: string;
  amount: string;
  form: 'cash' | 'in-kind';
  status: 'proposed' | 'conditional' | 'committed';
  then?: { status?: 'withdrawn' | 'committed'; amendTo?: string };
}
const PLEDGES: PledgeSpec[] = [
  { financier: 'portaal', amount: '5000.00', form: 'cash', status: 'committed' },
  { financier: 'mitros', amount: '6600.00', form: 'in-kind', status: 'committed' },
  { financier: 'doen', amount: '1234.56', form: 'cash', status: 'conditional' },
  { financier: 'gemeente', amount: '700.00', form: 'cash', status: 'proposed' },
  { financier: 'doen', amount: '300.00', form: 'cash', status: 'committed', then: { status: 'withdrawn' } },
  { financier: 'gemeente', amount: '2000.00', form: 'cash', status: 'proposed', then: { status: 'committed', amendTo: '2500.25' } },
];

/** What each pledge ends as: its status after `then`, its amount after the amendment. */
const finalPledges = PLEDGES.map((p) => ({ ...p, status: p.then?.status ?? p.status, amount: p.then?.amendTo ?? p.amount }));
const pledgedWith = (status: string) => total(finalPledges.filter((p) => p.status === status).map((p) => p.amount));

/** Entries of at most 24 hours on distinct days of 2020 adding up to `hours`. */
function entriesOf(hours: string, kind: 'resident' | 'professional', firstDay: number): Array<{ date: string; hours: string; kind: string }> {
  const entries = [];
  let left = new Decimal(hours);
  for (let day = firstDay; left.greaterThan(0); day += 1) {
    const today = Decimal.min(left, 24);
    entries.push({ date: new Date(Date.UTC(2020, 0, day)).toISOString().slice(0, 10), hours: today.toFixed(2), kind });
    left = left.minus(today);
  }
  return entries;
}

async function room(t: Test): Promise<TestApp> {
  const api = await createTestApp(t);
  for (const [id, name] of [['top', 'TOP'], ['klop', 'De Klop']]) await ok(api, '/kamers', { id, name });
  for (const [id, kind] of [['portaal', 'housing-corporation'], ['mitros', 'housing-corporation'], ['doen', 'fund'], ['gemeente', 'municipality']]) {
    await ok(api, '/financiers', { id, name: id, kind, pays: 'invoice' });
  }
  await ok(api, '/kamers/top/budgets/2020', { lines: LINES }, 'PUT');
  for (const [kind, perHour] of Object.entries(RATES)) await ok(api, '/valuation-rates', { year: 2020, kind, perHour });
  for (const pledge of PLEDGES) {
    const { id } = await ok(api, '/pledges', { financier: pledge.financier, kamer: 'top', year: 2020, amount: pledge.amount, form: pledge.form, status: pledge.status });
    if (pledge.then?.status) await ok(api, `/pledges/${String(id)}/status`, { status: pledge.then.status });
    if (pledge.then?.amendTo) await ok(api, `/pledges/${String(id)}/amendments`, { amount: pledge.then.amendTo, reason: 'verhoogd' });
  }
  return api;
}

t.test('funding gap, popular budget and financiers’ share follow their definitions', async (t) => {
  const api = await room(t);
  // Hours: 30.5 resident by two volunteers, 4.25 professional.
  const hours = [
    { volunteer: 'v-1', date: '2020-03-02', hours: '20.5', kind: 'resident' },
    { volunteer: 'v-2', date: '2020-03-03', hours: '10', kind: 'resident' },
    { volunteer: 'v-3', date: '2020-03-04', hours: '4.25', kind: 'professional' },
  ];
  for (const entry of hours) await ok(api, '/kamers/top/volunteer-hours', entry);

  const budgetTotal = total(LINES.map((l) => l.amount));
  const committed = pledgedWith('committed');
  const hoursOf = (kind: string) => total(hours.filter((h) => h.kind === kind).map((h) => h.hours));
  // docs/projections.md: hours × the year's rate per kind, each kind rounded half-to-even to cents.
  const valueOf = (kind: 'resident' | 'professional') => hoursOf(kind).times(RATES[kind]).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
  const value = valueOf('resident').plus(valueOf('professional'));
  const popular = budgetTotal.plus(value);

  const response = await api.get(api.tokens.teamleader('top'), '/kamers/top/budget/2020');
  t.equal(response.statusCode, 200, response.body);
  const body = response.json();
  t.same(body.budget, { lines: LINES, total: money(budgetTotal) });
  t.same(body.pledged, {
    committed: money(committed),
    conditional: money(pledgedWith('conditional')),
    proposed: money(pledgedWith('proposed')),
    withdrawn: money(pledgedWith('withdrawn')),
    inKind: money(total(finalPledges.filter((p) => p.form === 'in-kind' && p.status !== 'withdrawn').map((p) => p.amount))),
  });
  t.equal(body.fundingGap, money(budgetTotal.minus(committed)), 'budget − committed pledges (the amended amount, not the withdrawn one)');
  t.same(body.volunteers, { hours: { resident: money(hoursOf('resident')), professional: money(hoursOf('professional')) }, value: money(value), activeVolunteers: 0 });
  t.equal(body.popularBudget, money(popular), 'budget + volunteer value');
  const share = committed.dividedBy(popular);
  t.ok(share.greaterThan(0) && share.lessThan(1));
  t.equal(body.financiersShare, share.toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN).toFixed(4), 'committed ÷ popular budget');
  t.same(response.json(), (await api.get(api.tokens.accountant, '/kamers/top/budget/2020')).json(), 'the accountant sees the same');
});

t.test('a room with no budget, pledges or hours answers zeros, and a share of 0', async (t) => {
  const api = await room(t);
  const body = (await api.get(api.tokens.treasurer, '/kamers/klop/budget/2020')).json();
  t.match(body, { budget: { lines: [], total: '0.00' }, fundingGap: '0.00', popularBudget: '0.00', financiersShare: '0.0000', volunteers: { value: '0.00', activeVolunteers: 0 } });
});

t.test('active volunteers: at least 250 hours in this room and year, after corrections', async (t) => {
  const api = await room(t);
  const record = async (kamer: string, volunteer: string, entries: Array<{ date: string; hours: string; kind: string }>) => {
    const ids: string[] = [];
    for (const entry of entries) ids.push((await ok(api, `/kamers/${kamer}/volunteer-hours`, { volunteer, ...entry })).id as string);
    return ids;
  };
  // 249.99 hours: one cent of an hour short.
  await record('top', 'short', entriesOf('249.99', 'resident', 1));
  // Exactly 250, resident and professional together.
  await record('top', 'exact', [...entriesOf('240', 'resident', 1), ...entriesOf('10', 'professional', 20)]);
  // 260 recorded, then one 24-hour entry corrected to 13.99: 249.99 left.
  const corrected = await record('top', 'corrected', entriesOf('260', 'resident', 1));
  await ok(api, `/volunteer-hours/${corrected[0]}/corrections`, { hours: '13.99', reason: 'dubbel geteld' });
  // 300 in another room, and 250 in top's previous year: neither counts for top in 2020.
  await record('klop', 'elsewhere', entriesOf('300', 'resident', 1));
  await ok(api, '/valuation-rates', { year: 2019, kind: 'resident', perHour: '10.00' });
  for (const entry of entriesOf('250', 'resident', 1)) await ok(api, '/kamers/top/volunteer-hours', { volunteer: 'last-year', ...entry, date: entry.date.replace('2020', '2019') });
  // 125 in top plus 125 in klop: 250 for the cooperative, but not in this room.
  await record('top', 'split', entriesOf('125', 'resident', 1));
  await record('klop', 'split', entriesOf('125', 'resident', 1));

  const top = (await api.get(api.tokens.treasurer, '/kamers/top/budget/2020')).json();
  t.equal(top.volunteers.activeVolunteers, 1, 'only "exact"');
  const residentInTop = total(['249.99', '240', '249.99', '125']);
  t.equal(top.volunteers.hours.resident, money(residentInTop), 'the correction replaced 24 by 13.99');
  t.equal(top.volunteers.hours.professional, '10.00');
  const rounded = (value: Decimal) => value.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
  t.equal(top.volunteers.value, money(rounded(residentInTop.times(RATES.resident)).plus(rounded(new Decimal(10).times(RATES.professional)))));
  t.equal((await api.get(api.tokens.treasurer, '/kamers/klop/budget/2020')).json().volunteers.activeVolunteers, 1, 'klop: "elsewhere"');
  t.equal((await api.get(api.tokens.treasurer, '/kamers/top/budget/2019')).json().volunteers.activeVolunteers, 1, 'top 2019: "last-year"');

  // One more cent of an hour makes "short" active.
  await ok(api, '/kamers/top/volunteer-hours', { volunteer: 'short', date: '2020-05-01', hours: '0.01', kind: 'resident' });
  t.equal((await api.get(api.tokens.treasurer, '/kamers/top/budget/2020')).json().volunteers.activeVolunteers, 2);
});

t.test('hours without a valuation rate: a clear 422 naming the kind and year, for every reader of the room', async (t) => {
  const api = await room(t);
  await ok(api, '/kamers/top/volunteer-hours', { volunteer: 'v-1', date: '2019-11-05', hours: '3', kind: 'professional' });
  for (const token of [api.tokens.treasurer, api.tokens.accountant, api.tokens.teamleader('top')]) {
    const refused = await api.get(token, '/kamers/top/budget/2019');
    t.equal(refused.statusCode, 422, refused.body);
    t.match(refused.headers['content-type'], /^application\/problem\+json/);
    t.match(refused.json(), { status: 422, code: 'VALUATION_RATE_MISSING', title: String, detail: /professional hours in 2019.*valuation-rates/ });
  }
  t.equal((await api.get(api.tokens.treasurer, '/kamers/top/budget/2020')).statusCode, 200, "another year's missing rate does not block 2020");
  // A rate for the other kind is not enough; the right one makes the budget answer.
  await ok(api, '/valuation-rates', { year: 2019, kind: 'resident', perHour: '10.00' });
  t.equal((await api.get(api.tokens.treasurer, '/kamers/top/budget/2019')).statusCode, 422);
  api.clock.set('2020-06-16T10:00:00Z');
  await ok(api, '/valuation-rates', { year: 2019, kind: 'professional', perHour: '35.50' });
  const answered = await api.get(api.tokens.treasurer, '/kamers/top/budget/2019');
  t.equal(answered.statusCode, 200, answered.body);
  t.match(answered.json(), { volunteers: { value: money(new Decimal(3).times('35.50')) }, popularBudget: money(new Decimal(3).times('35.50')) });
  // …and the books as known before that rate was set refuse again.
  t.equal((await api.get(api.tokens.treasurer, '/kamers/top/budget/2019?knownAt=2020-06-16T09:00:00Z')).statusCode, 422, 'known before the rate');
});

t.test(
  'the popular budget values hours as the memorandum journal does: the same euros in both reports',
  async (t) => {
  const api = await room(t);
  // Two half hours at 11.13: 5.565 each. Rounded per entry (journal, POST answer): 5.56 + 5.56;
  // rounded once over the kind's total (budget): 11.13.
  const answers = [];
  for (const date of ['2020-03-02', '2020-03-03']) answers.push(await ok(api, '/kamers/top/volunteer-hours', { volunteer: 'v-1', date, hours: '0.5', kind: 'resident' }));
  const perEntry = total(answers.map((answer) => answer.value as string));
  const budget = (await api.get(api.tokens.accountant, '/kamers/top/budget/2020')).json();
  const books = (await api.get(api.tokens.accountant, '/reports/trial-balance?year=2020')).json();
  const memorandum = books.accounts.find((row: { account: string }) => row.account === '9000');
  t.equal(memorandum?.balance, money(perEntry), 'the books value each entry as its POST answer did');
  t.equal(budget.volunteers.value, memorandum?.balance, "the room's volunteer value equals the memorandum journal's");
},
);
