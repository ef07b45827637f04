/**
 * A synthetic but plausible ledger for the projection benchmark: hundreds of rooms, dozens of
 * financiers, seven years, and the five kinds of facts in the proportions a busy cooperative
 * would record them (volunteer hours and expenses most, then petty cash, then receivables, a
 * few pledges). Every event is valid against the contract, and the write side's rules hold:
 * allocations never exceed an invoice's open amount, at most €250 petty cash per room and month,
 * no petty-cash spending beyond the balance, reversals only of recorded hours.
 *
 * Whole cents are plain integers here (exact for integers) and leave only as two-decimal strings.
 */
import { randomUUID } from 'node:crypto';
import { streams, type DomainEvent, type EventData } from '../src/domain/events.js';
import type { SqliteEventStore } from '../src/store/sqlite.js';

export interface SyntheticLogShape {
  readonly rooms: number;
  readonly financiers: number;
  readonly firstYear: number;
  readonly years: number;
}

/** Fifteen years keep a million events within the contract's four-digit invoice numbers per year. */
export const DEFAULT_SHAPE: SyntheticLogShape = { rooms: 300, financiers: 40, firstYear: 2010, years: 15 };

interface Stamped {
  readonly stream: string;
  readonly event: DomainEvent;
}

/** mulberry32: a small seeded generator, so every run writes the same log. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const euros = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** Cumulative weights of the kinds of fact, per event drawn. */
const MIX: ReadonlyArray<readonly [kind: string, weight: number]> = [
  ['hours', 0.3],
  ['expense', 0.25],
  ['pettySpend', 0.14],
  ['invoice', 0.08],
  ['pay', 0.08],
  ['pettyTransfer', 0.02],
  ['pledge', 0.02],
  ['pledgeStatus', 0.006],
  ['amend', 0.004],
  ['credit', 0.005],
  ['unallocated', 0.005],
  ['reverseHours', 0.005],
];

export class SyntheticLedger {
  private readonly random: () => number;
  private readonly rooms: string[];
  private readonly financiers: string[];
  private readonly pledges: Array<{ data: EventData<'PledgeMade'>; status: EventData<'PledgeStatusChanged'>['to']; amount: number }> = [];
  private readonly openInvoices: Array<{ data: EventData<'InvoiceIssued'>; open: number }> = [];
  private readonly recentHours: Array<EventData<'VolunteerHoursRecorded'>> = [];
  private readonly pettyMonth: number[];
  private readonly pettyBalance: number[];
  private readonly invoiceNumbers = new Map<number, number>();
  private pending: Stamped[] = [];

  constructor(private readonly shape: SyntheticLogShape = DEFAULT_SHAPE, seed = 20200615) {
    this.random = seededRandom(seed);
    this.rooms = Array.from({ length: shape.rooms }, (_, index) => `kamer-${pad(index + 1, 3)}`);
    this.financiers = Array.from({ length: shape.financiers }, (_, index) => `financier-${pad(index + 1, 2)}`);
    this.pettyMonth = this.rooms.map(() => 0);
    this.pettyBalance = this.rooms.map(() => 0);
    this.pending = this.masterData();
  }

  /** The next `count` events (master data first). */
  take(count: number): Stamped[] {
    while (this.pending.length < count) this.draw();
    return this.pending.splice(0, count);
  }

  private masterData(): Stamped[] {
    const events: Stamped[] = [];
    for (const kamerId of this.rooms) events.push({ stream: streams.kamer(kamerId), event: { type: 'KamerRegistered', data: { kamerId, name: `Buurtwerkkamer ${kamerId}` } } });
    for (const financierId of this.financiers) {
      events.push({ stream: streams.financier(financierId), event: { type: 'FinancierRegistered', data: { financierId, name: financierId, kind: 'fund', pays: 'invoice' } } });
    }
    for (const year of this.yearList()) {
      events.push({ stream: streams.valuationRates(year), event: { type: 'ValuationRateSet', data: { year, kind: 'resident', perHour: '11.00' } } });
      events.push({ stream: streams.valuationRates(year), event: { type: 'ValuationRateSet', data: { year, kind: 'professional', perHour: '37.00' } } });
      for (const kamerId of this.rooms) {
        const lines = [
          { line: 'rent', label: 'Huur', amount: '9000.00' },
          { line: 'salaries', label: 'Salarissen', amount: '40000.00' },
          { line: 'utilities', label: 'Gas, water, licht', amount: '2400.00' },
        ];
        events.push({ stream: streams.budget(kamerId, year), event: { type: 'BudgetSet', data: { kamerId, year, lines, total: '51400.00' } } });
      }
    }
    return events;
  }

  private yearList(): number[] {
    return Array.from({ length: this.shape.years }, (_, index) => this.shape.firstYear + index);
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  /** Each room has its own four financiers, as in the agreements: a financier funds a few rooms, not all. */
  private financierOf(kamerId: string): string {
    const room = Number(kamerId.slice(-3));
    return this.financiers[(room * 7 + 13 * Math.floor(this.random() * 4)) % this.financiers.length]!;
  }

  private date(year: number): string {
    return `${year}-${pad(1 + Math.floor(this.random() * 12), 2)}-${pad(1 + Math.floor(this.random() * 28), 2)}`;
  }

  private emit(stream: string, event: DomainEvent): void {
    this.pending.push({ stream, event });
  }

  private draw(): void {
    let roll = this.random();
    for (const [kind, weight] of MIX) {
      roll -= weight;
      if (roll < 0) return this.fact(kind);
    }
    this.fact('hours');
  }

  private fact(kind: string): void {
    const kamerId = this.pick(this.rooms);
    const year = this.pick(this.yearList());
    switch (kind) {
      case 'hours':
        return this.hours(kamerId, year);
      case 'expense': {
        const line = this.pick(['rent', 'salaries', 'utilities', 'phone', 'insurance']);
        const data = { expenseId: randomUUID(), kamerId, year, line, date: this.date(year), amount: euros(1_000 + Math.floor(this.random() * 300_000)), payee: 'Leverancier', description: line };
        return this.emit(streams.expenses(kamerId, year), { type: 'ExpensePaid', data });
      }
      case 'pettySpend':
        return this.pettySpend();
      case 'invoice':
        return this.invoice(kamerId, year);
      case 'pay':
        return this.pay();
      case 'pettyTransfer':
        return this.pettyTransfer();
      case 'pledge':
        return this.pledge(kamerId, year);
      case 'pledgeStatus':
        return this.pledgeStatus();
      case 'amend':
        return this.amend();
      case 'credit':
        return this.credit();
      case 'unallocated': {
        const data = { paymentId: randomUUID(), date: this.date(year), amount: euros(100 + Math.floor(this.random() * 50_000)), description: 'onbekend', source: 'camt053' as const };
        return this.emit(streams.receivables(), { type: 'PaymentReceived', data });
      }
      default:
        return this.reverseHours();
    }
  }

  private hours(kamerId: string, year: number): void {
    const data: EventData<'VolunteerHoursRecorded'> = {
      entryId: randomUUID(),
      kamerId,
      volunteerId: `v-${kamerId.slice(-3)}-${pad(Math.floor(this.random() * 35), 2)}`,
      date: this.date(year),
      hours: euros(25 * (1 + Math.floor(this.random() * 32))),
      kind: this.random() < 0.1 ? 'professional' : 'resident',
      activity: 'formulierenbrigade',
    };
    if (this.recentHours.length >= 1_000) this.recentHours.shift();
    this.recentHours.push(data);
    this.emit(streams.volunteerEntry(data.entryId), { type: 'VolunteerHoursRecorded', data });
  }

  private reverseHours(): void {
    const data = this.recentHours.pop();
    if (!data) return this.hours(this.pick(this.rooms), this.shape.firstYear);
    this.emit(streams.volunteerEntry(data.entryId), { type: 'VolunteerHoursReversed', data: { ...data, reason: 'dubbel ingevoerd' } });
  }

  private nextInvoiceNumber(year: number): string {
    const next = (this.invoiceNumbers.get(year) ?? 0) + 1;
    this.invoiceNumbers.set(year, next);
    return `${year}-${pad(next, 4)}`;
  }

  private invoice(kamerId: string, year: number): void {
    const cents = 50_000 + Math.floor(this.random() * 1_000_000);
    const issueDate = this.date(year);
    const due = new Date(`${issueDate}T00:00:00Z`);
    due.setUTCDate(due.getUTCDate() + 28);
    const data: EventData<'InvoiceIssued'> = {
      invoiceId: randomUUID(),
      number: this.nextInvoiceNumber(year),
      financierId: this.financierOf(kamerId),
      kamerId,
      year,
      issueDate,
      dueDate: due.toISOString().slice(0, 10),
      lines: [{ description: `Bijdrage ${year}`, amount: euros(cents) }],
      total: euros(cents),
    };
    if (this.openInvoices.length >= 5_000) this.openInvoices.shift();
    this.openInvoices.push({ data, open: cents });
    this.emit(streams.receivables(), { type: 'InvoiceIssued', data });
  }

  /** A payment for an open invoice (in full, or half of it) and its allocation. */
  private pay(): void {
    const index = Math.floor(this.random() * this.openInvoices.length);
    const target = this.openInvoices[index];
    if (!target) return this.invoice(this.pick(this.rooms), this.shape.firstYear);
    const amount = this.random() < 0.7 || target.open < 2 ? target.open : Math.floor(target.open / 2);
    const paymentId = randomUUID();
    const date = this.date(target.data.year);
    this.emit(streams.receivables(), { type: 'PaymentReceived', data: { paymentId, date, amount: euros(amount), description: target.data.number, source: 'camt053' } });
    const { invoiceId, number: invoiceNumber, financierId, kamerId, year } = target.data;
    const allocation = { allocationId: randomUUID(), paymentId, paymentDate: date, amount: euros(amount), invoiceId, invoiceNumber, financierId, kamerId, year, matchedBy: 'invoice-number-in-description' as const };
    this.emit(streams.receivables(), { type: 'PaymentAllocated', data: allocation });
    target.open -= amount;
    if (target.open === 0) this.openInvoices.splice(index, 1);
  }

  private credit(): void {
    const index = Math.floor(this.random() * this.openInvoices.length);
    const target = this.openInvoices[index];
    if (!target) return;
    const amount = Math.max(1, Math.floor(target.open / 4));
    const { invoiceId, number: invoiceNumber, financierId, kamerId, year, issueDate } = target.data;
    const data = { creditNoteId: randomUUID(), number: this.nextInvoiceNumber(year), invoiceId, invoiceNumber, financierId, kamerId, year, issueDate, amount: euros(amount), reason: 'correctie' };
    this.emit(streams.receivables(), { type: 'CreditNoteIssued', data });
    target.open -= amount;
    if (target.open === 0) this.openInvoices.splice(index, 1);
  }

  private pettyTransfer(): void {
    const room = Math.floor(this.random() * this.rooms.length);
    const monthIndex = this.pettyMonth[room]!;
    if (monthIndex >= this.shape.years * 12) return;
    this.pettyMonth[room] = monthIndex + 1;
    const month = `${this.shape.firstYear + Math.floor(monthIndex / 12)}-${pad(1 + (monthIndex % 12), 2)}`;
    this.pettyBalance[room] = this.pettyBalance[room]! + 25_000;
    const kamerId = this.rooms[room]!;
    this.emit(streams.pettyCash(kamerId), { type: 'PettyCashTransferred', data: { transferId: randomUUID(), kamerId, date: `${month}-01`, month, amount: '250.00' } });
  }

  private pettySpend(): void {
    const room = Math.floor(this.random() * this.rooms.length);
    const balance = this.pettyBalance[room]!;
    const monthIndex = this.pettyMonth[room]!;
    if (balance < 100 || monthIndex === 0) return this.pettyTransfer();
    const amount = Math.min(balance, 100 + Math.floor(this.random() * 4_000));
    this.pettyBalance[room] = balance - amount;
    const lastMonth = monthIndex - 1;
    const date = `${this.shape.firstYear + Math.floor(lastMonth / 12)}-${pad(1 + (lastMonth % 12), 2)}-${pad(1 + Math.floor(this.random() * 28), 2)}`;
    const kamerId = this.rooms[room]!;
    const data = { spendingId: randomUUID(), kamerId, date, category: this.pick(['A', 'B', 'C', 'D', 'E', 'F'] as const), amount: euros(amount), description: 'boodschappen' };
    this.emit(streams.pettyCash(kamerId), { type: 'PettyCashSpent', data });
  }

  private pledge(kamerId: string, year: number): void {
    const cents = 100_000 * (1 + Math.floor(this.random() * 60));
    const status = this.pick(['proposed', 'conditional', 'committed', 'committed'] as const);
    const data: EventData<'PledgeMade'> = {
      pledgeId: randomUUID(),
      financierId: this.financierOf(kamerId),
      kamerId,
      year,
      ...(this.random() < 0.05 ? { share: { numerator: 1, denominator: 3 } } : { amount: euros(cents) }),
      form: this.random() < 0.1 ? 'in-kind' : 'cash',
      status,
    };
    this.pledges.push({ data, status, amount: cents });
    this.emit(streams.pledge(data.pledgeId), { type: 'PledgeMade', data });
  }

  private pledgeStatus(): void {
    const pledge = this.pledges.length === 0 ? undefined : this.pick(this.pledges);
    if (!pledge || pledge.status === 'committed' || pledge.status === 'withdrawn') return;
    const to = this.random() < 0.8 ? 'committed' : 'withdrawn';
    const { pledgeId, financierId, kamerId, year } = pledge.data;
    this.emit(streams.pledge(pledgeId), { type: 'PledgeStatusChanged', data: { pledgeId, financierId, kamerId, year, from: pledge.status, to } });
    pledge.status = to;
  }

  private amend(): void {
    const pledge = this.pledges.length === 0 ? undefined : this.pick(this.pledges);
    if (!pledge || pledge.data.amount === undefined || pledge.status === 'withdrawn') return;
    const amount = pledge.amount + 50_000;
    const { pledgeId, financierId, kamerId, year } = pledge.data;
    this.emit(streams.pledge(pledgeId), { type: 'PledgeAmended', data: { pledgeId, financierId, kamerId, year, previousAmount: euros(pledge.amount), amount: euros(amount), reason: 'bijgesteld' } });
    pledge.amount = amount;
  }
}

/**
 * Appends `count` events of the synthetic ledger to the store in group commits: every append
 * of a round is requested at once, so the SQLite adapter writes the round in one transaction.
 */
/**
 * The shape for a log of `count` events: the default up to 1.5M events; beyond, more years, so no
 * year outgrows the contract's four-digit invoice numbers (YYYY-NNNN: a 3M log over fifteen years
 * would need five digits from ~1.86M events on). They start no earlier than 2000, the first year
 * the contract accepts (a 3M log spans 2000-2029).
 */
export function shapeForEvents(count: number): SyntheticLogShape {
  const years = Math.max(DEFAULT_SHAPE.years, Math.ceil((DEFAULT_SHAPE.years * count) / 1_500_000));
  const lastYear = Math.max(DEFAULT_SHAPE.firstYear + DEFAULT_SHAPE.years - 1, FIRST_CONTRACT_YEAR + years - 1);
  return { ...DEFAULT_SHAPE, years, firstYear: lastYear - years + 1 };
}

/** The earliest year the event contract accepts (events.ts: `year` ≥ 2000). */
const FIRST_CONTRACT_YEAR = 2000;

export async function writeSyntheticLog(store: SqliteEventStore, count: number, onProgress?: (written: number) => void): Promise<void> {
  const ledger = new SyntheticLedger(shapeForEvents(count));
  const round = 20_000;
  for (let written = 0; written < count; written += round) {
    const batch = ledger.take(Math.min(round, count - written));
    await Promise.all(batch.map(({ stream, event }) => store.append(stream, [{ type: event.type, data: event.data, metadata: { recordedBy: 'system:bench' } }], 'any')));
    onProgress?.(written + batch.length);
  }
}
