import t from 'tap';
import { DateTime } from 'luxon';
import { DateSchema, isCalendarDate } from '../../src/domain/calendar.js';

t.test('isCalendarDate agrees with luxon on every day of a leap cycle and the days around it', async (t) => {
  // Luxon is the reference: walk 1899-12-25 .. 2101-01-05 month by month and try days 0..32 of each.
  let disagreements = 0;
  let checked = 0;
  for (let year = 1899; year <= 2101; year += 1) {
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

t.test('century rules: 1900 and 2100 have no 29 February, 2000 has one', async (t) => {
  t.notOk(isCalendarDate('1900-02-29'));
  t.ok(isCalendarDate('2000-02-29'));
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
