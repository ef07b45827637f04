import t from 'tap';
import { receivablesDecider } from '../../src/domain/receivables/decider.js';
import { specFor } from '../helpers/decider.js';
import { foldEvents } from '../../src/domain/decider.js';
import { invoicesOfOtherFinancier } from '../../src/domain/receivables/payments.js';
import {
  allocatePayment,
  creditNoteIssued,
  DOEN_IBAN,
  FINANCIERS_BY_IBAN,
  PORTAAL_IBAN,
  pledgeAllocated,
  bankAccountsSet,
  importStatement,
  invoiceIssued,
  paymentAllocated,
  paymentReceived,
  pledge,
  PLEDGE_ID,
  receivePayment,
  TODAY,
  uuid,
  fieldsOf,
  OWN_ACCOUNT,
} from './receivables.fixtures.js';

const twoInvoices = [
  invoiceIssued({ invoiceId: uuid(1), number: '2020-0001', total: '100.00' }),
  invoiceIssued({ invoiceId: uuid(2), number: '2020-0002', total: '250.00' }),
];

t.test('a payment without a usable reference is kept unallocated', async (t) => {
  specFor(t, receivablesDecider)
    .given(twoInvoices)
    .when(receivePayment({ amount: '80.00', payerName: 'Portaal', description: 'bijdrage buurtwerkkamer' }))
    .then([{ type: 'PaymentReceived', data: { paymentId: uuid(200), date: '2020-06-10', amount: '80.00', payerName: 'Portaal', description: 'bijdrage buurtwerkkamer', source: 'manual' } }]);
});

t.test('an invoice number in the description pays that invoice up to its open amount; an overpayment stays unallocated', async (t) => {
  const spec = specFor(t, receivablesDecider);
  spec
    .given(twoInvoices)
    .when(receivePayment({ amount: '150.00', description: 'factuur 2020-0001 TOP' }))
    .then((events) => {
      t.same(events.map((event) => event.type), ['PaymentReceived', 'PaymentAllocated']);
      t.has(events[1]?.data, { invoiceId: uuid(1), invoiceNumber: '2020-0001', amount: '100.00', matchedBy: 'invoice-number-in-description', paymentDate: '2020-06-10' });
    });
  spec
    .given(twoInvoices)
    .when(receivePayment({ amount: '40.00', description: 'deelbetaling 2020-0002' }))
    .then((events) => t.has(events[1]?.data, { invoiceNumber: '2020-0002', amount: '40.00' }, 'a partial payment allocates all of itself'));
});

t.test('two invoice numbers in one description are paid in the order they appear until the money runs out', async (t) => {
  specFor(t, receivablesDecider)
    .given(twoInvoices)
    .when(receivePayment({ amount: '300.00', description: 'facturen 2020-0002 en 2020-0001' }))
    .then((events) => {
      // 2020-0002 takes 250.00 of 300.00; 2020-0001 the remaining 50.00
      t.same(
        fieldsOf(events).slice(1).map((data) => [data.invoiceNumber, data.amount]),
        [['2020-0002', '250.00'], ['2020-0001', '50.00']],
      );
    });
});

t.test('a number that names no open invoice matches nothing', async (t) => {
  const spec = specFor(t, receivablesDecider);
  spec.given(twoInvoices).when(receivePayment({ description: 'factuur 2019-0007' })).then((events) => t.equal(events.length, 1));
  const paid = [...twoInvoices, paymentReceived({ paymentId: uuid(201), amount: '100.00' }), paymentAllocated({ paymentId: uuid(201), amount: '100.00' })];
  spec.given(paid).when(receivePayment({ description: 'nogmaals 2020-0001' })).then((events) => t.equal(events.length, 1, 'already paid'));
  spec.given(twoInvoices).when(receivePayment({ description: 'ref 20200001-12345' })).then((events) => t.equal(events.length, 1, 'digits inside a longer reference are no number'));
});

t.test('explicit allocations name an invoice by id or number, or a pledge, and are written with the payment', async (t) => {
  specFor(t, receivablesDecider)
    .given(twoInvoices)
    .when(
      receivePayment(
        { amount: '400.00', description: 'factuur 2020-0001' },
        {
          allocations: [
            { invoice: uuid(2), amount: '250.00' },
            { invoice: '2020-0001', amount: '60.00' },
            { pledge: { pledgeId: PLEDGE_ID, facts: pledge({ financierId: 'gemeente' }) }, amount: '90.00' },
          ],
        },
      ),
    )
    .then((events) => {
      t.same(events.map((event) => event.type), ['PaymentReceived', 'PaymentAllocated', 'PaymentAllocated', 'PaymentAllocated']);
      t.has(events[1]?.data, { allocationId: uuid(300), invoiceId: uuid(2), amount: '250.00', matchedBy: 'treasurer' });
      t.has(events[2]?.data, { allocationId: uuid(301), invoiceId: uuid(1), invoiceNumber: '2020-0001', amount: '60.00' });
      t.has(events[3]?.data, { pledgeId: PLEDGE_ID, financierId: 'gemeente', kamerId: 'top', year: 2020, amount: '90.00' });
      t.notOk('invoiceId' in events[3]!.data);
    });
});

t.test('explicit allocations may not exceed the payment, nor an invoice’s open amount, nor name unknown things', async (t) => {
  const spec = specFor(t, receivablesDecider);
  const paying = (allocations: NonNullable<ReturnType<typeof receivePayment>['allocations']>) =>
    receivePayment({ amount: '200.00' }, { allocations });
  spec.given(twoInvoices).when(paying([{ invoice: uuid(2), amount: '150.00' }, { invoice: uuid(1), amount: '50.01' }])).thenFails('ALLOCATION_EXCEEDS_PAYMENT', 'allocations.1.amount');
  spec.given(twoInvoices).when(paying([{ invoice: uuid(1), amount: '100.01' }])).thenFails('ALLOCATION_EXCEEDS_INVOICE', 'allocations.0.amount');
  spec
    .given(twoInvoices)
    .when(paying([{ invoice: uuid(1), amount: '60.00' }, { invoice: '2020-0001', amount: '40.01' }]))
    .thenFails('ALLOCATION_EXCEEDS_INVOICE', 'allocations.1.amount');
  spec.given(twoInvoices).when(paying([{ invoice: '2020-0042', amount: '1.00' }])).thenFails('UNKNOWN_INVOICE', 'allocations.0.invoice');
  spec.given(twoInvoices).when(paying([{ pledge: { pledgeId: PLEDGE_ID, facts: undefined }, amount: '1.00' }])).thenFails('UNKNOWN_PLEDGE', 'allocations.0.pledge');
  spec.given(twoInvoices).when(paying([{ amount: '1.00' }])).thenFails('INVALID_INPUT', 'allocations.0');
});

t.test('an empty allocation list keeps the payment unallocated even when its description names an invoice', async (t) => {
  specFor(t, receivablesDecider)
    .given(twoInvoices)
    .when(receivePayment({ description: 'factuur 2020-0001' }, { allocations: [] }))
    .then((events) => t.same(events.map((event) => event.type), ['PaymentReceived']));
});

t.test('a bank reference is recorded once, and money cannot arrive after today', async (t) => {
  const spec = specFor(t, receivablesDecider);
  spec.given([paymentReceived({ bankReference: 'NTRY-1' })]).when(receivePayment({ paymentId: uuid(201), bankReference: 'NTRY-1' })).thenFails('DUPLICATE_ID', 'bankReference');
  spec.given([]).when(receivePayment({ date: '2020-06-16' })).thenFails('DATE_IN_FUTURE', 'date');
  spec.given([]).when(receivePayment({ date: TODAY, bankReference: 'NTRY-2' })).then((events) => t.equal(fieldsOf(events)[0]?.bankReference, 'NTRY-2'));
});

t.test("a later allocation takes from the payment's unallocated remainder and the invoice's open amount", async (t) => {
  const spec = specFor(t, receivablesDecider);
  const received = [...twoInvoices, paymentReceived({ amount: '300.00' }), paymentAllocated({ invoiceId: uuid(2), invoiceNumber: '2020-0002', amount: '250.00' })];
  // 300.00 − 250.00 = 50.00 unallocated; invoice 2020-0001 has 100.00 open
  spec
    .given(received)
    .when(allocatePayment({ invoice: '2020-0001', amount: '50.00' }))
    .then([
      {
        type: 'PaymentAllocated',
        data: {
          allocationId: uuid(300),
          paymentId: uuid(200),
          paymentDate: '2020-06-10',
          amount: '50.00',
          invoiceId: uuid(1),
          invoiceNumber: '2020-0001',
          financierId: 'portaal',
          kamerId: 'top',
          year: 2020,
          matchedBy: 'treasurer',
        },
      },
    ]);
  spec.given(received).when(allocatePayment({ invoice: uuid(1), amount: '50.01' })).thenFails('ALLOCATION_EXCEEDS_PAYMENT', 'amount');
  spec.given(received).when(allocatePayment({ invoice: uuid(2), amount: '0.01' })).thenFails('ALLOCATION_EXCEEDS_INVOICE', 'amount');
  spec.given(received).when(allocatePayment({ invoice: uuid(9), amount: '1.00' })).thenFails('UNKNOWN_INVOICE', 'invoice');
  spec.given(received).when(allocatePayment({ pledge: { pledgeId: PLEDGE_ID, facts: undefined }, amount: '1.00' })).thenFails('UNKNOWN_PLEDGE', 'pledge');
  spec.given(received).when(allocatePayment({ invoice: uuid(1), amount: '1.00' }, { paymentId: uuid(299) })).thenFails('NOT_FOUND');
  spec
    .given(received)
    .when(allocatePayment({ pledge: { pledgeId: PLEDGE_ID, facts: pledge() }, amount: '50.00' }))
    .then((events) => t.has(events[0]?.data, { pledgeId: PLEDGE_ID, amount: '50.00' }));
});

t.test('a statement import records each new credit, matches invoice numbers, and skips references seen before or twice', async (t) => {
  const credit = (bankReference: string, amount: string, description?: string) => ({
    bankReference,
    date: '2020-06-12',
    amount,
    payerName: 'Stichting DOEN',
    ...(description === undefined ? {} : { description }),
  });
  const history = [...twoInvoices, bankAccountsSet(), paymentReceived({ bankReference: 'REF-OLD', amount: '5.00', date: '2020-06-12' })];
  const credits = [
    credit('REF-OLD', '5.00'),
    credit('REF-1', '60.00', 'Factuur 2020-0001'),
    credit('REF-1', '60.00', 'Factuur 2020-0001'),
    credit('REF-2', '60.00', 'Restant factuur 2020-0001'),
    credit('REF-3', '12.00', 'gift'),
  ];
  const events = specFor(t, receivablesDecider)
    .given(history)
    .when(importStatement(credits))
    .then((events) => {
      t.same(
        events.map((event, index) => [event.type, fieldsOf(events)[index]?.amount]),
        [
          ['PaymentReceived', '60.00'],
          ['PaymentAllocated', '60.00'],
          ['PaymentReceived', '60.00'],
          // the first credit left 40.00 open on 2020-0001: the second pays that, 20.00 stays unallocated
          ['PaymentAllocated', '40.00'],
          ['PaymentReceived', '12.00'],
          // the statement shows REF-OLD, recorded by hand: it joins the statement's account
          ['BankStatementReconciled', undefined],
        ],
      );
      t.same(fieldsOf(events).at(-1)?.confirmedReferences, ['REF-OLD']);
      t.ok(events.every((event, index) => event.type !== 'PaymentReceived' || fieldsOf(events)[index]?.source === 'camt053'));
    });
  specFor(t, receivablesDecider)
    .given([...history, ...events])
    .when(importStatement(credits, 500))
    .then((again) => t.same(again, [], 'importing the same statement again writes nothing'));
});

t.test('a statement booking money after today is refused whole: nothing of it is imported', async (t) => {
  const credits = [
    { bankReference: 'REF-TODAY', date: TODAY, amount: '10.00' },
    { bankReference: 'REF-LATER', date: '2099-01-01', amount: '10.00' },
  ];
  specFor(t, receivablesDecider).given([bankAccountsSet()]).when(importStatement(credits)).thenFails('BANK_STATEMENT_INVALID');
});

t.test('money allocated to a pledge never exceeds what is left of it: pledged, less invoiced net of credit notes, less paid on it directly', async (t) => {
  const spec = specFor(t, receivablesDecider);
  const onPledge = (amount: string, facts = pledge({ amount: '1000.00' })) => allocatePayment({ pledge: { pledgeId: PLEDGE_ID, facts }, amount });
  const received = [paymentReceived({ amount: '2000.00' })];
  spec.given(received).when(onPledge('1000.00')).then((events) => t.has(events[0]?.data, { pledgeId: PLEDGE_ID, amount: '1000.00' }, 'exactly what was pledged'));
  spec.given(received).when(onPledge('1000.01')).thenFails('ALLOCATION_EXCEEDS_PLEDGE', 'amount');
  // 600.00 invoiced, 100.00 of it credited, 300.00 paid on the pledge from another payment:
  // 1000.00 − (600.00 − 100.00) − 300.00 = 200.00 left
  const claimed = [
    invoiceIssued({ pledgeId: PLEDGE_ID, total: '600.00' }),
    creditNoteIssued({ pledgeId: PLEDGE_ID, amount: '100.00' }),
    paymentReceived({ paymentId: uuid(201), amount: '300.00' }),
    pledgeAllocated('300.00', { allocationId: uuid(301), paymentId: uuid(201) }),
    ...received,
  ];
  spec.given(claimed).when(onPledge('200.00')).then((events) => t.has(events[0]?.data, { amount: '200.00' }));
  spec.given(claimed).when(onPledge('200.01')).thenFails('ALLOCATION_EXCEEDS_PLEDGE', 'amount');
  // amended to 1200.00: 1200.00 − 500.00 − 300.00 = 400.00 left
  spec.given(claimed).when(onPledge('400.00', pledge({ amount: '1200.00' }))).then((events) => t.has(events[0]?.data, { amount: '400.00' }));
  spec.given(claimed).when(onPledge('400.01', pledge({ amount: '1200.00' }))).thenFails('ALLOCATION_EXCEEDS_PLEDGE', 'amount');
});

t.test('a payment on a pledge’s invoice is counted once: by the invoice, not again on the pledge', async (t) => {
  const spec = specFor(t, receivablesDecider);
  const invoicePaid = [
    invoiceIssued({ pledgeId: PLEDGE_ID, total: '600.00' }),
    paymentReceived({ paymentId: uuid(201), amount: '600.00' }),
    paymentAllocated({ allocationId: uuid(301), paymentId: uuid(201), amount: '600.00' }),
    paymentReceived({ amount: '1000.00' }),
  ];
  const onPledge = (amount: string) => allocatePayment({ pledge: { pledgeId: PLEDGE_ID, facts: pledge({ amount: '1000.00' }) }, amount });
  // 1000.00 − 600.00 invoiced (and paid) = 400.00
  spec.given(invoicePaid).when(onPledge('400.00')).then((events) => t.has(events[0]?.data, { amount: '400.00' }));
  spec.given(invoicePaid).when(onPledge('400.01')).thenFails('ALLOCATION_EXCEEDS_PLEDGE', 'amount');
});

t.test('a withdrawn or in-kind pledge takes no money; a share pledge takes up to its share of the actual costs', async (t) => {
  const spec = specFor(t, receivablesDecider);
  const received = [paymentReceived({ amount: '1000.00' })];
  spec.given(received).when(allocatePayment({ pledge: { pledgeId: PLEDGE_ID, facts: pledge({ status: 'withdrawn' }) }, amount: '1.00' })).thenFails('PLEDGE_WITHDRAWN', 'pledge');
  // A rent discount is given, not paid: money on it would count the contribution twice.
  spec.given(received).when(allocatePayment({ pledge: { pledgeId: PLEDGE_ID, facts: pledge({ form: 'in-kind' }) }, amount: '1.00' })).thenFails('PLEDGE_IN_KIND_NOT_PAYABLE', 'pledge');
  const third = { pledgeId: PLEDGE_ID, facts: pledge({ amount: undefined, share: { numerator: 1, denominator: 3 } }) };
  // 1000.00 / 3 = 333.33 (half-even)
  spec.given(received).when(allocatePayment({ pledge: third, amount: '333.33', actualCosts: '1000.00' })).then((events) => t.has(events[0]?.data, { amount: '333.33' }));
  spec.given(received).when(allocatePayment({ pledge: third, amount: '333.34', actualCosts: '1000.00' })).thenFails('ALLOCATION_EXCEEDS_PLEDGE', 'amount');
});

t.test('allocations to one pledge in one payment add up against what is left of it', async (t) => {
  const target = { pledgeId: PLEDGE_ID, facts: pledge({ amount: '1000.00' }) };
  specFor(t, receivablesDecider)
    .given([])
    .when(receivePayment({ amount: '1500.00' }, { allocations: [{ pledge: target, amount: '600.00' }, { pledge: target, amount: '400.01' }] }))
    .thenFails('ALLOCATION_EXCEEDS_PLEDGE', 'allocations.1.amount');
});

/** 2020-0001 is Portaal's, 2020-0002 DOEN's. */
const portaalAndDoen = [
  invoiceIssued({ invoiceId: uuid(1), number: '2020-0001', total: '100.00' }),
  invoiceIssued({ invoiceId: uuid(2), number: '2020-0002', total: '250.00', financierId: 'doen' }),
];

t.test('money from one financier’s account goes to another financier’s invoice or pledge only with a reason, which is recorded', async (t) => {
  const spec = specFor(t, receivablesDecider);
  const fromDoen = [...portaalAndDoen, paymentReceived({ amount: '300.00', payerIban: DOEN_IBAN })];
  const allocate = (target: Parameters<typeof allocatePayment>[0]) => allocatePayment(target, { financiersByIban: FINANCIERS_BY_IBAN });
  spec.given(fromDoen).when(allocate({ invoice: '2020-0001', amount: '100.00' })).thenFails('ALLOCATION_PAYER_MISMATCH', 'reason');
  t.throws(
    () => receivablesDecider.decide(allocate({ invoice: '2020-0001', amount: '100.00' }), foldEvents(receivablesDecider, fromDoen)),
    { message: /doen.*portaal/ },
    'names the payer’s financier and the invoice’s',
  );
  const reason = 'DOEN betaalt namens Portaal (brief 3 juni)';
  spec
    .given(fromDoen)
    .when(allocate({ invoice: '2020-0001', amount: '100.00', reason }))
    .then((events) => t.has(events[0]?.data, { invoiceNumber: '2020-0001', financierId: 'portaal', amount: '100.00', reason }));
  spec.given(fromDoen).when(allocate({ invoice: '2020-0002', amount: '250.00' })).then((events) => t.notOk('reason' in events[0]!.data, 'its own invoice needs no reason'));
  const gemeente = { pledgeId: PLEDGE_ID, facts: pledge({ financierId: 'gemeente' }) };
  spec.given(fromDoen).when(allocate({ pledge: gemeente, amount: '50.00' })).thenFails('ALLOCATION_PAYER_MISMATCH', 'reason');
  spec.given(fromDoen).when(allocate({ pledge: gemeente, amount: '50.00', reason })).then((events) => t.has(events[0]?.data, { pledgeId: PLEDGE_ID, reason }));
  spec
    .given(portaalAndDoen)
    .when(receivePayment({ amount: '100.00', payerIban: DOEN_IBAN }, { allocations: [{ invoice: '2020-0001', amount: '100.00' }], financiersByIban: FINANCIERS_BY_IBAN }))
    .thenFails('ALLOCATION_PAYER_MISMATCH', 'allocations.0.reason');
});

t.test('a payer IBAN that is nobody’s, or none at all, needs no reason; an IBAN typed with spaces is still recognised', async (t) => {
  const spec = specFor(t, receivablesDecider);
  const paying = (payerIban: string | undefined) =>
    receivePayment(
      { amount: '100.00', ...(payerIban === undefined ? {} : { payerIban }) },
      { allocations: [{ invoice: '2020-0001', amount: '100.00' }], financiersByIban: FINANCIERS_BY_IBAN },
    );
  spec.given(portaalAndDoen).when(paying('NL20INGB0001234567')).then((events) => t.equal(events.length, 2, 'an account of no registered financier'));
  spec.given(portaalAndDoen).when(paying(undefined)).then((events) => t.equal(events.length, 2, 'no account given'));
  spec.given(portaalAndDoen).when(paying('nl44 rabo 0123 4567 89')).thenFails('ALLOCATION_PAYER_MISMATCH', 'allocations.0.reason');
  spec.given(portaalAndDoen).when(paying(PORTAAL_IBAN)).then((events) => t.equal(events.length, 2, 'Portaal’s own account'));
});

t.test('automatic matching never allocates across financiers: another financier’s invoice named in the description is left alone', async (t) => {
  const spec = specFor(t, receivablesDecider);
  spec
    .given(portaalAndDoen)
    .when(receivePayment({ amount: '100.00', payerIban: DOEN_IBAN, description: 'factuur 2020-0001' }, { financiersByIban: FINANCIERS_BY_IBAN }))
    .then((events) => t.same(events.map((event) => event.type), ['PaymentReceived'], 'DOEN’s money stays unallocated'));
  spec
    .given(portaalAndDoen)
    .when(receivePayment({ amount: '350.00', payerIban: DOEN_IBAN, description: 'facturen 2020-0001 en 2020-0002' }, { financiersByIban: FINANCIERS_BY_IBAN }))
    .then((events) => t.same(fieldsOf(events).slice(1).map((data) => [data.invoiceNumber, data.amount]), [['2020-0002', '250.00']], 'only DOEN’s own invoice'));
  spec
    .given(portaalAndDoen)
    .when(importStatement([{ bankReference: 'NTRY-9', date: '2020-06-12', amount: '100.00', payerIban: DOEN_IBAN, description: 'Factuur 2020-0001' }], 400, { financiersByIban: FINANCIERS_BY_IBAN, configuredAccounts: [OWN_ACCOUNT] }))
    .then((events) => t.same(events.map((event) => event.type).filter((type) => type !== 'BankStatementReconciled'), ['PaymentReceived'], 'nor from a bank statement'));
  const state = foldEvents(receivablesDecider, portaalAndDoen);
  t.same(
    invoicesOfOtherFinancier(state, { payerIban: DOEN_IBAN, description: 'facturen 2020-0001 en 2020-0002' }, FINANCIERS_BY_IBAN).map((invoice) => invoice.number),
    ['2020-0001'],
    'the answer can say which invoice was left alone',
  );
});
