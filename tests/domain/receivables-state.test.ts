import t from 'tap';
import { foldEvents } from '../../src/domain/decider.js';
import type { DomainEvent } from '../../src/domain/events.js';
import { receivablesDecider } from '../../src/domain/receivables/decider.js';
import { PersistentMap } from '../../src/domain/receivables/persistent-map.js';
import { actualCostsFrom, pledgeFactsFrom } from '../../src/domain/receivables/pledge-facts.js';
import { findInvoice, openAmountOf, unallocatedOf } from '../../src/domain/receivables/state.js';
import { creditNoteIssued, invoiceIssued, paymentAllocated, paymentReceived, PLEDGE_ID, uuid } from './receivables.fixtures.js';

t.test('the state tracks each invoice’s open amount and each payment’s unallocated remainder', async (t) => {
  const state = foldEvents(receivablesDecider, [
    invoiceIssued({ pledgeId: PLEDGE_ID, total: '1000.00' }),
    creditNoteIssued({ amount: '100.00', pledgeId: PLEDGE_ID }),
    paymentReceived({ amount: '500.00' }),
    paymentAllocated({ amount: '350.00' }),
  ]);
  const invoice = findInvoice(state, '2020-0001')!;
  // 1000.00 − 100.00 credited − 350.00 paid
  t.equal(openAmountOf(invoice).toFixed(2), '550.00');
  t.equal(unallocatedOf(state.payments.get(uuid(200))!).toFixed(2), '150.00');
  t.equal(state.invoicedByPledge.get(PLEDGE_ID), '900.00', 'invoiced on the pledge net of the credit note');
  t.equal(state.lastNumberByYear.get(2020), 2);
});

t.test('evolving never changes an earlier state, so a cached state can be shared by commands in flight', async (t) => {
  const before = foldEvents(receivablesDecider, [invoiceIssued(), paymentReceived({ bankReference: 'R1' })]);
  const after = receivablesDecider.evolve(before, paymentAllocated({ amount: '400.00' }));
  t.equal(before.invoices.get(uuid(1))!.paid, '0.00');
  t.equal(before.payments.get(uuid(200))!.allocated, '0.00');
  t.equal(after.invoices.get(uuid(1))!.paid, '400.00');
  const later = receivablesDecider.evolve(before, invoiceIssued({ invoiceId: uuid(2), number: '2020-0002' }));
  t.notOk(before.invoices.has(uuid(2)));
  t.equal(before.lastNumberByYear.get(2020), 1);
  t.equal(later.lastNumberByYear.get(2020), 2);
});

t.test('a stream that breaks a receivables rule is reported as corrupt', async (t) => {
  const evolve = (history: DomainEvent[]) => () => foldEvents(receivablesDecider, history);
  t.throws(evolve([invoiceIssued({ number: '2020-0002' })]), /expects 2020-0001.*corrupt/, 'a gap in the numbers');
  t.throws(evolve([invoiceIssued(), invoiceIssued({ invoiceId: uuid(2) })]), /expects 2020-0002/, 'a number used twice');
  t.throws(evolve([invoiceIssued({ number: '2019-0001' })]), /expects 2020-0001/, 'a number outside its issue year');
  t.throws(evolve([invoiceIssued(), creditNoteIssued({ amount: '1000.01' })]), /corrupt/, 'a credit note over the open amount');
  t.throws(evolve([invoiceIssued(), paymentReceived({ amount: '10.00' }), paymentAllocated({ amount: '10.01' })]), /corrupt/, 'an allocation over the payment');
  t.throws(evolve([invoiceIssued({ total: '5.00' }), paymentReceived(), paymentAllocated({ amount: '5.01' })]), /corrupt/, 'an allocation over the invoice');
  t.throws(evolve([paymentReceived({ bankReference: 'X' }), paymentReceived({ paymentId: uuid(201), bankReference: 'X' })]), /corrupt/, 'a bank reference twice');
  t.throws(evolve([{ type: 'KamerRegistered', data: { kamerId: 'top', name: 'TOP' } }]), /corrupt/, 'a foreign event');
});

t.test('a persistent map returns new maps and leaves the old ones as they were', async (t) => {
  let map = PersistentMap.empty<number>();
  const versions: PersistentMap<number>[] = [];
  for (let index = 0; index < 1000; index += 1) {
    versions.push(map);
    map = map.set(`key-${index}`, index);
  }
  t.equal(map.size, 1000);
  t.equal(versions[500]!.size, 500);
  t.notOk(versions[500]!.has('key-500'));
  t.equal(versions[500]!.get('key-499'), 499);
  const replaced = map.update('key-7', (value) => (value ?? 0) * 100);
  t.equal(replaced.get('key-7'), 700);
  t.equal(map.get('key-7'), 7);
  t.equal(replaced.size, 1000, 'replacing a value does not grow the map');
  t.equal([...map.values()].length, 1000);
});

t.test('a pledge as invoicing sees it: made, then its status and amount as they changed', async (t) => {
  const common = { pledgeId: PLEDGE_ID, financierId: 'portaal', kamerId: 'top', year: 2020 };
  t.equal(pledgeFactsFrom([]), undefined);
  const facts = pledgeFactsFrom([
    { type: 'PledgeMade', data: { ...common, amount: '1000.00', form: 'cash', status: 'proposed' } },
    { type: 'PledgeStatusChanged', data: { ...common, from: 'proposed', to: 'committed' } },
    { type: 'PledgeAmended', data: { ...common, previousAmount: '1000.00', amount: '1200.00', reason: 'extra activiteiten' } },
  ]);
  t.same(facts, { ...common, form: 'cash', status: 'committed', amount: '1200.00' });
});

t.test("a room's actual costs are its expenses and petty cash spent in the year, not its petty-cash transfers", async (t) => {
  const expense = (amount: string, year: number) =>
    ({ type: 'ExpensePaid', data: { expenseId: uuid(1), kamerId: 'top', year, line: 'rent', date: `${year}-03-01`, amount, payee: 'Mitros', description: 'huur' } }) as const;
  const spent = (amount: string, date: string) =>
    ({ type: 'PettyCashSpent', data: { spendingId: uuid(2), kamerId: 'top', date, category: 'A', amount, description: 'koffie' } }) as const;
  const transfer = { type: 'PettyCashTransferred', data: { transferId: uuid(3), kamerId: 'top', date: '2020-02-01', month: '2020-02', amount: '250.00' } } as const;
  // 800.00 + 200.00 expenses in 2020, 12.50 + 7.45 petty cash spent in 2020
  t.equal(actualCostsFrom([expense('800.00', 2020), expense('200.00', 2020), expense('999.00', 2019)], [spent('12.50', '2020-02-03'), spent('7.45', '2020-12-31'), spent('3.00', '2019-12-31'), transfer], 2020), '1019.95');
});
