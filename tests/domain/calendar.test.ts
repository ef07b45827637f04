import t from 'tap';
import { DateTime } from 'luxon';
import { DateSchema, InstantSchema, isCalendarDate } from '../../src/domain/calendar.js';

t.test('isCalendarDate agrees with luxon on every day of the ledger years (2000–2100) and the days around them', async (t) => {
  // Luxon is the reference: walk 2000 .. 2100 month by month and try days 0..32 of each.
  let disagreements = 0;
  let checked = 0;
  for (let year = 2000; year <= 2100; year += 1) {
    for (let month = 1; month <= 12; month += 1) {
      for (let day = 0; day <= 32; day += 1) {
        const value = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const expected = DateTime.fromISO(value, { zone: 'UTC' }).isValid;
        if (isCalendarDate(value) !== expected) disagreements += 1;
        checked += 1;
      }
    }
  }
  t.equal(disagreements, 0, `${checked} strings checked`);
});

t.test('years outside 2000–2100 are refused: an invoice dated 0202 would get a number no reader accepts', async (t) => {
  for (const value of ['1999-12-31', '0202-06-15', '2101-01-01', '0000-01-01']) t.notOk(isCalendarDate(value), value);
  t.ok(isCalendarDate('2000-01-01'));
  t.ok(isCalendarDate('2100-12-31'));
  t.match(DateSchema.safeParse('0202-06-15').error?.issues[0]?.message, /2000–2100/);
});

t.test('century rules: 2100 has no 29 February, 2000 has one', async (t) => {
  t.notOk(isCalendarDate('2100-02-29'));
  t.ok(isCalendarDate('2020-02-29'));
  t.notOk(isCalendarDate('2019-02-29'));
});

t.test('DateSchema refuses malformed and impossible dates with the rule in the message', async (t) => {
  for (const value of ['2019-13-01', '2019-04-31', '2019-00-10', '2019-1-1', '20190101', '2019-01-01T00:00']) {
    const result = DateSchema.safeParse(value);
    t.notOk(result.success, value);
  }
  const impossible = DateSchema.safeParse('2019-02-30');
  t.match(impossible.error?.issues[0]?.message, /real calendar date/);
  t.ok(DateSchema.safeParse('2019-12-31').success);
});

t.test('InstantSchema wants an extended ISO instant with an offset, one that Date and luxon read alike', async (t) => {
  for (const value of ['2020-01-05T10:00:00Z', '2020-01-05T10:00Z', '2020-01-05T10:00:00.123Z', '2020-01-05T11:00:00+01:00', '2020-06-30T23:59:59-02:30']) {
    t.ok(InstantSchema.safeParse(value).success, value);
  }
  for (const value of ['2020-01-01T00:00:00', '20200101T000000Z', '2020-W01-1T00:00Z', '2020-001T00:00Z', '2020-01-01T00:00:00+25:00', '2020-02-30T00:00:00Z', '2020-01-01', 'yesterday']) {
    const result = InstantSchema.safeParse(value);
    t.notOk(result.success, value);
  }
  t.match(InstantSchema.safeParse('2020-01-01T00:00:00').error?.issues[0]?.message, /time zone offset/);
});
