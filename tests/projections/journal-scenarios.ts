/**
 * Random but valid event sequences for the journal's property tests (fast-check): rooms and
 * financiers first, then money events that refer only to invoices, payments, pledges and hour
 * entries made earlier in the same sequence, with amounts in cents and dates in 2019–2020.
 */
import fc from 'fast-check';
import type { DomainEvent, EventData, FinancierKind, PettyCashCategory, PledgeStatus, VolunteerKind } from '../../src/domain/events.js';
import { formatAmount, money, roundToCents } from '../../src/domain/money.js';
import {
  allocationToInvoice,
  allocationToPledge,
  creditNote,
  expense,
  financier,
  invoice,
  kamer,
  paymentReceived,
  pettyCashSpent,
  pettyCashTransfer,
  pledge,
  pledgeAmended,
  pledgeStatus,
  rate,
  volunteerHours,
  volunteerReversal,
} from './journal-events.js';

export const KAMERS = ['top', 'de-klop'] as const;
export const FINANCIERS = ['mitros', 'gemeente', 'vsb-fonds'] as const;
export const YEARS = [2019, 2020] as const;
const KINDS: readonly FinancierKind[] = ['municipality', 'benefits-agency', 'housing-corporation', 'fund', 'own-income', 'tax-refund', 'other'];
const CATEGORIES: readonly PettyCashCategory[] = ['A', 'B', 'C', 'D', 'E', 'F'];
const LINES = ['rent', 'coordination', 'utilities'];

const cents = fc.integer({ min: 1, max: 2_000_000 }).map((value) => `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`);
const hours = fc.integer({ min: 1, max: 2400 }).map((value) => `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`);
const date = fc
  .record({ year: fc.constantFrom(...YEARS), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) })
  .map(({ year, month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);

/** One step of a scenario; `pick` chooses among earlier items of the kind it needs. */
type Step =
  | { kind: 'invoice'; financier: number; kamer: number; date: string; amount: string }
  | { kind: 'credit-note'; pick: number; date: string; part: number }
  | { kind: 'payment'; date: string; amount: string }
  | { kind: 'allocate-invoice'; pick: number; payment: number; part: number }
  | { kind: 'allocate-pledge'; pick: number; payment: number; part: number }
  | { kind: 'expense'; kamer: number; line: number; date: string; amount: string }
  | { kind: 'transfer'; kamer: number; date: string; amount: string }
  | { kind: 'spend'; kamer: number; category: number; date: string; amount: string }
  | { kind: 'pledge'; financier: number; kamer: number; year: number; amount: string; inKind: boolean; committed: boolean; rent: boolean; share: boolean }
  | { kind: 'pledge-status'; pick: number; to: 'proposed' | 'conditional' | 'committed' | 'withdrawn' }
  | { kind: 'pledge-amend'; pick: number; amount: string }
  | { kind: 'hours'; kamer: number; date: string; hours: string; resident: boolean }
  | { kind: 'reverse-hours'; pick: number };

const index = fc.nat({ max: 50 });
const part = fc.integer({ min: 1, max: 100 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('invoice' as const), financier: index, kamer: index, date, amount: cents }),
  fc.record({ kind: fc.constant('credit-note' as const), pick: index, date, part }),
  fc.record({ kind: fc.constant('payment' as const), date, amount: cents }),
  fc.record({ kind: fc.constant('allocate-invoice' as const), pick: index, payment: index, part }),
  fc.record({ kind: fc.constant('allocate-pledge' as const), pick: index, payment: index, part }),
  fc.record({ kind: fc.constant('expense' as const), kamer: index, line: index, date, amount: cents }),
  fc.record({ kind: fc.constant('transfer' as const), kamer: index, date, amount: cents }),
  fc.record({ kind: fc.constant('spend' as const), kamer: index, category: index, date, amount: cents }),
  fc.record({
    kind: fc.constant('pledge' as const),
    financier: index,
    kamer: index,
    year: fc.constantFrom(...YEARS),
    amount: cents,
    inKind: fc.boolean(),
    committed: fc.boolean(),
    rent: fc.boolean(),
    share: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('pledge-status' as const), pick: index, to: fc.constantFrom('proposed' as const, 'conditional' as const, 'committed' as const, 'withdrawn' as const) }),
  fc.record({ kind: fc.constant('pledge-amend' as const), pick: index, amount: cents }),
  fc.record({ kind: fc.constant('hours' as const), kamer: index, date, hours, resident: fc.boolean() }),
  fc.record({ kind: fc.constant('reverse-hours' as const), pick: index }),
);

export interface Scenario {
  readonly events: DomainEvent[];
}

const rateYears = fc.subarray(
  YEARS.flatMap((year) => (['resident', 'professional'] as VolunteerKind[]).map((kind) => ({ year, kind }))),
);

export const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    kinds: fc.tuple(...FINANCIERS.map(() => fc.constantFrom(...KINDS))),
    rates: rateYears,
    steps: fc.array(step, { minLength: 15, maxLength: 60 }),
  })
  .map(({ kinds, rates, steps }) => {
    const registry: DomainEvent[] = [
      ...KAMERS.map((id) => kamer(id)),
      ...FINANCIERS.map((id, i) => financier(id, kinds[i]!, `Financier ${id}`)),
      ...rates.map(({ year, kind }) => rate(year, kind, kind === 'resident' ? '10.04' : '37.00')),
    ];
    return { events: [...registry, ...resolve(steps)] };
  });

/** Turns steps into events, keeping only those that can follow what came before. */
function resolve(steps: readonly Step[]): DomainEvent[] {
  const log = new ScenarioLog();
  for (const s of steps) log.add(s);
  return log.events;
}

const pick = <T>(items: readonly T[], at: number): T | undefined => (items.length === 0 ? undefined : items[at % items.length]);

/** `percent` of an amount, at least one cent. */
function partOf(amount: string, percent: number): string {
  const part = roundToCents(money(amount).times(percent).dividedBy(100));
  return formatAmount(part.lessThan('0.01') ? money('0.01') : part);
}

/** The log being built, and what it holds that later steps may refer to. */
class ScenarioLog {
  readonly events: DomainEvent[] = [];
  private readonly invoices: EventData<'InvoiceIssued'>[] = [];
  private readonly payments: EventData<'PaymentReceived'>[] = [];
  private readonly pledges: Array<{ data: EventData<'PledgeMade'>; status: PledgeStatus; amount?: string }> = [];
  private readonly hours: EventData<'VolunteerHoursRecorded'>[] = [];
  private readonly numbers = new Map<number, number>();

  add(s: Step): void {
    switch (s.kind) {
      case 'invoice':
      case 'credit-note':
      case 'payment':
      case 'allocate-invoice':
      case 'allocate-pledge':
        return this.receivables(s);
      case 'expense':
        return this.push(expense({ kamerId: KAMERS[s.kamer % 2]!, line: LINES[s.line % LINES.length]!, date: s.date, amount: s.amount, description: 'Huur; =SUM(A1)\nregel 2' }));
      case 'transfer':
        return this.push(pettyCashTransfer(KAMERS[s.kamer % 2]!, s.date, s.amount));
      case 'spend':
        return this.push(pettyCashSpent(KAMERS[s.kamer % 2]!, s.date, CATEGORIES[s.category % 6]!, s.amount, 'koffie & thee <vers>'));
      case 'pledge':
      case 'pledge-status':
      case 'pledge-amend':
        return this.pledge(s);
      case 'hours': {
        const recorded = volunteerHours({ kamerId: KAMERS[s.kamer % 2]!, date: s.date, hours: s.hours, kind: s.resident ? 'resident' : 'professional' });
        this.hours.push(recorded.data);
        return this.push(recorded);
      }
      case 'reverse-hours':
        return this.push(this.hours.splice(s.pick % Math.max(1, this.hours.length), 1).map(volunteerReversal)[0]);
    }
  }

  private push(event: DomainEvent | undefined): void {
    if (event) this.events.push(event);
  }

  private nextNumber(issueDate: string): string {
    const year = Number(issueDate.slice(0, 4));
    const next = (this.numbers.get(year) ?? 0) + 1;
    this.numbers.set(year, next);
    return `${year}-${String(next).padStart(4, '0')}`;
  }

  private receivables(s: Extract<Step, { kind: 'invoice' | 'credit-note' | 'payment' | 'allocate-invoice' | 'allocate-pledge' }>): void {
    switch (s.kind) {
      case 'invoice': {
        const issued = invoice({ financierId: FINANCIERS[s.financier % 3]!, kamerId: KAMERS[s.kamer % 2]!, year: Number(s.date.slice(0, 4)), number: this.nextNumber(s.date), issueDate: s.date, total: s.amount });
        this.invoices.push(issued.data);
        return this.push(issued);
      }
      case 'credit-note': {
        const of = pick(this.invoices, s.pick);
        return this.push(of && creditNote(of, { number: this.nextNumber(s.date), issueDate: s.date, amount: partOf(of.total, s.part) }));
      }
      case 'payment': {
        const received = paymentReceived({ date: s.date, amount: s.amount, payerName: 'Betaler, "met" komma' });
        this.payments.push(received.data);
        return this.push(received);
      }
      case 'allocate-invoice': {
        const [of, payment] = [pick(this.invoices, s.pick), pick(this.payments, s.payment)];
        return this.push(of && payment && allocationToInvoice(payment, of, partOf(payment.amount, s.part)));
      }
      case 'allocate-pledge': {
        const [of, payment] = [pick(this.pledges, s.pick), pick(this.payments, s.payment)];
        return this.push(of && payment && allocationToPledge(payment, of.data, partOf(payment.amount, s.part)));
      }
    }
  }

  private pledge(s: Extract<Step, { kind: 'pledge' | 'pledge-status' | 'pledge-amend' }>): void {
    if (s.kind === 'pledge') {
      const made = pledge({
        financierId: FINANCIERS[s.financier % 3]!,
        kamerId: KAMERS[s.kamer % 2]!,
        year: s.year,
        ...(s.share ? { share: { numerator: 1, denominator: 3 } } : { amount: s.amount }),
        form: s.inKind ? 'in-kind' : 'cash',
        status: s.committed ? 'committed' : 'proposed',
        ...(s.rent ? { note: 'huurkorting' } : {}),
      });
      this.pledges.push({ data: made.data, status: made.data.status, ...(s.share ? {} : { amount: s.amount }) });
      return this.push(made);
    }
    const of = pick(this.pledges, s.pick);
    if (!of || of.status === 'withdrawn') return;
    if (s.kind === 'pledge-status' && of.status !== s.to) {
      this.push(pledgeStatus(of.data, of.status, s.to));
      of.status = s.to;
    }
    if (s.kind === 'pledge-amend' && of.amount !== undefined) {
      this.push(pledgeAmended(of.data, of.amount, s.amount));
      of.amount = s.amount;
    }
  }
}
