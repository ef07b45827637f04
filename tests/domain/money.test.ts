/**
 * The money rule every amount obeys: a string with exactly two decimals, never a JSON number;
 * more than two decimals is refused, never rounded; zero or less is refused where it makes no
 * sense (an entered payment, pledge, invoice line …), allowed for a budget line (zero only).
 */
import t from 'tap';
import { AmountSchema, formatAmount, MAX_ENTERED_AMOUNT, money, NonNegativeAmountSchema, PositiveAmountSchema, roundToCents, sum } from '../../src/domain/money.js';

const NOT_MONEY: readonly unknown[] = ['10.005', '10.5', '10', '.50', '10.', '10,00', '1e3', ' 10.00', '10.00 ', '+10.00', '', 'abc', 10, 10.5, null];

t.test('an amount is a string with exactly two decimals', async (t) => {
  for (const value of ['0.00', '10.00', '1234.50', '-5.00', '9999999999999.99']) t.ok(AmountSchema.safeParse(value).success, value);
  for (const value of NOT_MONEY) t.notOk(AmountSchema.safeParse(value).success, JSON.stringify(value));
  t.match(AmountSchema.safeParse('10.005').error?.issues[0]?.message, /exactly two decimals/);
});

t.test('an entered amount is more than zero and at most the entry limit', async (t) => {
  for (const value of ['0.01', '1.00', MAX_ENTERED_AMOUNT]) t.ok(PositiveAmountSchema.safeParse(value).success, value);
  for (const value of ['0.00', '-0.00', '-0.01', '-10.00', '1000000000.00', ...NOT_MONEY]) {
    t.notOk(PositiveAmountSchema.safeParse(value).success, JSON.stringify(value));
  }
  t.match(PositiveAmountSchema.safeParse('0.00').error?.issues[0]?.message, /greater than 0\.00/);
  // what is not money says so, rather than a second message about a number it cannot read
  t.same(PositiveAmountSchema.safeParse('abc').error?.issues.map((issue) => issue.message), ['must be an amount with exactly two decimals, as a string, e.g. "1234.50"']);
});

t.test('a budget line may be zero but not negative', async (t) => {
  for (const value of ['0.00', '0.01', MAX_ENTERED_AMOUNT]) t.ok(NonNegativeAmountSchema.safeParse(value).success, value);
  for (const value of ['-0.01', '-10.00', '1000000000.00', ...NOT_MONEY]) t.notOk(NonNegativeAmountSchema.safeParse(value).success, JSON.stringify(value));
});

t.test('formatting never rounds away a cent silently; rounding is explicit, half to even', async (t) => {
  t.equal(formatAmount(money('10.5')), '10.50');
  t.equal(formatAmount(money('10')), '10.00');
  t.throws(() => formatAmount(money('10.005')), /more than two decimals/);
  t.throws(() => formatAmount(money('1').dividedBy(3)), /more than two decimals/);
  // 10.005 → 10.00 and 10.015 → 10.02: the even cent
  t.equal(formatAmount(roundToCents(money('10.005'))), '10.00');
  t.equal(formatAmount(roundToCents(money('10.015'))), '10.02');
  t.throws(() => money(0.1), /integer numbers/, 'a fractional JS number never becomes money');
  // 0.10 + 0.20 is exactly 0.30 (as a JS number it would be 0.30000000000000004)
  t.equal(formatAmount(sum(['0.10', '0.20'])), '0.30');
});
