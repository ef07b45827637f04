import type { EventData, PettyCashCategory, VolunteerKind } from '../domain/events.js';
import { monthOf } from '../domain/calendar.js';
import { cents, type Cents } from './cents.js';
import type { Projection } from './projection.js';

/** A petty-cash transfer to the team leader, or the team leader's spending of it. */
export type PettyCashEntryRecord =
  | { readonly kind: 'transfer'; readonly id: string; readonly date: string; readonly month: string; readonly amount: Cents }
  | {
      readonly kind: 'spending';
      readonly id: string;
      readonly date: string;
      readonly month: string;
      readonly amount: Cents;
      readonly category: PettyCashCategory;
      readonly description: string;
      readonly receipt: string | undefined;
    };

/** A volunteer-hour entry as it counts now: corrections replace its hours, and are counted. */
export interface VolunteerHoursEntryRecord {
  readonly id: string;
  readonly volunteerId: string;
  readonly date: string;
  hours: Cents;
  readonly kind: VolunteerKind;
  readonly activity: string | undefined;
  corrections: number;
  /** Reversed and not (yet) recorded again: it counts for nothing. */
  reversed: boolean;
}

export interface RoomEntries {
  /** In log order. */
  readonly pettyCash: PettyCashEntryRecord[];
  /** By entry id, in the order the entries were first recorded. */
  readonly volunteerHours: Map<string, VolunteerHoursEntryRecord>;
}

export interface RoomEntriesState {
  readonly byRoom: Map<string, RoomEntries>;
}

function entriesOf(state: RoomEntriesState, kamerId: string): RoomEntries {
  let entries = state.byRoom.get(kamerId);
  if (!entries) {
    entries = { pettyCash: [], volunteerHours: new Map() };
    state.byRoom.set(kamerId, entries);
  }
  return entries;
}

function hoursRecorded(state: RoomEntriesState, data: EventData<'VolunteerHoursRecorded'>): void {
  const entries = entriesOf(state, data.kamerId).volunteerHours;
  const existing = entries.get(data.entryId);
  if (existing) {
    // A correction: the reversal came first; the entry keeps its place in the list.
    existing.hours = cents(data.hours);
    existing.reversed = false;
    existing.corrections += 1;
    return;
  }
  entries.set(data.entryId, {
    id: data.entryId,
    volunteerId: data.volunteerId,
    date: data.date,
    hours: cents(data.hours),
    kind: data.kind,
    activity: data.activity,
    corrections: 0,
    reversed: false,
  });
}

/**
 * A room's single entries, for the lists a person scrolls through: petty-cash transfers and
 * spending, and volunteer hours. The rooms and petty-cash projections keep only sums.
 */
export const roomEntriesProjection: Projection<RoomEntriesState> = {
  name: 'room-entries',
  eventTypes: ['PettyCashTransferred', 'PettyCashSpent', 'VolunteerHoursRecorded', 'VolunteerHoursReversed'],
  initial: () => ({ byRoom: new Map() }),
  apply(state, { event }) {
    switch (event.type) {
      case 'PettyCashTransferred': {
        const { data } = event;
        entriesOf(state, data.kamerId).pettyCash.push({ kind: 'transfer', id: data.transferId, date: data.date, month: data.month, amount: cents(data.amount) });
        break;
      }
      case 'PettyCashSpent': {
        const { kamerId, spendingId: id, date, amount, category, description, receipt } = event.data;
        entriesOf(state, kamerId).pettyCash.push({ kind: 'spending', id, date, month: monthOf(date), amount: cents(amount), category, description, receipt });
        break;
      }
      case 'VolunteerHoursRecorded':
        hoursRecorded(state, event.data);
        break;
      case 'VolunteerHoursReversed': {
        const entry = state.byRoom.get(event.data.kamerId)?.volunteerHours.get(event.data.entryId);
        if (entry) entry.reversed = true;
        break;
      }
      default:
        break;
    }
    return state;
  },
};
