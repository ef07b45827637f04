import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_FIXTURES } from '../helpers/shared.js';
import { DomainError } from '../../src/domain/errors.js';
import type { DomainEvent, VolunteerKind } from '../../src/domain/events.js';
import { money, roundToCents } from '../../src/domain/money.js';
import { volunteerEntryDecider, type VolunteerEntry } from '../../src/domain/volunteer-hours/decider.js';
import { HoursSchema, normaliseHours } from '../../src/domain/volunteer-hours/hours.js';
import { VolunteerIdSchema } from '../../src/domain/ids.js';
import { ACTIVE_VOLUNTEER_HOURS, isActiveVolunteer, valueOf, type ValuationRates } from '../../src/domain/volunteer-hours/valuation.js';
import { specFor } from '../helpers/decider.js';

const TODAY = '2020-06-15';
const ENTRY_ID = '7b0c8a4e-6d1f-4c55-9a3e-0f1d2c3b4a59';

t.test('hours are recorded with two decimals', async (t) => {
  const spec = specFor(t, volunteerEntryDecider);
  spec.given([]).when(record({ hours: '2.5' })).then([recorded({ hours: '2.50' })]);
  spec.given([]).when(record({ hours: '24' })).then([recorded({ hours: '24.00' })]);
  spec.given([]).when(record({ hours: '0.25', activity: undefined })).then([recorded({ hours: '0.25', activity: undefined })]);
});

t.test('hours given today are accepted; hours on a later day are refused', async (t) => {
  const spec = specFor(t, volunteerEntryDecider);
  spec.given([]).when(record({ date: TODAY })).then([recorded({ date: TODAY })]);
  spec.given([]).when(record({ date: '2020-06-16' })).thenFails('VOLUNTEER_HOURS_IN_FUTURE', 'date');
});

t.test('hours for a room that does not exist are refused', async (t) => {
  specFor(t, volunteerEntryDecider).given([]).when(record({}, { kamerExists: false })).thenFails('NOT_FOUND', 'kamer');
});

t.test('hours outside (0, 24] or with more than two decimals are refused', async (t) => {
  const spec = specFor(t, volunteerEntryDecider);
  for (const hours of ['0', '0.00', '24.01', '2.505', '-1', '', '2.', '.5', '100', 'twee']) {
    spec.given([]).when(record({ hours })).thenFails('INVALID_INPUT', 'hours');
  }
});

t.test('an entry is recorded only once', async (t) => {
  specFor(t, volunteerEntryDecider).given([recorded()]).when(record()).thenFails('DUPLICATE_ID');
});

t.test('a correction reverses the current figures and records the corrected hours, other fields unchanged', async (t) => {
  specFor(t, volunteerEntryDecider)
    .given([recorded({ hours: '2.50' })])
    .when(correct({ hours: '3', reason: 'typed 2.5 instead of 3' }))
    .then([
      { type: 'VolunteerHoursReversed', data: { ...entry({ hours: '2.50' }), reason: 'typed 2.5 instead of 3' } },
      recorded({ hours: '3.00' }),
    ]);
});

t.test('a second correction reverses the first correction, not the original figures', async (t) => {
  specFor(t, volunteerEntryDecider)
    .given([recorded({ hours: '2.50' }), reversed({ hours: '2.50' }), recorded({ hours: '3.00' })])
    .when(correct({ hours: '3.25' }))
    .then((events) => {
      t.equal(events[0]?.type, 'VolunteerHoursReversed');
      t.equal(events[0]?.data.hours, '3.00');
      t.equal(events[1]?.data.hours, '3.25');
    });
});

t.test('a correction to the same hours, without a reason, with invalid hours or of an unknown entry is refused', async (t) => {
  const spec = specFor(t, volunteerEntryDecider);
  spec.given([recorded({ hours: '2.50' })]).when(correct({ hours: '2.5' })).thenFails('INVALID_INPUT', 'hours');
  spec.given([recorded()]).when(correct({ reason: '   ' })).thenFails('INVALID_INPUT', 'reason');
  spec.given([recorded()]).when(correct({ hours: '0.00' })).thenFails('INVALID_INPUT', 'hours');
  spec.given([recorded()]).when(correct({ hours: '24.01' })).thenFails('INVALID_INPUT', 'hours');
  spec.given([]).when(correct()).thenFails('NOT_FOUND');
});

t.test('a stream that breaks the entry rules is corrupt and says so', async (t) => {
  const fold = (events: readonly DomainEvent[]) => events.reduce(volunteerEntryDecider.evolve, volunteerEntryDecider.initialState);
  t.throws(() => fold([recorded(), recorded()]), /without a reversal.*corrupt/, 'recorded after recorded');
  t.throws(() => fold([reversed()]), /does not count.*corrupt/, 'a reversal of nothing');
  t.throws(() => fold([recorded({ hours: '2.50' }), reversed({ hours: '3.00' })]), /current figures.*corrupt/, 'a reversal of other hours');
  t.throws(() => fold([recorded(), reversed({ volunteerId: 'v-other' })]), /current figures.*corrupt/, 'a reversal of another volunteer');
  t.throws(() => fold([recorded(), reversed(), reversed()]), /does not count.*corrupt/, 'two reversals');
  t.throws(() => fold([recorded(), reversed(), recorded({ kamerId: 'de-klop' })]), /another entry or room.*corrupt/, 'a correction that moves room');
  t.throws(() => fold([{ type: 'ValuationRateSet', data: { year: 2020, kind: 'resident', perHour: '11.00' } }]), /corrupt/, 'a foreign event');
  t.same(fold([recorded({ hours: '2.50' }), reversed({ hours: '2.50' }), recorded({ hours: '3.00' })]), { status: 'recorded', entry: entry({ hours: '3.00' }) });
});

t.test('the hours schema accepts what a person writes and normalises it', async (t) => {
  for (const hours of ['2.5', '2.50', '24', '24.00', '0.01', '07.5']) t.ok(HoursSchema.safeParse(hours).success, hours);
  t.equal(normaliseHours('07.5'), '7.50');
  t.notOk(HoursSchema.safeParse(2.5).success, 'a JSON number is not hours');
});

t.test('a volunteer is a pseudonymous id: no spaces, 1 to 40 characters, never a name', async (t) => {
  for (const id of ['v-017', 'pseudonym-4711', 'x', 'v'.repeat(40)]) t.ok(VolunteerIdSchema.safeParse(id).success, id);
  for (const id of ['Jan de Vries', 'v 017', ' v-017', 'v-017\t', '', 'v'.repeat(41)]) t.notOk(VolunteerIdSchema.safeParse(id).success, JSON.stringify(id));
  t.match(VolunteerIdSchema.safeParse('Jan de Vries').error?.issues[0]?.message, /pseudonymous id without spaces/);
  t.notOk(VolunteerIdSchema.safeParse(17).success, 'a number is not an id');
});

// Valuation ---------------------------------------------------------------------------------------

interface RateFixture {
  year: number;
  kind: VolunteerKind;
  perHour: string;
}
const fixture = JSON.parse(readFileSync(join(SHARED_FIXTURES, 'volunteer-hours.json'), 'utf8')) as { rates: RateFixture[] };
function ratesFor(year: number): ValuationRates {
  return Object.fromEntries(fixture.rates.filter((rate) => rate.year === year).map((rate) => [rate.kind, rate.perHour]));
}

t.test('hours are valued at the rate for their year and kind', async (t) => {
  t.same(ratesFor(2018), { resident: '10.04', professional: '37.00' }, 'the fixture holds the seed rates');
  // 2.5 h × €11.00 = €27.50; 2.5 h × €10.04 = €25.10; 250 h × €37.00 = €9,250.00
  t.equal(valueOf('2.50', 'resident', 2020, ratesFor(2020)), '27.50');
  t.equal(valueOf('2.50', 'resident', 2018, ratesFor(2018)), '25.10');
  t.equal(valueOf('250.00', 'professional', 2019, ratesFor(2019)), '9250.00');
  // 0.33 h × €10.04 = €3.3132 → €3.31
  t.equal(valueOf('0.33', 'resident', 2019, ratesFor(2019)), '3.31');
});

t.test('a value is rounded half to even to cents', async (t) => {
  // 0.25 h × €10.02 = €2.505 exactly: half to even keeps 2.50 (half up would say 2.51).
  t.equal(valueOf('0.25', 'resident', 2021, { resident: '10.02' }), '2.50');
  // 0.25 h × €10.06 = €2.515 exactly: half to even goes up to 2.52.
  t.equal(valueOf('0.25', 'resident', 2021, { resident: '10.06' }), '2.52');
  t.equal(valueOf('0.25', 'resident', 2021, { resident: '10.02' }), roundToCents(money('0.25').times('10.02')).toFixed(2));
});

t.test('a missing rate is refused with a message that says how to set it, never guessed', async (t) => {
  const attempt = () => valueOf('2.50', 'resident', 2021, { professional: '37.00' });
  t.throws(attempt, DomainError);
  try {
    attempt();
  } catch (error) {
    t.equal((error as DomainError).code, 'VALUATION_RATE_MISSING');
    t.equal((error as DomainError).message, 'no valuation rate for resident hours in 2021; set one with POST /valuation-rates');
  }
});

t.test('an active volunteer gives at least 250 hours a year', async (t) => {
  t.equal(ACTIVE_VOLUNTEER_HOURS, 250);
  t.ok(isActiveVolunteer('250.00'));
  t.notOk(isActiveVolunteer('249.99'));
});

// Fixture builders --------------------------------------------------------------------------------

function entry(overrides: Partial<VolunteerEntry> = {}): VolunteerEntry {
  return { entryId: ENTRY_ID, kamerId: 'top', volunteerId: 'v-017', date: '2020-06-10', hours: '2.50', kind: 'resident', activity: 'formulierenbrigade', ...overrides };
}

function record(overrides: Partial<VolunteerEntry> = {}, options: { kamerExists?: boolean } = {}) {
  return { type: 'RecordVolunteerHours' as const, entry: entry(overrides), today: TODAY, kamerExists: options.kamerExists ?? true };
}

function correct(overrides: { hours?: string; reason?: string } = {}) {
  return { type: 'CorrectVolunteerHours' as const, entryId: ENTRY_ID, hours: '3.00', reason: 'miscounted', ...overrides };
}

function recorded(overrides: Partial<VolunteerEntry> = {}) {
  return { type: 'VolunteerHoursRecorded' as const, data: entry(overrides) };
}

function reversed(overrides: Partial<VolunteerEntry> = {}, reason = 'miscounted') {
  return { type: 'VolunteerHoursReversed' as const, data: { ...entry(overrides), reason } };
}
