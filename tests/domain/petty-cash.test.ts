import t from 'tap';
import { PettyCashCategorySchema, type DomainEvent, type EventData } from '../../src/domain/events.js';
import { PETTY_CASH_CATEGORY_LABELS } from '../../src/domain/petty-cash/categories.js';
import { PETTY_CASH_MONTHLY_LIMIT, pettyCashDecider, type SpendPettyCash, type TransferPettyCash } from '../../src/domain/petty-cash/decider.js';
import { foldEvents } from '../../src/domain/decider.js';
import { formatAmount, money } from '../../src/domain/money.js';
import { balanceOn, balancesFrom } from '../../src/domain/petty-cash/state.js';
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
    message: /it has 40\.00 then.*-0\.01 after this spending.*at most 40\.00 can be spent on 2020-06-12/,
  });
});

t.test("the issue's example: 400.00 spent on 15 January with only January's 250.00 transferred by then is refused", async (t) => {
  const history = [transferred({ date: '2019-01-01', amount: '250.00' }), transferred({ date: '2019-02-01', amount: '250.00' })];
  const command = spendCommand({ date: '2019-01-15', amount: '400.00' });
  // The all-time balance (500.00) would allow it; on 15 January only 250.00 has been transferred.
  specFor(t, pettyCashDecider).given(history).when(command).thenFails('PETTY_CASH_INSUFFICIENT', 'amount');
  const onTheDay = money('250.00');
  const after = formatAmount(onTheDay.minus('400.00'));
  t.throws(() => pettyCashDecider.decide(command, foldEvents(pettyCashDecider, history)), {
    message: new RegExp(`below zero on 2019-01-15: it has 250\\.00 then .* ${after} after this spending; at most 250\\.00 can be spent on 2019-01-15`),
  });
});

t.test('a backdated spending that is fine on its own day but would take a later day below zero is refused', async (t) => {
  // 1 Jan 250.00 in; 20 Jan 200.00 out. Spending 100.00 on 10 Jan leaves 150.00 that day, but 20 Jan would be −50.00.
  const history = [transferred({ date: '2019-01-01', amount: '250.00' }), spent({ date: '2019-01-20', amount: '200.00' })];
  const spec = specFor(t, pettyCashDecider);
  const backdated = spendCommand({ date: '2019-01-10', amount: '100.00' });
  spec.given(history).when(backdated).thenFails('PETTY_CASH_INSUFFICIENT', 'amount');
  const onTwentieth = money('250.00').minus('200.00');
  t.throws(() => pettyCashDecider.decide(backdated, foldEvents(pettyCashDecider, history)), {
    message: new RegExp(
      `below zero on 2019-01-20: it has ${formatAmount(onTwentieth)} then .* ${formatAmount(onTwentieth.minus('100.00'))} after this spending, ` +
        `though on 2019-01-10 itself it has 250\\.00; at most ${formatAmount(onTwentieth)} can be spent on 2019-01-10`,
    ),
  });
  // What the 20th can bear, 50.00, is accepted on the 10th.
  spec.given(history).when(spendCommand({ date: '2019-01-10', amount: formatAmount(onTwentieth) })).then((events) => t.equal(events.length, 1));
});

t.test('spending that leaves exactly 0.00 on its day and every later day is accepted; one cent more is refused', async (t) => {
  const spec = specFor(t, pettyCashDecider);
  const january = [transferred({ date: '2019-01-01', amount: '250.00' })];
  spec.given(january).when(spendCommand({ date: '2019-01-15', amount: '250.00' })).then((events) => t.equal(events.length, 1));
  spec.given(january).when(spendCommand({ date: '2019-01-15', amount: '250.01' })).thenFails('PETTY_CASH_INSUFFICIENT', 'amount');
  // January spent down to zero; February's transfer cannot pay for a January receipt.
  const emptied = [...january, spent({ date: '2019-01-15', amount: '250.00' }), transferred({ date: '2019-02-01', amount: '250.00' })];
  spec.given(emptied).when(spendCommand({ date: '2019-01-31', amount: '0.01' })).thenFails('PETTY_CASH_INSUFFICIENT', 'amount');
  spec.given(emptied).when(spendCommand({ date: '2019-02-01', amount: '250.00' })).then((events) => t.equal(events.length, 1));
});

t.test('money transferred later cannot pay for spending dated earlier; what is left of an earlier month can', async (t) => {
  const spec = specFor(t, pettyCashDecider);
  const laterTransfer = [transferred({ date: '2020-06-10', amount: '30.00' })];
  spec.given(laterTransfer).when(spendCommand({ date: '2020-06-01', amount: '30.00' })).thenFails('PETTY_CASH_INSUFFICIENT', 'amount');
  spec.given(laterTransfer).when(spendCommand({ date: '2020-06-10', amount: '30.00' })).then((events) => t.equal(events.length, 1));
  // What is left of May's transfer may be spent in June.
  const may = [transferred({ date: '2020-05-04', month: '2020-05', amount: '250.00' }), spent({ date: '2020-05-20', amount: '200.00' })];
  spec.given(may).when(spendCommand({ amount: '50.00' })).then((events) => t.equal(events.length, 1));
  spec.given(may).when(spendCommand({ amount: '50.01' })).thenFails('PETTY_CASH_INSUFFICIENT', 'amount');
});

t.test('a transfer dated early for next month pays for spending from its date, not from the month it counts against', async (t) => {
  const spec = specFor(t, pettyCashDecider);
  const early = [transferred({ date: '2020-05-25', month: '2020-06', amount: '250.00' })];
  spec.given(early).when(spendCommand({ date: '2020-05-28', amount: '250.00' })).then((events) => t.equal(events.length, 1));
  spec.given(early).when(spendCommand({ date: '2020-05-24', amount: '0.01' })).thenFails('PETTY_CASH_INSUFFICIENT', 'amount');
});

t.test('a history already below zero on some day (recorded before this rule) still takes transfers, and spending after it', async (t) => {
  // Recorded when only the all-time balance was checked: 15 Jan is at 250.00 − 400.00 = −150.00 until 1 Feb.
  const legacy = [
    transferred({ date: '2019-01-01', amount: '250.00' }),
    transferred({ date: '2019-02-01', amount: '250.00' }),
    spent({ date: '2019-01-15', amount: '400.00' }),
  ];
  const spec = specFor(t, pettyCashDecider);
  spec.given(legacy).when(transferCommand({ date: '2019-01-20', month: '2019-01', amount: '0.01' })).thenFails('PETTY_CASH_MONTHLY_LIMIT', 'amount');
  spec.given(legacy).when(transferCommand({ date: '2019-03-01', month: '2019-03', amount: '250.00' })).then((events) => t.equal(events.length, 1));
  // From 1 Feb on the balance is 500.00 − 400.00 = 100.00: spending there is judged on those days only.
  spec.given(legacy).when(spendCommand({ date: '2019-02-10', amount: '100.00' })).then((events) => t.equal(events.length, 1));
  spec.given(legacy).when(spendCommand({ date: '2019-02-10', amount: '100.01' })).thenFails('PETTY_CASH_INSUFFICIENT', 'amount');
  // A day that is already below zero takes no more spending.
  spec.given(legacy).when(spendCommand({ date: '2019-01-20', amount: '0.01' })).thenFails('PETTY_CASH_INSUFFICIENT', 'amount');
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

t.test('the state keeps transfers per counted month, the net movement per date and the balance over everything', async (t) => {
  const state = foldEvents(pettyCashDecider, [
    transferred({ date: '2020-05-04', month: '2020-05', amount: '150.00' }),
    transferred({ date: '2020-06-01', month: '2020-05', amount: '100.00' }),
    transferred({ date: '2020-06-02', amount: '75.50' }),
    spent({ date: '2020-06-02', amount: '20.25' }),
    spent({ date: '2020-05-10', amount: '0.75' }),
  ]);
  t.equal(formatAmount(state.transferredByMonth.get('2020-05')!), '250.00'); // 150.00 + 100.00
  t.equal(formatAmount(state.transferredByMonth.get('2020-06')!), '75.50');
  t.equal(formatAmount(state.balance), '304.50'); // 150.00 + 100.00 + 75.50 − 20.25 − 0.75
  // One balance per day with a movement from the given day on; 2 June nets 75.50 − 20.25 = 55.25.
  t.same(
    balancesFrom(state, '2020-05-05').map(({ date, balance }) => [date, formatAmount(balance)]),
    [['2020-05-05', '150.00'], ['2020-05-10', '149.25'], ['2020-06-01', '249.25'], ['2020-06-02', '304.50']],
  );
  t.equal(formatAmount(balanceOn(state, '2020-05-03')), '0.00');
  t.equal(formatAmount(balanceOn(state, '2020-05-31')), '149.25'); // 150.00 − 0.75
  t.equal(formatAmount(balanceOn(state, '2020-06-01')), '249.25'); // + 100.00
  t.equal(formatAmount(balanceOn(state, '2020-12-31')), formatAmount(state.balance));
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
