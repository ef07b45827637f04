/**
 * The double-entry journal: every money event becomes one balanced journal entry.
 *
 * `postingsFor(event, context)` is a pure function of one event and what earlier events told
 * (`PostingContext`); `ledgerProjection` folds the log into the context and the entries. The chart
 * of accounts lives in chart-of-accounts.ts; docs/chart-of-accounts.md explains every posting.
 *
 * Two timing rules, both deliberate:
 * - Financial entries post with what was known when their event happened (an in-kind pledge posts
 *   when it becomes committed and posts a reversal when it stops being committed), so a year's
 *   books never change because of a later, unrelated event.
 * - The volunteer memorandum journal values hours at the rate for their year and kind as known
 *   when the journal is read (`journalOf`): a rate belongs to the year, not to the moment it was
 *   typed in, and is often set after the first hours. Without a rate, hours are not valued and a
 *   note says so: the journal never guesses a rate.
 */
import { yearOf } from '../domain/calendar.js';
import { VolunteerKindSchema, type DomainEventType, type EventData, type FinancierKind, type PledgeStatus, type VolunteerKind } from '../domain/events.js';
import { formatAmount, money, roundToCents, sum } from '../domain/money.js';
import { comparePositionStrings } from './log-reader.js';
import { ACCOUNT, accounts, RENT_LINE } from './chart-of-accounts.js';
import { cents, formatCents, NO_CENTS } from './cents.js';
import type { ProjectedEvent, Projection } from './projection.js';

/** Journals group entries by their source, as an auditor expects (and XAF's `journal`). */
export const JOURNAL_KINDS = ['sales', 'bank', 'petty-cash', 'memorial', 'volunteer-memorandum'] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

export interface JournalLine {
  readonly account: string;
  readonly side: 'debit' | 'credit';
  /** Always positive, two decimals. */
  readonly amount: string;
  /** The room (kamer) the line is for: every room is a cost centre. */
  readonly costCentre?: string;
  /** The financier a receivable or contribution line concerns (XAF custSupID). */
  readonly financier?: string;
}

export interface JournalEntry {
  /** The source event's position; unique, so an auditor can find the event behind every entry. */
  readonly id: string;
  readonly journal: JournalKind;
  /** The business date (YYYY-MM-DD) the entry is booked on. */
  readonly date: string;
  readonly description: string;
  /** A document number the entry rests on: invoice or credit-note number, bank reference. */
  readonly reference?: string;
  readonly source: {
    readonly position: string;
    readonly type: DomainEventType;
    readonly recordedAt: string;
    readonly recordedBy: string;
  };
  readonly lines: readonly JournalLine[];
}

export interface PledgeFacts {
  readonly financierId: string;
  readonly kamerId: string;
  readonly year: number;
  readonly form: 'cash' | 'in-kind';
  readonly status: PledgeStatus;
  readonly amount?: string;
  readonly note?: string;
  /** The in-kind value this pledge has posted so far: later changes post only the difference. */
  readonly postedInKind: string;
}

/** What earlier events told that a posting needs. Events are denormalised, so this stays small. */
export interface PostingContext {
  readonly kamers: Map<string, { readonly name: string }>;
  readonly financiers: Map<string, { readonly name: string; readonly kind: FinancierKind; readonly iban?: string }>;
  /** Budget line id → its label (the latest one any room's budget gave it). */
  readonly budgetLineLabels: Map<string, string>;
  /** In-kind pledges only: no other pledge posts anything. */
  readonly pledges: Map<string, PledgeFacts>;
  /** `${year}:${kind}` → euros per hour. */
  readonly valuationRates: Map<string, string>;
}

/** Something the journal could not post, said out loud instead of guessed. */
export interface LedgerNote {
  readonly year: number;
  readonly position?: string;
  readonly text: string;
}

export function emptyContext(): PostingContext {
  return { kamers: new Map(), financiers: new Map(), budgetLineLabels: new Map(), pledges: new Map(), valuationRates: new Map() };
}

export const rateKey = (year: number, kind: VolunteerKind) => `${year}:${kind}`;

// Lines -------------------------------------------------------------------------------------------

type LineExtras = Pick<JournalLine, 'costCentre' | 'financier'>;
const debit = (account: string, amount: string, extras: LineExtras = {}): JournalLine => ({ account, side: 'debit', amount, ...extras });
const credit = (account: string, amount: string, extras: LineExtras = {}): JournalLine => ({ account, side: 'credit', amount, ...extras });

function entryFrom(
  source: ProjectedEvent,
  detail: EntryDetail,
  journal: JournalKind,
  date: string,
  description: string,
  lines: readonly JournalLine[],
  reference?: string,
): JournalEntry[] {
  // A zero amount moves nothing: no entry (an auditor would only wonder about it). In cents, not
  // Decimals: this runs for every line of every event of a replay.
  if (lines.every((line) => cents(line.amount) === NO_CENTS)) return [];
  return [{
    id: source.position,
    journal,
    date,
    description: detail === 'described' ? oneLine(description) : '',
    ...(reference === undefined ? {} : { reference }),
    source: { position: source.position, type: source.event.type, recordedAt: source.recordedAt, recordedBy: source.recordedBy },
    lines: lines.map(positive),
  }];
}

/** A negative amount (the write side refuses them, the event schema does not) posts on the other side. */
function positive(line: JournalLine): JournalLine {
  // A negative amount starts with its sign; cents() below refuses anything that is not an amount.
  if (line.amount.charCodeAt(0) !== MINUS_SIGN) return line;
  const amount = cents(line.amount);
  return { ...line, side: line.side === 'debit' ? 'credit' : 'debit', amount: formatCents(-amount) };
}

const MINUS_SIGN = 45;

/** Descriptions are one line of text: exports put them on one line. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const financierName = (context: PostingContext, financierId: string) => context.financiers.get(financierId)?.name ?? financierId;
const kamerName = (context: PostingContext, kamerId: string) => context.kamers.get(kamerId)?.name ?? kamerId;

/**
 * Contribution income follows the financier's kind. A financier the log never registered cannot
 * come through the API (the write side refuses it); should one appear, it books as "other".
 */
function incomeAccount(context: PostingContext, financierId: string): string {
  return accounts.contributionIncome(context.financiers.get(financierId)?.kind ?? 'other');
}

// Postings per event ------------------------------------------------------------------------------

/**
 * The event types the journal reads: those `postingsFor` posts, and those `evolveContext` and
 * `unpostableNote` learn from. The others (reminders, details, years' checks and closings) post
 * nothing and tell no posting anything, so a replay for a journal may skip them unparsed.
 */
export const JOURNAL_EVENT_TYPES: readonly DomainEventType[] = [
  'InvoiceIssued',
  'CreditNoteIssued',
  'PaymentReceived',
  'PaymentAllocated',
  'BankOpeningBalanceRecorded',
  'BankEntryBooked',
  'BankEntryAssigned',
  'BankStatementReconciled',
  'ExpensePaid',
  'PettyCashTransferred',
  'PettyCashSpent',
  'PledgeMade',
  'PledgeStatusChanged',
  'PledgeAmended',
  'VolunteerHoursRecorded',
  'VolunteerHoursReversed',
  'KamerRegistered',
  'FinancierRegistered',
  'BudgetSet',
  'ValuationRateSet',
];

/**
 * How much of an entry to build: 'described' for the journal, which shows and exports it;
 * 'amounts' for a fold that only adds its lines up (year-balance.ts), where tidying a million
 * descriptions would be a tenth of the work. The dates, accounts and amounts are the same.
 */
export type EntryDetail = 'described' | 'amounts';

/** The journal entries one event posts, given what earlier events told. Pure. */
export function postingsFor(source: ProjectedEvent, context: PostingContext, detail: EntryDetail = 'described'): JournalEntry[] {
  const event = source.event;
  switch (event.type) {
    case 'InvoiceIssued':
      return invoicePostings(source, detail, event.data, context);
    case 'CreditNoteIssued':
      return creditNotePostings(source, detail, event.data, context);
    case 'PaymentReceived':
      return receiptPostings(source, detail, event.data);
    case 'PaymentAllocated':
      return allocationPostings(source, detail, event.data, context);
    case 'BankOpeningBalanceRecorded':
      return bankOpeningPostings(source, detail, event.data);
    case 'BankEntryBooked':
      return bankEntryPostings(source, detail, event.data, context);
    case 'BankEntryAssigned':
      return bankAssignmentPostings(source, detail, event.data, context);
    case 'BankStatementReconciled':
      return bankDifferencePostings(source, detail, event.data);
    case 'ExpensePaid':
      return expensePostings(source, detail, event.data, context);
    case 'PettyCashTransferred':
      return pettyCashTransferPostings(source, detail, event.data, context);
    case 'PettyCashSpent':
      return pettyCashSpendingPostings(source, detail, event.data, context);
    case 'PledgeMade':
    case 'PledgeStatusChanged':
    case 'PledgeAmended':
      return inKindPostings(source, detail, event.data.pledgeId, context);
    case 'VolunteerHoursRecorded':
      return volunteerPostings(source, detail, event.data, 'recorded', context);
    case 'VolunteerHoursReversed':
      return volunteerPostings(source, detail, event.data, 'reversed', context);
    case 'KamerRegistered':
    case 'FinancierRegistered':
    case 'FinancierDetailsChanged':
    case 'CooperativeDetailsSet':
    case 'ReminderSent':
    case 'BudgetSet':
    case 'ValuationRateSet':
    case 'BankAccountsSet':
    case 'YearChecked':
    case 'YearApproved':
    case 'YearClosed':
    case 'YearReopened':
      return [];
    default: {
      const unhandled: never = event;
      throw new Error(`no posting rule for ${(unhandled as { type: string }).type}`);
    }
  }
}

function invoicePostings(source: ProjectedEvent, detail: EntryDetail, data: EventData<'InvoiceIssued'>, context: PostingContext): JournalEntry[] {
  const extras = { costCentre: data.kamerId, financier: data.financierId };
  return entryFrom(
    source,
    detail,
    'sales',
    data.issueDate,
    `Factuur ${data.number} ${financierName(context, data.financierId)}, ${kamerName(context, data.kamerId)} ${data.year}`,
    [debit(accounts.receivable(data.financierId), data.total, extras), credit(incomeAccount(context, data.financierId), data.total, extras)],
    data.number,
  );
}

function creditNotePostings(source: ProjectedEvent, detail: EntryDetail, data: EventData<'CreditNoteIssued'>, context: PostingContext): JournalEntry[] {
  const extras = { costCentre: data.kamerId, financier: data.financierId };
  return entryFrom(
    source,
    detail,
    'sales',
    data.issueDate,
    `Creditnota ${data.number} op factuur ${data.invoiceNumber} ${financierName(context, data.financierId)}: ${data.reason}`,
    [debit(incomeAccount(context, data.financierId), data.amount, extras), credit(accounts.receivable(data.financierId), data.amount, extras)],
    data.number,
  );
}

/** Money in waits on the suspense account until it is allocated: who paid is not known yet. */
function receiptPostings(source: ProjectedEvent, detail: EntryDetail, data: EventData<'PaymentReceived'>): JournalEntry[] {
  const from = data.payerName ?? data.payerIban ?? 'onbekende betaler';
  return entryFrom(
    source,
    detail,
    'bank',
    data.date,
    `Ontvangst van ${from}${data.description ? `: ${data.description}` : ''}`,
    [debit(ACCOUNT.bank, data.amount), credit(ACCOUNT.unallocatedReceipts, data.amount)],
    data.bankReference,
  );
}

/** The first statement of an account: its balance then is carried from before the ledger began (equity). */
function bankOpeningPostings(source: ProjectedEvent, detail: EntryDetail, data: EventData<'BankOpeningBalanceRecorded'>): JournalEntry[] {
  return entryFrom(
    source,
    detail,
    'bank',
    data.date,
    `Beginsaldo bankrekening ${data.account} volgens afschrift ${data.messageId}`,
    [debit(ACCOUNT.bank, data.amount), credit(ACCOUNT.retainedResult, data.amount)],
    data.messageId,
  );
}

/** Where a statement entry that is not a received payment goes, by its booking. */
function bankEntryCounterAccount(booking: EventData<'BankEntryBooked'>['booking']): string | undefined {
  switch (booking) {
    case 'unassigned':
      return ACCOUNT.unassignedPayments;
    case 'bank-costs':
      return ACCOUNT.bankCosts;
    case 'interest':
      return ACCOUNT.interest;
    case 'petty-cash':
    case 'expense':
      // The PettyCashTransferred or ExpensePaid the treasurer recorded already moved the money out of 1100.
      return undefined;
  }
}

function bankEntryPostings(source: ProjectedEvent, detail: EntryDetail, data: EventData<'BankEntryBooked'>, context: PostingContext): JournalEntry[] {
  const counter = bankEntryCounterAccount(data.booking);
  if (counter === undefined) return [];
  const who = data.counterpartyName ?? data.counterpartyIban ?? (data.kamerId ? kamerName(context, data.kamerId) : 'de bank');
  const what = data.direction === 'debit' ? `Betaling aan ${who}` : `Ontvangst van ${who}`;
  const lines =
    data.direction === 'debit'
      ? [debit(counter, data.amount), credit(ACCOUNT.bank, data.amount)]
      : [debit(ACCOUNT.bank, data.amount), credit(counter, data.amount)];
  return entryFrom(source, detail, 'bank', data.date, `${what}${data.description ? `: ${data.description}` : ''}`, lines, data.bankReference);
}

/** An assigned payment made leaves the suspense account for its budget line, bank costs or interest. */
function bankAssignmentPostings(source: ProjectedEvent, detail: EntryDetail, data: EventData<'BankEntryAssigned'>, context: PostingContext): JournalEntry[] {
  const target =
    data.assignment === 'budget-line' ? accounts.budgetLineExpense(data.line ?? '') : data.assignment === 'bank-costs' ? ACCOUNT.bankCosts : ACCOUNT.interest;
  const extras = data.kamerId === undefined ? {} : { costCentre: data.kamerId };
  const what = data.kamerId === undefined ? (data.assignment === 'interest' ? 'rente' : 'bankkosten') : `${kamerName(context, data.kamerId)} ${data.year ?? ''}, post ${data.line ?? ''}`;
  return entryFrom(source, detail, 'memorial', data.date, `Toewijzing betaling aan ${what}`, [debit(target, data.amount, extras), credit(ACCOUNT.unassignedPayments, data.amount)]);
}

/** An accepted statement difference: the bank is right about its own balance; 1950 holds what is unexplained. */
function bankDifferencePostings(source: ProjectedEvent, detail: EntryDetail, data: EventData<'BankStatementReconciled'>): JournalEntry[] {
  const date = data.closing?.date ?? data.opening?.date;
  if (date === undefined || money(data.difference).isZero()) return [];
  return entryFrom(
    source,
    detail,
    'bank',
    date,
    `Geaccepteerd verschil met afschrift ${data.messageId} (${data.account})`,
    [debit(ACCOUNT.bank, data.difference), credit(ACCOUNT.bankDifferences, data.difference)],
    data.messageId,
  );
}

/**
 * An allocation to an invoice settles the receivable; one to a pledge without an invoice (a
 * subsidy decision pays without one) is the contribution itself, so it credits income directly.
 */
function allocationPostings(source: ProjectedEvent, detail: EntryDetail, data: EventData<'PaymentAllocated'>, context: PostingContext): JournalEntry[] {
  const extras = { costCentre: data.kamerId, financier: data.financierId };
  const name = financierName(context, data.financierId);
  if (data.invoiceId !== undefined) {
    return entryFrom(
      source,
      detail,
      'memorial',
      data.paymentDate,
      `Toewijzing ontvangst aan factuur ${data.invoiceNumber ?? data.invoiceId} ${name}`,
      [debit(ACCOUNT.unallocatedReceipts, data.amount, extras), credit(accounts.receivable(data.financierId), data.amount, extras)],
      data.invoiceNumber,
    );
  }
  return entryFrom(
    source,
    detail,
    'memorial',
    data.paymentDate,
    `Toewijzing ontvangst aan toezegging ${name}, ${kamerName(context, data.kamerId)} ${data.year}`,
    [debit(ACCOUNT.unallocatedReceipts, data.amount, extras), credit(incomeAccount(context, data.financierId), data.amount, extras)],
  );
}

function expensePostings(source: ProjectedEvent, detail: EntryDetail, data: EventData<'ExpensePaid'>, context: PostingContext): JournalEntry[] {
  const extras = { costCentre: data.kamerId };
  return entryFrom(
    source,
    detail,
    'bank',
    data.date,
    `${data.payee}: ${data.description} (${kamerName(context, data.kamerId)})`,
    [debit(accounts.budgetLineExpense(data.line), data.amount, extras), credit(ACCOUNT.bank, data.amount, extras)],
  );
}

function pettyCashTransferPostings(source: ProjectedEvent, detail: EntryDetail, data: EventData<'PettyCashTransferred'>, context: PostingContext): JournalEntry[] {
  const extras = { costCentre: data.kamerId };
  return entryFrom(
    source,
    detail,
    'bank',
    data.date,
    `Handgeld ${kamerName(context, data.kamerId)} ${data.month}`,
    [debit(accounts.pettyCash(data.kamerId), data.amount, extras), credit(ACCOUNT.bank, data.amount, extras)],
  );
}

function pettyCashSpendingPostings(source: ProjectedEvent, detail: EntryDetail, data: EventData<'PettyCashSpent'>, context: PostingContext): JournalEntry[] {
  const extras = { costCentre: data.kamerId };
  return entryFrom(
    source,
    detail,
    'petty-cash',
    data.date,
    `Handgeld ${kamerName(context, data.kamerId)} categorie ${data.category}: ${data.description}`,
    [debit(accounts.pettyCashExpense(data.category), data.amount, extras), credit(accounts.pettyCash(data.kamerId), data.amount, extras)],
    data.receipt,
  );
}

// In-kind pledges ---------------------------------------------------------------------------------

/** The pledge as it stands after a pledge event (shared by posting and by the context fold). */
export function pledgeAfter(source: ProjectedEvent, context: PostingContext): PledgeFacts | undefined {
  const event = source.event;
  switch (event.type) {
    case 'PledgeMade': {
      const { financierId, kamerId, year, form, status, amount, note } = event.data;
      return { financierId, kamerId, year, form, status, ...(amount === undefined ? {} : { amount }), ...(note === undefined ? {} : { note }), postedInKind: '0.00' };
    }
    case 'PledgeStatusChanged': {
      const pledge = context.pledges.get(event.data.pledgeId);
      // The pledge's own note says what the contribution is; a status note only fills a gap.
      const note = pledge?.note ?? event.data.note;
      return pledge && { ...pledge, status: event.data.to, ...(note === undefined ? {} : { note }) };
    }
    case 'PledgeAmended': {
      const pledge = context.pledges.get(event.data.pledgeId);
      return pledge && { ...pledge, amount: event.data.amount };
    }
    default:
      return undefined;
  }
}

/** What an in-kind pledge should have posted: its amount while committed, nothing otherwise. */
export function inKindValue(pledge: PledgeFacts): string {
  return pledge.form === 'in-kind' && pledge.status === 'committed' && pledge.amount !== undefined ? pledge.amount : '0.00';
}

/** A rent discount (huurkorting) is rent the room did not pay: gross, it is rent expense. */
function inKindExpenseAccount(pledge: PledgeFacts): string {
  return pledge.note !== undefined && /huur/i.test(pledge.note) ? accounts.budgetLineExpense(RENT_LINE) : ACCOUNT.inKindOtherExpense;
}

/**
 * An in-kind contribution is booked gross (expense against contribution income) on the first day
 * of the pledge's year, when it becomes committed; an amendment or a change of status posts only
 * the difference from what it had posted, so withdrawal reverses it.
 */
function inKindPostings(source: ProjectedEvent, detail: EntryDetail, pledgeId: string, context: PostingContext): JournalEntry[] {
  const before = context.pledges.get(pledgeId);
  const after = pledgeAfter(source, context);
  if (!after || after.form !== 'in-kind') return [];
  const change = money(inKindValue(after)).minus(before?.postedInKind ?? '0.00');
  if (change.isZero()) return [];
  const amount = formatAmount(change.abs());
  const extras = { costCentre: after.kamerId, financier: after.financierId };
  const expense = inKindExpenseAccount(after);
  const lines = change.isPositive()
    ? [debit(expense, amount, extras), credit(ACCOUNT.inKindIncome, amount, extras)]
    : [debit(ACCOUNT.inKindIncome, amount, extras), credit(expense, amount, extras)];
  const what = change.isPositive() ? 'Bijdrage in natura' : `Correctie bijdrage in natura (${after.status})`;
  const note = after.note ? `: ${after.note}` : '';
  return entryFrom(source, detail, 'memorial', `${after.year}-01-01`, `${what} ${financierName(context, after.financierId)}, ${kamerName(context, after.kamerId)} ${after.year}${note}`, lines);
}

// Volunteer memorandum ----------------------------------------------------------------------------

/** The euro value of hours at the year's rate, rounded half-to-even to cents; undefined without a rate. */
export function volunteerValue(data: Pick<EventData<'VolunteerHoursRecorded'>, 'date' | 'kind' | 'hours'>, context: PostingContext): string | undefined {
  const rate = context.valuationRates.get(rateKey(yearOf(data.date), data.kind));
  return rate === undefined ? undefined : formatAmount(roundToCents(money(data.hours).times(rate)));
}

function volunteerPostings(
  source: ProjectedEvent, detail: EntryDetail,
  data: EventData<'VolunteerHoursRecorded'>,
  direction: 'recorded' | 'reversed',
  context: PostingContext,
): JournalEntry[] {
  const value = volunteerValue(data, context);
  if (value === undefined) return [];
  const extras = { costCentre: data.kamerId };
  const lines =
    direction === 'recorded'
      ? [debit(ACCOUNT.volunteerValue, value, extras), credit(ACCOUNT.volunteerContra, value, extras)]
      : [debit(ACCOUNT.volunteerContra, value, extras), credit(ACCOUNT.volunteerValue, value, extras)];
  // The volunteer's pseudonym stays out of the books: the entry's position leads to it for whoever may see it.
  const what = direction === 'recorded' ? 'Vrijwilligersuren' : 'Terugboeking vrijwilligersuren';
  return entryFrom(source, detail, 'volunteer-memorandum', data.date, `${what} ${kamerName(context, data.kamerId)}: ${data.hours} uur ${data.kind === 'resident' ? 'bewoner' : 'professional'}`, lines);
}

// The fold ----------------------------------------------------------------------------------------

/** The event types `evolveContext` learns from: a fold that posts only some types still reads these. */
export const CONTEXT_EVENT_TYPES = ['KamerRegistered', 'FinancierRegistered', 'BudgetSet', 'ValuationRateSet', 'PledgeMade', 'PledgeStatusChanged', 'PledgeAmended'] as const satisfies readonly DomainEventType[];

/** Records what an event tells later postings. Mutates the context (the projection owns it). */
export function evolveContext(context: PostingContext, source: ProjectedEvent): void {
  const event = source.event;
  switch (event.type) {
    case 'KamerRegistered':
      context.kamers.set(event.data.kamerId, { name: event.data.name });
      return;
    case 'FinancierRegistered': {
      const { name, kind, iban } = event.data;
      context.financiers.set(event.data.financierId, { name, kind, ...(iban === undefined ? {} : { iban }) });
      return;
    }
    case 'BudgetSet':
      for (const line of event.data.lines) context.budgetLineLabels.set(line.line, line.label);
      return;
    case 'ValuationRateSet':
      context.valuationRates.set(rateKey(event.data.year, event.data.kind), event.data.perHour);
      return;
    case 'PledgeMade':
    case 'PledgeStatusChanged':
    case 'PledgeAmended': {
      const after = pledgeAfter(source, context);
      // Only an in-kind pledge ever posts, and a pledge's form never changes: a cash pledge's facts
      // would only make the context grow with the log.
      if (after?.form === 'in-kind') context.pledges.set(event.data.pledgeId, { ...after, postedInKind: inKindValue(after) });
      return;
    }
    default:
      return;
  }
}

export interface LedgerState {
  readonly context: PostingContext;
  /** Financial entries, in log order, posted as their events arrived. */
  readonly entries: JournalEntry[];
  /** Volunteer-hour events: valued when the journal is read (see the module comment). */
  readonly volunteerEvents: ProjectedEvent[];
  readonly notes: LedgerNote[];
  lastPosition: string | undefined;
}

export const ledgerProjection: Projection<LedgerState> = {
  name: 'ledger',
  initial: () => ({ context: emptyContext(), entries: [], volunteerEvents: [], notes: [], lastPosition: undefined }),
  apply(state, source) {
    // Redelivery of an event already folded changes nothing.
    if (state.lastPosition !== undefined && comparePositionStrings(source.position, state.lastPosition) <= 0) return state;
    const type = source.event.type;
    if (type === 'VolunteerHoursRecorded' || type === 'VolunteerHoursReversed') state.volunteerEvents.push(source);
    else state.entries.push(...postingsFor(source, state.context));
    const note = unpostableNote(source, state.context);
    if (note) state.notes.push(note);
    evolveContext(state.context, source);
    state.lastPosition = source.position;
    return state;
  },
};

/** A committed in-kind pledge of a share (not an amount) has no value to post yet: say so. */
export function unpostableNote(source: ProjectedEvent, context: PostingContext): LedgerNote | undefined {
  const after = pledgeAfter(source, context);
  if (!after || after.form !== 'in-kind' || after.status !== 'committed' || after.amount !== undefined) return undefined;
  const text = `toezegging in natura van ${financierName(context, after.financierId)} (${kamerName(context, after.kamerId)} ${after.year}) is een aandeel zonder bedrag: niet geboekt`;
  return { year: after.year, position: source.position, text };
}

export interface Journal {
  /** Every entry, in log order. */
  readonly entries: readonly JournalEntry[];
  readonly notes: readonly LedgerNote[];
  /** Hour entries left unvalued for want of a rate (reversals negative): dated, so a cut can apply. */
  readonly unvaluedHours: readonly UnvaluedHours[];
  readonly context: PostingContext;
}

export interface UnvaluedHours {
  readonly date: string;
  readonly kind: VolunteerKind;
  /** Signed: a reversal of unvalued hours subtracts them. */
  readonly hours: string;
}

/**
 * The last journal built from each state, kept while neither the state's position nor the rates
 * moved: the runner hands out the same (caught-up-in-place) state to every read, and rebuilding
 * the journal of a large log on every request would cost seconds.
 */
const builtJournals = new WeakMap<LedgerState, { readonly version: string; readonly journal: Journal }>();

/** The journal as it stands: financial entries plus the volunteer memorandum at today's rates. */
export function journalOf(state: LedgerState): Journal {
  const version = `${state.lastPosition ?? ''}|${[...state.context.valuationRates].join(';')}`;
  const built = builtJournals.get(state);
  if (built?.version === version) return built.journal;
  const journal = buildJournal(state);
  builtJournals.set(state, { version, journal });
  return journal;
}

function buildJournal(state: LedgerState): Journal {
  const { entries, unvaluedHours } = withMemorandum(state.entries, state.volunteerEvents, state.context);
  return { entries, notes: [...state.notes], unvaluedHours, context: state.context };
}

/**
 * The financial entries with the volunteer memorandum merged in, valued at the context's rates
 * (now), in log order; and the hours no rate values yet. The whole journal and one year's
 * (year-journal.ts) are both made here, so they value hours alike.
 */
export function withMemorandum(
  financial: readonly JournalEntry[],
  volunteerEvents: readonly ProjectedEvent[],
  context: PostingContext,
): { entries: JournalEntry[]; unvaluedHours: UnvaluedHours[] } {
  const memorandum = volunteerEvents.flatMap((source) => postingsFor(source, context));
  const unvaluedHours = volunteerEvents.flatMap((source): UnvaluedHours[] => {
    const event = source.event;
    if (event.type !== 'VolunteerHoursRecorded' && event.type !== 'VolunteerHoursReversed') return [];
    if (volunteerValue(event.data, context) !== undefined) return [];
    const hours = event.type === 'VolunteerHoursRecorded' ? event.data.hours : formatAmount(money(event.data.hours).negated());
    return [{ date: event.data.date, kind: event.data.kind, hours }];
  });
  return { entries: mergeByPosition(financial, memorandum), unvaluedHours };
}

/** Merges two lists already in log order (a merge, not a sort: this runs on every read). */
function mergeByPosition(left: readonly JournalEntry[], right: readonly JournalEntry[]): JournalEntry[] {
  const merged: JournalEntry[] = [];
  let l = 0;
  let r = 0;
  while (l < left.length || r < right.length) {
    const takeLeft = r >= right.length || (l < left.length && comparePositionStrings(left[l]!.source.position, right[r]!.source.position) < 0);
    merged.push(takeLeft ? left[l++]! : right[r++]!);
  }
  return merged;
}

/** One note per kind for a year's hours without a valuation rate, netted over reversals. */
export function unvaluedHoursNotes(items: readonly UnvaluedHours[], year: number): LedgerNote[] {
  return VolunteerKindSchema.options.flatMap((kind) => {
    const hours = sum(items.filter((item) => item.kind === kind && yearOf(item.date) === year).map((item) => item.hours));
    if (hours.isZero()) return [];
    const who = kind === 'resident' ? 'bewoner' : 'professional';
    return [{ year, text: `${formatAmount(hours)} vrijwilligersuren (${who}) in ${year} niet gewaardeerd: geen waarderingstarief voor ${year}` }];
  });
}
