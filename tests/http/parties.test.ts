/**
 * The parties' details as events (issue 10, item 1) and references on invoices (item 2), through
 * HTTP over a real SQLite file. Every value of an address, KvK or VAT number is made up
 * (parties.fixtures.ts).
 */
import t from 'tap';
import { CRAFTED_ACCOUNT, craftedStatement } from '../bank/camt053.fixtures.js';
import { creditorReferenceFor, isValidCreditorReference, printedCreditorReference } from '../../src/domain/receivables/payment-reference.js';
import { assertRefused, issue, ownBankAccounts, receivablesApp } from './receivables.fixtures.js';
import { COOPERATIVE, PORTAAL_DETAILS, setCooperative, setFinancierDetails, TINY_PNG_BASE64 } from './parties.fixtures.js';

t.test("the treasurer records the cooperative's details; each change is a new event with its revision", async (t) => {
  const api = await receivablesApp(t);
  const first = await api.request(api.tokens.treasurer, { method: 'PUT', url: '/cooperative', payload: { ...COOPERATIVE, iban: 'nl91 abna 0417 1643 00', bic: 'abnanl2a', address: { ...COOPERATIVE.address, postcode: '1234ab' } } });
  t.equal(first.statusCode, 201, first.body);
  t.match(first.json(), { id: 'cooperative', iban: 'NL91ABNA0417164300', bic: 'ABNANL2A', address: { postcode: '1234 AB', country: 'NL' }, revision: 0 }, 'IBAN, BIC and postcode normalised, country NL by default');
  const second = await api.request(api.tokens.treasurer, { method: 'PUT', url: '/cooperative', payload: { ...COOPERATIVE, email: 'bestuur@example.org' } });
  t.match(second.json(), { email: 'bestuur@example.org', revision: 1 });
  const events = (await api.allEvents()).filter((event) => event.type === 'CooperativeDetailsSet');
  t.same(events.map((event) => [event.stream, (event.data as { email: string }).email]), [['cooperative', COOPERATIVE.email], ['cooperative', 'bestuur@example.org']], 'history keeps both');
  const accountant = await api.request(api.tokens.accountant, { method: 'PUT', url: '/cooperative', payload: COOPERATIVE });
  t.equal(accountant.statusCode, 403, 'only the treasurer writes it');
});

t.test("the cooperative's details are checked field by field, and a refusal writes nothing", async (t) => {
  const api = await receivablesApp(t);
  const before = (await api.allEvents()).length;
  const { vatExemptionNote: _note, ...withoutVat } = COOPERATIVE;
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['an IBAN with a wrong check', { ...COOPERATIVE, iban: 'NL92ABNA0417164300' }, 'iban'],
    ['a KvK number of 7 digits', { ...COOPERATIVE, kvkNumber: '1234567' }, 'kvkNumber'],
    ['a BIC that is not one', { ...COOPERATIVE, bic: 'ABN' }, 'bic'],
    ['no VAT status at all', withoutVat, 'vatNumber'],
    ['both a VAT number and an exemption note', { ...COOPERATIVE, vatNumber: 'NL000099998B57' }, 'vatNumber'],
    ['a VAT number of the wrong shape', { ...withoutVat, vatNumber: 'NL12345' }, 'vatNumber'],
    ['a Dutch postcode of the wrong shape', { ...COOPERATIVE, address: { ...COOPERATIVE.address, postcode: '123 AB' } }, 'address.postcode'],
    ['no city', { ...COOPERATIVE, address: { street: 'Voorbeeldstraat 1', postcode: '1234 AB' } }, 'address.city'],
    ['an e-mail address that is not one', { ...COOPERATIVE, email: 'penningmeester' }, 'email'],
  ];
  for (const [what, body, path] of cases) {
    const response = await api.request(api.tokens.treasurer, { method: 'PUT', url: '/cooperative', payload: body });
    t.equal(response.statusCode, 400, what);
    t.ok((response.json() as { errors?: Array<{ path: string }> }).errors?.some((error) => error.path === path), `${what}: names ${path}: ${response.body}`);
  }
  const notAnImage = await api.request(api.tokens.treasurer, { method: 'PUT', url: '/cooperative', payload: { ...COOPERATIVE, logo: { mediaType: 'image/png', base64: Buffer.from('not a png').toString('base64') } } });
  assertRefused(t, notAnImage, 400, 'INVALID_INPUT', 'logo.base64');
  t.equal((await api.allEvents()).length, before, 'nothing written');
  const withLogo = await api.request(api.tokens.treasurer, { method: 'PUT', url: '/cooperative', payload: { ...COOPERATIVE, logo: { mediaType: 'image/png', base64: TINY_PNG_BASE64 } } });
  t.equal(withLogo.statusCode, 201, `a real PNG is accepted: ${withLogo.body}`);
});

t.test("a financier's details: given at registration, replaced later by a new event, checked", async (t) => {
  const api = await receivablesApp(t);
  const registered = await api.post(api.tokens.treasurer, '/financiers', { id: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'invoice', ...PORTAAL_DETAILS, address: { ...PORTAAL_DETAILS.address, postcode: '9999zz' } });
  t.equal(registered.statusCode, 201, registered.body);
  t.match(registered.json(), { address: { postcode: '9999 ZZ', country: 'NL' }, eInvoiceId: '0106:87654321' });
  const badId = await api.post(api.tokens.treasurer, '/financiers', { id: 'bo-ex', name: 'Bo-Ex', kind: 'housing-corporation', pays: 'invoice', eInvoiceId: '0106:1234' });
  assertRefused(t, badId, 400, 'VALIDATION_FAILED', 'eInvoiceId');
  const oin = await api.post(api.tokens.treasurer, '/financiers', { id: 'gemeente-x', name: 'Gemeente X', kind: 'municipality', pays: 'invoice', eInvoiceId: `0190:${'0'.repeat(19)}1`, requiresBuyerReference: true });
  t.equal(oin.statusCode, 201, `an OIN of 20 digits: ${oin.body}`);

  const changed = await api.request(api.tokens.treasurer, { method: 'PUT', url: '/financiers/mitros/details', payload: { email: 'facturen@example.com' } });
  t.equal(changed.statusCode, 201, changed.body);
  t.same((await api.allEvents()).at(-1)?.data, { financierId: 'mitros', email: 'facturen@example.com' }, 'a FinancierDetailsChanged event replacing all four details');
  t.equal((await api.allEvents()).at(-1)?.type, 'FinancierDetailsChanged');
  const unknown = await api.request(api.tokens.treasurer, { method: 'PUT', url: '/financiers/nobody/details', payload: { email: 'a@example.com' } });
  t.equal(unknown.statusCode, 404);
});

t.test('an invoice copies the parties as they stood: a later change of address does not reach an old invoice', async (t) => {
  const api = await receivablesApp(t);
  await setCooperative(api);
  await setFinancierDetails(api, 'portaal', PORTAAL_DETAILS);
  const first = (await issue(api)).json() as { id: string; paymentReference: string };
  const moved = { ...PORTAAL_DETAILS.address, street: 'Verhuisd 9' };
  await setFinancierDetails(api, 'portaal', { ...PORTAAL_DETAILS, address: moved });
  const second = (await issue(api)).json() as { id: string };
  const issued = (await api.allEvents()).filter((event) => event.type === 'InvoiceIssued').map((event) => event.data as { invoiceId: string; parties: { customer: { address: { street: string } }; supplier: { kvkNumber: string; revision: number } } });
  t.equal(issued.find((data) => data.invoiceId === first.id)?.parties.customer.address.street, 'Proefweg 22', 'the first invoice keeps the address it was sent to');
  t.equal(issued.find((data) => data.invoiceId === second.id)?.parties.customer.address.street, 'Verhuisd 9');
  t.match(issued[0]?.parties.supplier, { kvkNumber: COOPERATIVE.kvkNumber, revision: 0 });
  t.ok(isValidCreditorReference(first.paymentReference), `the answer names the RF reference ${first.paymentReference}`);
});

t.test('a financier that requires a buyer reference: its invoice is refused without one, and nothing is written', async (t) => {
  const api = await receivablesApp(t);
  await setFinancierDetails(api, 'doen', { requiresBuyerReference: true });
  const before = (await api.allEvents()).length;
  assertRefused(t, await issue(api, { financier: 'doen' }), 422, 'BUYER_REFERENCE_REQUIRED', 'reference');
  t.equal((await api.allEvents()).length, before, 'nothing written');
  const accepted = await issue(api, { financier: 'doen', reference: 'Beschikking 5675239' });
  t.equal(accepted.statusCode, 201, accepted.body);
  t.equal(accepted.json().reference, 'Beschikking 5675239');
  const credit = await api.post(api.tokens.treasurer, `/invoices/${accepted.json().number}/credit-notes`, { amount: '10.00', reason: 'correctie' });
  t.equal(credit.json().reference, 'Beschikking 5675239', "the credit note carries the invoice's reference");
});

t.test("a statement's RF reference, structured or in free text, pays that invoice and no other", async (t) => {
  const api = await receivablesApp(t);
  const numbers: string[] = [];
  for (let index = 0; index < 3; index += 1) numbers.push((await issue(api, { lines: [{ description: 'Bijdrage', amount: '100.00' }] })).json().number as string);
  const [, second, third] = numbers as [string, string, string];
  await ownBankAccounts(api, [CRAFTED_ACCOUNT]);
  const xml = craftedStatement([
    { amount: '100.00', entryReference: 'E-1', creditorReference: creditorReferenceFor(second) },
    { amount: '100.00', entryReference: 'E-2', remittance: [`betaling ${printedCreditorReference(creditorReferenceFor(third))}`] },
    { amount: '100.00', entryReference: 'E-3', remittance: [`betaling ${creditorReferenceFor(third).replace(/.$/, (digit) => String((Number(digit) + 1) % 10))}`] },
  ]);
  const response = await api.request(api.tokens.treasurer, { method: 'POST', url: '/bank-statements', payload: xml, headers: { 'content-type': 'application/xml' } });
  t.equal(response.statusCode, 201, response.body);
  const payments = response.json().payments as Array<{ allocations: Array<{ invoiceNumber: string; matchedBy: string }> }>;
  t.same(payments.map((payment) => payment.allocations.map((allocation) => [allocation.invoiceNumber, allocation.matchedBy])), [
    [[second, 'payment-reference']],
    [[third, 'payment-reference']],
    [],
  ], 'structured, free text, and a typo that matches nothing');
  t.match(response.json(), { matched: 2, unmatched: 1 });
});

t.test('an invoice read back names its reference and its RF payment reference', async (t) => {
  const api = await receivablesApp(t);
  const issued = (await issue(api, { reference: 'PO-4711' })).json() as { id: string; number: string };
  const read = await api.get(api.tokens.treasurer, `/invoices/${issued.number}`);
  t.match(read.json(), { id: issued.id, reference: 'PO-4711', paymentReference: creditorReferenceFor(issued.number) });
  const listed = (await api.get(api.tokens.financier('portaal'), '/invoices')).json() as Array<{ paymentReference?: string }>;
  t.same(listed.map((invoice) => invoice.paymentReference), [creditorReferenceFor(issued.number)], "in the financier's own list too");
});
