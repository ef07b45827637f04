import t from 'tap';
import { reminderDecider, reminderDueOn, type SendReminder } from '../../src/domain/receivables/reminders.js';
import type { EventData } from '../../src/domain/events.js';
import { specFor } from '../helpers/decider.js';
import { uuid } from './receivables.fixtures.js';

const INVOICE = { invoiceId: uuid(1), number: '2020-0001', financierId: 'portaal', dueDate: '2020-06-29', openAmount: '400.00' };

function send(overrides: Partial<SendReminder> = {}): SendReminder {
  return { type: 'SendReminder', reminderId: uuid(70), invoiceRef: '2020-0001', invoice: INVOICE, kind: 'herinnering', channel: 'email', date: '2020-07-13', today: '2020-07-20', ...overrides };
}

function sent(overrides: Partial<EventData<'ReminderSent'>> = {}): { type: 'ReminderSent'; data: EventData<'ReminderSent'> } {
  return {
    type: 'ReminderSent',
    data: { reminderId: uuid(60), invoiceId: uuid(1), invoiceNumber: '2020-0001', financierId: 'portaal', kind: 'herinnering', date: '2020-07-06', channel: 'email', dueDate: '2020-06-29', daysOverdue: 7, openAmount: '400.00', sequence: 1, ...overrides },
  };
}

t.test('a reminder records the open amount, the original due date, the days overdue and its place in the row', async (t) => {
  specFor(t, reminderDecider)
    .given([])
    .when(send())
    .then([
      {
        type: 'ReminderSent',
        // 29 June → 13 July: 14 days overdue
        data: { reminderId: uuid(70), invoiceId: uuid(1), invoiceNumber: '2020-0001', financierId: 'portaal', kind: 'herinnering', date: '2020-07-13', channel: 'email', dueDate: '2020-06-29', daysOverdue: 14, openAmount: '400.00', sequence: 1 },
      },
    ]);
  specFor(t, reminderDecider).given([sent()]).when(send({ kind: 'aanmaning' })).then((events) => t.match(events[0]?.data, { kind: 'aanmaning', sequence: 2 }));
});

t.test('a reminder is refused for an invoice not yet overdue, paid, unknown, dated in the future or before the last one', async (t) => {
  const spec = specFor(t, reminderDecider);
  spec.given([]).when(send({ date: '2020-06-29' })).thenFails('REMINDER_NOT_DUE', 'date');
  spec.given([]).when(send({ date: '2020-06-30' })).then((events) => t.equal(events[0]?.data.daysOverdue, 1, 'the day after the due date is fine'));
  spec.given([]).when(send({ invoice: { ...INVOICE, openAmount: '0.00' } })).thenFails('INVOICE_NOT_OPEN');
  spec.given([]).when(send({ invoice: undefined })).thenFails('NOT_FOUND');
  spec.given([]).when(send({ date: '2020-07-21' })).thenFails('DATE_IN_FUTURE', 'date');
  spec.given([sent({ date: '2020-07-10' })]).when(send({ date: '2020-07-09' })).thenFails('REMINDER_NOT_DUE', 'date');
});

t.test('the formal aanmaning follows a first herinnering', async (t) => {
  specFor(t, reminderDecider).given([]).when(send({ kind: 'aanmaning' })).thenFails('REMINDER_NOT_DUE', 'kind');
});

t.test('which reminder is due: the first N days after the due date, the formal one M days after the first, then none', async (t) => {
  const policy = { firstAfterDays: 14, formalAfterDays: 10 };
  t.equal(reminderDueOn('2020-07-12', '2020-06-29', undefined, policy), null, '13 days overdue');
  t.equal(reminderDueOn('2020-07-13', '2020-06-29', undefined, policy), 'herinnering', '14 days overdue');
  t.equal(reminderDueOn('2020-07-22', '2020-06-29', { kind: 'herinnering', date: '2020-07-13' }, policy), null, '9 days after the first');
  t.equal(reminderDueOn('2020-07-23', '2020-06-29', { kind: 'herinnering', date: '2020-07-13' }, policy), 'aanmaning', '10 days after the first');
  t.equal(reminderDueOn('2020-12-31', '2020-06-29', { kind: 'aanmaning', date: '2020-07-23' }, policy), null, 'after the formal one the treasurer decides');
});
