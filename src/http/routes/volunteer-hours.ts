import { z } from 'zod';
import { Lookups } from '../../application/lookups.js';
import { RoomCommands } from '../../application/room-commands.js';
import { DateSchema, yearOf } from '../../domain/calendar.js';
import { DomainError } from '../../domain/errors.js';
import { streams, VolunteerKindSchema } from '../../domain/events.js';
import { GeneratedIdSchema, SlugSchema, VolunteerIdSchema } from '../../domain/ids.js';
import { AmountSchema } from '../../domain/money.js';
import { volunteerEntryDecider, type VolunteerEntry, type VolunteerEntryState } from '../../domain/volunteer-hours/decider.js';
import { HoursSchema } from '../../domain/volunteer-hours/hours.js';
import { valueOf } from '../../domain/volunteer-hours/valuation.js';
import { assertScope } from '../auth.js';
import { logOutcome } from '../request-log.js';
import type { RoutePlugin } from '../services.js';
import { commandMetadata, created, PositionSchema, sendAnswer, WRITE_ERRORS } from '../write.js';

export const EntryBody = z.strictObject({
  volunteer: VolunteerIdSchema.describe('a pseudonymous id, never a name: volunteers are vulnerable residents'),
  date: DateSchema,
  hours: HoursSchema.describe('decimal string, at most two decimals, more than 0 and at most 24: "2.50"'),
  kind: VolunteerKindSchema,
  activity: z.string().trim().min(1, 'must not be empty').max(200).optional(),
});
const KamerParams = z.strictObject({ kamer: SlugSchema });

const CorrectionBody = z.strictObject({
  hours: HoursSchema,
  reason: z.string().trim().min(1, 'must not be empty').max(500),
});
const EntryParams = z.strictObject({ id: GeneratedIdSchema });

const EntryCreated = z.object({
  id: z.string(),
  kamer: z.string(),
  volunteer: z.string(),
  date: z.string(),
  hours: z.string(),
  kind: VolunteerKindSchema,
  activity: z.string().optional(),
  value: AmountSchema.optional().describe("the hours' euro value at the rate for their year and kind; absent while no rate is set"),
  position: PositionSchema,
});
const EntryCorrected = EntryCreated.extend({ previousHours: z.string(), reason: z.string() });

/** The entry as the API shows it. */
function entryView(entry: VolunteerEntry) {
  return {
    id: entry.entryId,
    kamer: entry.kamerId,
    volunteer: entry.volunteerId,
    date: entry.date,
    hours: entry.hours,
    kind: entry.kind,
    ...(entry.activity === undefined ? {} : { activity: entry.activity }),
  };
}

export const volunteerHoursRoutes: RoutePlugin = async (app, { services }) => {
  const { commands } = services;
  const lookups = new Lookups(commands);
  const rooms = new RoomCommands(services);

  /**
   * Valuing is a convenience here: a missing rate must not stop hours from being recorded. The
   * rates are read while the command is built, so the answer (built inside the append) needs no I/O.
   */
  type Rates = Awaited<ReturnType<typeof lookups.valuationRates>>;
  function valueIfRated(entry: VolunteerEntry, rates: Rates): { value?: string } {
    return rates[entry.kind] === undefined ? {} : { value: valueOf(entry.hours, entry.kind, yearOf(entry.date), rates) };
  }

  app.post(
    '/kamers/:kamer/volunteer-hours',
    {
      config: { access: ['treasurer', 'teamleader'] },
      schema: {
        tags: ['volunteer hours'],
        summary: "Record a volunteer's hours in a room (treasurer, or that room's team leader)",
        params: KamerParams,
        body: EntryBody,
        response: { 201: EntryCreated, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { kamer } = request.params;
      assertScope(request, 'teamleader', kamer);
      const { entryId, state, answer } = await rooms.recordVolunteerHours(
        kamer,
        request.body,
        commandMetadata(request),
        created(request, ({ state, position, rates }) => {
          const entry = currentEntry(state);
          return { ...entryView(entry), ...valueIfRated(entry, rates), position };
        }),
      );
      // Ids and figures only: volunteers are never named, not even by their pseudonym, in logs.
      logOutcome(request, 'volunteer hours recorded', { entry: entryId, kamer, kind: request.body.kind, hours: currentEntry(state).hours });
      return sendAnswer(reply, answer);
    },
  );

  app.post(
    '/volunteer-hours/:id/corrections',
    {
      config: { access: ['treasurer', 'teamleader'] },
      schema: {
        tags: ['volunteer hours'],
        summary: "Correct an entry's hours: a reversal of the current figures plus the corrected entry, in one append",
        params: EntryParams,
        body: CorrectionBody,
        response: { 201: EntryCorrected, ...WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const stream = streams.volunteerEntry(id);
      // The entry's room decides which team leader may correct it; an entry never changes room.
      const { state: before } = await commands.load(volunteerEntryDecider, stream);
      if (before.status === 'none') throw new DomainError('NOT_FOUND', `no volunteer-hour entry ${id}`);
      assertScope(request, 'teamleader', before.entry.kamerId);
      const { hours, reason } = request.body;
      let previousHours = before.entry.hours;
      let rates: Rates = {};
      const result = await commands.execute(
        volunteerEntryDecider,
        stream,
        async (state) => {
          if (state.status !== 'none') previousHours = state.entry.hours;
          rates = await lookups.valuationRates(yearOf(before.entry.date));
          return { type: 'CorrectVolunteerHours' as const, entryId: id, hours, reason };
        },
        commandMetadata(request, reason),
        created(request, ({ state, position }) => {
          const entry = currentEntry(state);
          return { ...entryView(entry), ...valueIfRated(entry, rates), previousHours, reason, position };
        }),
      );
      const entry = currentEntry(result.state);
      logOutcome(request, 'volunteer hours corrected', { entry: id, kamer: entry.kamerId, previousHours, hours: entry.hours });
      return sendAnswer(reply, result.answer);
    },
  );
};

function currentEntry(state: VolunteerEntryState): VolunteerEntry {
  if (state.status !== 'recorded') throw new Error('a volunteer-hour command succeeded without leaving a recorded entry');
  return state.entry;
}
