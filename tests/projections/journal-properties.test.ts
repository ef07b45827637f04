import t from 'tap';
import fc from 'fast-check';
import type { DomainEvent } from '../../src/domain/events.js';
import { formatAmount, money, roundToCents, sum, ZERO, type Money } from '../../src/domain/money.js';
import { ACCOUNT, accounts } from '../../src/projections/chart-of-accounts.js';
import { trialBalance, yearJournal, type TrialBalance } from '../../src/projections/trial-balance.js';
import { journalFromStore, storeWith } from './journal-events.js';
import { FINANCIERS, KAMERS, scenario } from './journal-scenarios.js';

const RUNS = 60;
const YEARS_ASKED = [2018, 2019, 2020, 2021];

const balanceOf = (balance: TrialBalance, account: string) => balance.accounts.find((row) => row.account === account)?.balance ?? '0.00';

/** Sums an event type's amounts dated up to a day, straight from the events (not via the journal). */
function total(events: readonly DomainEvent[], until: string, select: (event: DomainEvent) => { date: string; amount: string } | undefined): Money {
  return sum(
    events
      .map(select)
      .filter((item): item is { date: string; amount: string } => item !== undefined && item.date <= until)
      .map((item) => item.amount),
  );
}

/** What the bank, receivables, petty cash and memorandum accounts must show, computed from the events alone. */
function expectedBalances(events: readonly DomainEvent[], year: number): Map<string, string> {
  const end = `${year}-12-31`;
  const expected = new Map<string, string>();
  const received = total(events, end, (e) => (e.type === 'PaymentReceived' ? e.data : undefined));
  const paid = total(events, end, (e) => (e.type === 'ExpensePaid' || e.type === 'PettyCashTransferred' ? e.data : undefined));
  expected.set(ACCOUNT.bank, formatAmount(received.minus(paid)));
  for (const financierId of FINANCIERS) {
    const invoiced = total(events, end, (e) => (e.type === 'InvoiceIssued' && e.data.financierId === financierId ? { date: e.data.issueDate, amount: e.data.total } : undefined));
    const credited = total(events, end, (e) => (e.type === 'CreditNoteIssued' && e.data.financierId === financierId ? { date: e.data.issueDate, amount: e.data.amount } : undefined));
    const settled = total(events, end, (e) =>
      e.type === 'PaymentAllocated' && e.data.invoiceId !== undefined && e.data.financierId === financierId ? { date: e.data.paymentDate, amount: e.data.amount } : undefined,
    );
    expected.set(accounts.receivable(financierId), formatAmount(invoiced.minus(credited).minus(settled)));
  }
  for (const kamerId of KAMERS) {
    const transferred = total(events, end, (e) => (e.type === 'PettyCashTransferred' && e.data.kamerId === kamerId ? e.data : undefined));
    const spent = total(events, end, (e) => (e.type === 'PettyCashSpent' && e.data.kamerId === kamerId ? e.data : undefined));
    expected.set(accounts.pettyCash(kamerId), formatAmount(transferred.minus(spent)));
  }
  expected.set(ACCOUNT.volunteerValue, formatAmount(volunteerValueOf(events, year)));
  return expected;
}

/** Hours × the year's rate (the last one set), rounded per entry, reversals subtracted; unrated hours count nothing. */
function volunteerValueOf(events: readonly DomainEvent[], year: number): Money {
  const rates = new Map<string, string>();
  for (const e of events) if (e.type === 'ValuationRateSet') rates.set(`${e.data.year}:${e.data.kind}`, e.data.perHour);
  let value = ZERO;
  for (const e of events) {
    if ((e.type !== 'VolunteerHoursRecorded' && e.type !== 'VolunteerHoursReversed') || !e.data.date.startsWith(String(year))) continue;
    const rate = rates.get(`${year}:${e.data.kind}`);
    if (rate === undefined) continue;
    const entryValue = roundToCents(money(e.data.hours).times(rate));
    value = e.type === 'VolunteerHoursRecorded' ? value.plus(entryValue) : value.minus(entryValue);
  }
  return value;
}

t.test('every journal entry balances, with positive amounts, whatever the sequence of events', async (t) => {
  // Resolves when the property held for every run; a counterexample fails this assertion.
  await t.resolves(
    fc.assert(
      fc.asyncProperty(scenario, async ({ events }) => {
        const store = await storeWith(events);
        try {
          for (const entry of (await journalFromStore(store)).entries) {
            const debits = sum(entry.lines.filter((line) => line.side === 'debit').map((line) => line.amount));
            const credits = sum(entry.lines.filter((line) => line.side === 'credit').map((line) => line.amount));
            if (!debits.equals(credits)) throw new Error(`entry ${entry.id} does not balance: ${debits} ≠ ${credits}`);
            if (entry.lines.length < 2 || entry.lines.some((line) => !money(line.amount).greaterThan(0))) throw new Error(`entry ${entry.id} has a line without a positive amount`);
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: RUNS },
    ),
    `${RUNS} random logs: every entry balanced`,
  );
});

t.test("every year's trial balance has equal debit and credit totals and matches balances computed from the events alone", async (t) => {
  // Resolves when the property held for every run; a counterexample fails this assertion.
  await t.resolves(
    fc.assert(
      fc.asyncProperty(scenario, async ({ events }) => {
        const store = await storeWith(events);
        try {
          const journal = await journalFromStore(store);
          for (const year of YEARS_ASKED) {
            const balance = trialBalance(yearJournal(journal, { year }));
            if (balance.totals.debit !== balance.totals.credit) throw new Error(`${year}: debit ${balance.totals.debit} ≠ credit ${balance.totals.credit}`);
            if (balance.totals.opening !== '0.00' || balance.totals.balance !== '0.00') throw new Error(`${year}: balances do not sum to zero: ${JSON.stringify(balance.totals)}`);
            for (const [account, expected] of expectedBalances(events, year)) {
              const actual = balanceOf(balance, account);
              if (actual !== expected) throw new Error(`${year} ${account}: trial balance ${actual}, events say ${expected}`);
            }
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: RUNS },
    ),
    `${RUNS} random logs × ${YEARS_ASKED.length} years`,
  );
});

t.test('cutting the entries at a date equals replaying the log through the same asOf cut', async (t) => {
  const asOf = fc
    .record({ year: fc.constantFrom(2019, 2020), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) })
    .map(({ year, month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
  // Resolves when the property held for every run; a counterexample fails this assertion.
  await t.resolves(
    fc.assert(
      fc.asyncProperty(scenario, asOf, async ({ events }, cut) => {
        const store = await storeWith(events);
        try {
          const year = Number(cut.slice(0, 4));
          const filtered = trialBalance(yearJournal(await journalFromStore(store), { year, asOf: cut }));
          const replayed = trialBalance(yearJournal(await journalFromStore(store, { asOf: cut }), { year, asOf: cut }));
          if (JSON.stringify(filtered) !== JSON.stringify(replayed)) throw new Error(`asOf ${cut}: ${JSON.stringify(filtered)} ≠ ${JSON.stringify(replayed)}`);
        } finally {
          await store.close();
        }
      }),
      { numRuns: RUNS },
    ),
    `${RUNS} random logs and dates`,
  );
});
