import { DateTime } from 'luxon';
import { refuse } from '../errors.js';
import type { EventOf } from '../events.js';
import { formatAmount, money, type Money } from '../money.js';
import type { AssignBankEntry, BankEntry, BankStatementPart, ExpensePaidFact, ImportBankStatement, PettyCashTransferFact, SetBankAccounts } from './commands.js';
import { receive, type PaymentEvent } from './payments.js';
import { bankBalanceThrough, evolveReceivables, hasBankHistory, type ReceivablesState } from './state.js';

/**
 * Importing a camt.053 statement into the receivables stream, where every bank movement lives:
 * credits become received payments (matched to invoices), debits and the bank's own costs and
 * interest become booked entries, and each statement's balances are reconciled against the
 * stream's running balance of that account, all in one decision and one append.
 */
export type BankStatementEvent =
  | PaymentEvent
  | EventOf<'BankOpeningBalanceRecorded'>
  | EventOf<'BankEntryBooked'>
  | EventOf<'BankStatementReconciled'>;

/** A debit matches a petty-cash transfer or an expense of the same amount booked this many days apart at most. */
export const PETTY_CASH_MATCH_DAYS = 5;

interface Working {
  state: ReceivablesState;
  readonly events: BankStatementEvent[];
}

function append(working: Working, event: BankStatementEvent): void {
  working.events.push(event);
  working.state = evolveReceivables(working.state, event);
}

export function importBankStatement(command: ImportBankStatement, state: ReceivablesState): readonly BankStatementEvent[] {
  const working: Working = { state, events: [] };
  command.statements.forEach((part, index) => importPart(command, part, index, working));
  return working.events;
}

function importPart(command: ImportBankStatement, part: BankStatementPart, index: number, working: Working): void {
  refuseUnknownAccount(ownAccounts(command, working.state), part.account, index);
  const firstEvent = working.events.length;
  const confirmedReferences: string[] = [];
  const openingDate = openingDateOf(part);
  let opening: { date: string; statement: string; ledger: string } | undefined;
  if (part.opening && openingDate !== undefined) {
    if (!hasBankHistory(working.state, part.account)) {
      append(working, { type: 'BankOpeningBalanceRecorded', data: { account: part.account, date: openingDate, amount: part.opening.amount, messageId: command.messageId } });
    }
    opening = { date: openingDate, statement: part.opening.amount, ledger: formatAmount(bankBalanceThrough(working.state, part.account, openingDate)) };
  }
  part.entries.forEach((entry, entryIndex) => {
    if (entry.date > command.today) {
      refuse('BANK_STATEMENT_INVALID', `entry ${entry.bankReference} is booked on ${entry.date}, after today (${command.today}): not a statement of this bank account`, `Stmt.${index}.Ntry.${entryIndex}.BookgDt`);
    }
    const known = working.state.bankReferences.get(entry.bankReference);
    if (known === undefined) return importEntry(command, part.account, entry, working);
    refuseConflict(entry, known, `Stmt.${index}.Ntry.${entryIndex}`);
    if (known.account === undefined && !confirmedReferences.includes(entry.bankReference)) confirmedReferences.push(entry.bankReference);
  });
  reconcile(command, part, working, { opening, confirmedReferences, wroteEntries: working.events.length > firstEvent });
}

/** The accounts the treasurer recorded (part of the books); until there are any, the BANK_ACCOUNTS setting. */
function ownAccounts(command: ImportBankStatement, state: ReceivablesState): readonly string[] {
  return state.bankAccounts.length > 0 ? state.bankAccounts : command.configuredAccounts;
}

function refuseUnknownAccount(accounts: readonly string[], account: string, index: number): void {
  if (accounts.length === 0) {
    refuse(
      'BANK_ACCOUNT_UNKNOWN',
      `no bank account of the cooperative is configured, so a statement of ${account} cannot be checked; the treasurer sets them with PUT /cooperative/bank-accounts { "accounts": ["${account}"] } (or the operator with the setting BANK_ACCOUNTS=${account})`,
      `Stmt.${index}.Acct.Id.IBAN`,
    );
  }
  if (!accounts.includes(account)) {
    refuse('BANK_ACCOUNT_UNKNOWN', `the statement is of account ${account}, which is not the cooperative's (${accounts.join(', ')})`, `Stmt.${index}.Acct.Id.IBAN`);
  }
}

/**
 * The day the opening balance stands at: its own date when that is before the first booking
 * (banks date it the previous business day), else the day before the first booking.
 */
function openingDateOf(part: BankStatementPart): string | undefined {
  const first = part.entries.reduce<string | undefined>((earliest, entry) => (earliest === undefined || entry.date < earliest ? entry.date : earliest), undefined);
  const stated = part.opening?.date;
  if (stated !== undefined && (first === undefined || stated < first)) return stated;
  return first === undefined ? undefined : DateTime.fromISO(first).minus({ days: 1 }).toISODate()!;
}

function closingDateOf(part: BankStatementPart): string | undefined {
  const last = part.entries.reduce<string | undefined>((latest, entry) => (latest === undefined || entry.date > latest ? entry.date : latest), undefined);
  const stated = part.closing?.date;
  if (last === undefined) return stated;
  return stated !== undefined && stated > last ? stated : last;
}

/** A reference already recorded must come back with the same amount, date and direction: anything else is a conflict, not a duplicate. */
function refuseConflict(entry: BankEntry, known: { direction: string; amount: string; date: string }, field: string): void {
  if (known.direction === entry.direction && money(known.amount).equals(entry.amount) && known.date === entry.date) return;
  refuse(
    'BANK_ENTRY_CONFLICT',
    `bank reference ${entry.bankReference} was recorded as ${known.direction} ${known.amount} on ${known.date}; this statement says ${entry.direction} ${entry.amount} on ${entry.date}`,
    field,
  );
}

function importEntry(command: ImportBankStatement, account: string, entry: BankEntry, working: Working): void {
  if (entry.direction === 'credit' && entry.kind === 'transfer') {
    const { counterpartyName, counterpartyIban, description, creditorReference, date, amount, bankReference } = entry;
    const payment = {
      paymentId: command.newId(),
      date,
      amount,
      bankReference,
      ...(counterpartyName === undefined ? {} : { payerName: counterpartyName }),
      ...(counterpartyIban === undefined ? {} : { payerIban: counterpartyIban }),
      ...(description === undefined ? {} : { description }),
      ...(creditorReference === undefined ? {} : { creditorReference }),
    };
    // receive() folds its events already: take its state rather than folding them twice.
    const received = receive(working.state, payment, 'camt053', undefined, {
      newId: command.newId,
      financiersByIban: command.financiersByIban,
      account,
      ...(command.pledgesByReference === undefined ? {} : { pledgesByReference: command.pledgesByReference }),
    });
    working.events.push(...received.events);
    working.state = received.state;
    return;
  }
  const isTransferOut = entry.direction === 'debit' && entry.kind === 'transfer';
  const transfer = isTransferOut ? pettyCashMatch(command, working.state, entry) : undefined;
  const expense = isTransferOut && !transfer ? expenseMatch(command, working.state, entry) : undefined;
  const booking = transfer ? 'petty-cash' : expense ? 'expense' : entry.kind === 'transfer' ? 'unassigned' : entry.kind;
  const { direction, date, amount, bankReference, counterpartyName, counterpartyIban, description } = entry;
  append(working, {
    type: 'BankEntryBooked',
    data: {
      entryId: command.newId(),
      account,
      direction,
      date,
      amount,
      bankReference,
      booking,
      ...(counterpartyName === undefined ? {} : { counterpartyName }),
      ...(counterpartyIban === undefined ? {} : { counterpartyIban }),
      ...(description === undefined ? {} : { description }),
      ...(transfer ? { kamerId: transfer.kamerId, pettyCashTransferId: transfer.transferId } : {}),
      ...(expense ? { kamerId: expense.kamerId, expenseId: expense.expenseId } : {}),
    },
  });
}

/** A debit to a room's team leader pays the room's petty cash: the transfer of that amount nearest in date, not matched before. */
function pettyCashMatch(command: ImportBankStatement, state: ReceivablesState, entry: BankEntry): PettyCashTransferFact | undefined {
  const kamerId = entry.counterpartyIban === undefined ? undefined : command.teamLeaders.get(entry.counterpartyIban);
  if (kamerId === undefined) return undefined;
  return nearestInTime(
    command.pettyCashTransfers.filter(
      (transfer) => transfer.kamerId === kamerId && money(transfer.amount).equals(entry.amount) && !state.matchedPettyCashTransfers.has(transfer.transferId),
    ),
    entry.date,
  );
}

/**
 * A debit of the amount of an expense the treasurer already recorded (POST /payments/made), booked
 * within PETTY_CASH_MATCH_DAYS of it and not matched before: the same money, so it is not booked twice.
 */
function expenseMatch(command: ImportBankStatement, state: ReceivablesState, entry: BankEntry): ExpensePaidFact | undefined {
  return nearestInTime(
    (command.expensesPaid ?? []).filter((expense) => money(expense.amount).equals(entry.amount) && !state.matchedExpenses.has(expense.expenseId)),
    entry.date,
  );
}

function nearestInTime<T extends { readonly date: string }>(candidates: readonly T[], date: string): T | undefined {
  const bookedOn = DateTime.fromISO(date);
  return candidates
    .map((candidate) => ({ candidate, days: Math.abs(DateTime.fromISO(candidate.date).diff(bookedOn, 'days').days) }))
    .filter(({ days }) => days <= PETTY_CASH_MATCH_DAYS)
    .sort((a, b) => a.days - b.days)[0]?.candidate;
}

interface ReconcileFacts {
  readonly opening: { date: string; statement: string; ledger: string } | undefined;
  readonly confirmedReferences: readonly string[];
  readonly wroteEntries: boolean;
}

/**
 * The statement's balances against the ledger's: a difference is refused unless the treasurer
 * accepts it, and then it is booked (and reported), never absorbed in silence.
 */
function reconcile(command: ImportBankStatement, part: BankStatementPart, working: Working, facts: ReconcileFacts): void {
  const { opening, confirmedReferences } = facts;
  // Payments recorded by hand that this statement shows count on its account from now on.
  const ledgerAt = (date: string): Money => bankBalanceThrough(working.state, part.account, date).plus(confirmedOnOrBefore(working.state, confirmedReferences, date));
  const openingLedger = opening ? ledgerAt(opening.date) : undefined;
  const closingDate = closingDateOf(part);
  const closing = part.closing && closingDate !== undefined ? { date: closingDate, statement: part.closing.amount, ledger: formatAmount(ledgerAt(closingDate)) } : undefined;
  const openingView = opening && openingLedger ? { ...opening, ledger: formatAmount(openingLedger) } : undefined;
  const openingDifference = openingView ? money(openingView.statement).minus(openingView.ledger) : money(0);
  const closingDifference = closing ? money(closing.statement).minus(closing.ledger) : money(0);
  const differs = !openingDifference.isZero() || !closingDifference.isZero();
  if (differs && !command.acceptDifference) {
    const figures = [
      openingView ? `opening balance on ${openingView.date}: statement ${openingView.statement}, ledger ${openingView.ledger}, difference ${formatAmount(openingDifference)}` : undefined,
      closing ? `closing balance on ${closing.date}: statement ${closing.statement}, ledger ${closing.ledger}, difference ${formatAmount(closingDifference)}` : undefined,
    ].filter((text) => text !== undefined);
    refuse('BANK_BALANCE_MISMATCH', `the statement of ${part.account} does not agree with the ledger (${figures.join('; ')}); import it with ?acceptDifference=true to book the difference to 1950`, 'Bal');
  }
  if (!facts.wroteEntries && confirmedReferences.length === 0 && closingDifference.isZero()) return;
  append(working, {
    type: 'BankStatementReconciled',
    data: {
      messageId: command.messageId,
      account: part.account,
      ...(openingView ? { opening: openingView } : {}),
      ...(closing ? { closing } : {}),
      difference: formatAmount(closingDifference),
      differenceAccepted: differs,
      confirmedReferences: [...confirmedReferences],
    },
  });
}

function confirmedOnOrBefore(state: ReceivablesState, references: readonly string[], date: string): Money {
  let total = money(0);
  for (const reference of references) {
    const known = state.bankReferences.get(reference);
    if (known && known.account === undefined && known.date <= date) total = total.plus(known.direction === 'credit' ? known.amount : money(known.amount).negated());
  }
  return total;
}

export function setBankAccounts(command: SetBankAccounts): readonly [EventOf<'BankAccountsSet'>] {
  if (command.accounts.length === 0) refuse('INVALID_INPUT', 'name at least one bank account of the cooperative', 'accounts');
  return [{ type: 'BankAccountsSet', data: { accounts: [...new Set(command.accounts)] } }];
}

export function assignBankEntry(command: AssignBankEntry, state: ReceivablesState): readonly [EventOf<'BankEntryAssigned'>] {
  const entry = state.bankEntries.get(command.entryId);
  if (!entry) return refuse('NOT_FOUND', `no payment made ${command.entryId} from a bank statement`);
  if (entry.booking !== 'unassigned' || entry.assigned !== undefined) {
    return refuse('BANK_ENTRY_ALREADY_ASSIGNED', `payment ${command.entryId} is already booked (${entry.assigned ?? entry.booking})`, 'id');
  }
  const base = { entryId: entry.entryId, date: entry.date, amount: entry.amount };
  const { target } = command;
  if (target.kind !== 'budget-line') return [{ type: 'BankEntryAssigned', data: { ...base, assignment: target.kind } }];
  if (entry.direction !== 'debit') refuse('INVALID_INPUT', `only money out can be assigned to a budget line; ${entry.bankReference} is money in`, 'line');
  if (!target.kamerExists) refuse('UNKNOWN_KAMER', `no kamer ${target.kamerId}`, 'kamer');
  const year = Number(entry.date.slice(0, 4));
  if (target.budgetLines === undefined) {
    refuse('UNKNOWN_BUDGET_LINE', `kamer ${target.kamerId} has no budget for ${year}; set the ${year} budget before paying against its line ${target.line}`, 'line');
  }
  if (!target.budgetLines.includes(target.line)) {
    const known = target.budgetLines.length === 0 ? '(none)' : target.budgetLines.join(', ');
    refuse('UNKNOWN_BUDGET_LINE', `the ${year} budget of kamer ${target.kamerId} has no line ${target.line}; known lines: ${known}`, 'line');
  }
  return [{ type: 'BankEntryAssigned', data: { ...base, assignment: 'budget-line', kamerId: target.kamerId, line: target.line, year } }];
}
