import type { Decider } from '../decider.js';
import { unexpectedEvent } from '../decider.js';
import { refuse } from '../errors.js';
import type { DomainEvent, EventData, EventOf } from '../events.js';
import { normaliseHours } from './hours.js';

/**
 * One stream per volunteer-hour entry (`volunteer-entry-<entryId>`): entries share no rule, so
 * the smallest stream keeps every append uncontended. A correction never edits the entry: it
 * reverses the current figures and records the corrected ones, in one append.
 */
export type VolunteerEntry = EventData<'VolunteerHoursRecorded'>;
export type VolunteerEntryEvent = EventOf<'VolunteerHoursRecorded'> | EventOf<'VolunteerHoursReversed'>;

export interface RecordVolunteerHours {
  readonly type: 'RecordVolunteerHours';
  /** `hours` as the request carried it ("2.5"); the event holds it normalised ("2.50"). */
  readonly entry: VolunteerEntry;
  /** Today in Amsterdam, from the caller's clock: hours cannot be given in the future. */
  readonly today: string;
  /** Looked up by the caller: hours for a room that does not exist are refused. */
  readonly kamerExists: boolean;
}

export interface CorrectVolunteerHours {
  readonly type: 'CorrectVolunteerHours';
  readonly entryId: string;
  readonly hours: string;
  readonly reason: string;
}

export type VolunteerEntryCommand = RecordVolunteerHours | CorrectVolunteerHours;

export type VolunteerEntryState =
  | { readonly status: 'none' }
  /** `entry` holds the figures that count now. */
  | { readonly status: 'recorded'; readonly entry: VolunteerEntry }
  /** Between a reversal and its corrected entry (inside one append); `entry` holds the reversed figures. */
  | { readonly status: 'reversed'; readonly entry: VolunteerEntry };

function recordHours(command: RecordVolunteerHours, state: VolunteerEntryState): readonly VolunteerEntryEvent[] {
  const { entry } = command;
  if (state.status !== 'none') refuse('DUPLICATE_ID', `volunteer-hour entry ${entry.entryId} already exists`);
  if (!command.kamerExists) refuse('NOT_FOUND', `no kamer ${entry.kamerId}`, 'kamer');
  const hours = normaliseHours(entry.hours);
  if (entry.date > command.today) {
    refuse('VOLUNTEER_HOURS_IN_FUTURE', `hours on ${entry.date} cannot be recorded before that day (today is ${command.today})`, 'date');
  }
  return [{ type: 'VolunteerHoursRecorded', data: { ...entry, hours } }];
}

function correctHours(command: CorrectVolunteerHours, state: VolunteerEntryState): readonly VolunteerEntryEvent[] {
  if (state.status !== 'recorded') refuse('NOT_FOUND', `no volunteer-hour entry ${command.entryId}`);
  const reason = command.reason.trim();
  if (reason === '') refuse('INVALID_INPUT', 'a correction needs a reason', 'reason');
  const hours = normaliseHours(command.hours);
  if (hours === state.entry.hours) {
    refuse('INVALID_INPUT', `entry ${command.entryId} already records ${hours} hours; a correction must change them`, 'hours');
  }
  return [
    { type: 'VolunteerHoursReversed', data: { ...state.entry, reason } },
    { type: 'VolunteerHoursRecorded', data: { ...state.entry, hours } },
  ];
}

/** A reversal cancels exactly the figures that count now; anything else is a corrupt stream. */
function sameFigures(a: VolunteerEntry, b: VolunteerEntry): boolean {
  return (
    a.entryId === b.entryId &&
    a.kamerId === b.kamerId &&
    a.volunteerId === b.volunteerId &&
    a.date === b.date &&
    a.hours === b.hours &&
    a.kind === b.kind &&
    a.activity === b.activity
  );
}

function withoutReason(data: EventData<'VolunteerHoursReversed'>): VolunteerEntry {
  const { reason: _reason, ...entry } = data;
  return entry;
}

function evolve(state: VolunteerEntryState, event: DomainEvent): VolunteerEntryState {
  switch (event.type) {
    case 'VolunteerHoursRecorded':
      if (state.status === 'recorded') return unexpectedEvent('volunteer-entry', event, 'follows a recorded entry without a reversal');
      // A corrected entry stays the same entry in the same room (the room decides who may touch it).
      if (state.status === 'reversed' && (event.data.entryId !== state.entry.entryId || event.data.kamerId !== state.entry.kamerId)) {
        return unexpectedEvent('volunteer-entry', event, 'names another entry or room than the one it corrects');
      }
      return { status: 'recorded', entry: event.data };
    case 'VolunteerHoursReversed':
      if (state.status !== 'recorded') return unexpectedEvent('volunteer-entry', event, 'reverses an entry that does not count');
      if (!sameFigures(withoutReason(event.data), state.entry)) {
        return unexpectedEvent('volunteer-entry', event, "does not match the entry's current figures");
      }
      return { status: 'reversed', entry: state.entry };
    default:
      return unexpectedEvent('volunteer-entry', event);
  }
}

export const volunteerEntryDecider: Decider<VolunteerEntryCommand, VolunteerEntryState, VolunteerEntryEvent> = {
  name: 'volunteer-entry',
  initialState: { status: 'none' },
  decide(command, state) {
    switch (command.type) {
      case 'RecordVolunteerHours':
        return recordHours(command, state);
      case 'CorrectVolunteerHours':
        return correctHours(command, state);
      default: {
        const unknown: never = command;
        throw new Error(`volunteer-entry: unknown command ${JSON.stringify(unknown)}`);
      }
    }
  },
  evolve,
};
