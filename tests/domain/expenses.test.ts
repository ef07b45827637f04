import t from 'tap';
import { expensesDecider, type PayExpense } from '../../src/domain/expenses/decider.js';
import type { DomainEvent } from '../../src/domain/events.js';
import { specFor } from '../helpers/decider.js';

const TODAY = '2020-06-15';
const EXPENSE_ID = '6f1f3c1e-2a4b-4c5d-8e9f-0a1b2c3d4e5f';
const OTHER_ID = '7a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d';

t.test('an expense against a line of the budget for the year of its date is paid', async (t) => {
  const spec = specFor(t, expensesDecider);
  spec.given([]).when(payExpense()).then([{ type: 'ExpensePaid', data: { ...expense(), year: 2020 } }]);
});

t.test('an expense may be paid today, and on any earlier day', async (t) => {
  const spec = specFor(t, expensesDecider);
  spec.given([]).when(payExpense({ date: TODAY })).then((events) => t.equal(events[0]?.data.date, TODAY));
  spec.given([]).when(payExpense({ date: '2020-01-01' })).then((events) => t.equal(events[0]?.data.year, 2020));
});

t.test('the year of the expense is the year of its date', async (t) => {
  const spec = specFor(t, expensesDecider);
  spec.given([]).when(payExpense({ date: '2019-12-31' })).then((events) => t.equal(events[0]?.data.year, 2019));
});

t.test('a later expense follows earlier ones of the same room and year', async (t) => {
  const spec = specFor(t, expensesDecider);
  const earlier: DomainEvent = { type: 'ExpensePaid', data: { ...expense({ expenseId: OTHER_ID }), year: 2020 } };
  spec.given([earlier]).when(payExpense()).then((events) => t.equal(events.length, 1));
});

t.test('an expense for a room that does not exist is refused on the field kamer', async (t) => {
  specFor(t, expensesDecider).given([]).when(payExpense({}, { kamerExists: false })).thenFails('UNKNOWN_KAMER', 'kamer');
});

t.test('an expense against a line the budget does not have is refused, naming the known lines', async (t) => {
  const spec = specFor(t, expensesDecider);
  spec.given([]).when(payExpense({ line: 'travel' })).thenFails('UNKNOWN_BUDGET_LINE', 'line');
  t.throws(() => expensesDecider.decide(payExpense({ line: 'travel' }), expensesDecider.initialState), {
    message: /no line travel; known lines: rent, utilities/,
  });
});

t.test('an expense for a year without a budget is refused on the field line', async (t) => {
  specFor(t, expensesDecider).given([]).when(payExpense({}, { budgetLines: undefined })).thenFails('UNKNOWN_BUDGET_LINE', 'line');
});

t.test('an expense dated after today is refused on the field date', async (t) => {
  specFor(t, expensesDecider).given([]).when(payExpense({ date: '2020-06-16' })).thenFails('DATE_IN_FUTURE', 'date');
});

t.test('an expense of zero, or without payee or description, is refused (the schemas refuse it first)', async (t) => {
  const spec = specFor(t, expensesDecider);
  spec.given([]).when(payExpense({ amount: '0.00' })).thenFails('INVALID_INPUT', 'amount');
  spec.given([]).when(payExpense({ payee: '  ' })).thenFails('INVALID_INPUT', 'payee');
  spec.given([]).when(payExpense({ description: '' })).thenFails('INVALID_INPUT', 'description');
});

t.test('an expenses stream with another room, a wrong year or a foreign event is corrupt and says so', async (t) => {
  const first = expensesDecider.evolve(expensesDecider.initialState, { type: 'ExpensePaid', data: { ...expense(), year: 2020 } });
  t.throws(() => expensesDecider.evolve(first, { type: 'ExpensePaid', data: { ...expense({ kamerId: 'de-klop' }), year: 2020 } }), /corrupt/);
  t.throws(() => expensesDecider.evolve(expensesDecider.initialState, { type: 'ExpensePaid', data: { ...expense(), year: 2019 } }), /corrupt/);
  t.throws(() => expensesDecider.evolve(first, { type: 'KamerRegistered', data: { kamerId: 'top', name: 'TOP' } }), /corrupt/);
});

// Fixture builders ------------------------------------------------------------------------------

function expense(overrides: Partial<PayExpense['expense']> = {}): PayExpense['expense'] {
  return {
    expenseId: EXPENSE_ID,
    kamerId: 'top',
    line: 'rent',
    date: '2020-06-01',
    amount: '890.00',
    payee: 'Mitros',
    description: 'huur juni',
    ...overrides,
  };
}

function payExpense(overrides: Partial<PayExpense['expense']> = {}, context: Partial<Omit<PayExpense, 'expense'>> = {}): PayExpense {
  return { type: 'PayExpense', expense: expense(overrides), today: TODAY, kamerExists: true, budgetLines: ['rent', 'utilities'], ...context };
}
