import t from 'tap';
import { PettyCashCategorySchema, type DomainEvent, type EventData } from '../../src/domain/events.js';
import { PETTY_CASH_CATEGORY_LABELS } from '../../src/domain/petty-cash/categories.js';
import { PETTY_CASH_MONTHLY_LIMIT, pettyCashDecider, type SpendPettyCash, type TransferPettyCash } from '../../src/domain/petty-cash/decider.js';
import { foldEvents } from '../../src/domain/decider.js';
import { formatAmount } from '../../src/domain/money.js';
import { specFor } from '../helpers/decider.js';

const TODAY = '2020-06-15';
let nextId = 0;
/** Distinct, valid UUIDs for fixtures. */
const uuid = () => `00000000-0000-4000-8000-${String((nextId += 1)).padStart(12, '0')}`;

t.test('the monthly limit is 250.00, as the cooperation agreement says', async (t) => {
  t.equal(PETTY_CASH_MONTHLY_LIMIT, '250.00');
});

t.test('a transfer within the monthly limit is recorded as given', async (t) => {
  const command = transferCommand({ amount: '100.00' });
  specFor(t, pettyCashDecider).given([]).when(command).then([{ type: 'PettyCashTransferred', data: command.transfer }]);
});

t.test('transfers of exactly 250.00 in a month are accepted, one cent more is refused', async (t) => {
  const spec = specFor(t, pettyCashDecider);
  spec.given([]).when(transferCommand({ amount: '250.00' })).then((events) => t.equal(events.length, 1));
  spec.given([]).when(transferCommand({ amount: '250.01' })).thenFails('PETTY_CASH_MONTHLY_LIMIT', 'amount');
  spec.given([transferred({ amount: '200.00' })]).when(transferCommand({ amount: '50.00' })).then((events) => t.equal(events.length, 1));
  spec.given([transferred({ amount: '200.00' })]).when(transferCommand({ amount: '50.01' })).thenFails('PETTY_CASH_MONTHLY_LIMIT', 'amount');
});

t.test('the refusal says how much is still possible that month', async (t) => {
  const state = foldEvents(pettyCashDecider, [transferred({ amount: '120.00' }), transferred({ amount: '80.00' })]);
  // 250.00 − (120.00 + 80.00) = 50.00
  t.throws(() => pettyCashDecider.decide(transferCommand({ amount: '60.00' }), state), {
    code: 'PETTY_CASH_MONTHLY_LIMIT',
    message: /200\.00 transferred for 2020-06.*at most 50\.00 more is possible that month/,
  });
});

t.test('a full month says 0.00 is still possible', async (t) => {
  const state = foldEvents(pettyCashDecider, [transferred({ amount: '250.00' })]);
  t.throws(() => pettyCashDecider.decide(transferCommand({ amount: '0.01' }), state), { message: /at most 0\.00 more/ });
});

t.test('another month has its own limit', async (t) => {
  const mayIsFull = transferred({ date: '2020-05-04', month: '2020-05', amount: '250.00' });
  specFor(t, pettyCashDecider).given([mayIsFull]).when(transferCommand({ amount: '250.00' })).then((events) => t.equal(events.length, 1));
});

t.test('a transfer with a month override counts against the named month, not the month of its date', async (t) => {
  const spec = specFor(t, pettyCashDecider);
  // Transferred in June for May: May is full, June still has its whole 250.00.
  const forMay = transferred({ date: '2020-06-01', month: '2020-05', amount: '250.00' });
  spec.given([forMay]).when(transferCommand({ month: '2020-06', amount: '250.00' })).then((events) => t.equal(events.length, 1));
  spec.given([forMay]).when(transferCommand({ month: '2020-05', amount: '0.01' })).thenFails('PETTY_CASH_MONTHLY_LIMIT', 'amount');
  spec.given([]).when(transferCommand({ date: '2020-06-10', month: '2020-07', amount: '250.00' })).then((events) => {
    t.match(events[0], { type: 'PettyCashTransferred', data: { month: '2020-07' } });
  });
});

t.test('a transfer counts only against its own month or a neighbouring one, so the limit cannot be dodged', async (t) => {
  const spec = specFor(t, pettyCashDecider);
  for (const month of ['2020-04', '2020-08', '2099-01', '2000-01']) {
    spec.given([]).when(transferCommand({ date: '2020-06-10', month, amount: '250.00' })).thenFails('INVALID_INPUT', 'month');
  }
  // Across a year boundary: on 2 January for December, on 28 December for January.
  spec.given([]).when(transferCommand({ date: '2020-01-02', month: '2019-12', amount: '10.00' })).then((events) => t.equal(events.length, 1));
  spec.given([]).when(transferCommand({ date: '2019-12-28', month: '2020-01', amount: '10.00' })).then((events) => t.equal(events.length, 1));
});

t.test('a transfer dated today is accepted, one dated tomorrow is refused', async (t) => {
  const spec = specFor(t, pettyCashDecider);
  spec.given([]).when(transferCommand({ date: TODAY })).then((events) => t.equal(events.length, 1));
  spec.given([]).when(transferCommand({ date: '2020-06-16' })).thenFails('DATE_IN_FUTURE', 'date');
});

t.test('a transfer to a room that does not exist is NOT_FOUND', async (t) => {
  specFor(t, pettyCashDecider).given([]).when(transferCommand({}, false)).thenFails('NOT_FOUND', 'kamer');
});

t.test('a transfer of zero is refused (the schema refuses it first)', async (t) => {
  specFor(t, pettyCashDecider).given([]).when(transferCommand({ amount: '0.00' })).thenFails('INVALID_INPUT', 'amount');
});

t.test('spending up to the whole balance is accepted, one cent more is refused', async (t) => {
  const spec = specFor(t, pettyCashDecider);
  const command = spendCommand({ amount: '100.00' });
  spec.given([transferred({ amount: '100.00' })]).when(command).then([{ type: 'PettyCashSpent', data: command.spending }]);
  spec.given([transferred({ amount: '100.00' })]).when(spendCommand({ amount: '100.01' })).thenFails('PETTY_CASH_INSUFFICIENT', 'amount');
});

t.test('spending with no petty cash transferred at all is refused', async (t) => {
  specFor(t, pettyCashDecider).given([]).when(spendCommand({ amount: '0.01' })).thenFails('PETTY_CASH_INSUFFICIENT', 'amount');
});

t.test('earlier spending lowers the balance, and the refusal says what is left', async (t) => {
  const history = [transferred({ amount: '100.00' }), spent({ amount: '60.00' })];
  const spec = specFor(t, pettyCashDecider);
  // 100.00 − 60.00 = 40.00 left
  spec.given(history).when(spendCommand({ amount: '40.00' })).then((events) => t.equal(events.length, 1));
  spec.given(history).when(spendCommand({ amount: '40.01' })).thenFails('PETTY_CASH_INSUFFICIENT', 'amount');
  t.throws(() => pettyCashDecider.decide(spendCommand({ amount: '40.01' }), foldEvents(pettyCashDecider, history)), {
    message: /has 40\.00 of petty cash left/,
  });
});

t.test('the balance counts all transfers and spending whatever their dates', async (t) => {
  const spec = specFor(t, pettyCashDecider);
  // Spent on 1 June from money transferred on 10 June: the balance ignores date order.
  spec.given([transferred({ date: '2020-06-10', amount: '30.00' })]).when(spendCommand({ date: '2020-06-01', amount: '30.00' })).then((events) => {
    t.equal(events.length, 1);
  });
  // What is left of May's transfer may be spent in June.
  const may = [transferred({ date: '2020-05-04', month: '2020-05', amount: '250.00' }), spent({ date: '2020-05-20', amount: '200.00' })];
  spec.given(may).when(spendCommand({ amount: '50.00' })).then((events) => t.equal(events.length, 1));
  spec.given(may).when(spendCommand({ amount: '50.01' })).thenFails('PETTY_CASH_INSUFFICIENT', 'amount');
});

t.test('spending dated after today, in an unknown room, of zero or without a description is refused', async (t) => {
  const spec = specFor(t, pettyCashDecider);
  const funded = [transferred({ amount: '100.00' })];
  spec.given(funded).when(spendCommand({ date: TODAY })).then((events) => t.equal(events.length, 1));
  spec.given(funded).when(spendCommand({ date: '2020-06-16' })).thenFails('DATE_IN_FUTURE', 'date');
  spec.given([]).when(spendCommand({}, false)).thenFails('NOT_FOUND', 'kamer');
  spec.given(funded).when(spendCommand({ amount: '0.00' })).thenFails('INVALID_INPUT', 'amount');
  spec.given(funded).when(spendCommand({ description: ' ' })).thenFails('INVALID_INPUT', 'description');
});

t.test('the state keeps transfers per counted month and the balance over everything', async (t) => {
  const state = foldEvents(pettyCashDecider, [
    transferred({ date: '2020-05-04', month: '2020-05', amount: '150.00' }),
    transferred({ date: '2020-06-01', month: '2020-05', amount: '100.00' }),
    transferred({ date: '2020-06-02', amount: '75.50' }),
    spent({ amount: '20.25' }),
  ]);
  t.equal(formatAmount(state.transferredByMonth.get('2020-05')!), '250.00'); // 150.00 + 100.00
  t.equal(formatAmount(state.transferredByMonth.get('2020-06')!), '75.50');
  t.equal(formatAmount(state.balance), '305.25'); // 150.00 + 100.00 + 75.50 − 20.25
});

t.test('a petty-cash stream with another room or a foreign event is corrupt and says so', async (t) => {
  const state = foldEvents(pettyCashDecider, [transferred({ amount: '10.00' })]);
  t.throws(() => pettyCashDecider.evolve(state, transferred({ kamerId: 'de-klop' })), /corrupt/);
  t.throws(() => pettyCashDecider.evolve(state, spent({ kamerId: 'de-klop' })), /corrupt/);
  t.throws(() => pettyCashDecider.evolve(state, { type: 'KamerRegistered', data: { kamerId: 'top', name: 'TOP' } }), /corrupt/);
});

t.test('every category A–F has a Dutch label', async (t) => {
  t.same(Object.keys(PETTY_CASH_CATEGORY_LABELS), PettyCashCategorySchema.options);
  t.match(PETTY_CASH_CATEGORY_LABELS.A, /^Koffie, thee/);
  t.match(PETTY_CASH_CATEGORY_LABELS.F, /^Materialen voor activiteiten/);
});

t.test('spending has a category A–F and nothing else', async (t) => {
  for (const category of ['A', 'B', 'C', 'D', 'E', 'F']) t.ok(PettyCashCategorySchema.safeParse(category).success, category);
  for (const category of ['G', 'a', 'f', '', 'AB', 'Koffie', 1]) t.notOk(PettyCashCategorySchema.safeParse(category).success, JSON.stringify(category));
});

// Fixture builders ------------------------------------------------------------------------------
type Transfer = EventData<'PettyCashTransferred'>;
type Spending = EventData<'PettyCashSpent'>;

function transfer(overrides: Partial<Transfer> = {}): Transfer {
  const date = overrides.date ?? '2020-06-02';
  return { transferId: uuid(), kamerId: 'top', date, month: date.slice(0, 7), amount: '100.00', ...overrides };
}

function spending(overrides: Partial<Spending> = {}): Spending {
  return { spendingId: uuid(), kamerId: 'top', date: '2020-06-12', category: 'A', amount: '12.50', description: 'koffie en thee', ...overrides };
}

function transferred(overrides: Partial<Transfer> = {}): DomainEvent {
  return { type: 'PettyCashTransferred', data: transfer(overrides) };
}

function spent(overrides: Partial<Spending> = {}): DomainEvent {
  return { type: 'PettyCashSpent', data: spending(overrides) };
}

function transferCommand(overrides: Partial<Transfer> = {}, kamerExists = true): TransferPettyCash {
  return { type: 'TransferPettyCash', transfer: transfer(overrides), today: TODAY, kamerExists };
}

function spendCommand(overrides: Partial<Spending> = {}, kamerExists = true): SpendPettyCash {
  return { type: 'SpendPettyCash', spending: spending(overrides), today: TODAY, kamerExists };
}
