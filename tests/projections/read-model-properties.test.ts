/**
 * Properties of the read side over random VALID histories: the generator keeps every rule the
 * write side keeps (credit notes ≤ open, allocations ≤ the payment's remainder and the invoice's
 * open amount, ≤ €250 petty cash a month, spending ≤ the petty-cash balance, hours ≤ 24 and
 * reversals of recorded entries only), appends the events to a real SQLite store, and checks:
 * - reading after every few appends gives what a fresh runner's full rebuild gives;
 * - a financier's invoiced equals its invoices' totals minus their credit notes;
 * - a room's received equals the allocations made to it;
 * - offering every event twice to the live projections counts nothing twice.
 */
import t from 'tap';
import fc from 'fast-check';
import type { DomainEvent } from '../../src/domain/events.js';
import { formatAmount, money, sum } from '../../src/domain/money.js';
import { createProjectionRunner } from '../../src/projections/create.js';
import { pettyCashProjection, type PettyCashState } from '../../src/projections/petty-cash.js';
import { pledgesProjection, yearPledgesProjection, type PledgesState } from '../../src/projections/pledges.js';
import type { Projection } from '../../src/projections/projection.js';
import { receivablesProjection, yearReceivablesProjection, type ReceivablesState } from '../../src/projections/receivables.js';
import { registryProjection, type RegistryState } from '../../src/projections/registry.js';
import { roomsProjection, type RoomsState } from '../../src/projections/rooms.js';
import { LiveProjection, type ProjectionRunner } from '../../src/projections/runner.js';
import { roomBudgetView } from '../../src/projections/views/budget.js';
import { financierPositionView } from '../../src/projections/views/financier-position.js';
import { listInvoices, overdueReport } from '../../src/projections/views/invoices.js';
import { unallocatedPayments } from '../../src/projections/views/payments.js';
import { pettyCashView } from '../../src/projections/views/petty-cash.js';
import { listPledges } from '../../src/projections/views/pledges.js';
import type { SqliteEventStore } from '../../src/store/sqlite.js';
import {
  allocation,
  amended,
  creditNote,
  expense,
  financier,
  hours,
  hoursReversed,
  invoice,
  kamer,
  payment,
  pettyCashSpent,
  pettyCashTransfer,
  pledge,
  projected,
  rate,
  statusChanged,
  fold,
  streamOf,
  testStore,
  type PledgeMadeEvent,
} from './read-model-events.js';

const KAMERS = ['top', 'klop', 'zuilen'] as const;
const FINANCIERS = ['gemeente', 'portaal', 'mitros'] as const;
const YEARS = [2019, 2020] as const;
const CATEGORIES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
const REFERENCE_DATE = '2020-12-31';

/** Whole cents in the generator only: it is exact for integers, and every amount leaves as a string. */
const euros = (cents: number): string => formatAmount(money(cents).dividedBy(100));
const dateIn = (year: number, dayOfYear: number): string => new Date(Date.UTC(year, 0, 1 + (dayOfYear % 365))).toISOString().slice(0, 10);

type Intent = readonly [kind: number, a: number, b: number, c: number, d: number];
const intentArbitrary = fc.tuple(fc.nat(11), fc.nat(1_000), fc.nat(1_000), fc.nat(1_000), fc.integer({ min: 1, max: 500_000 }));

interface OpenInvoice {
  readonly event: DomainEvent & { type: 'InvoiceIssued' };
  open: number;
}
interface OpenPayment {
  readonly event: DomainEvent & { type: 'PaymentReceived' };
  remainder: number;
}

type PledgeStatusNow = 'proposed' | 'conditional' | 'committed' | 'withdrawn';

/** One random intent's coordinates, already turned into a room, financier, year and date. */
interface Draw {
  readonly room: string;
  readonly funder: string;
  readonly year: number;
  readonly date: string;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
}

/**
 * Turns random intents into a valid history. It keeps what the write side's rules need (open
 * amounts, remainders, monthly transfers, balances, unreversed entries) and skips an intent
 * that has nothing to act on.
 */
class HistoryBuilder {
  readonly events: DomainEvent[] = [
    ...KAMERS.map((id) => kamer(id)),
    ...FINANCIERS.map((id) => financier(id)),
    ...YEARS.flatMap((year) => [rate(year, 'resident', '11.00'), rate(year, 'professional', '37.00')]),
  ];
  private readonly pledges: Array<{ event: PledgeMadeEvent; status: PledgeStatusNow; amount: string | undefined }> = [];
  private readonly invoices: OpenInvoice[] = [];
  private readonly payments: OpenPayment[] = [];
  private readonly transferred = new Map<string, number>();
  private readonly pettyBalance = new Map<string, number>();
  private readonly entries: Array<DomainEvent | undefined> = [];
  private invoiceNumber = 0;

  add([kind, a, b, c, d]: Intent): void {
    const year = YEARS[c % YEARS.length]!;
    const draw: Draw = { room: KAMERS[a % KAMERS.length]!, funder: FINANCIERS[b % FINANCIERS.length]!, year, date: dateIn(year, a + b), a, b, c, d };
    const steps = [this.makePledge, this.changeStatus, this.amend, this.issueInvoice, this.creditInvoice, this.receivePayment, this.allocate, this.payExpense, this.transferPettyCash, this.spendPettyCash, this.recordHours, this.reverseHours];
    steps[kind % steps.length]!.call(this, draw);
  }

  private nextNumber(year: number): string {
    this.invoiceNumber += 1;
    return `${year}-${String(this.invoiceNumber).padStart(4, '0')}`;
  }

  private makePledge({ funder, room, year, c, d }: Draw): void {
    const made = c % 5 === 0
      ? pledge({ financier: funder, kamer: room, year, share: { numerator: 1, denominator: 1 + (d % 4) } })
      : pledge({ financier: funder, kamer: room, year, amount: euros(d), form: d % 7 === 0 ? 'in-kind' : 'cash', status: (['proposed', 'conditional', 'committed'] as const)[d % 3]! });
    this.pledges.push({ event: made, status: made.data.status, amount: made.data.amount });
    this.events.push(made);
  }

  private changeStatus({ a, d }: Draw): void {
    const target = pick(this.pledges, a);
    const to = (['proposed', 'conditional', 'committed', 'withdrawn'] as const)[d % 4]!;
    if (!target || target.status === 'withdrawn' || to === target.status) return;
    this.events.push(statusChanged(target.event, target.status, to));
    target.status = to;
  }

  private amend({ a, d }: Draw): void {
    const target = pick(this.pledges, a);
    if (!target || target.amount === undefined) return;
    this.events.push(amended(target.event, target.amount, euros(d)));
    target.amount = euros(d);
  }

  private issueInvoice({ funder, room, year, date, d }: Draw): void {
    const issued = invoice({ number: this.nextNumber(year), financier: funder, kamer: room, year, issueDate: date, total: euros(d) });
    this.invoices.push({ event: issued, open: d });
    this.events.push(issued);
  }

  private creditInvoice({ year, a, d }: Draw): void {
    const target = pick(this.invoices.filter((open) => open.open > 0), a);
    if (!target) return;
    const amount = 1 + (d % target.open);
    this.events.push(creditNote(target.event, this.nextNumber(year), euros(amount)));
    target.open -= amount;
  }

  private receivePayment({ date, d }: Draw): void {
    const received = payment(date, euros(d));
    this.payments.push({ event: received, remainder: d });
    this.events.push(received);
  }

  private allocate({ a, b, c, d }: Draw): void {
    const from = pick(this.payments.filter((paid) => paid.remainder > 0), a);
    if (!from) return;
    const toInvoice = pick(this.invoices.filter((open) => open.open > 0), b);
    if (toInvoice && c % 3 !== 0) {
      const amount = 1 + (d % Math.min(from.remainder, toInvoice.open));
      this.events.push(allocation(from.event, { invoice: toInvoice.event }, euros(amount)));
      from.remainder -= amount;
      toInvoice.open -= amount;
    } else if (this.pledges.length > 0) {
      const amount = 1 + (d % from.remainder);
      this.events.push(allocation(from.event, { pledge: pick(this.pledges, b)!.event }, euros(amount)));
      from.remainder -= amount;
    }
  }

  private payExpense({ room, year, date, d }: Draw): void {
    this.events.push(expense(room, year, ['rent', 'salaries', 'phone'][d % 3]!, date, euros(d)));
  }

  private transferPettyCash({ room, date, d }: Draw): void {
    const key = `${room}|${date.slice(0, 7)}`;
    const amount = Math.min(25_000 - (this.transferred.get(key) ?? 0), 1 + (d % 25_000));
    if (amount <= 0) return;
    this.transferred.set(key, (this.transferred.get(key) ?? 0) + amount);
    this.pettyBalance.set(room, (this.pettyBalance.get(room) ?? 0) + amount);
    this.events.push(pettyCashTransfer(room, date, euros(amount)));
  }

  private spendPettyCash({ room, date, d }: Draw): void {
    const balance = this.pettyBalance.get(room) ?? 0;
    if (balance <= 0) return;
    const amount = 1 + (d % balance);
    this.pettyBalance.set(room, balance - amount);
    this.events.push(pettyCashSpent(room, date, CATEGORIES[d % CATEGORIES.length]!, euros(amount)));
  }

  private recordHours({ room, date, b, d }: Draw): void {
    const entry = hours(room, `v${b % 5}`, date, euros(1 + (d % 2_400)), d % 4 === 0 ? 'professional' : 'resident');
    this.entries.push(entry);
    this.events.push(entry);
  }

  private reverseHours(): void {
    const index = this.entries.findIndex((entry) => entry !== undefined);
    if (index < 0) return;
    this.events.push(hoursReversed(this.entries[index]!));
    this.entries[index] = undefined;
  }
}

function pick<T>(list: readonly T[], index: number): T | undefined {
  return list[index % Math.max(1, list.length)];
}

function historyFrom(intents: readonly Intent[]): DomainEvent[] {
  const builder = new HistoryBuilder();
  for (const intent of intents) builder.add(intent);
  return builder.events;
}

interface States {
  readonly registry: RegistryState;
  readonly pledges: PledgesState;
  readonly receivables: ReceivablesState;
  readonly rooms: RoomsState;
  readonly pettyCash: PettyCashState;
}

async function readStates(runner: ProjectionRunner): Promise<States> {
  const [registry, pledges, receivables, rooms, pettyCash] = await Promise.all([
    runner.read(registryProjection),
    runner.read(pledgesProjection),
    runner.read(receivablesProjection),
    runner.read(roomsProjection),
    runner.read(pettyCashProjection),
  ]);
  return { registry, pledges, receivables, rooms, pettyCash };
}

/** Every answer the read routes give, as plain JSON: what "equal states" means to a user. */
function render(states: States): unknown {
  return {
    pledges: listPledges(states.pledges, states.rooms, {}),
    invoices: listInvoices(states.receivables, {}, REFERENCE_DATE),
    unallocated: unallocatedPayments(states.receivables),
    overdue: overdueReport(states.receivables, REFERENCE_DATE),
    budgets: KAMERS.flatMap((room) => YEARS.map((year) => roomBudgetView(states, room, year))),
    pettyCash: KAMERS.flatMap((room) => YEARS.map((year) => pettyCashView(states.pettyCash, room, year))),
    positions: FINANCIERS.flatMap((funder) => [undefined, ...YEARS].map((year) => financierPositionView(states, funder, year, REFERENCE_DATE))),
  };
}

async function appendInOrder(store: SqliteEventStore, events: readonly DomainEvent[]): Promise<void> {
  // Concurrent appends share one group commit and keep the order they were asked in.
  await Promise.all(events.map((event) => store.append(streamOf(event), [{ type: event.type, data: event.data, metadata: { recordedBy: 'property' } }], 'any')));
}

function foldTwice<S>(projection: Projection<S>, events: readonly DomainEvent[]): S {
  const live = new LiveProjection(projection);
  events.forEach((event, index) => {
    const delivered = projected(event, String(index + 1));
    live.offer(delivered);
    live.offer(delivered);
    // …and an older one redelivered after it.
    if (index > 0) live.offer(projected(events[index - 1]!, String(index)));
  });
  return live.state;
}

t.test('projections over random valid histories', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(intentArbitrary, { minLength: 1, maxLength: 150, size: 'max' }), fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 30 }), async (intents, chunkSizes) => {
      const events = historyFrom(intents);
      const store = testStore(t);
      const incremental = createProjectionRunner(store);
      let next = 0;
      for (let chunk = 0; next < events.length; chunk += 1) {
        const size = chunkSizes[chunk % chunkSizes.length]!;
        await appendInOrder(store, events.slice(next, next + size));
        next += size;
        await readStates(incremental);
      }
      const afterIncrements = render(await readStates(incremental));
      const rebuild = createProjectionRunner(store);
      const rebuilt = render(await readStates(rebuild));
      t.same(afterIncrements, rebuilt, 'incremental equals a full rebuild');

      const states = await readStates(rebuild);
      for (const funder of FINANCIERS) {
        const fromEvents = sum(events.flatMap((event) => (event.type === 'InvoiceIssued' && event.data.financierId === funder ? [event.data.total] : [])))
          .minus(sum(events.flatMap((event) => (event.type === 'CreditNoteIssued' && event.data.financierId === funder ? [event.data.amount] : []))));
        const fromList = sum(listInvoices(states.receivables, { financier: funder }, REFERENCE_DATE).map((view) => money(view.total).minus(view.credited)));
        const position = financierPositionView(states, funder, undefined, REFERENCE_DATE);
        t.equal(position.invoiced, formatAmount(fromEvents), `${funder}: invoiced equals its invoices minus credit notes`);
        t.equal(position.invoiced, formatAmount(fromList), `${funder}: and the invoice list agrees`);
      }
      for (const room of KAMERS) {
        for (const year of YEARS) {
          const allocated = sum(events.flatMap((event) => (event.type === 'PaymentAllocated' && event.data.kamerId === room && event.data.year === year ? [event.data.amount] : [])));
          t.equal(roomBudgetView(states, room, year).received, formatAmount(allocated), `${room} ${year}: received equals the allocations to it`);
        }
      }

      const redelivered: States = {
        registry: foldTwice(registryProjection, events),
        pledges: foldTwice(pledgesProjection, events),
        receivables: foldTwice(receivablesProjection, events),
        rooms: foldTwice(roomsProjection, events),
        pettyCash: foldTwice(pettyCashProjection, events),
      };
      t.same(render(redelivered), rebuilt, 'redelivered events count once');
      await Promise.all([incremental.close(), rebuild.close()]);
    }),
    { numRuns: 25 },
  );
});

t.test("a year's pledges and receivables (the replay's) give that year's budgets and positions as the full ones do", async (t) => {
  fc.assert(
    fc.property(fc.array(intentArbitrary, { minLength: 1, maxLength: 150, size: 'max' }), (intents) => {
      const events = historyFrom(intents);
      const full = { registry: fold(registryProjection, events), rooms: fold(roomsProjection, events), pledges: fold(pledgesProjection, events), receivables: fold(receivablesProjection, events) };
      for (const year of YEARS) {
        const scoped = { ...full, pledges: fold(yearPledgesProjection(year), events), receivables: fold(yearReceivablesProjection(year), events) };
        const views = (states: typeof full) => ({
          budgets: KAMERS.map((room) => roomBudgetView(states, room, year)),
          positions: FINANCIERS.map((funder) => financierPositionView(states, funder, year, REFERENCE_DATE)),
        });
        t.same(views(scoped), views(full), `${year}`);
        for (const invoice of scoped.receivables.invoices.values()) t.equal(invoice.year, year, 'only the year is kept');
        t.equal(scoped.receivables.payments.size, 0, 'and no payments');
      }
    }),
    { numRuns: 40 },
  );
});
