/**
 * One row per write route of the API, shared by the tests that hold every write route to a rule
 * (strict bodies, idempotency, answers built before the commit, fault injection, fuzzing). The
 * table is checked against the OpenAPI document, so a new write route without a row fails.
 */
import type { Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp, TestAppOptions } from '../helpers/app.js';
import { CRAFTED_ACCOUNT, craftedStatement } from '../bank/camt053.fixtures.js';
import { issue, makePledge, receivablesApp } from './receivables.fixtures.js';
import { COOPERATIVE, PORTAAL_DETAILS, TINY_PNG_BASE64 } from './parties.fixtures.js';

export interface World {
  readonly api: TestApp;
  readonly pledge: string;
  readonly invoice: string;
  readonly payment: string;
  readonly entry: string;
  /** A payment made from a statement debit, waiting to be assigned. */
  readonly paymentMade: string;
}

/** Rooms top and de-klop, financiers portaal/doen (invoice) and gemeente, a 2020 budget for top, and one of each resource. */
export async function world(t: Test, options: TestAppOptions = {}): Promise<World> {
  const api = await receivablesApp(t, options);
  const ok = (response: LightMyRequestResponse) => {
    if (response.statusCode !== 201) throw new Error(`setup failed: ${response.body}`);
    return response.json() as { id: string };
  };
  ok(await api.request(api.tokens.treasurer, { method: 'PUT', url: '/kamers/top/budgets/2020', payload: { lines: [{ line: 'rent', label: 'Huur', amount: '10680.00' }] } }));
  const pledge = await makePledge(api, { amount: '1000.00' });
  // Backdated so it is overdue today (due 29 May): a reminder can be recorded for it.
  const invoice = ok(await issue(api, { issueDate: '2020-05-01', lines: [{ description: 'Bijdrage 2020', amount: '1000.00' }] })).id;
  const payment = ok(await api.post(api.tokens.treasurer, '/payments/received', { date: '2020-06-12', amount: '500.00', allocations: [] })).id;
  ok(await api.post(api.tokens.treasurer, '/kamers/top/petty-cash/transfers', { date: '2020-06-02', amount: '100.00' }));
  const entry = ok(await api.post(api.tokens.treasurer, '/kamers/top/volunteer-hours', { volunteer: 'v-017', date: '2020-06-10', hours: '2.5', kind: 'resident' })).id;
  ok(await api.request(api.tokens.treasurer, { method: 'PUT', url: '/cooperative/bank-accounts', payload: { accounts: [CRAFTED_ACCOUNT] } }));
  const debit = craftedStatement([{ amount: '890.00', direction: 'DBIT', entryReference: 'NTRY-DEBIT-1', creditorName: 'Mitros' }], 'BWK-WORLD');
  const imported = await api.request(api.tokens.treasurer, { method: 'POST', url: '/bank-statements', payload: debit, headers: { 'content-type': 'application/xml' } });
  const paymentMade = (ok(imported) as unknown as { entries: Array<{ id: string }> }).entries[0]!.id;
  await yearsToActOn(api, ok);
  return { api, pledge, invoice, payment, entry, paymentMade };
}

/** 2018 closed, 2019 checked and approved: each year route has a year it can act on (rows below). */
async function yearsToActOn(api: TestApp, ok: (response: LightMyRequestResponse) => unknown): Promise<void> {
  for (const year of [2018, 2019]) {
    ok(await api.post(api.tokens.kascommissie, `/years/${year}/checks`, { remarks: 'kas en bank nagekeken' }));
    ok(await api.post(api.tokens.accountant, `/years/${year}/approval`, {}));
  }
  ok(await api.post(api.tokens.treasurer, '/years/2018/close', {}));
}

export interface WriteRoute {
  /** As the OpenAPI document names it: "post /pledges/{id}/status". */
  readonly route: string;
  readonly method: 'POST' | 'PUT';
  /** Who may write it, when not the treasurer. */
  readonly role?: 'accountant' | 'kascommissie';
  url(w: World): string;
  body(w: World): Record<string, unknown>;
  /** The same request with one thing changed, for "same key, another body". */
  otherBody(w: World): Record<string, unknown>;
  /** Bodies that add an unknown field, with the path the refusal must name. */
  unknown(w: World): Array<[Record<string, unknown>, string]>;
  /**
   * Bodies that fill every optional field (together: where fields exclude each other, one body
   * per alternative), each accepted on its own world: a write must answer 201 with them all.
   */
  full(w: World): Array<Record<string, unknown>>;
}

export const PLEDGE = { financier: 'doen', kamer: 'top', year: 2020, amount: '500.00', form: 'cash', status: 'proposed' };
export const INVOICE = { financier: 'portaal', kamer: 'top', year: 2020, lines: [{ description: 'Tweede termijn', amount: '10.00' }] };
export const RECEIVED = { date: '2020-06-12', amount: '50.00', allocations: [] };
export const EXPENSE = { date: '2020-06-01', kamer: 'top', line: 'rent', amount: '890.00', payee: 'Mitros', description: 'huur juni' };
export const SPENDING = { date: '2020-06-12', category: 'A', amount: '12.50', description: 'koffie en thee' };
export const HOURS = { volunteer: 'v-018', date: '2020-06-11', hours: '3', kind: 'professional' };

export const ROUTES: readonly WriteRoute[] = [
  {
    route: 'post /kamers',
    method: 'POST',
    url: () => '/kamers',
    body: () => ({ id: 'hart', name: 'Hart voor Leidsche Rijn' }),
    otherBody: () => ({ id: 'hart', name: 'Hart' }),
    unknown: () => [[{ id: 'hart', name: 'Hart', colour: 'red' }, 'colour']],
    full: () => [{ id: 'hart', name: 'Hart voor Leidsche Rijn', teamLeaderIban: 'NL91 ABNA 0417 1643 00' }],
  },
  {
    route: 'post /financiers',
    method: 'POST',
    url: () => '/financiers',
    body: () => ({ id: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'invoice' }),
    otherBody: () => ({ id: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'none' }),
    unknown: () => [[{ id: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'invoice', vatNumber: 'NL0001' }, 'vatNumber']],
    full: () => [
      {
        id: 'mitros',
        name: 'Mitros',
        kind: 'housing-corporation',
        pays: 'invoice',
        iban: 'nl91 abna 0417 1643 00',
        address: { street: 'Proefweg 22', postcode: '9999zz', city: 'Proefstad', country: 'NL' },
        email: 'crediteuren@example.com',
        eInvoiceId: '0106:87654321',
        requiresBuyerReference: true,
      },
    ],
  },
  {
    route: 'put /cooperative',
    method: 'PUT',
    url: () => '/cooperative',
    body: () => COOPERATIVE,
    otherBody: () => ({ ...COOPERATIVE, email: 'bestuur@example.org' }),
    unknown: () => [
      [{ ...COOPERATIVE, phone: '0301234567' }, 'phone'],
      [{ ...COOPERATIVE, address: { ...COOPERATIVE.address, floor: '2' } }, 'address.floor'],
    ],
    full: () => {
      const { vatExemptionNote: _note, ...withoutNote } = COOPERATIVE;
      return [
        { ...COOPERATIVE, address: { ...COOPERATIVE.address, country: 'NL' }, logo: { mediaType: 'image/png', base64: TINY_PNG_BASE64 } },
        { ...withoutNote, vatNumber: 'NL000099998B57', logo: { mediaType: 'image/png', base64: TINY_PNG_BASE64 } },
      ];
    },
  },
  {
    route: 'put /financiers/{id}/details',
    method: 'PUT',
    url: () => '/financiers/portaal/details',
    body: () => PORTAAL_DETAILS,
    otherBody: () => ({ ...PORTAAL_DETAILS, email: 'facturen@example.com' }),
    unknown: () => [
      [{ ...PORTAAL_DETAILS, iban: 'NL91ABNA0417164300' }, 'iban'],
      [{ ...PORTAAL_DETAILS, address: { ...PORTAAL_DETAILS.address, region: 'Utrecht' } }, 'address.region'],
    ],
    full: () => [{ ...PORTAAL_DETAILS, address: { ...PORTAAL_DETAILS.address, country: 'NL' }, requiresBuyerReference: true }],
  },
  {
    route: 'put /kamers/{kamer}/budgets/{year}',
    method: 'PUT',
    url: () => '/kamers/top/budgets/2021',
    body: () => ({ lines: [{ line: 'rent', label: 'Huur', amount: '9000.00' }] }),
    otherBody: () => ({ lines: [{ line: 'rent', label: 'Huur', amount: '9500.00' }] }),
    unknown: () => [
      [{ lines: [{ line: 'rent', label: 'Huur', amount: '9000.00' }], year: 2021 }, 'year'],
      [{ lines: [{ line: 'rent', label: 'Huur', amount: '9000.00', note: 'x' }] }, 'lines.0.note'],
    ],
    full: () => [{ lines: [{ line: 'rent', label: 'Huur', amount: '9000.00' }, { line: 'petty-cash', label: 'Handgeld', amount: '3000.00' }] }],
  },
  {
    route: 'post /valuation-rates',
    method: 'POST',
    url: () => '/valuation-rates',
    body: () => ({ year: 2020, kind: 'resident', perHour: '11.00' }),
    otherBody: () => ({ year: 2020, kind: 'resident', perHour: '10.04' }),
    unknown: () => [[{ year: 2020, kind: 'resident', perHour: '11.00', currency: 'EUR' }, 'currency']],
    full: () => [{ year: 2020, kind: 'professional', perHour: '37.00' }],
  },
  {
    route: 'post /pledges',
    method: 'POST',
    url: () => '/pledges',
    body: () => PLEDGE,
    otherBody: () => ({ ...PLEDGE, amount: '600.00' }),
    unknown: () => {
      const { amount: _amount, ...withoutAmount } = PLEDGE;
      return [
        [{ ...PLEDGE, financierName: 'Stichting DOEN' }, 'financierName'],
        [{ ...withoutAmount, share: { numerator: 1, denominator: 3, percent: 33 } }, 'share.percent'],
      ];
    },
    full: () => [
      { ...PLEDGE, reference: '5675239', referenceDate: '2020-01-15', note: 'besproken in het voorjaar' },
      { financier: 'doen', kamer: 'top', year: 2020, share: { numerator: 1, denominator: 3 }, form: 'cash', status: 'conditional', reference: 'DOEN-2020-17', referenceDate: '2020-02-01', note: 'een derde van de werkelijke kosten' },
    ],
  },
  {
    route: 'post /pledges/{id}/status',
    method: 'POST',
    url: (w) => `/pledges/${w.pledge}/status`,
    // withdrawn is final: run twice without the key, the second is a 422 PLEDGE_WITHDRAWN
    body: () => ({ status: 'withdrawn' }),
    otherBody: () => ({ status: 'withdrawn', note: 'bestuur zegt nee' }),
    unknown: () => [[{ status: 'withdrawn', reason: 'bestuur zegt nee' }, 'reason']],
    full: () => [{ status: 'withdrawn', note: 'bestuur zegt nee' }],
  },
  {
    route: 'post /pledges/{id}/amendments',
    method: 'POST',
    url: (w) => `/pledges/${w.pledge}/amendments`,
    // run twice without the key, the second is a 400: the amount is already 1200.00
    body: () => ({ amount: '1200.00', reason: 'extra activiteiten' }),
    otherBody: () => ({ amount: '1300.00', reason: 'extra activiteiten' }),
    unknown: () => [[{ amount: '1200.00', reason: 'x', note: 'y' }, 'note']],
    full: () => [{ amount: '1200.00', reason: 'extra activiteiten' }],
  },
  {
    route: 'post /invoices',
    method: 'POST',
    url: () => '/invoices',
    body: () => INVOICE,
    otherBody: () => ({ ...INVOICE, lines: [{ description: 'Tweede termijn', amount: '10.01' }] }),
    unknown: () => [
      [{ ...INVOICE, vat: '21' }, 'vat'],
      [{ ...INVOICE, lines: [{ description: 'x', amount: '1.00', vat: '0.21' }] }, 'lines.0.vat'],
    ],
    full: (w) => [{ ...INVOICE, pledge: w.pledge, issueDate: '2020-06-15', lines: [{ description: 'Bijdrage 2020, eerste termijn', amount: '400.00' }], reference: 'PO-4711' }],
  },
  {
    route: 'post /invoices/{id}/credit-notes',
    method: 'POST',
    url: (w) => `/invoices/${w.invoice}/credit-notes`,
    body: () => ({ amount: '100.00', reason: 'te veel gefactureerd' }),
    otherBody: () => ({ amount: '100.00', reason: 'iets anders' }),
    unknown: (w) => [[{ amount: '100.00', reason: 'x', invoice: w.invoice }, 'invoice']],
    full: () => [{ amount: '100.00', reason: 'te veel gefactureerd', issueDate: '2020-06-15', reference: 'PO-4711' }],
  },
  {
    route: 'post /invoices/{id}/reminders',
    method: 'POST',
    url: (w) => `/invoices/${w.invoice}/reminders`,
    body: () => ({ kind: 'herinnering', channel: 'email', date: '2020-06-01' }),
    otherBody: () => ({ kind: 'herinnering', channel: 'post', date: '2020-06-01' }),
    unknown: () => [[{ kind: 'herinnering', channel: 'email', note: 'x' }, 'note']],
    full: () => [{ kind: 'herinnering', channel: 'email', date: '2020-06-01' }],
  },
  {
    route: 'post /payments/received',
    method: 'POST',
    url: () => '/payments/received',
    body: () => RECEIVED,
    otherBody: () => ({ ...RECEIVED, amount: '50.01' }),
    unknown: () => [
      [{ ...RECEIVED, currency: 'EUR' }, 'currency'],
      [{ ...RECEIVED, allocations: [{ invoice: '2020-0001', amount: '1.00', note: 'x' }] }, 'allocations.0.note'],
    ],
    full: (w) => [
      { ...RECEIVED, payerName: 'Woningcorporatie Portaal', payerIban: 'NL91 ABNA 0417 1643 00', description: 'Factuur 2020-0001', bankReference: 'BANK-2020-0612-1', allocations: [{ invoice: '2020-0001', amount: '50.00', reason: 'betaald namens Portaal' }] },
      { ...RECEIVED, allocations: [{ pledge: w.pledge, amount: '50.00' }] },
    ],
  },
  {
    route: 'post /payments/{id}/allocations',
    method: 'POST',
    url: (w) => `/payments/${w.payment}/allocations`,
    body: () => ({ invoice: '2020-0001', amount: '100.00' }),
    otherBody: () => ({ invoice: '2020-0001', amount: '100.01' }),
    unknown: () => [[{ invoice: '2020-0001', amount: '1.00', note: 'x' }, 'note']],
    full: (w) => [{ invoice: '2020-0001', amount: '100.00', reason: 'betaald namens Portaal' }, { pledge: w.pledge, amount: '100.00' }],
  },
  {
    route: 'post /payments/made',
    method: 'POST',
    url: () => '/payments/made',
    body: () => EXPENSE,
    otherBody: () => ({ ...EXPENSE, amount: '890.01' }),
    unknown: () => [[{ ...EXPENSE, iban: 'NL91ABNA0417164300' }, 'iban']],
    full: () => [EXPENSE],
  },
  {
    route: 'put /cooperative/bank-accounts',
    method: 'PUT',
    url: () => '/cooperative/bank-accounts',
    body: () => ({ accounts: [CRAFTED_ACCOUNT, 'NL02ABNA0123456789'] }),
    otherBody: () => ({ accounts: ['NL02ABNA0123456789'] }),
    unknown: () => [[{ accounts: [CRAFTED_ACCOUNT], bank: 'ABN AMRO' }, 'bank']],
    full: () => [{ accounts: [CRAFTED_ACCOUNT, 'NL02 ABNA 0123 4567 89'] }],
  },
  {
    route: 'post /payments/made/{id}/assignment',
    method: 'POST',
    url: (w) => `/payments/made/${w.paymentMade}/assignment`,
    // run twice without the key, the second is a 409: the payment is already assigned
    body: () => ({ kamer: 'top', line: 'rent' }),
    otherBody: () => ({ account: 'bank-costs' }),
    unknown: () => [[{ kamer: 'top', line: 'rent', note: 'huur' }, 'note']],
    full: () => [{ kamer: 'top', line: 'rent' }, { account: 'interest' }],
  },
  {
    route: 'post /kamers/{kamer}/petty-cash/transfers',
    method: 'POST',
    url: () => '/kamers/top/petty-cash/transfers',
    body: () => ({ date: '2020-06-03', amount: '50.00' }),
    otherBody: () => ({ date: '2020-06-03', amount: '50.01' }),
    unknown: () => [[{ date: '2020-06-03', amount: '50.00', category: 'A' }, 'category']],
    full: () => [{ date: '2020-06-03', amount: '50.00', month: '2020-06' }],
  },
  {
    route: 'post /kamers/{kamer}/petty-cash/spending',
    method: 'POST',
    url: () => '/kamers/top/petty-cash/spending',
    body: () => SPENDING,
    otherBody: () => ({ ...SPENDING, category: 'B' }),
    unknown: () => [[{ ...SPENDING, month: '2020-06' }, 'month']],
    full: () => [{ ...SPENDING, receipt: 'bon 17' }],
  },
  {
    route: 'post /kamers/{kamer}/volunteer-hours',
    method: 'POST',
    url: () => '/kamers/top/volunteer-hours',
    body: () => HOURS,
    otherBody: () => ({ ...HOURS, hours: '3.25' }),
    unknown: () => [[{ ...HOURS, name: 'Jan' }, 'name']],
    full: () => [{ ...HOURS, activity: 'taalcafé' }],
  },
  {
    route: 'post /volunteer-hours/{id}/corrections',
    method: 'POST',
    url: (w) => `/volunteer-hours/${w.entry}/corrections`,
    // run twice without the key, the second is a 400: the entry already records 3.00 hours
    body: () => ({ hours: '3', reason: 'pauze meegeteld' }),
    otherBody: () => ({ hours: '3.5', reason: 'pauze meegeteld' }),
    unknown: () => [[{ hours: '3', reason: 'x', date: '2020-06-11' }, 'date']],
    full: () => [{ hours: '3', reason: 'pauze meegeteld' }],
  },
  {
    route: 'post /years/{year}/checks',
    method: 'POST',
    role: 'kascommissie',
    url: () => '/years/2019/checks',
    body: () => ({ remarks: 'kas, bank en bonnen nagekeken: akkoord' }),
    otherBody: () => ({ remarks: 'twee bonnen ontbreken' }),
    unknown: () => [[{ remarks: 'akkoord', signedBy: 'Jan' }, 'signedBy']],
    full: () => [{ remarks: 'kas, bank en bonnen nagekeken: akkoord' }],
  },
  {
    route: 'post /years/{year}/approval',
    method: 'POST',
    role: 'accountant',
    url: () => '/years/2019/approval',
    body: () => ({ note: 'goedgekeurd' }),
    otherBody: () => ({ note: 'goedgekeurd, zie managementletter' }),
    unknown: () => [[{ note: 'goedgekeurd', opinion: 'unqualified' }, 'opinion']],
    full: () => [{ note: 'goedgekeurd' }],
  },
  {
    route: 'post /years/{year}/close',
    method: 'POST',
    // run twice without the key, the second is a 409 PERIOD_CLOSED: the year is closed
    url: () => '/years/2019/close',
    body: () => ({}),
    otherBody: () => ({ note: 'afgesloten na de ledenvergadering' }),
    unknown: () => [[{ reason: 'klaar' }, 'reason']],
    full: () => [{ note: 'afgesloten na de ledenvergadering' }],
  },
  {
    route: 'post /years/{year}/reopen',
    method: 'POST',
    role: 'accountant',
    // run twice without the key, the second is a 409 YEAR_NOT_CLOSED: the year is open again
    url: () => '/years/2018/reopen',
    body: () => ({ reason: 'een factuur van 2018 ontbrak' }),
    otherBody: () => ({ reason: 'iets anders' }),
    unknown: () => [[{ reason: 'x', note: 'y' }, 'note']],
    full: () => [{ reason: 'een factuur van 2018 ontbrak' }],
  },
];

/** camt.053 is XML, not a zod object: it has no unknown fields, but it has the Idempotency-Key rule. */
export const STATEMENT_ROUTE = 'post /bank-statements';

export function send(w: World, route: WriteRoute, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return w.api.request(w.api.tokens[route.role ?? 'treasurer'], { method: route.method, url: route.url(w), payload: body, headers });
}

