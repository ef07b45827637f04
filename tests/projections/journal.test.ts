import t from 'tap';
import { ACCOUNT, accounts } from '../../src/projections/chart-of-accounts.js';
import { journalOf, ledgerProjection, type JournalEntry, type JournalLine } from '../../src/projections/journal.js';
import { LogProjectionRunner } from '../../src/projections/runner.js';
import type { ProjectedEvent } from '../../src/projections/projection.js';
import { trialBalance, yearJournal } from '../../src/projections/trial-balance.js';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import {
  allocationToInvoice,
  allocationToPledge,
  appendEvents,
  budget,
  creditNote,
  expense,
  financier,
  invoice,
  journalFromStore,
  kamer,
  paymentReceived,
  pettyCashSpent,
  pettyCashTransfer,
  pledge,
  pledgeAmended,
  pledgeStatus,
  rate,
  storeWith,
  volunteerHours,
  volunteerReversal,
} from './journal-events.js';

const registry = [kamer('top', 'TOP'), financier('mitros', 'housing-corporation', 'Mitros'), financier('gemeente', 'municipality', 'Gemeente Utrecht')];

/** The lines of an entry without the extras, for compact expectations. */
const sides = (entry: JournalEntry) => entry.lines.map((line: JournalLine) => [line.side, line.account, line.amount]);

t.test('an invoice debits the financier receivable and credits contribution income of its kind, with the room as cost centre', async (t) => {
  const issued = invoice({ financierId: 'mitros', kamerId: 'top', year: 2019, number: '2019-0001', issueDate: '2019-01-10', total: '6600.00' });
  const store = await storeWith([...registry, issued]);
  t.teardown(() => store.close());
  const { entries } = await journalFromStore(store);
  t.equal(entries.length, 1);
  const entry = entries[0]!;
  t.match(entry, { journal: 'sales', date: '2019-01-10', reference: '2019-0001', source: { type: 'InvoiceIssued', position: '4' } });
  t.same(sides(entry), [
    ['debit', '1300:mitros', '6600.00'],
    ['credit', '8030', '6600.00'],
  ]);
  t.ok(entry.lines.every((line) => line.costCentre === 'top' && line.financier === 'mitros'));
});

t.test('a credit note reverses the part of the invoice it credits', async (t) => {
  const issued = invoice({ financierId: 'mitros', kamerId: 'top', year: 2019, number: '2019-0001', issueDate: '2019-01-10', total: '1000.00' });
  const store = await storeWith([...registry, issued, creditNote(issued.data, { number: '2019-0002', issueDate: '2019-02-01', amount: '250.00' })]);
  t.teardown(() => store.close());
  const { entries } = await journalFromStore(store);
  t.same(sides(entries[1]!), [
    ['debit', '8030', '250.00'],
    ['credit', '1300:mitros', '250.00'],
  ]);
  t.equal(entries[1]!.reference, '2019-0002');
});

t.test('money received waits on the suspense account until it is allocated to an invoice or a pledge', async (t) => {
  const issued = invoice({ financierId: 'mitros', kamerId: 'top', year: 2019, number: '2019-0001', issueDate: '2019-01-10', total: '1000.00' });
  const subsidy = pledge({ financierId: 'gemeente', kamerId: 'top', year: 2019, amount: '5000.00', form: 'cash', status: 'committed' });
  const received = paymentReceived({ date: '2019-02-01', amount: '3000.00', payerName: 'Mitros; en gemeente', bankReference: 'BANK-1' });
  const store = await storeWith([
    ...registry,
    issued,
    subsidy,
    received,
    allocationToInvoice(received.data, issued.data, '1000.00'),
    allocationToPledge(received.data, subsidy.data, '2000.00'),
  ]);
  t.teardown(() => store.close());
  const { entries } = await journalFromStore(store);
  t.equal(entries.length, 4, 'a committed cash pledge posts nothing: it is a commitment, not money');
  t.same(sides(entries[1]!), [
    ['debit', ACCOUNT.bank, '3000.00'],
    ['credit', ACCOUNT.unallocatedReceipts, '3000.00'],
  ]);
  t.equal(entries[1]!.reference, 'BANK-1');
  t.same(sides(entries[2]!), [
    ['debit', ACCOUNT.unallocatedReceipts, '1000.00'],
    ['credit', '1300:mitros', '1000.00'],
  ]);
  t.same(sides(entries[3]!), [
    ['debit', ACCOUNT.unallocatedReceipts, '2000.00'],
    ['credit', '8010', '2000.00'],
  ], 'a subsidy paid on its decision is municipal contribution income at once');
  t.same(entries.slice(1).map((entry) => entry.date), ['2019-02-01', '2019-02-01', '2019-02-01'], "allocations are booked on the payment's bank date");
});

t.test('expenses, petty-cash transfers and petty-cash spending post to their line, room and category', async (t) => {
  const store = await storeWith([
    ...registry,
    budget('top', 2019, [{ line: 'rent', label: 'Huren van de ruimte', amount: '9000.00' }], '9000.00'),
    expense({ kamerId: 'top', line: 'rent', date: '2019-01-31', amount: '500.00' }),
    pettyCashTransfer('top', '2019-02-01', '250.00'),
    pettyCashSpent('top', '2019-02-03', 'B', '12.50'),
  ]);
  t.teardown(() => store.close());
  const { entries } = await journalFromStore(store);
  t.same(entries.map(sides), [
    [['debit', '4000:rent', '500.00'], ['credit', ACCOUNT.bank, '500.00']],
    [['debit', '1200:top', '250.00'], ['credit', ACCOUNT.bank, '250.00']],
    [['debit', '4600:B', '12.50'], ['credit', '1200:top', '12.50']],
  ]);
  t.same(entries.map((entry) => entry.journal), ['bank', 'bank', 'petty-cash']);
  const year = yearJournal(await journalFromStore(store), { year: 2019 });
  t.equal(year.accounts.get('4000:rent')?.name, 'Kosten Huren van de ruimte', 'a budget line account is named by its label');
  t.equal(year.accounts.get('1200:top')?.name, 'Handgeld TOP');
});

t.test('an in-kind rent discount posts gross when committed, in its year, and later changes post only the difference', async (t) => {
  // Mitros 2019: €9,000 rent budgeted, €2,400 paid, so €6,600 is Mitros's contribution (domain.md).
  const discount = pledge({ financierId: 'mitros', kamerId: 'top', year: 2019, amount: '6600.00', form: 'in-kind', status: 'proposed', note: 'Huurkorting 2019' });
  const store = await storeWith([
    ...registry,
    discount,
    pledgeStatus(discount.data, 'proposed', 'committed'),
    pledgeAmended(discount.data, '6600.00', '7000.00'),
    pledgeStatus(discount.data, 'committed', 'withdrawn'),
  ]);
  t.teardown(() => store.close());
  const { entries } = await journalFromStore(store);
  t.same(entries.map(sides), [
    [['debit', '4000:rent', '6600.00'], ['credit', ACCOUNT.inKindIncome, '6600.00']],
    [['debit', '4000:rent', '400.00'], ['credit', ACCOUNT.inKindIncome, '400.00']],
    [['debit', ACCOUNT.inKindIncome, '7000.00'], ['credit', '4000:rent', '7000.00']],
  ]);
  t.ok(entries.every((entry) => entry.date === '2019-01-01' && entry.journal === 'memorial'));
  t.same(entries.map((entry) => entry.source.type), ['PledgeStatusChanged', 'PledgeAmended', 'PledgeStatusChanged'], 'nothing posts while it is only proposed');
});

t.test('an in-kind contribution that is not rent goes to the generic in-kind expense; one of a share is noted, not posted', async (t) => {
  const minibus = pledge({ financierId: 'mitros', kamerId: 'top', year: 2020, amount: '1200.00', form: 'in-kind', status: 'committed', note: 'minibus twee dagdelen per week' });
  const third = pledge({ financierId: 'gemeente', kamerId: 'top', year: 2020, share: { numerator: 1, denominator: 3 }, form: 'in-kind', status: 'committed' });
  const store = await storeWith([...registry, minibus, third]);
  t.teardown(() => store.close());
  const journal = await journalFromStore(store);
  t.same(journal.entries.map(sides), [[['debit', ACCOUNT.inKindOtherExpense, '1200.00'], ['credit', ACCOUNT.inKindIncome, '1200.00']]]);
  t.equal(journal.notes.length, 1);
  t.match(journal.notes[0], { year: 2020, text: /aandeel zonder bedrag/ });
});

t.test('volunteer hours post to the memorandum journal at the year rate, even one set after the hours', async (t) => {
  const cooking = volunteerHours({ kamerId: 'top', date: '2020-03-04', hours: '2.50', kind: 'resident' });
  const oddJobs = volunteerHours({ kamerId: 'top', date: '2020-03-05', hours: '0.33', kind: 'resident' });
  const wrong = volunteerHours({ kamerId: 'top', date: '2020-03-06', hours: '4.00', kind: 'resident' });
  const store = await storeWith([...registry, cooking, oddJobs, wrong, volunteerReversal(wrong.data), rate(2020, 'resident', '11.00')]);
  t.teardown(() => store.close());
  const { entries, notes } = await journalFromStore(store);
  // 2.50 h × 11.00 = 27.50; 0.33 h × 11.00 = 3.63; 4.00 h × 11.00 = 44.00, then reversed.
  t.same(entries.map(sides), [
    [['debit', ACCOUNT.volunteerValue, '27.50'], ['credit', ACCOUNT.volunteerContra, '27.50']],
    [['debit', ACCOUNT.volunteerValue, '3.63'], ['credit', ACCOUNT.volunteerContra, '3.63']],
    [['debit', ACCOUNT.volunteerValue, '44.00'], ['credit', ACCOUNT.volunteerContra, '44.00']],
    [['debit', ACCOUNT.volunteerContra, '44.00'], ['credit', ACCOUNT.volunteerValue, '44.00']],
  ]);
  t.ok(entries.every((entry) => entry.journal === 'volunteer-memorandum'));
  t.ok(entries.every((entry) => !entry.description.includes('v-001')), 'the volunteer pseudonym stays out of the books');
  t.same(notes, []);
});

t.test('a valuation rounds half to even to cents', async (t) => {
  // 0.25 h × 10.10 = 2.525 → 2.52 (half to even), 0.75 h × 10.10 = 7.575 → 7.58.
  const store = await storeWith([
    ...registry,
    rate(2019, 'resident', '10.10'),
    volunteerHours({ kamerId: 'top', date: '2019-05-01', hours: '0.25', kind: 'resident' }),
    volunteerHours({ kamerId: 'top', date: '2019-05-02', hours: '0.75', kind: 'resident' }),
  ]);
  t.teardown(() => store.close());
  const { entries } = await journalFromStore(store);
  t.same(entries.map((entry) => entry.lines[0]!.amount), ['2.52', '7.58']);
});

t.test('hours without a rate for their year and kind are not valued: a note says how many, nothing is guessed', async (t) => {
  const store = await storeWith([
    ...registry,
    rate(2020, 'resident', '11.00'),
    volunteerHours({ kamerId: 'top', date: '2020-03-04', hours: '8.00', kind: 'professional' }),
    volunteerHours({ kamerId: 'top', date: '2020-03-05', hours: '1.50', kind: 'professional' }),
  ]);
  t.teardown(() => store.close());
  const journal = await journalFromStore(store);
  t.same(journal.entries, []);
  const note = '9.50 vrijwilligersuren (professional) in 2020 niet gewaardeerd: geen waarderingstarief voor 2020';
  t.same(yearJournal(journal, { year: 2020 }).notes, [{ year: 2020, text: note }]);
  t.same(trialBalance(yearJournal(journal, { year: 2020 })).notes, [note], 'the trial balance carries the note');
  t.same(yearJournal(journal, { year: 2020, asOf: '2020-03-04' }).notes[0]?.text, note.replace('9.50', '8.00'), 'only hours up to the cut count');
  t.same(yearJournal(journal, { year: 2019 }).notes, [], 'another year has nothing to say');
});

t.test("a year's opening balance carries the balance sheet forward and closes earlier results into equity", async (t) => {
  const issued = invoice({ financierId: 'mitros', kamerId: 'top', year: 2019, number: '2019-0001', issueDate: '2019-11-10', total: '1000.00' });
  const received = paymentReceived({ date: '2020-01-15', amount: '1000.00' });
  const store = await storeWith([
    ...registry,
    issued,
    expense({ kamerId: 'top', line: 'rent', date: '2019-12-01', amount: '300.00' }),
    received,
    allocationToInvoice(received.data, issued.data, '1000.00'),
  ]);
  t.teardown(() => store.close());
  const balance = trialBalance(yearJournal(await journalFromStore(store), { year: 2020 }));
  const row = (account: string) => balance.accounts.find((r) => r.account === account);
  // 2019: receivable 1000 debit, bank 300 credit; result 1000 income − 300 expense = 700 credit.
  t.match(row('1300:mitros'), { opening: '1000.00', debit: '0.00', credit: '1000.00', balance: '0.00' });
  t.match(row(ACCOUNT.bank), { opening: '-300.00', debit: '1000.00', credit: '0.00', balance: '700.00' });
  t.match(row(ACCOUNT.retainedResult), { opening: '-700.00', balance: '-700.00' });
  t.equal(row('8030'), undefined, 'income of 2019 does not appear in 2020');
  t.same(balance.totals, { opening: '0.00', debit: '2000.00', credit: '2000.00', balance: '0.00' });
});

t.test('an asOf date leaves out entries dated after it; knownAt leaves out what was recorded after it', async (t) => {
  let now = new Date('2020-01-05T10:00:00Z');
  const store = new SqliteEventStore(':memory:', { now: () => now });
  t.teardown(() => store.close());
  await appendEvents(store, [...registry, expense({ kamerId: 'top', line: 'rent', date: '2019-12-20', amount: '100.00' })]);
  now = new Date('2020-02-01T10:00:00Z');
  await appendEvents(store, [expense({ kamerId: 'top', line: 'rent', date: '2019-12-30', amount: '40.00' })]);
  const bank = async (asOf: string | undefined, knownAt?: string) => {
    const journal = await journalFromStore(store, knownAt === undefined ? undefined : { knownAt });
    const balance = trialBalance(yearJournal(journal, { year: 2019, ...(asOf ? { asOf } : {}) }));
    return balance.accounts.find((row) => row.account === ACCOUNT.bank)?.balance;
  };
  t.equal(await bank(undefined), '-140.00');
  t.equal(await bank('2019-12-25'), '-100.00');
  t.equal(await bank(undefined, '2020-01-31T00:00:00Z'), '-100.00', 'the late entry was not yet in the books on 31 January');
});

t.test('a negative amount, which the event schema allows, posts on the other side rather than as a negative line', async (t) => {
  const store = await storeWith([...registry, expense({ kamerId: 'top', line: 'rent', date: '2019-01-31', amount: '-25.00' })]);
  t.teardown(() => store.close());
  const { entries } = await journalFromStore(store);
  t.same(sides(entries[0]!), [
    ['credit', '4000:rent', '25.00'],
    ['debit', ACCOUNT.bank, '25.00'],
  ]);
});

t.test('a journal caught up incrementally equals one rebuilt from zero, also after a new rate revalues old hours', async (t) => {
  const store = await storeWith([...registry, volunteerHours({ kamerId: 'top', date: '2020-03-04', hours: '2.00', kind: 'resident' })]);
  t.teardown(() => store.close());
  const runner = new LogProjectionRunner(store);
  t.teardown(() => runner.close());
  const balanceOf = async (source: LogProjectionRunner) => trialBalance(yearJournal(journalOf(await source.read(ledgerProjection)), { year: 2020 }));
  t.same((await balanceOf(runner)).accounts, [], 'no rate yet: nothing valued');
  await appendEvents(store, [rate(2020, 'resident', '11.00'), expense({ kamerId: 'top', line: 'rent', date: '2020-03-05', amount: '10.00' })]);
  const incremental = await balanceOf(runner);
  const fresh = new LogProjectionRunner(store);
  t.teardown(() => fresh.close());
  t.same(incremental, await balanceOf(fresh));
  t.equal(incremental.accounts.find((row) => row.account === ACCOUNT.volunteerValue)?.balance, '22.00', '2.00 h × 11.00');
});

t.test('a redelivered event changes nothing', async (t) => {
  const source: ProjectedEvent = {
    position: '7',
    stream: 'expenses-top-2019',
    recordedAt: '2020-01-01T00:00:00.000Z',
    recordedBy: 'treasurer(test)',
    event: expense({ kamerId: 'top', line: 'rent', date: '2019-01-31', amount: '500.00' }),
  };
  const state = ledgerProjection.initial();
  ledgerProjection.apply(state, source);
  ledgerProjection.apply(state, source);
  t.equal(state.entries.length, 1);
});

t.test('account ids stay XAF identifiers (at most 35 characters) and distinct for long or odd names', async (t) => {
  const long = 'a-very-long-financier-slug-of-forty-char';
  const similar = 'a-very-long-financier-slug-of-forty-chax';
  t.equal(long.length, 40);
  t.ok(accounts.receivable(long).length <= 35);
  t.not(accounts.receivable(long), accounts.receivable(similar));
  t.equal(accounts.receivable('mitros'), '1300:mitros', 'a slug that fits is kept as it is');
  t.match(accounts.budgetLineExpense('Huur & GWL'), /^4000:huur-gwl-[0-9a-f]{8}$/);
  t.equal(accounts.budgetLineExpense('Huur & GWL'), accounts.budgetLineExpense('Huur & GWL'), 'the same every time');
});
