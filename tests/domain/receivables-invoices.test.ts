import t from 'tap';
import { foldEvents } from '../../src/domain/decider.js';
import { receivablesDecider } from '../../src/domain/receivables/decider.js';
import { specFor } from '../helpers/decider.js';
import {
  creditNoteIssued,
  invoiceIssued,
  issueCreditNote,
  issueInvoice,
  paymentAllocated,
  paymentReceived,
  pledge,
  pledgeAllocated,
  PLEDGE_ID,
  TODAY,
  uuid,
  fieldsOf,
} from './receivables.fixtures.js';

t.test('an invoice takes the first number of its issue year and is due four weeks later', async (t) => {
  specFor(t, receivablesDecider)
    .given([])
    .when(issueInvoice({ lines: [{ description: 'Huur', amount: '100.00' }, { description: 'Energie', amount: '50.50' }] }))
    .then([
      {
        type: 'InvoiceIssued',
        data: {
          invoiceId: uuid(1),
          number: '2020-0001',
          financierId: 'portaal',
          kamerId: 'top',
          year: 2020,
          issueDate: '2020-06-01',
          // 2020-06-01 + 28 days
          dueDate: '2020-06-29',
          lines: [{ description: 'Huur', amount: '100.00' }, { description: 'Energie', amount: '50.50' }],
          total: '150.50',
          // RF + check digits + 20200001: 98 − (20200001 R=27 F=15 00 → 20200001271500 mod 97 = 64) = 34
          paymentReference: 'RF3420200001',
        },
      },
    ]);
});

t.test('the due date is the issue date plus 28 calendar days, across summer time and February', async (t) => {
  const spec = specFor(t, receivablesDecider);
  const cases: Array<[string, string, string]> = [
    // 2020-03-10 + 21 days = 2020-03-31, + 7 = 2020-04-07 (summer time starts 2020-03-29: still a whole day)
    ['2020-03-10', '2020-04-07', 'across the start of summer time'],
    // 2019-10-20 + 11 days = 2019-10-31, + 17 = 2019-11-17 (summer time ends 2019-10-27)
    ['2019-10-20', '2019-11-17', 'across the end of summer time'],
    // 2020 is a leap year: 2020-02-10 + 19 days = 2020-02-29, + 9 = 2020-03-09
    ['2020-02-10', '2020-03-09', 'over 29 February'],
    // 2019 is not: 2019-02-10 + 18 days = 2019-02-28, + 10 = 2019-03-10
    ['2019-02-10', '2019-03-10', 'over 28 February'],
  ];
  for (const [issueDate, dueDate, why] of cases) {
    spec
      .given([])
      .when(issueInvoice({ issueDate, year: Number(issueDate.slice(0, 4)) }))
      .then((events) => t.equal(fieldsOf(events)[0]?.dueDate, dueDate, why));
  }
});

t.test('numbers are gapless per year of the issue date, and credit notes take numbers from the same series', async (t) => {
  const spec = specFor(t, receivablesDecider);
  const history = [
    invoiceIssued({ invoiceId: uuid(1), number: '2019-0001', issueDate: '2019-12-20', dueDate: '2020-01-17', year: 2019 }),
    invoiceIssued({ invoiceId: uuid(2), number: '2020-0001' }),
    creditNoteIssued({ invoiceId: uuid(2), invoiceNumber: '2020-0001', number: '2020-0002' }),
  ];
  spec
    .given(history)
    .when(issueInvoice({ invoiceId: uuid(3), issueDate: '2019-12-31', year: 2020 }))
    .then((events) => t.equal(fieldsOf(events)[0]?.number, '2019-0002', 'a 2019 date continues the 2019 series'));
  spec
    .given(history)
    .when(issueInvoice({ invoiceId: uuid(3), issueDate: TODAY }))
    .then((events) => t.equal(fieldsOf(events)[0]?.number, '2020-0003', 'after invoice 2020-0001 and credit note 2020-0002'));
  spec
    .given(history)
    .when(issueInvoice({ invoiceId: uuid(3), issueDate: '2021-01-04', today: '2021-01-04', year: 2021 }))
    .then((events) => t.equal(fieldsOf(events)[0]?.number, '2021-0001', 'a new year starts its own series'));
});

t.test('an invoice goes only to a known financier that pays on invoice, for a known room, not dated in the future', async (t) => {
  const spec = specFor(t, receivablesDecider);
  spec.given([]).when(issueInvoice({ financier: undefined })).thenFails('UNKNOWN_FINANCIER', 'financier');
  spec.given([]).when(issueInvoice({ financier: { pays: 'subsidy-decision' } })).thenFails('FINANCIER_DOES_NOT_PAY_BY_INVOICE', 'financier');
  spec.given([]).when(issueInvoice({ financier: { pays: 'none' } })).thenFails('FINANCIER_DOES_NOT_PAY_BY_INVOICE', 'financier');
  spec.given([]).when(issueInvoice({ kamerExists: false })).thenFails('UNKNOWN_KAMER', 'kamer');
  spec.given([]).when(issueInvoice({ issueDate: '2020-06-16' })).thenFails('DATE_IN_FUTURE', 'issueDate');
  spec.given([]).when(issueInvoice({ issueDate: TODAY })).then((events) => t.equal(fieldsOf(events)[0]?.issueDate, TODAY, 'today itself is fine'));
});

t.test('an invoice without lines is refused unless it is for a share pledge', async (t) => {
  specFor(t, receivablesDecider).given([]).when(issueInvoice({ lines: undefined })).thenFails('INVALID_INPUT', 'lines');
  specFor(t, receivablesDecider)
    .given([])
    .when(issueInvoice({ lines: undefined, pledge: { pledgeId: PLEDGE_ID, facts: pledge() } }))
    .thenFails('INVALID_INPUT', 'lines');
});

t.test('a pledge invoiced must exist, match financier, room and year, be live and be in cash', async (t) => {
  const spec = specFor(t, receivablesDecider);
  const withPledge = (facts: ReturnType<typeof pledge> | undefined) => issueInvoice({ pledge: { pledgeId: PLEDGE_ID, facts } });
  spec.given([]).when(withPledge(undefined)).thenFails('UNKNOWN_PLEDGE', 'pledge');
  spec.given([]).when(withPledge(pledge({ financierId: 'mitros' }))).thenFails('PLEDGE_DOES_NOT_MATCH', 'pledge');
  spec.given([]).when(withPledge(pledge({ kamerId: 'de-klop' }))).thenFails('PLEDGE_DOES_NOT_MATCH', 'pledge');
  spec.given([]).when(withPledge(pledge({ year: 2019 }))).thenFails('PLEDGE_DOES_NOT_MATCH', 'pledge');
  spec.given([]).when(withPledge(pledge({ status: 'withdrawn' }))).thenFails('PLEDGE_WITHDRAWN', 'pledge');
  spec.given([]).when(withPledge(pledge({ form: 'in-kind' }))).thenFails('PLEDGE_IN_KIND_NOT_INVOICEABLE', 'pledge');
  spec.given([]).when(withPledge(pledge({ status: 'conditional' }))).then((events) => t.equal(fieldsOf(events)[0]?.pledgeId, PLEDGE_ID));
});

t.test('invoices on an amount pledge never exceed what is left of it, net of credit notes', async (t) => {
  const spec = specFor(t, receivablesDecider);
  const onPledge = (amount: string) =>
    issueInvoice({
      invoiceId: uuid(2),
      issueDate: TODAY,
      pledge: { pledgeId: PLEDGE_ID, facts: pledge({ amount: '1000.00' }) },
      lines: [{ description: 'Tweede termijn', amount }],
    });
  const firstInvoice = invoiceIssued({ pledgeId: PLEDGE_ID, total: '600.00' });
  // 1000.00 pledged − 600.00 invoiced = 400.00 left
  spec.given([firstInvoice]).when(onPledge('400.00')).then((events) => t.equal(fieldsOf(events)[0]?.total, '400.00'));
  spec.given([firstInvoice]).when(onPledge('400.01')).thenFails('INVOICE_EXCEEDS_PLEDGE', 'lines');
  // a credit note of 100.00 on the first invoice frees 100.00: 500.00 left
  const credited = [firstInvoice, creditNoteIssued({ pledgeId: PLEDGE_ID, amount: '100.00' })];
  spec.given(credited).when(onPledge('500.00')).then((events) => t.equal(fieldsOf(events)[0]?.total, '500.00'));
  spec.given(credited).when(onPledge('500.01')).thenFails('INVOICE_EXCEEDS_PLEDGE', 'lines');
  // an amended pledge counts at its current amount
  spec
    .given([firstInvoice])
    .when(issueInvoice({ invoiceId: uuid(2), pledge: { pledgeId: PLEDGE_ID, facts: pledge({ amount: '1200.00' }) }, lines: [{ description: 'x', amount: '600.00' }] }))
    .then((events) => t.equal(fieldsOf(events)[0]?.total, '600.00'));
});

t.test('money paid on a pledge directly leaves that much less to invoice on it', async (t) => {
  const spec = specFor(t, receivablesDecider);
  const paidDirectly = [paymentReceived({ amount: '300.00' }), pledgeAllocated('300.00')];
  const onPledge = (amount: string) => issueInvoice({ pledge: { pledgeId: PLEDGE_ID, facts: pledge({ amount: '1000.00' }) }, lines: [{ description: 'Rest', amount }] });
  // 1000.00 pledged − 300.00 paid on the pledge without an invoice = 700.00 left to invoice
  spec.given(paidDirectly).when(onPledge('700.00')).then((events) => t.equal(fieldsOf(events)[0]?.total, '700.00'));
  spec.given(paidDirectly).when(onPledge('700.01')).thenFails('INVOICE_EXCEEDS_PLEDGE', 'lines');
});

t.test('a share pledge invoices its share of the actual costs, rounded half-even to cents, in one line when none are given', async (t) => {
  const spec = specFor(t, receivablesDecider);
  const third = { pledgeId: PLEDGE_ID, facts: pledge({ amount: undefined, share: { numerator: 1, denominator: 3 } }) };
  spec
    .given([])
    .when(issueInvoice({ lines: undefined, pledge: third, actualCosts: '1000.00' }))
    .then((events) => {
      // 1000.00 / 3 = 333.333… → 333.33
      t.same(fieldsOf(events)[0]?.lines, [{ description: 'Aandeel 1/3 van de werkelijke kosten 2020', amount: '333.33' }]);
      t.equal(fieldsOf(events)[0]?.total, '333.33');
    });
  const half = { pledgeId: PLEDGE_ID, facts: pledge({ amount: undefined, share: { numerator: 1, denominator: 2 } }) };
  // 100.05 / 2 = 50.025: half-even rounds to the even cent 50.02 (half-up would give 50.03)
  spec.given([]).when(issueInvoice({ lines: undefined, pledge: half, actualCosts: '100.05' })).then((events) => t.equal(fieldsOf(events)[0]?.total, '50.02'));
  // 100.15 / 2 = 50.075 → 50.08
  spec.given([]).when(issueInvoice({ lines: undefined, pledge: half, actualCosts: '100.15' })).then((events) => t.equal(fieldsOf(events)[0]?.total, '50.08'));
});

t.test('a share pledge already invoiced in full leaves nothing to invoice', async (t) => {
  const spec = specFor(t, receivablesDecider);
  const third = { pledgeId: PLEDGE_ID, facts: pledge({ amount: undefined, share: { numerator: 1, denominator: 3 } }) };
  const invoiced = [invoiceIssued({ pledgeId: PLEDGE_ID, total: '333.33' })];
  spec.given(invoiced).when(issueInvoice({ invoiceId: uuid(2), lines: undefined, pledge: third, actualCosts: '1000.00' })).thenFails('INVOICE_HAS_NO_AMOUNT', 'lines');
  spec
    .given(invoiced)
    .when(issueInvoice({ invoiceId: uuid(2), pledge: third, actualCosts: '1000.00', lines: [{ description: 'extra', amount: '0.01' }] }))
    .thenFails('INVOICE_EXCEEDS_PLEDGE', 'lines');
  // costs grew to 1300.00: a third is 433.33, of which 100.00 is left
  spec
    .given(invoiced)
    .when(issueInvoice({ invoiceId: uuid(2), lines: undefined, pledge: third, actualCosts: '1300.00' }))
    .then((events) => t.equal(fieldsOf(events)[0]?.total, '100.00'));
});

t.test('a credit note credits all that is open by default, or part of it, never more', async (t) => {
  const spec = specFor(t, receivablesDecider);
  const partlyPaid = [invoiceIssued(), paymentReceived({ amount: '300.00' }), paymentAllocated({ amount: '300.00' })];
  spec
    .given(partlyPaid)
    .when(issueCreditNote())
    .then([
      {
        type: 'CreditNoteIssued',
        data: {
          creditNoteId: uuid(50),
          number: '2020-0002',
          invoiceId: uuid(1),
          invoiceNumber: '2020-0001',
          financierId: 'portaal',
          kamerId: 'top',
          year: 2020,
          issueDate: TODAY,
          // 1000.00 invoiced − 300.00 paid
          amount: '700.00',
          reason: 'te veel gefactureerd',
        },
      },
    ]);
  spec.given(partlyPaid).when(issueCreditNote({ amount: '250.00', invoice: '2020-0001' })).then((events) => t.equal(fieldsOf(events)[0]?.amount, '250.00', 'named by number'));
  spec.given(partlyPaid).when(issueCreditNote({ amount: '700.01' })).thenFails('CREDIT_NOTE_EXCEEDS_OPEN_AMOUNT', 'amount');
  spec.given(partlyPaid).when(issueCreditNote({ amount: '0.00' })).thenFails('INVALID_INPUT', 'amount');
  const paid = [invoiceIssued(), paymentReceived(), paymentAllocated()];
  spec.given(paid).when(issueCreditNote()).thenFails('CREDIT_NOTE_EXCEEDS_OPEN_AMOUNT', 'amount');
});

t.test('a credit note needs a known invoice and a date between the invoice and today', async (t) => {
  const spec = specFor(t, receivablesDecider);
  spec.given([invoiceIssued()]).when(issueCreditNote({ invoice: uuid(99) })).thenFails('NOT_FOUND');
  spec.given([invoiceIssued()]).when(issueCreditNote({ invoice: '2020-0099' })).thenFails('NOT_FOUND');
  spec.given([invoiceIssued()]).when(issueCreditNote({ issueDate: '2020-05-31' })).thenFails('INVALID_INPUT', 'issueDate');
  spec.given([invoiceIssued()]).when(issueCreditNote({ issueDate: '2020-06-16' })).thenFails('DATE_IN_FUTURE', 'issueDate');
  spec
    .given([invoiceIssued()])
    .when(issueCreditNote({ issueDate: '2020-06-01' }))
    .then((events) => t.equal(fieldsOf(events)[0]?.number, '2020-0002', 'dated the invoice day itself'));
});

t.test('an invoice dated before the previous number of its series is refused, naming that number and date; the same date is fine', async (t) => {
  const spec = specFor(t, receivablesDecider);
  const history = [
    invoiceIssued({ invoiceId: uuid(1), number: '2019-0001', issueDate: '2019-03-01', dueDate: '2019-03-29', year: 2019 }),
    invoiceIssued({ invoiceId: uuid(2), number: '2019-0002', issueDate: '2019-07-01', dueDate: '2019-07-29', year: 2019 }),
  ];
  const dated = (issueDate: string) => issueInvoice({ invoiceId: uuid(3), issueDate, year: 2019 });
  spec.given(history).when(dated('2019-03-15')).thenFails('INVOICE_DATE_BEFORE_PREVIOUS', 'issueDate');
  spec.given(history).when(dated('2019-06-30')).thenFails('INVOICE_DATE_BEFORE_PREVIOUS', 'issueDate');
  t.throws(() => receivablesDecider.decide(dated('2019-03-15'), foldEvents(receivablesDecider, history)), { message: /2019-0002.*2019-07-01/ }, 'names the previous number and its date');
  spec.given(history).when(dated('2019-07-01')).then((events) => t.equal(fieldsOf(events)[0]?.number, '2019-0003', 'the same date as 2019-0002'));
  // each year is its own series: a 2020 document dated after 2019's last is no reason to refuse
  spec
    .given([...history, invoiceIssued({ invoiceId: uuid(4), number: '2020-0001', issueDate: '2020-01-06', dueDate: '2020-02-03' })])
    .when(dated('2019-12-31'))
    .then((events) => t.equal(fieldsOf(events)[0]?.number, '2019-0003', 'a 2019 date is measured against 2019-0002 only'));
});

t.test('credit notes share the series: neither a credit note nor the invoice after it may be dated before the previous number', async (t) => {
  const spec = specFor(t, receivablesDecider);
  const twoInvoices = [invoiceIssued({ issueDate: '2020-06-01' }), invoiceIssued({ invoiceId: uuid(2), number: '2020-0002', issueDate: '2020-06-10', dueDate: '2020-07-08' })];
  // after its own invoice (2020-06-01), but before 2020-0002 (2020-06-10)
  spec.given(twoInvoices).when(issueCreditNote({ issueDate: '2020-06-05' })).thenFails('INVOICE_DATE_BEFORE_PREVIOUS', 'issueDate');
  spec.given(twoInvoices).when(issueCreditNote({ issueDate: '2020-06-10' })).then((events) => t.equal(fieldsOf(events)[0]?.number, '2020-0003'));
  const credited = [invoiceIssued({ issueDate: '2020-06-01' }), creditNoteIssued({ number: '2020-0002', issueDate: '2020-06-10' })];
  spec.given(credited).when(issueInvoice({ invoiceId: uuid(3), issueDate: '2020-06-09' })).thenFails('INVOICE_DATE_BEFORE_PREVIOUS', 'issueDate');
});

t.test('a stream written before the date rule, with dates out of order, still replays; the next number follows the previous number’s date', async (t) => {
  const spec = specFor(t, receivablesDecider);
  const outOfOrder = [
    invoiceIssued({ issueDate: '2019-07-01', dueDate: '2019-07-29', number: '2019-0001', year: 2019 }),
    invoiceIssued({ invoiceId: uuid(2), issueDate: '2019-03-15', dueDate: '2019-04-12', number: '2019-0002', year: 2019 }),
  ];
  const dated = (issueDate: string) => issueInvoice({ invoiceId: uuid(3), issueDate, year: 2019 });
  spec.given(outOfOrder).when(dated('2019-03-01')).thenFails('INVOICE_DATE_BEFORE_PREVIOUS', 'issueDate');
  // measured against 2019-0002 (2019-03-15), the previous number, not the latest date in the series
  spec.given(outOfOrder).when(dated('2019-04-01')).then((events) => t.equal(fieldsOf(events)[0]?.number, '2019-0003'));
});
