import { randomUUID } from 'node:crypto';
import type { CommandHandler, CommandMetadata, CommandResult } from './command-handler.js';
import { Lookups } from './lookups.js';
import { ReceivablesLookups } from './receivables-lookups.js';
import { parseDomainEvent, streams, type DocumentParties, type DomainEvent, type EventData } from '../domain/events.js';
import { dateInAmsterdam } from '../domain/calendar.js';
import { formatAmount } from '../domain/money.js';
import type { AllocationTarget, ExpensePaidFact, FinanciersByIban, IncomingPayment, InvoiceLine, PledgeFacts, ReceivablesCommand } from '../domain/receivables/commands.js';
import { receivablesDecider } from '../domain/receivables/decider.js';
import { invoicesOfOtherFinancier, payerFinanciersOf, PLEDGE_REFERENCE } from '../domain/receivables/payments.js';
import { findInvoice, openAmountOf, unallocatedOf, type ReceivablesState } from '../domain/receivables/state.js';
import type { CooperativeState } from '../domain/registry/deciders.js';
import type { ParsedStatement } from '../bank/camt053.js';
import { parseCamt053InWorker } from '../bank/parse-in-worker.js';
import { ibanKey } from '../domain/ids.js';
import { registryProjection } from '../projections/registry.js';
import type { EventStore } from '../store/port.js';
import type { ProjectionRunner } from '../projections/runner.js';

export interface ReceivablesDependencies {
  readonly store: EventStore;
  readonly commands: CommandHandler;
  /** For the registry: whose account a payer's IBAN is. */
  readonly projections: ProjectionRunner;
  readonly clock: () => Date;
  /** The BANK_ACCOUNTS setting: the cooperative's accounts until the treasurer records a list. */
  readonly bankAccounts?: readonly string[];
  /** Team leaders' IBANs → their room (from the registry); without it no debit is matched to petty cash. */
  readonly teamLeaderAccounts?: () => Promise<ReadonlyMap<string, string>>;
  /** Expenses recorded as paid from the bank (POST /payments/made); without it no debit is matched to one. */
  readonly expensesPaid?: () => Promise<readonly ExpensePaidFact[]>;
  /** Pledge references (kenmerken) → pledge id, from the pledges as they stand; without it no kenmerk is matched. */
  readonly pledgeReferences?: () => Promise<ReadonlyMap<string, string>>;
  /** Parses a camt.053 document; default: in a worker thread, so a large one does not block other requests. */
  readonly parseStatement?: (xml: string) => Promise<ParsedStatement>;
}

/** Either a room's budget line, or one of the bank's own accounts. */
export type BankEntryAssignmentInput =
  | { readonly kamer: string; readonly line: string; readonly account?: undefined }
  | { readonly account: 'bank-costs' | 'interest'; readonly kamer?: undefined; readonly line?: undefined };

export interface IssueInvoiceInput {
  readonly financier: string;
  readonly kamer: string;
  readonly year: number;
  readonly pledge?: string;
  readonly issueDate?: string;
  readonly lines?: readonly InvoiceLine[];
  readonly reference?: string;
}

export interface CreditNoteInput {
  readonly amount?: string;
  readonly reason: string;
  readonly issueDate?: string;
  readonly reference?: string;
}

/** An allocation as a request names it: exactly one of invoice (id or number) and pledge (id). */
export interface AllocationInput {
  readonly invoice?: string;
  readonly pledge?: string;
  readonly amount: string;
  readonly reason?: string;
}

/** A received payment as a request gives it: the payment without the id we assign, plus allocations. */
export type ReceivePaymentInput = Omit<IncomingPayment, 'paymentId'> & { readonly allocations?: readonly AllocationInput[] };

/** An invoice named in a payment's description that automatic matching left alone: another financier's. */
export interface CrossFinancierMatch {
  readonly invoiceNumber: string;
  readonly financier: string;
  readonly payerFinanciers: readonly string[];
}

export interface PaymentOutcome {
  readonly payment: EventData<'PaymentReceived'>;
  readonly allocations: readonly EventData<'PaymentAllocated'>[];
  readonly unallocated: string;
  /** Only for automatic matching, and only when there were any. */
  readonly notMatched?: readonly CrossFinancierMatch[];
}

export interface InvoiceOutcome {
  readonly invoice: EventData<'InvoiceIssued'>;
  readonly position: string;
}

export interface CreditNoteOutcome {
  readonly creditNote: EventData<'CreditNoteIssued'>;
  /** What stays open on the credited invoice. */
  readonly openAmount: string;
  readonly position: string;
}

export interface ReceivedPaymentOutcome extends PaymentOutcome {
  readonly position: string;
}

export interface AllocationOutcome {
  readonly allocation: EventData<'PaymentAllocated'>;
  readonly unallocated: string;
  readonly invoiceOpenAmount?: string;
  readonly position: string;
}

export interface StatementImport extends ImportSummary {
  readonly messageId: string;
  readonly skippedNotBooked: number;
  readonly payments: readonly PaymentOutcome[];
  /** Entries that are not received payments: money out, bank costs, interest. */
  readonly entries: readonly EventData<'BankEntryBooked'>[];
  readonly reconciliations: readonly EventData<'BankStatementReconciled'>[];
  readonly openingBalances: readonly EventData<'BankOpeningBalanceRecorded'>[];
  readonly position: string | undefined;
}

export interface BankAccountsOutcome {
  readonly accounts: readonly string[];
  readonly position: string;
}

export interface AssignmentOutcome {
  readonly assignment: EventData<'BankEntryAssigned'>;
  readonly position: string;
}

export interface ImportSummary {
  /** New credits recorded as received payments. */
  readonly imported: number;
  /** Entries (either way) whose bank reference was already recorded. */
  readonly duplicates: number;
  /** Imported payments with at least one allocation. */
  readonly matched: number;
  readonly unmatched: number;
  /** New debits (money out), however booked. */
  readonly debits: number;
  readonly bankCosts: number;
  readonly interest: number;
  /** Debits matched to a petty-cash transfer already recorded. */
  readonly pettyCash: number;
  /** Debits matched to an expense already recorded with POST /payments/made. */
  readonly expenses: number;
  /** Debits waiting for the treasurer to assign a room and budget line. */
  readonly unassigned: number;
}

function summariseImport(entryCount: number, events: readonly DomainEvent[]): ImportSummary {
  const imported = events.filter((event) => event.type === 'PaymentReceived').length;
  const matched = new Set(events.flatMap((event) => (event.type === 'PaymentAllocated' ? [event.data.paymentId] : []))).size;
  const booked = events.flatMap((event) => (event.type === 'BankEntryBooked' ? [event.data] : []));
  const count = (booking: string) => booked.filter((entry) => entry.booking === booking).length;
  return {
    imported,
    duplicates: entryCount - imported - booked.length,
    matched,
    unmatched: imported - matched,
    debits: booked.filter((entry) => entry.direction === 'debit').length,
    bankCosts: count('bank-costs'),
    interest: count('interest'),
    pettyCash: count('petty-cash'),
    expenses: count('expense'),
    unassigned: count('unassigned'),
  };
}


type ReceivablesResult = Omit<CommandResult<ReceivablesState>, 'answer'>;

/**
 * How the caller (a route) turns a use case's outcome into its answer. It runs inside the append,
 * so the answer is built, and checked, before the events are committed (see `AnswerBuilder`).
 */
export type OutcomeAnswer<Outcome> = (outcome: Outcome) => { readonly status: number; readonly body: string };

/**
 * The receivables use cases: each gathers what the rule needs from other streams (fresh on
 * every retry), runs the command on the one receivables stream, and hands back what was written.
 */
export class ReceivablesService {
  private readonly registry: Lookups;
  private readonly lookups: ReceivablesLookups;

  constructor(private readonly deps: ReceivablesDependencies) {
    this.registry = new Lookups(deps.commands);
    this.lookups = new ReceivablesLookups(deps.store);
  }

  async issueInvoice(input: IssueInvoiceInput, metadata: CommandMetadata, answer?: OutcomeAnswer<InvoiceOutcome>) {
    const invoiceId = randomUUID();
    const outcome = (result: ReceivablesResult): InvoiceOutcome => ({ invoice: dataOf(result.events, 'InvoiceIssued')[0]!, position: result.position! });
    const result = await this.run(async () => {
      const today = this.today();
      const [financier, kamer, pledge, cooperative] = await Promise.all([
        this.registry.financier(input.financier),
        this.registry.kamer(input.kamer),
        input.pledge === undefined ? undefined : this.lookups.pledgeReference(input.pledge),
        this.registry.cooperative(),
      ]);
      const share = pledge?.facts?.share ? pledge.facts : undefined;
      return {
        type: 'IssueInvoice',
        invoiceId,
        financierId: input.financier,
        financier: financier && { pays: financier.pays, ...(financier.requiresBuyerReference ? { requiresBuyerReference: true } : {}) },
        ...(financier === undefined ? {} : { parties: documentParties(cooperative, financier) }),
        ...(input.reference === undefined ? {} : { reference: input.reference }),
        kamerId: input.kamer,
        kamerExists: kamer !== undefined,
        year: input.year,
        issueDate: input.issueDate ?? today,
        today,
        ...(input.lines === undefined ? {} : { lines: input.lines }),
        ...(pledge === undefined ? {} : { pledge }),
        ...(share ? { actualCosts: await this.lookups.actualCosts(share.kamerId, share.year) } : {}),
      };
    }, metadata, answer && ((written) => answer(outcome(written))));
    return { ...outcome(result), answer: result.answer };
  }

  async issueCreditNote(invoice: string, input: CreditNoteInput, metadata: CommandMetadata, answer?: OutcomeAnswer<CreditNoteOutcome>) {
    const creditNoteId = randomUUID();
    const outcome = (result: ReceivablesResult): CreditNoteOutcome => {
      const creditNote = dataOf(result.events, 'CreditNoteIssued')[0]!;
      const openAmount = formatAmount(openAmountOf(result.state.invoices.get(creditNote.invoiceId)!));
      return { creditNote, openAmount, position: result.position! };
    };
    const result = await this.run(async () => {
      const today = this.today();
      const { state } = await this.deps.commands.load(receivablesDecider, streams.receivables());
      const credited = findInvoice(state, invoice);
      const [cooperative, financier] = await Promise.all([
        this.registry.cooperative(),
        credited === undefined ? undefined : this.registry.financier(credited.financierId),
      ]);
      return {
        type: 'IssueCreditNote',
        creditNoteId,
        invoice,
        ...(financier === undefined ? {} : { parties: documentParties(cooperative, financier) }),
        ...(input.reference === undefined ? {} : { reference: input.reference }),
        ...(input.amount === undefined ? {} : { amount: input.amount }),
        reason: input.reason,
        issueDate: input.issueDate ?? today,
        today,
      };
    }, metadata, answer && ((written) => answer(outcome(written))));
    return { ...outcome(result), answer: result.answer };
  }

  async receivePayment(input: ReceivePaymentInput, metadata: CommandMetadata, answer?: OutcomeAnswer<ReceivedPaymentOutcome>) {
    const { allocations, ...payment } = input;
    const paymentId = randomUUID();
    let financiersByIban: FinanciersByIban = new Map();
    const outcome = (result: ReceivablesResult): ReceivedPaymentOutcome => ({
      ...paymentOutcomes(result.events, result.state, allocations === undefined ? financiersByIban : undefined)[0]!,
      position: result.position!,
    });
    const result = await this.run(
      async () => {
        financiersByIban = await this.financiersByIban();
        return {
          type: 'ReceivePayment',
          payment: { ...payment, paymentId },
          ...(allocations === undefined ? { pledgesByReference: await this.pledgesNamedIn([payment.description]) } : { allocations: await this.targets(allocations) }),
          financiersByIban,
          today: this.today(),
          newId: randomUUID,
        };
      },
      metadata,
      answer && ((written) => answer(outcome(written))),
    );
    return { ...outcome(result), answer: result.answer };
  }

  async allocatePayment(paymentId: string, input: AllocationInput, metadata: CommandMetadata, answer?: OutcomeAnswer<AllocationOutcome>) {
    const allocationId = randomUUID();
    const outcome = (result: ReceivablesResult): AllocationOutcome => {
      const allocation = dataOf(result.events, 'PaymentAllocated')[0]!;
      const invoice = allocation.invoiceId === undefined ? undefined : result.state.invoices.get(allocation.invoiceId);
      return {
        allocation,
        unallocated: formatAmount(unallocatedOf(result.state.payments.get(paymentId)!)),
        ...(invoice ? { invoiceOpenAmount: formatAmount(openAmountOf(invoice)) } : {}),
        position: result.position!,
      };
    };
    const result = await this.run(
      async () => ({
        type: 'AllocatePayment',
        allocationId,
        paymentId,
        target: (await this.targets([input]))[0]!,
        financiersByIban: await this.financiersByIban(),
      }),
      metadata,
      answer && ((written) => answer(outcome(written))),
    );
    return { ...outcome(result), answer: result.answer };
  }

  /**
   * Parses the statement first, off the event loop (a broken file writes nothing), then imports
   * all its new entries and its reconciliation in one append to the receivables stream.
   */
  async importBankStatement(xml: string, options: { acceptDifference: boolean }, metadata: CommandMetadata, answer?: OutcomeAnswer<StatementImport>) {
    const statement = await (this.deps.parseStatement ?? parseCamt053InWorker)(xml);
    const debitAmounts = new Set(statement.statements.flatMap((part) => part.entries.flatMap((entry) => (entry.direction === 'debit' ? [entry.amount] : []))));
    const debitIbans = new Set(statement.statements.flatMap((part) => part.entries.flatMap((entry) => (entry.direction === 'debit' && entry.counterpartyIban ? [entry.counterpartyIban] : []))));
    const entryCount = statement.statements.reduce((count, part) => count + part.entries.length, 0);
    let financiersByIban: FinanciersByIban = new Map();
    const outcome = (result: ReceivablesResult): StatementImport => {
      const events = result.events.map((recorded) => parseDomainEvent(recorded));
      return {
        messageId: statement.messageId,
        ...summariseImport(entryCount, events),
        skippedNotBooked: statement.skippedNotBooked,
        payments: paymentOutcomes(result.events, result.state, financiersByIban),
        entries: events.flatMap((event) => (event.type === 'BankEntryBooked' ? [event.data] : [])),
        reconciliations: events.flatMap((event) => (event.type === 'BankStatementReconciled' ? [event.data] : [])),
        openingBalances: events.flatMap((event) => (event.type === 'BankOpeningBalanceRecorded' ? [event.data] : [])),
        position: result.position,
      };
    };
    const result = await this.run(
      async () => {
        const teamLeaders = await this.teamLeadersAmong(debitIbans);
        financiersByIban = await this.financiersByIban();
        return {
          type: 'ImportBankStatement',
          messageId: statement.messageId,
          statements: statement.statements,
          acceptDifference: options.acceptDifference,
          configuredAccounts: this.deps.bankAccounts ?? [],
          teamLeaders,
          pettyCashTransfers: await this.lookups.pettyCashTransfers([...new Set(teamLeaders.values())]),
          expensesPaid: await this.expensesOfAmounts(debitAmounts),
          pledgesByReference: await this.pledgesNamedIn(statement.statements.flatMap((part) => part.entries.map((entry) => entry.description))),
          financiersByIban,
          today: this.today(),
          newId: randomUUID,
        };
      },
      { ...metadata, reason: metadata.reason ?? `camt.053 statement ${statement.messageId}` },
      answer && ((written) => answer(outcome(written))),
    );
    return { ...outcome(result), answer: result.answer };
  }

  /** Sets the cooperative's own bank accounts: only statements of these are imported. */
  async setBankAccounts(accounts: readonly string[], metadata: CommandMetadata, answer?: OutcomeAnswer<BankAccountsOutcome>) {
    const outcome = (result: ReceivablesResult): BankAccountsOutcome => ({ accounts: result.state.bankAccounts, position: result.position! });
    const result = await this.run(() => ({ type: 'SetBankAccounts', accounts }), metadata, answer && ((written) => answer(outcome(written))));
    return { ...outcome(result), answer: result.answer };
  }

  /** Assigns a payment made that waited (a statement debit) to a room's budget line, or to bank costs or interest. */
  async assignBankEntry(entryId: string, input: BankEntryAssignmentInput, metadata: CommandMetadata, answer?: OutcomeAnswer<AssignmentOutcome>) {
    const outcome = (result: ReceivablesResult): AssignmentOutcome => ({ assignment: dataOf(result.events, 'BankEntryAssigned')[0]!, position: result.position! });
    const result = await this.run(async (state) => {
      if (input.account !== undefined) return { type: 'AssignBankEntry', entryId, target: { kind: input.account } };
      // The budget of the payment's own year; an unknown payment is refused by the decider (404).
      const year = Number((state.bankEntries.get(entryId)?.date ?? this.today()).slice(0, 4));
      const [kamer, budget] = await Promise.all([this.registry.kamer(input.kamer), this.registry.budget(input.kamer, year)]);
      return {
        type: 'AssignBankEntry',
        entryId,
        target: { kind: 'budget-line', kamerId: input.kamer, kamerExists: kamer !== undefined, line: input.line, budgetLines: budget?.lines.map((line) => line.line) },
      };
    }, metadata, answer && ((written) => answer(outcome(written))));
    return { ...outcome(result), answer: result.answer };
  }

  /** The pledges whose kenmerk occurs in one of the texts, read fresh from their streams. */
  private async pledgesNamedIn(texts: readonly (string | undefined)[]): Promise<Map<string, PledgeFacts>> {
    const found = new Map<string, PledgeFacts>();
    const tokens = new Set(texts.flatMap((text) => text?.match(PLEDGE_REFERENCE) ?? []));
    if (tokens.size === 0 || !this.deps.pledgeReferences) return found;
    const references = await this.deps.pledgeReferences();
    for (const token of tokens) {
      const pledgeId = references.get(token);
      const facts = pledgeId === undefined ? undefined : await this.lookups.pledge(pledgeId);
      if (facts) found.set(token, facts);
    }
    return found;
  }

  /** Expenses recorded by hand of one of these amounts: candidates for the statement's debits. */
  private async expensesOfAmounts(amounts: ReadonlySet<string>): Promise<ExpensePaidFact[]> {
    if (amounts.size === 0 || !this.deps.expensesPaid) return [];
    return (await this.deps.expensesPaid()).filter((expense) => amounts.has(expense.amount));
  }

  /** The rooms whose team leader's account is among `ibans`. */
  private async teamLeadersAmong(ibans: ReadonlySet<string>): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (ibans.size === 0 || !this.deps.teamLeaderAccounts) return found;
    for (const [iban, kamerId] of await this.deps.teamLeaderAccounts()) if (ibans.has(iban)) found.set(iban, kamerId);
    return found;
  }

  private run(
    buildCommand: (state: ReceivablesState) => ReceivablesCommand | Promise<ReceivablesCommand>,
    metadata: CommandMetadata,
    answer?: (result: ReceivablesResult) => { readonly status: number; readonly body: string },
  ) {
    return writerQueueFor(this.deps.commands).run(() =>
      this.deps.commands.execute(receivablesDecider, streams.receivables(), buildCommand, metadata, answer),
    );
  }

  private today(): string {
    return dateInAmsterdam(this.deps.clock());
  }

  /** Every allocation with what its pledge's stream says now, and for a share pledge the room's actual costs. */
  private targets(allocations: readonly AllocationInput[]): Promise<AllocationTarget[]> {
    return Promise.all(
      allocations.map(async ({ invoice, pledge, amount, reason }) => {
        const reference = pledge === undefined ? undefined : await this.lookups.pledgeReference(pledge);
        const share = reference?.facts?.share ? reference.facts : undefined;
        return {
          ...(invoice === undefined ? {} : { invoice }),
          ...(reference === undefined ? {} : { pledge: reference }),
          amount,
          ...(reason === undefined ? {} : { reason }),
          ...(share ? { actualCosts: await this.lookups.actualCosts(share.kamerId, share.year) } : {}),
        };
      }),
    );
  }

  /** Who registered which IBAN, from the registry as it stands (a financier registered a moment ago included). */
  private async financiersByIban(): Promise<FinanciersByIban> {
    const registry = await this.deps.projections.read(registryProjection);
    const byIban = new Map<string, string[]>();
    for (const financier of registry.financiers.values()) {
      if (financier.iban === undefined) continue;
      const key = ibanKey(financier.iban);
      byIban.set(key, [...(byIban.get(key) ?? []), financier.financierId]);
    }
    return byIban;
  }
}

/**
 * Every invoice, credit note and payment lands in the one receivables stream, so a burst of
 * requests in this process would mostly race each other: each attempt loses to whichever append
 * commits first, and under load some exhaust the command handler's retries (409). Queuing them
 * per command handler lets this process write the stream one command at a time; a second
 * process (the CLI, another server) still meets them through the expected revision and retries.
 */
class WriterQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

const writerQueues = new WeakMap<CommandHandler, WriterQueue>();

function writerQueueFor(commands: CommandHandler): WriterQueue {
  let queue = writerQueues.get(commands);
  if (!queue) writerQueues.set(commands, (queue = new WriterQueue()));
  return queue;
}

function dataOf<T extends DomainEvent['type']>(recorded: readonly { type: string; data: unknown }[], type: T): EventData<T>[] {
  return recorded
    .map((event) => parseDomainEvent(event))
    .filter((event): event is Extract<DomainEvent, { type: T }> => event.type === type)
    .map((event) => event.data as EventData<T>);
}

/**
 * Each payment written, with its allocations and what is left unallocated once they were written.
 * `matchedWith`: the IBAN directory automatic matching used, to name the invoices it left alone
 * because another financier's account paid them; absent when the treasurer allocated explicitly.
 */
function paymentOutcomes(recorded: readonly { type: string; data: unknown }[], state: ReceivablesState, matchedWith?: FinanciersByIban): PaymentOutcome[] {
  const allocations = dataOf(recorded, 'PaymentAllocated');
  return dataOf(recorded, 'PaymentReceived').map((payment) => {
    const notMatched = matchedWith === undefined ? [] : crossFinancierMatches(state, payment, matchedWith);
    return {
      payment,
      allocations: allocations.filter((allocation) => allocation.paymentId === payment.paymentId),
      unallocated: formatAmount(unallocatedOf(state.payments.get(payment.paymentId)!)),
      ...(notMatched.length === 0 ? {} : { notMatched }),
    };
  });
}

function crossFinancierMatches(state: ReceivablesState, payment: EventData<'PaymentReceived'>, financiersByIban: FinanciersByIban): CrossFinancierMatch[] {
  const payerFinanciers = payerFinanciersOf(payment.payerIban, financiersByIban);
  return invoicesOfOtherFinancier(state, payment, financiersByIban).map((invoice) => ({
    invoiceNumber: invoice.number,
    financier: invoice.financierId,
    payerFinanciers,
  }));
}

/**
 * The parties as they stand now, copied into the invoice or credit note so its document always
 * shows them as sent. The logo stays in the cooperative's stream (named by `supplier.revision`).
 */
export function documentParties(cooperative: CooperativeState['current'], financier: EventData<'FinancierRegistered'>): DocumentParties {
  const { address, email, eInvoiceId } = financier;
  const customer = {
    name: financier.name,
    ...(address === undefined ? {} : { address }),
    ...(email === undefined ? {} : { email }),
    ...(eInvoiceId === undefined ? {} : { eInvoiceId }),
  };
  if (cooperative === undefined) return { customer };
  const { logo: _logo, ...supplier } = cooperative.details;
  return { supplier: { ...supplier, revision: cooperative.revision }, customer };
}
