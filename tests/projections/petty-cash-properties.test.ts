/**
 * Random dated transfers and spendings of one room go through the petty-cash decider; what it
 * accepts is folded into the petty-cash projection. Whatever the order and the dates, the month
 * view never shows a balance below zero, each month's balance is what the accepted events dated up
 * to that month add up to, and the closing balance is all transfers minus all spending.
 */
import fc from 'fast-check';
import t from 'tap';
import { monthOf, nextMonth, previousMonth } from '../../src/domain/calendar.js';
import { DomainError } from '../../src/domain/errors.js';
import { formatAmount, money, sum, ZERO, type Money } from '../../src/domain/money.js';
import { pettyCashDecider, type PettyCashCommand, type PettyCashEvent } from '../../src/domain/petty-cash/decider.js';
import { formatCents } from '../../src/projections/cents.js';
import { pettyCashProjection } from '../../src/projections/petty-cash.js';
import { pettyCashView } from '../../src/projections/views/petty-cash.js';
import { fold } from './read-model-events.js';

const KAMER = 'top';
const TODAY = '2021-12-31';
const YEARS = [2019, 2020];
/** A transfer in December may count against the next January, so the view of 2021 is checked too. */
const VIEWED_YEARS = [...YEARS, 2021];
const RUNS = 300;

let nextId = 0;
const uuid = () => `00000000-0000-4000-8000-${String((nextId += 1)).padStart(12, '0')}`;

const dateArbitrary = fc
  .record({ year: fc.constantFrom(...YEARS), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) })
  .map(({ year, month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);

const transferArbitrary = fc
  .record({ date: dateArbitrary, cents: fc.integer({ min: 1, max: 25_000 }), counts: fc.constantFrom('before', 'own', 'own', 'own', 'after') })
  .map(({ date, cents, counts }): PettyCashCommand => {
    const own = monthOf(date);
    const month = counts === 'before' ? previousMonth(own) : counts === 'after' ? nextMonth(own) : own;
    const transfer = { transferId: uuid(), kamerId: KAMER, date, month, amount: formatCents(BigInt(cents)) };
    return { type: 'TransferPettyCash', transfer, today: TODAY, kamerExists: true };
  });

const spendingArbitrary = fc
  .record({ date: dateArbitrary, cents: fc.integer({ min: 1, max: 8_000 }), category: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F' as const) })
  .map(({ date, cents, category }): PettyCashCommand => {
    const spending = { spendingId: uuid(), kamerId: KAMER, date, category, amount: formatCents(BigInt(cents)), description: 'bonnetje' };
    return { type: 'SpendPettyCash', spending, today: TODAY, kamerExists: true };
  });

/** Only the two petty-cash rules may refuse these commands; any other refusal is a bug in the test or the code. */
let refusedForBalance = 0;

function decideAll(commands: readonly PettyCashCommand[]): PettyCashEvent[] {
  let state = pettyCashDecider.initialState;
  const accepted: PettyCashEvent[] = [];
  for (const command of commands) {
    try {
      for (const event of pettyCashDecider.decide(command, state)) {
        state = pettyCashDecider.evolve(state, event);
        accepted.push(event);
      }
    } catch (error) {
      if (!(error instanceof DomainError) || !['PETTY_CASH_MONTHLY_LIMIT', 'PETTY_CASH_INSUFFICIENT'].includes(error.code)) throw error;
      if (error.code === 'PETTY_CASH_INSUFFICIENT') refusedForBalance += 1;
    }
  }
  return accepted;
}

/** Transfers minus spending of the accepted events dated in or before `month`, summed from the events themselves. */
function balanceAtEndOf(accepted: readonly PettyCashEvent[], month: string): Money {
  const dated = accepted.filter((event) => monthOf(event.data.date) <= month);
  const transfers = sum(dated.filter((event) => event.type === 'PettyCashTransferred').map((event) => event.data.amount));
  const spending = sum(dated.filter((event) => event.type === 'PettyCashSpent').map((event) => event.data.amount));
  return transfers.minus(spending);
}

function checkViews(accepted: readonly PettyCashEvent[]): void {
  const state = fold(pettyCashProjection, accepted);
  for (const year of VIEWED_YEARS) {
    const view = pettyCashView(state, KAMER, year);
    for (const month of view.months) {
      if (money(month.balance).lessThan(ZERO)) throw new Error(`${month.month} shows ${month.balance}`);
      const expected = formatAmount(balanceAtEndOf(accepted, month.month));
      if (month.balance !== expected) throw new Error(`${month.month} shows ${month.balance}, the events dated up to then add up to ${expected}`);
    }
    if (view.closingBalance !== view.months[11]!.balance) throw new Error(`${year}: closing ${view.closingBalance} ≠ December ${view.months[11]!.balance}`);
  }
  const transfers = sum(accepted.filter((event) => event.type === 'PettyCashTransferred').map((event) => event.data.amount));
  const spending = sum(accepted.filter((event) => event.type === 'PettyCashSpent').map((event) => event.data.amount));
  const lastYear = pettyCashView(state, KAMER, YEARS.at(-1)!);
  if (lastYear.closingBalance !== formatAmount(transfers.minus(spending))) {
    throw new Error(`closing balance ${lastYear.closingBalance} ≠ transfers ${formatAmount(transfers)} − spending ${formatAmount(spending)}`);
  }
}

t.test('whatever is transferred and spent on whatever dates, no month shows a balance below zero and the closing balance is transfers − spending', async (t) => {
  let acceptedSpendings = 0;
  fc.assert(
    fc.property(fc.array(fc.oneof({ arbitrary: transferArbitrary, weight: 2 }, { arbitrary: spendingArbitrary, weight: 3 }), { minLength: 1, maxLength: 80, size: 'max' }), (commands) => {
      const accepted = decideAll(commands);
      acceptedSpendings += accepted.filter((event) => event.type === 'PettyCashSpent').length;
      checkViews(accepted);
    }),
    { numRuns: RUNS },
  );
  // The property says little if every spending were refused, or none: make sure both happened often.
  t.ok(acceptedSpendings > 5 * RUNS, `${acceptedSpendings} spendings accepted over ${RUNS} runs`);
  t.ok(refusedForBalance > RUNS, `${refusedForBalance} spendings refused for the balance over ${RUNS} runs`);
});

t.test("the issue's history, had it been recorded before the rule, is what the view would show below zero", async (t) => {
  // The check above is only worth something if it notices a negative month: feed it one directly.
  const legacy: PettyCashEvent[] = [
    { type: 'PettyCashTransferred', data: { transferId: uuid(), kamerId: KAMER, date: '2019-01-01', month: '2019-01', amount: '250.00' } },
    { type: 'PettyCashTransferred', data: { transferId: uuid(), kamerId: KAMER, date: '2019-02-01', month: '2019-02', amount: '250.00' } },
    { type: 'PettyCashSpent', data: { spendingId: uuid(), kamerId: KAMER, date: '2019-01-15', category: 'B', amount: '400.00', description: 'lunch' } },
  ];
  t.throws(() => checkViews(legacy), { message: `2019-01 shows ${formatAmount(money('250.00').minus('400.00'))}` });
  t.same(decideAll(legacy.map(asCommand)).length, 2, 'the decider accepts both transfers and refuses the spending');
});

function asCommand(event: PettyCashEvent): PettyCashCommand {
  return event.type === 'PettyCashTransferred'
    ? { type: 'TransferPettyCash', transfer: event.data, today: TODAY, kamerExists: true }
    : { type: 'SpendPettyCash', spending: event.data, today: TODAY, kamerExists: true };
}
