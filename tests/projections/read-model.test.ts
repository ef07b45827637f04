import t from 'tap';
import { addDays, daysBetween } from '../../src/domain/calendar.js';
import { DomainError } from '../../src/domain/errors.js';
import { formatAmount, money } from '../../src/domain/money.js';
import { pettyCashProjection } from '../../src/projections/petty-cash.js';
import { pledgesProjection } from '../../src/projections/pledges.js';
import { receivablesProjection } from '../../src/projections/receivables.js';
import { registryProjection } from '../../src/projections/registry.js';
import { roomsProjection } from '../../src/projections/rooms.js';
import { STANDARD_PROJECTIONS } from '../../src/projections/standard.js';
import type { DomainEvent } from '../../src/domain/events.js';
import { roomBudgetView } from '../../src/projections/views/budget.js';
import { calendarDaysBetween } from '../../src/projections/views/dates.js';
import { financierPositionView } from '../../src/projections/views/financier-position.js';
import { findInvoice, invoiceView, listInvoices, overdueReport } from '../../src/projections/views/invoices.js';
import { unallocatedPayments } from '../../src/projections/views/payments.js';
import { pettyCashView } from '../../src/projections/views/petty-cash.js';
import { listPledges } from '../../src/projections/views/pledges.js';
import {
  allocation,
  amended,
  budget,
  creditNote,
  expense,
  financier,
  fold,
  hours,
  hoursReversed,
  invoice,
  kamer,
  payment,
  pettyCashSpent,
  pettyCashTransfer,
  pledge,
  rate,
  statusChanged,
} from './read-model-events.js';

function receivablesOf(events: readonly DomainEvent[]) {
  return fold(receivablesProjection, events);
}

t.test('an invoice moves from open to overdue, partially paid and paid, with its days to pay', async (t) => {
  const issued = invoice({ number: '2020-0001', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-01-10', total: '1000.00' });
  const dueDate = addDays('2020-01-10', 28);
  let state = receivablesOf([issued]);
  const only = () => findInvoice(state, '2020-0001')!;
  t.equal(invoiceView(only(), '2020-01-20').status, 'open');
  t.equal(invoiceView(only(), dueDate).status, 'open', 'on its due date it is not yet overdue');
  t.equal(invoiceView(only(), addDays(dueDate, 1)).status, 'overdue');

  const first = payment('2020-01-20', '400.00');
  state = receivablesOf([issued, first, allocation(first, { invoice: issued }, '400.00')]);
  t.has(invoiceView(only(), '2020-01-25'), { status: 'partially-paid', paidAmount: '400.00', openAmount: '600.00' });
  t.equal(invoiceView(only(), addDays(dueDate, 1)).status, 'overdue', 'a partly paid invoice past due is overdue');
  t.notOk('paidOn' in invoiceView(only(), '2020-01-25'), 'not paid, so no paidOn');

  const second = payment('2020-02-03', '600.00');
  state = receivablesOf([issued, first, allocation(first, { invoice: issued }, '400.00'), second, allocation(second, { invoice: issued }, '600.00')]);
  const expectedDays = daysBetween('2020-01-10', '2020-02-03');
  t.has(invoiceView(only(), '2020-12-31'), { status: 'paid', paidAmount: '1000.00', openAmount: '0.00', paidOn: '2020-02-03', daysToPay: expectedDays, onTime: expectedDays <= 28 });
  t.equal(expectedDays, 24);
});

t.test('an invoice paid after four weeks is late', async (t) => {
  const issued = invoice({ number: '2020-0001', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-01-10', total: '500.00' });
  const late = payment('2020-02-09', '500.00');
  const view = invoiceView(findInvoice(receivablesOf([issued, late, allocation(late, { invoice: issued }, '500.00')]), '2020-0001')!, '2020-03-01');
  t.match(view, { status: 'paid', daysToPay: 30, onTime: false });
});

t.test('paidOn is the latest bank date, even when an earlier-dated payment was allocated last', async (t) => {
  const issued = invoice({ number: '2020-0001', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-01-10', total: '300.00' });
  const later = payment('2020-01-30', '100.00');
  const earlier = payment('2020-01-15', '200.00');
  const state = receivablesOf([issued, later, earlier, allocation(later, { invoice: issued }, '100.00'), allocation(earlier, { invoice: issued }, '200.00')]);
  t.match(invoiceView(findInvoice(state, '2020-0001')!, '2020-03-01'), { status: 'paid', paidOn: '2020-01-30', daysToPay: 20 });
});

t.test('credit notes: fully credited is "credited"; credited and paid for the rest is "paid"', async (t) => {
  const a = invoice({ number: '2020-0001', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-01-10', total: '1000.00' });
  const b = invoice({ number: '2020-0002', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-01-10', total: '1000.00' });
  const paid = payment('2020-01-20', '750.00');
  const state = receivablesOf([a, b, creditNote(a, '2020-0003', '1000.00'), creditNote(b, '2020-0004', '250.00'), paid, allocation(paid, { invoice: b }, '750.00')]);
  t.has(invoiceView(findInvoice(state, '2020-0001')!, '2020-06-01'), { status: 'credited', credited: '1000.00', paidAmount: '0.00', openAmount: '0.00', creditNotes: [{ number: '2020-0003', amount: '1000.00' }] });
  t.match(invoiceView(findInvoice(state, a.data.invoiceId)!, '2020-06-01'), { number: '2020-0001' }, 'found by id as well as by number');
  t.has(invoiceView(findInvoice(state, '2020-0002')!, '2020-06-01'), { status: 'paid', credited: '250.00', paidAmount: '750.00', paidOn: '2020-01-20' });
});

t.test('invoice lists filter by financier, room, year and status; the overdue report ages invoices on the reference date', async (t) => {
  const events = [
    invoice({ number: '2019-0001', financier: 'portaal', kamer: 'top', year: 2019, issueDate: '2019-11-01', total: '100.00' }),
    invoice({ number: '2020-0001', financier: 'portaal', kamer: 'klop', year: 2020, issueDate: '2020-01-02', total: '200.00' }),
    invoice({ number: '2020-0002', financier: 'mitros', kamer: 'top', year: 2020, issueDate: '2020-01-03', total: '300.00' }),
  ];
  const state = receivablesOf(events);
  t.same(listInvoices(state, { financier: 'portaal' }, '2020-01-10').map((i) => i.number), ['2019-0001', '2020-0001']);
  t.same(listInvoices(state, { kamer: 'top', year: 2020 }, '2020-01-10').map((i) => i.number), ['2020-0002']);
  t.same(listInvoices(state, { status: 'overdue' }, '2020-01-10').map((i) => i.number), ['2019-0001']);

  const reference = '2020-03-01';
  const report = overdueReport(state, reference);
  t.same(report.map((row) => row.number), ['2019-0001', '2020-0001', '2020-0002'], 'longest overdue first');
  t.same(report.map((row) => row.daysOverdue), [
    daysBetween(addDays('2019-11-01', 28), reference),
    daysBetween(addDays('2020-01-02', 28), reference),
    daysBetween(addDays('2020-01-03', 28), reference),
  ]);
  t.same(overdueReport(state, reference, 'mitros').map((row) => row.number), ['2020-0002'], 'one financier sees its own rows');
});

t.test('a payment shows its unallocated remainder until it is fully allocated', async (t) => {
  const issued = invoice({ number: '2020-0001', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-01-10', total: '100.00' });
  const partly = payment('2020-01-20', '250.00');
  const unmatched = payment('2020-01-05', '80.00');
  const full = payment('2020-01-21', '10.00');
  const state = receivablesOf([issued, partly, unmatched, full, allocation(partly, { invoice: issued }, '90.00'), allocation(full, { invoice: issued }, '10.00')]);
  t.same(
    unallocatedPayments(state).map(({ id, amount, allocated, unallocated }) => ({ id, amount, allocated, unallocated })),
    [
      { id: unmatched.data.paymentId, amount: '80.00', allocated: '0.00', unallocated: '80.00' },
      { id: partly.data.paymentId, amount: '250.00', allocated: '90.00', unallocated: '160.00' },
    ],
  );
});

t.test('pledges show their current status and amount after amendments; a share pledge counts its share of actual spending', async (t) => {
  const cash = pledge({ financier: 'portaal', kamer: 'top', year: 2020, amount: '5000.00', status: 'proposed' });
  const share = pledge({ financier: 'doen', kamer: 'top', year: 2020, share: { numerator: 1, denominator: 3 } });
  const events = [cash, statusChanged(cash, 'proposed', 'committed'), amended(cash, '5000.00', '4500.00'), share];
  const spending = [expense('top', 2020, 'rent', '2020-02-01', '1000.00'), pettyCashSpent('top', '2020-02-10', 'A', '0.01')];
  const pledges = fold(pledgesProjection, events);
  const rooms = fold(roomsProjection, spending);
  const list = listPledges(pledges, rooms, { kamer: 'top' });
  t.has(list[0], { id: cash.data.pledgeId, status: 'committed', amount: '4500.00' });
  // one third of 1000.01 is 333.336…, rounded half-to-even to cents
  t.has(list[1], { id: share.data.pledgeId, share: { numerator: 1, denominator: 3 }, amount: '333.34' });
  t.same(listPledges(pledges, rooms, { financier: 'doen' }).length, 1);
  t.same(listPledges(pledges, rooms, { year: 2019 }).length, 0);
});

function roomScenario(): DomainEvent[] {
  const committed = pledge({ financier: 'gemeente', kamer: 'top', year: 2020, amount: '30000.00' });
  const inKind = pledge({ financier: 'mitros', kamer: 'top', year: 2020, amount: '6600.00', form: 'in-kind' });
  const conditional = pledge({ financier: 'portaal', kamer: 'top', year: 2020, amount: '4000.00', status: 'conditional' });
  const withdrawn = pledge({ financier: 'bo-ex', kamer: 'top', year: 2020, amount: '1000.00', status: 'proposed' });
  const issued = invoice({ number: '2020-0001', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-02-01', total: '4000.00' });
  const paidInvoice = payment('2020-02-20', '2500.00');
  const subsidy = payment('2020-03-01', '30000.00');
  const resident = hours('top', 'v1', '2020-03-01', '240.00');
  const mistaken = hours('top', 'v2', '2020-04-01', '3.00');
  return [
    kamer('top'),
    budget('top', 2020, [['rent', '9000.00'], ['salaries', '40000.00']]),
    rate(2020, 'resident', '11.00'),
    rate(2020, 'professional', '37.00'),
    committed,
    inKind,
    conditional,
    withdrawn,
    statusChanged(withdrawn, 'proposed', 'withdrawn'),
    issued,
    creditNote(issued, '2020-0002', '500.00'),
    paidInvoice,
    allocation(paidInvoice, { invoice: issued }, '2500.00'),
    subsidy,
    allocation(subsidy, { pledge: committed }, '30000.00'),
    expense('top', 2020, 'rent', '2020-01-31', '750.00'),
    expense('top', 2020, 'phone', '2020-01-31', '40.00'),
    pettyCashTransfer('top', '2020-01-02', '250.00'),
    pettyCashSpent('top', '2020-01-10', 'A', '12.50'),
    pettyCashSpent('top', '2020-01-11', 'F', '30.00'),
    resident,
    hours('top', 'v1', '2020-04-01', '10.00'),
    hours('top', 'v2', '2020-04-01', '8.00'),
    mistaken,
    hoursReversed(mistaken),
    hours('top', 'p1', '2020-04-02', '5.50', 'professional'),
    hours('top', 'v3', '2019-12-31', '99.00'),
  ];
}

t.test("a room's budget balance follows the documented definitions", async (t) => {
  const events = roomScenario();
  const view = roomBudgetView({ registry: fold(registryProjection, events), pledges: fold(pledgesProjection, events), rooms: fold(roomsProjection, events) }, 'top', 2020);
  t.same(view.budget, { lines: [{ line: 'rent', label: 'rent', amount: '9000.00' }, { line: 'salaries', label: 'salaries', amount: '40000.00' }], total: '49000.00' });
  t.same(view.pledged, { committed: '36600.00', conditional: '4000.00', proposed: '0.00', withdrawn: '1000.00', inKind: '6600.00' });
  t.equal(view.invoiced, '3500.00', '4000.00 invoiced − 500.00 credited');
  t.equal(view.received, '32500.00', '2500.00 on the invoice + 30000.00 on the pledge');
  t.equal(view.outstanding, '1000.00', '3500.00 invoiced − 2500.00 received on invoices');
  t.same(view.spent, { byLine: { rent: '750.00', salaries: '0.00', phone: '40.00' }, pettyCash: { A: '12.50', B: '0.00', C: '0.00', D: '0.00', E: '0.00', F: '30.00' }, total: '832.50' });
  t.equal(view.pettyCashTransferred, '250.00');
  t.equal(view.cash, '31460.00', '32500.00 received − 790.00 expenses − 250.00 transferred');
  t.equal(view.fundingGap, '12400.00', '49000.00 − 36600.00 committed');
  // resident 240 + 10 + 8 + 3 − 3 (reversed) = 258 h at 11.00 = 2838.00; professional 5.5 h at 37.00 = 203.50;
  // the 2019 hours belong to 2019; only v1 (250 h) is active
  t.same(view.volunteers, { hours: { resident: '258.00', professional: '5.50' }, value: '3041.50', activeVolunteers: 1 });
  t.equal(view.popularBudget, '52041.50');
  t.equal(view.financiersShare, '0.7033', '36600 / 52041.50 = 0.70328…');
});

t.test('volunteer hours without a rate for their year are refused; without hours no rate is needed', async (t) => {
  const events = [kamer('top'), hours('top', 'v1', '2021-01-05', '2.00')];
  const inputs = { registry: fold(registryProjection, events), pledges: fold(pledgesProjection, events), rooms: fold(roomsProjection, events) };
  t.throws(() => roomBudgetView(inputs, 'top', 2021), new DomainError('VALUATION_RATE_MISSING', 'no valuation rate for resident hours in 2021; set one with POST /valuation-rates'));
  t.has(roomBudgetView(inputs, 'top', 2022), { volunteers: { value: '0.00' }, popularBudget: '0.00', financiersShare: '0.0000' });
});

t.test("the financiers' share is capped at 1 when committed pledges exceed the popular budget", async (t) => {
  const events = [kamer('top'), budget('top', 2020, [['rent', '100.00']]), pledge({ financier: 'gemeente', kamer: 'top', year: 2020, amount: '150.00' })];
  const view = roomBudgetView({ registry: fold(registryProjection, events), pledges: fold(pledgesProjection, events), rooms: fold(roomsProjection, events) }, 'top', 2020);
  t.equal(view.financiersShare, '1.0000');
  t.equal(view.fundingGap, '-50.00');
});

t.test("a financier's position: committed pledges, invoiced net, everything paid, open and overdue", async (t) => {
  const committed = pledge({ financier: 'portaal', kamer: 'top', year: 2020, amount: '5000.00' });
  const proposed = pledge({ financier: 'portaal', kamer: 'klop', year: 2020, amount: '800.00', status: 'proposed' });
  const older = pledge({ financier: 'portaal', kamer: 'top', year: 2019, amount: '2000.00' });
  const paidOnTime = invoice({ number: '2020-0001', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-01-10', total: '2000.00' });
  const overdue = invoice({ number: '2020-0002', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-02-01', total: '1500.00' });
  const notDue = invoice({ number: '2020-0003', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-03-20', total: '1000.00' });
  const otherFinancier = invoice({ number: '2020-0004', financier: 'mitros', kamer: 'top', year: 2020, issueDate: '2020-01-10', total: '999.00' });
  const first = payment('2020-01-30', '2000.00');
  const second = payment('2020-02-10', '500.00');
  const direct = payment('2020-02-11', '100.00');
  const events = [
    committed, proposed, older, paidOnTime, overdue, notDue, otherFinancier,
    creditNote(overdue, '2020-0005', '200.00'),
    first, allocation(first, { invoice: paidOnTime }, '2000.00'),
    second, allocation(second, { invoice: overdue }, '500.00'),
    direct, allocation(direct, { pledge: committed }, '100.00'),
  ];
  const inputs = { pledges: fold(pledgesProjection, events), receivables: fold(receivablesProjection, events), rooms: fold(roomsProjection, events) };
  const view = financierPositionView(inputs, 'portaal', 2020, '2020-04-01');
  t.match(view, {
    financier: 'portaal',
    year: 2020,
    pledged: '5000.00',
    pledgedByStatus: { committed: '5000.00', proposed: '800.00' },
    invoiced: '4300.00',
    paid: '2600.00',
    paidWithoutInvoice: '100.00',
    open: '1800.00',
    overdue: '800.00',
  });
  t.same(view.rooms.map((room) => [room.kamer, room.pledged, room.invoiced, room.open]), [['klop', '0.00', '0.00', '0.00'], ['top', '5000.00', '4300.00', '1800.00']]);
  t.same(view.invoices.map((i) => [i.number, i.status, i.paidOn, i.daysToPay, i.onTime]), [
    ['2020-0001', 'paid', '2020-01-30', 20, true],
    ['2020-0002', 'overdue', null, null, null],
    ['2020-0003', 'open', null, null, null],
  ]);
  t.has(financierPositionView(inputs, 'portaal', undefined, '2020-04-01'), { year: null, pledged: '7000.00' }, 'without a year every year counts');
});

t.test('petty cash per month: transfers by the month they count against and by date, spending by date, a running balance by date carried over from earlier years', async (t) => {
  const events = [
    pettyCashTransfer('top', '2019-12-02', '250.00'),
    pettyCashSpent('top', '2019-12-20', 'B', '100.00'),
    pettyCashTransfer('top', '2019-12-30', '50.00', '2020-01'),
    pettyCashTransfer('top', '2020-01-31', '200.00', '2020-02'),
    pettyCashSpent('top', '2020-02-03', 'C', '20.00'),
    pettyCashSpent('top', '2020-02-04', 'E', '5.55'),
    pettyCashSpent('top', '2020-05-04', 'E', '4.45'),
    pettyCashTransfer('klop', '2020-01-02', '250.00'),
  ];
  const view = pettyCashView(fold(pettyCashProjection, events), 'top', 2020);
  // Dated in 2019, so in the opening balance, although the 50.00 counts against January's limit.
  const opening = money('250.00').minus('100.00').plus('50.00');
  const january = opening.plus('200.00');
  const february = january.minus('20.00').minus('5.55');
  const may = february.minus('4.45');
  t.equal(view.openingBalance, formatAmount(opening));
  t.equal(view.months.length, 12);
  t.has(view.months[0], { month: '2020-01', transferred: '50.00', transferredByDate: '200.00', spentTotal: '0.00', balance: formatAmount(january) });
  t.has(view.months[1], { month: '2020-02', transferred: '200.00', transferredByDate: '0.00', spent: { C: '20.00', E: '5.55' }, spentTotal: '25.55', balance: formatAmount(february) });
  t.has(view.months[4], { month: '2020-05', spentTotal: '4.45', balance: formatAmount(may) });
  t.has(view.totals, { transferred: '250.00', transferredByDate: '200.00', spent: { C: '20.00', E: '10.00' }, spentTotal: '30.00' });
  t.equal(view.closingBalance, formatAmount(may));
  t.equal(view.months[11]!.balance, formatAmount(may));
});

t.test('a transfer made early for next month pays for spending from its date: the month of its date never shows below zero', async (t) => {
  // On 25 June for July; 200.00 spent on 28 June. By the counted month June would be −200.00.
  const events = [pettyCashTransfer('top', '2020-06-25', '250.00', '2020-07'), pettyCashSpent('top', '2020-06-28', 'F', '200.00')];
  const view = pettyCashView(fold(pettyCashProjection, events), 'top', 2020);
  t.has(view.months[5], { month: '2020-06', transferred: '0.00', transferredByDate: '250.00', spentTotal: '200.00', balance: '50.00' });
  t.has(view.months[6], { month: '2020-07', transferred: '250.00', transferredByDate: '0.00', balance: '50.00' });
});

t.test('counting calendar days without luxon agrees with calendar.daysBetween across daylight-saving changes', async (t) => {
  const pairs: Array<[string, string]> = [
    ['2020-03-28', '2020-03-30'],
    ['2020-10-24', '2020-10-26'],
    ['2019-12-31', '2020-03-01'],
    ['2020-02-28', '2020-03-01'],
    ['2021-03-01', '2020-02-01'],
    ['2018-01-01', '2021-12-31'],
  ];
  for (const [from, to] of pairs) t.equal(calendarDaysBetween(from, to), daysBetween(from, to), `${from} → ${to}`);
});

t.test('registry keeps the latest budget and rate; rooms and financiers are known by id', async (t) => {
  const state = fold(registryProjection, [
    kamer('top'),
    financier('portaal'),
    budget('top', 2020, [['rent', '1.00']]),
    budget('top', 2020, [['rent', '2.00']]),
    rate(2020, 'resident', '10.04'),
    rate(2020, 'resident', '11.00'),
  ]);
  t.ok(state.kamers.has('top'));
  t.ok(state.financiers.has('portaal'));
  t.equal(state.budgets.get('top|2020')?.total, '2.00');
  const changed = fold(registryProjection, [financier('portaal'), { type: 'FinancierDetailsChanged', data: { financierId: 'portaal', email: 'a@example.com' } }]);
  t.same(changed.financiers.get('portaal'), { ...state.financiers.get('portaal'), email: 'a@example.com' }, "a financier's details change in place; who it is stays");
  t.same(state.valuationRates.get(2020), { resident: '11.00' });
});

t.test("each projection's declared eventTypes are exactly the types it reacts to", async (t) => {
  const issued = invoice({ number: '2020-0001', financier: 'portaal', kamer: 'top', year: 2020, issueDate: '2020-01-10', total: '100.00' });
  const made = pledge({ financier: 'portaal', kamer: 'top', year: 2020, amount: '10.00' });
  const detailsChanged = { type: 'FinancierDetailsChanged', data: { financierId: 'portaal', email: 'crediteuren@example.com' } } as const;
  // The bank's own events: only the journal's folds (year-openings) react to them.
  const bank: DomainEvent[] = [
    { type: 'BankOpeningBalanceRecorded', data: { account: 'NL00BANK0000000001', date: '2020-01-01', amount: '100.00', messageId: 'm-1' } },
    { type: 'BankEntryBooked', data: { entryId: '00000000-0000-4000-8000-000000000001', account: 'NL00BANK0000000001', direction: 'debit', date: '2020-02-01', amount: '5.00', bankReference: 'r-1', booking: 'unassigned' } },
    { type: 'BankEntryAssigned', data: { entryId: '00000000-0000-4000-8000-000000000001', date: '2020-02-01', amount: '5.00', assignment: 'bank-costs' } },
    { type: 'BankStatementReconciled', data: { messageId: 'm-1', account: 'NL00BANK0000000001', closing: { date: '2020-02-28', statement: '96.00', ledger: '95.00' }, difference: '1.00', differenceAccepted: true, confirmedReferences: [] } },
  ];
  // An in-kind pledge, amended and withdrawn: the journal's folds (year-openings) keep only in-kind
  // pledges in their posting context, so only such a pledge's changes move their state.
  const gift = pledge({ financier: 'portaal', kamer: 'top', year: 2020, amount: '50.00', form: 'in-kind' });
  const inKind = [gift, amended(gift, '50.00', '60.00'), statusChanged(gift, 'committed', 'withdrawn')];
  const events = [...roomScenario(), financier('portaal'), detailsChanged, issued, creditNote(issued, '2020-0002', '10.00'), made, amended(made, '10.00', '20.00'), ...inKind, payment('2020-05-05', '9.99'), ...bank];
  for (const projection of STANDARD_PROJECTIONS) {
    const types = new Set<string>(projection.eventTypes ?? []);
    t.ok(projection.eventTypes, `${projection.name} declares its types`);
    const everything = fold(projection, events);
    const onlyDeclared = fold(projection, events.filter((event) => types.has(event.type)));
    t.same(everything, onlyDeclared, `${projection.name} ignores every other type`);
    for (const type of types) {
      const withoutType = fold(projection, events.filter((event) => event.type !== type));
      t.notSame(withoutType, everything, `${projection.name} reacts to ${type}`);
    }
  }
});
