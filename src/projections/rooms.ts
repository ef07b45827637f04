import type { DomainEvent, EventData, PettyCashCategory, VolunteerKind } from '../domain/events.js';
import { PettyCashCategorySchema } from '../domain/events.js';
import { yearOf } from '../domain/calendar.js';
import { cents, NO_CENTS, type Cents } from './cents.js';
import type { Projection } from './projection.js';

export const PETTY_CASH_CATEGORIES: readonly PettyCashCategory[] = PettyCashCategorySchema.options;

export function zeroPerCategory(): Record<PettyCashCategory, Cents> {
  return { A: NO_CENTS, B: NO_CENTS, C: NO_CENTS, D: NO_CENTS, E: NO_CENTS, F: NO_CENTS };
}

/**
 * A room's money and hours in one year. Receivables count in the year of their pledge or invoice,
 * expenses in their budget year, petty-cash spending and volunteer hours in the year of their
 * date, petty-cash transfers in the year of the month they count against.
 */
export interface RoomYearRecord {
  readonly kamerId: string;
  readonly year: number;
  invoiced: Cents;
  credited: Cents;
  receivedOnInvoices: Cents;
  /** Allocated straight to one of the room's pledges, without an invoice. */
  receivedOnPledges: Cents;
  readonly expensesByLine: Map<string, Cents>;
  expenses: Cents;
  readonly pettyCashSpent: Record<PettyCashCategory, Cents>;
  pettyCashTransferred: Cents;
  /** Hundredths of an hour. */
  readonly volunteerHours: Record<VolunteerKind, Cents>;
  /** Net hundredths of an hour per pseudonymous volunteer, for the active-volunteer count. */
  readonly hoursByVolunteer: Map<string, Cents>;
  /**
   * Per kind, how many entries (net of reversals) there are of each size in hundredths of an
   * hour. Each entry is valued and rounded on its own, as its POST answer and the memorandum
   * journal do, so the room's volunteer value must add entry values, not value the total hours.
   */
  readonly entriesByHours: Record<VolunteerKind, Map<Cents, number>>;
}

export interface RoomsState {
  /** kamerId → year → figures: two lookups, but no key string built for each of a million events. */
  readonly byRoom: Map<string, Map<number, RoomYearRecord>>;
}

export function findRoomYear(state: RoomsState, kamerId: string, year: number): RoomYearRecord | undefined {
  return state.byRoom.get(kamerId)?.get(year);
}

function roomYear(state: RoomsState, kamerId: string, year: number): RoomYearRecord {
  let years = state.byRoom.get(kamerId);
  if (!years) {
    years = new Map();
    state.byRoom.set(kamerId, years);
  }
  let record = years.get(year);
  if (!record) {
    record = {
      kamerId,
      year,
      invoiced: NO_CENTS,
      credited: NO_CENTS,
      receivedOnInvoices: NO_CENTS,
      receivedOnPledges: NO_CENTS,
      expensesByLine: new Map(),
      expenses: NO_CENTS,
      pettyCashSpent: zeroPerCategory(),
      pettyCashTransferred: NO_CENTS,
      volunteerHours: { resident: NO_CENTS, professional: NO_CENTS },
      hoursByVolunteer: new Map(),
      entriesByHours: { resident: new Map(), professional: new Map() },
    };
    years.set(year, record);
  }
  return record;
}

function allocated(state: RoomsState, data: EventData<'PaymentAllocated'>): void {
  const record = roomYear(state, data.kamerId, data.year);
  if (data.invoiceId === undefined) record.receivedOnPledges += cents(data.amount);
  else record.receivedOnInvoices += cents(data.amount);
}

function expensePaid(state: RoomsState, data: EventData<'ExpensePaid'>): void {
  const record = roomYear(state, data.kamerId, data.year);
  const amount = cents(data.amount);
  record.expenses += amount;
  record.expensesByLine.set(data.line, (record.expensesByLine.get(data.line) ?? NO_CENTS) + amount);
}

function volunteerHours(state: RoomsState, data: EventData<'VolunteerHoursRecorded'>, sign: 1 | -1): void {
  const record = roomYear(state, data.kamerId, yearOf(data.date));
  const hours = sign === 1 ? cents(data.hours) : -cents(data.hours);
  record.volunteerHours[data.kind] += hours;
  record.hoursByVolunteer.set(data.volunteerId, (record.hoursByVolunteer.get(data.volunteerId) ?? NO_CENTS) + hours);
  const sizes = record.entriesByHours[data.kind];
  const size = cents(data.hours);
  sizes.set(size, (sizes.get(size) ?? 0) + sign);
}

/** The year a room's event counts in (see RoomYearRecord); undefined for an event of another kind. */
function countedYear(event: DomainEvent): number | undefined {
  switch (event.type) {
    case 'InvoiceIssued':
    case 'CreditNoteIssued':
    case 'PaymentAllocated':
    case 'ExpensePaid':
      return event.data.year;
    case 'PettyCashTransferred':
      return yearOf(event.data.month);
    case 'PettyCashSpent':
    case 'VolunteerHoursRecorded':
    case 'VolunteerHoursReversed':
      return yearOf(event.data.date);
    default:
      return undefined;
  }
}

/** The types counted in the year of their business date: a one-year fold can pass over the others' days unparsed. */
const COUNTED_IN_YEAR_OF_DATE: ReadonlySet<string> = new Set(['PettyCashSpent', 'VolunteerHoursRecorded', 'VolunteerHoursReversed']);

function apply(state: RoomsState, event: DomainEvent): RoomsState {
  switch (event.type) {
    case 'InvoiceIssued': {
      const record = roomYear(state, event.data.kamerId, event.data.year);
      record.invoiced += cents(event.data.total);
      break;
    }
    case 'CreditNoteIssued': {
      const record = roomYear(state, event.data.kamerId, event.data.year);
      record.credited += cents(event.data.amount);
      break;
    }
    case 'PaymentAllocated':
      allocated(state, event.data);
      break;
    case 'ExpensePaid':
      expensePaid(state, event.data);
      break;
    case 'PettyCashTransferred': {
      const record = roomYear(state, event.data.kamerId, yearOf(event.data.month));
      record.pettyCashTransferred += cents(event.data.amount);
      break;
    }
    case 'PettyCashSpent': {
      const record = roomYear(state, event.data.kamerId, yearOf(event.data.date));
      record.pettyCashSpent[event.data.category] += cents(event.data.amount);
      break;
    }
    case 'VolunteerHoursRecorded':
      volunteerHours(state, event.data, 1);
      break;
    case 'VolunteerHoursReversed':
      volunteerHours(state, event.data, -1);
      break;
    default:
      break;
  }
  return state;
}

const ROOM_EVENT_TYPES = ['InvoiceIssued', 'CreditNoteIssued', 'PaymentAllocated', 'ExpensePaid', 'PettyCashTransferred', 'PettyCashSpent', 'VolunteerHoursRecorded', 'VolunteerHoursReversed'] as const;

/** Per room and year: what was invoiced and received for it, what was spent, and the volunteers' hours. */
export const roomsProjection: Projection<RoomsState> = {
  name: 'rooms',
  eventTypes: ROOM_EVENT_TYPES,
  initial: () => ({ byRoom: new Map() }),
  apply: (state, { event }) => apply(state, event),
};

/**
 * The rooms' figures of one year only (a report on that year: the accountant's replay). Its
 * memory does not grow with the years in the log, and a replay skips the hours and petty-cash
 * spending dated in other years before parsing them: half the log.
 */
export function yearRoomsProjection(year: number): Projection<RoomsState> {
  const firstDay = year * 10_000 + 101;
  const lastDay = year * 10_000 + 1231;
  return {
    name: `rooms:${year}`,
    eventTypes: ROOM_EVENT_TYPES,
    admitsBusinessDay: (day, type) => !COUNTED_IN_YEAR_OF_DATE.has(type) || (day >= firstDay && day <= lastDay),
    initial: () => ({ byRoom: new Map() }),
    apply: (state, { event }) => (countedYear(event) === year ? apply(state, event) : state),
  };
}
