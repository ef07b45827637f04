/**
 * Builders of domain events for the journal's tests, and a way to put them in a real
 * SqliteEventStore and read the ledger back through the real projection runner.
 */
import { randomUUID } from 'node:crypto';
import { type DomainEvent, type EventData, type FinancierKind, type PettyCashCategory, type VolunteerKind } from '../../src/domain/events.js';
import { journalOf, ledgerProjection, type Journal } from '../../src/projections/journal.js';
import { LogProjectionRunner } from '../../src/projections/runner.js';
import type { TimeCut } from '../../src/projections/projection.js';
import type { EventStore } from '../../src/store/port.js';
import { SqliteEventStore } from '../../src/store/sqlite.js';

// One place knows which stream each event belongs in: the read-model tests' builders.
import { appendEvents } from './read-model-events.js';
export { appendEvents, streamOf } from './read-model-events.js';

/** The journal of a log, read through the real runner (at a cut when given). */
export async function journalFromStore(store: EventStore, cut?: TimeCut): Promise<Journal> {
  const runner = new LogProjectionRunner(store);
  try {
    return journalOf(await runner.read(ledgerProjection, cut));
  } finally {
    await runner.close();
  }
}

/** A fresh in-memory store with these events in it. */
export async function storeWith(events: readonly DomainEvent[]): Promise<SqliteEventStore> {
  const store = new SqliteEventStore(':memory:');
  await appendEvents(store, events);
  return store;
}

// A sample log ------------------------------------------------------------------------------------

export const LONG_KAMER = 'buurtwerkkamer-tweede-daalsebuurt-ondiep';
export const LONG_FINANCIER = 'stichting-woningcorporatie-met-lange-nam';
export const NASTY_NAME = 'Stichting <Wonen> & "Leven" \'t Zuid — een naam die veel langer is dan vijftig tekens';

/** A log with every kind of entry over 2019–2020, long ids and user text that XML and journals must escape. */
export function sampleLog(): DomainEvent[] {
  const issued2019 = invoice({ financierId: 'mitros', kamerId: 'top', year: 2019, number: '2019-0001', issueDate: '2019-11-01', total: '6600.00' });
  const issued2020 = invoice({ financierId: LONG_FINANCIER, kamerId: LONG_KAMER, year: 2020, number: '2020-0001', issueDate: '2020-02-01', total: '1234.56' });
  const received = paymentReceived({ date: '2020-01-20', amount: '6600.00', payerName: 'Mitros <bank> & co', description: 'factuur 2019-0001\u0001 🏠', bankReference: 'REF&<1>' });
  return [
    kamer('top', 'TOP'),
    kamer(LONG_KAMER, 'Tweede Daalsebuurt & Ondiep'),
    financier('mitros', 'housing-corporation', 'Mitros', 'NL91ABNA0417164300'),
    financier(LONG_FINANCIER, 'fund', NASTY_NAME),
    budget('top', 2020, [{ line: 'Huur & GWL', label: 'Huur <incl.> GWL', amount: '9000.00' }], '9000.00'),
    rate(2020, 'resident', '11.00'),
    issued2019,
    expense({ kamerId: 'top', line: 'rent', date: '2019-12-01', amount: '500.00' }),
    received,
    allocationToInvoice(received.data, issued2019.data, '6600.00'),
    issued2020,
    expense({ kamerId: 'top', line: 'Huur & GWL', date: '2020-03-01', amount: '650.00', payee: 'Verhuurder "BV"', description: 'Huur maart; <geen> korting' }),
    pettyCashTransfer(LONG_KAMER, '2020-03-02', '250.00'),
    pettyCashSpent(LONG_KAMER, '2020-03-03', 'F', '17.95', 'Krijt, kabels & lampjes'),
    pledge({ financierId: 'mitros', kamerId: 'top', year: 2020, amount: '7800.00', form: 'in-kind', status: 'committed', note: 'huurkorting gemiddeld €650 per maand' }),
    volunteerHours({ kamerId: 'top', date: '2020-04-01', hours: '3.50', kind: 'resident' }),
  ];
}

// Builders ---------------------------------------------------------------------------------------

export const kamer = (kamerId: string, name = kamerId.toUpperCase()): DomainEvent => ({ type: 'KamerRegistered', data: { kamerId, name } });

export const financier = (financierId: string, kind: FinancierKind, name = financierId, iban?: string): DomainEvent => ({
  type: 'FinancierRegistered',
  data: { financierId, name, kind, pays: kind === 'municipality' ? 'subsidy-decision' : 'invoice', ...(iban ? { iban } : {}) },
});

export const rate = (year: number, kind: VolunteerKind, perHour: string): DomainEvent => ({ type: 'ValuationRateSet', data: { year, kind, perHour } });

export const budget = (kamerId: string, year: number, lines: Array<{ line: string; label: string; amount: string }>, total: string): DomainEvent => ({
  type: 'BudgetSet',
  data: { kamerId, year, lines, total },
});

export function invoice(fields: { financierId: string; kamerId: string; year: number; number: string; issueDate: string; total: string; pledgeId?: string; invoiceId?: string }): EventOf<'InvoiceIssued'> {
  const { invoiceId = randomUUID(), total, ...rest } = fields;
  return { type: 'InvoiceIssued', data: { invoiceId, ...rest, dueDate: rest.issueDate, lines: [{ description: 'Bijdrage', amount: total }], total } };
}

export function creditNote(of: EventData<'InvoiceIssued'>, fields: { number: string; issueDate: string; amount: string; reason?: string }): DomainEvent {
  return {
    type: 'CreditNoteIssued',
    data: {
      creditNoteId: randomUUID(),
      number: fields.number,
      invoiceId: of.invoiceId,
      invoiceNumber: of.number,
      financierId: of.financierId,
      kamerId: of.kamerId,
      year: of.year,
      issueDate: fields.issueDate,
      amount: fields.amount,
      reason: fields.reason ?? 'correctie',
    },
  };
}

export function paymentReceived(fields: { date: string; amount: string; payerName?: string; description?: string; bankReference?: string; paymentId?: string }): EventOf<'PaymentReceived'> {
  const { paymentId = randomUUID(), ...rest } = fields;
  return { type: 'PaymentReceived', data: { paymentId, ...rest, source: 'manual' } };
}

export function allocationToInvoice(payment: EventData<'PaymentReceived'>, of: EventData<'InvoiceIssued'>, amount: string): DomainEvent {
  return {
    type: 'PaymentAllocated',
    data: {
      allocationId: randomUUID(),
      paymentId: payment.paymentId,
      paymentDate: payment.date,
      amount,
      invoiceId: of.invoiceId,
      invoiceNumber: of.number,
      financierId: of.financierId,
      kamerId: of.kamerId,
      year: of.year,
      matchedBy: 'treasurer',
    },
  };
}

export function allocationToPledge(payment: EventData<'PaymentReceived'>, pledge: EventData<'PledgeMade'>, amount: string): DomainEvent {
  return {
    type: 'PaymentAllocated',
    data: {
      allocationId: randomUUID(),
      paymentId: payment.paymentId,
      paymentDate: payment.date,
      amount,
      pledgeId: pledge.pledgeId,
      financierId: pledge.financierId,
      kamerId: pledge.kamerId,
      year: pledge.year,
      matchedBy: 'treasurer',
    },
  };
}

export function pledge(fields: {
  financierId: string;
  kamerId: string;
  year: number;
  amount?: string;
  share?: { numerator: number; denominator: number };
  form: 'cash' | 'in-kind';
  status: 'proposed' | 'conditional' | 'committed';
  note?: string;
}): EventOf<'PledgeMade'> {
  return { type: 'PledgeMade', data: { pledgeId: randomUUID(), ...fields } };
}

export function pledgeStatus(of: EventData<'PledgeMade'>, from: EventData<'PledgeStatusChanged'>['from'], to: EventData<'PledgeStatusChanged'>['to']): DomainEvent {
  const { pledgeId, financierId, kamerId, year } = of;
  return { type: 'PledgeStatusChanged', data: { pledgeId, financierId, kamerId, year, from, to } };
}

export function pledgeAmended(of: EventData<'PledgeMade'>, previousAmount: string, amount: string): DomainEvent {
  const { pledgeId, financierId, kamerId, year } = of;
  return { type: 'PledgeAmended', data: { pledgeId, financierId, kamerId, year, previousAmount, amount, reason: 'bijgesteld' } };
}

export const expense = (fields: { kamerId: string; line: string; date: string; amount: string; payee?: string; description?: string }): DomainEvent => ({
  type: 'ExpensePaid',
  data: {
    expenseId: randomUUID(),
    kamerId: fields.kamerId,
    year: Number(fields.date.slice(0, 4)),
    line: fields.line,
    date: fields.date,
    amount: fields.amount,
    payee: fields.payee ?? 'Verhuurder',
    description: fields.description ?? 'Huur',
  },
});

export const pettyCashTransfer = (kamerId: string, date: string, amount: string): DomainEvent => ({
  type: 'PettyCashTransferred',
  data: { transferId: randomUUID(), kamerId, date, month: date.slice(0, 7), amount },
});

export const pettyCashSpent = (kamerId: string, date: string, category: PettyCashCategory, amount: string, description = 'boodschappen'): DomainEvent => ({
  type: 'PettyCashSpent',
  data: { spendingId: randomUUID(), kamerId, date, category, amount, description },
});

export function volunteerHours(fields: { kamerId: string; date: string; hours: string; kind: VolunteerKind; volunteerId?: string }): EventOf<'VolunteerHoursRecorded'> {
  return { type: 'VolunteerHoursRecorded', data: { entryId: randomUUID(), ...fields, volunteerId: fields.volunteerId ?? 'v-001' } };
}

export function volunteerReversal(of: EventData<'VolunteerHoursRecorded'>): DomainEvent {
  return { type: 'VolunteerHoursReversed', data: { ...of, reason: 'verkeerd ingevoerd' } };
}

type EventOf<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>;
