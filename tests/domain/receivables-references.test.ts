/**
 * References on invoices (issue 10, item 2): the financier's own reference, required where the
 * financier requires it; the RF payment reference on every invoice; the parties' details copied
 * into the document's event; payments matched by RF reference, structured or in the text.
 */
import t from 'tap';
import { receivablesDecider } from '../../src/domain/receivables/decider.js';
import { creditorReferenceFor, printedCreditorReference } from '../../src/domain/receivables/payment-reference.js';
import type { DocumentParties } from '../../src/domain/events.js';
import { specFor } from '../helpers/decider.js';
import { fieldsOf, importStatement, invoiceIssued, issueCreditNote, issueInvoice, receivePayment, uuid, FINANCIERS_BY_IBAN, DOEN_IBAN, OWN_ACCOUNT } from './receivables.fixtures.js';

const PARTIES: DocumentParties = {
  supplier: {
    name: 'Coöperatie',
    address: { street: 'Voorbeeldstraat 1', postcode: '1234 AB', city: 'Voorbeeldstad', country: 'NL' },
    kvkNumber: '12345678',
    vatExemptionNote: 'vrijgesteld',
    iban: 'NL91ABNA0417164300',
    bic: 'ABNANL2A',
    email: 'p@example.org',
    revision: 0,
  },
  customer: { name: 'Gemeente', address: { street: 'Proefweg 22', postcode: '9999 ZZ', city: 'Proefstad', country: 'NL' } },
};

t.test('a financier that requires a buyer reference gets no invoice without one', async (t) => {
  const spec = specFor(t, receivablesDecider);
  spec.given([]).when(issueInvoice({ financier: { pays: 'invoice', requiresBuyerReference: true } })).thenFails('BUYER_REFERENCE_REQUIRED', 'reference');
  spec
    .given([])
    .when(issueInvoice({ financier: { pays: 'invoice', requiresBuyerReference: true }, reference: 'SUB-5675239' }))
    .then((events) => t.equal(fieldsOf(events)[0]?.reference, 'SUB-5675239'));
  spec.given([]).when(issueInvoice({ financier: { pays: 'invoice' } })).then((events) => t.notOk('reference' in events[0]!.data, 'others may leave it out'));
});

t.test('every invoice carries the RF reference of its own number and the parties as they stood', async (t) => {
  specFor(t, receivablesDecider)
    .given([invoiceIssued()])
    .when(issueInvoice({ invoiceId: uuid(2), parties: PARTIES, reference: 'PO-1' }))
    .then((events) => {
      t.equal(fieldsOf(events)[0]?.number, '2020-0002');
      t.equal(fieldsOf(events)[0]?.paymentReference, creditorReferenceFor('2020-0002'));
      t.same(fieldsOf(events)[0]?.parties, PARTIES);
    });
});

t.test("a credit note carries the credited invoice's reference unless it is given its own", async (t) => {
  const spec = specFor(t, receivablesDecider);
  const invoice = invoiceIssued({ reference: 'PO-1' });
  spec.given([invoice]).when(issueCreditNote({ amount: '10.00', parties: PARTIES })).then((events) => {
    t.equal(fieldsOf(events)[0]?.reference, 'PO-1');
    t.same(fieldsOf(events)[0]?.parties, PARTIES);
  });
  spec.given([invoice]).when(issueCreditNote({ amount: '10.00', reference: 'PO-2' })).then((events) => t.equal(fieldsOf(events)[0]?.reference, 'PO-2'));
});

const invoices = [
  invoiceIssued({ invoiceId: uuid(1), number: '2020-0001', total: '100.00', paymentReference: creditorReferenceFor('2020-0001') }),
  invoiceIssued({ invoiceId: uuid(2), number: '2020-0002', total: '250.00', paymentReference: creditorReferenceFor('2020-0002') }),
  // Issued before references existed: its number's RF reference was never printed, so it matches nothing.
  invoiceIssued({ invoiceId: uuid(3), number: '2020-0003', total: '75.00' }),
];

t.test('an RF reference in the text pays that invoice and no other', async (t) => {
  specFor(t, receivablesDecider)
    .given(invoices)
    .when(receivePayment({ amount: '300.00', description: `Betaling ${printedCreditorReference(creditorReferenceFor('2020-0002'))} gemeente` }))
    .then((events) => {
      t.same(events.map((event) => event.type), ['PaymentReceived', 'PaymentAllocated']);
      t.match(events[1]?.data, { invoiceId: uuid(2), invoiceNumber: '2020-0002', amount: '250.00', matchedBy: 'payment-reference' });
    });
});

t.test('a structured creditor reference from the bank pays that invoice, before any number in the text', async (t) => {
  specFor(t, receivablesDecider)
    .given(invoices)
    .when(importStatement([{ date: '2020-06-12', amount: '120.00', bankReference: 'B-1', creditorReference: creditorReferenceFor('2020-0001'), description: 'ook 2020-0002' }], 400, { configuredAccounts: [OWN_ACCOUNT] }))
    .then((events) => {
      t.same(
        events[0]?.data,
        { paymentId: uuid(400), date: '2020-06-12', amount: '120.00', bankReference: 'B-1', creditorReference: creditorReferenceFor('2020-0001'), description: 'ook 2020-0002', source: 'camt053', account: OWN_ACCOUNT },
        'the structured reference is recorded with the payment',
      );
      t.has(events[1]?.data, { invoiceNumber: '2020-0001', amount: '100.00', matchedBy: 'payment-reference' });
      t.has(events[2]?.data, { invoiceNumber: '2020-0002', amount: '20.00', matchedBy: 'invoice-number-in-description' });
      t.same(events.slice(3).map((event) => event.type), ['BankStatementReconciled'], 'then only the reconciliation');
    });
});

t.test('a reference with a typo, another scheme, or of an invoice that never carried one matches nothing', async (t) => {
  const good = creditorReferenceFor('2020-0001');
  const typo = `${good.slice(0, 2)}${good[2] === '9' ? '0' : String(Number(good[2]) + 1)}${good.slice(3)}`;
  const spec = specFor(t, receivablesDecider);
  for (const [what, payment] of [
    ['wrong check digits in the text', { description: `betaling ${typo}` }],
    ['wrong check digits, structured', { creditorReference: typo }],
    ['a Dutch betalingskenmerk, not RF', { creditorReference: '1067931951601240' }],
    ['the RF of an invoice issued before references', { description: creditorReferenceFor('2020-0003') }],
  ] as const) {
    spec
      .given(invoices)
      .when(receivePayment({ amount: '10.00', ...payment }))
      .then((events) => t.same(events.map((event) => event.type), ['PaymentReceived'], what));
  }
});

t.test('automatic matching by reference never crosses financiers either', async (t) => {
  specFor(t, receivablesDecider)
    .given(invoices)
    .when(receivePayment({ amount: '100.00', payerIban: DOEN_IBAN, description: creditorReferenceFor('2020-0001') }, { financiersByIban: FINANCIERS_BY_IBAN }))
    .then((events) => t.same(events.map((event) => event.type), ['PaymentReceived'], "portaal's invoice, paid from doen's account, is left for the treasurer"));
});

