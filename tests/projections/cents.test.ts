import t from 'tap';
import fc from 'fast-check';
import { formatAmount, money } from '../../src/domain/money.js';
import { cents, formatCents, toMoney } from '../../src/projections/cents.js';

t.test('amounts become exact hundredths and format back to the wire form', async (t) => {
  t.equal(cents('1234.50'), 123450n);
  t.equal(cents('0.05'), 5n);
  t.equal(cents('-0.05'), -5n);
  t.equal(cents('-12.30'), -1230n);
  t.equal(cents('2.5'), 250n, 'hours may carry one decimal');
  t.equal(cents('24'), 2400n);
  t.equal(formatCents(123450n), '1234.50');
  t.equal(formatCents(5n), '0.05');
  t.equal(formatCents(-5n), '-0.05');
  t.equal(formatCents(0n), '0.00');
  t.equal(toMoney(-1230n).toFixed(2), '-12.30');
});

t.test('more than two decimals, or no number at all, is refused rather than rounded', async (t) => {
  for (const bad of ['1.005', '1,50', '', 'abc', '1.', '.50', '--1.00']) t.throws(() => cents(bad), JSON.stringify(bad));
});

t.test('sums in hundredths equal the same sums in decimal.js', async (t) => {
  const amount = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).map((value) => formatCents(value));
  // Passes when the property held for every run; a counterexample fails this assertion.
  t.doesNotThrow(
    () =>
      fc.assert(
        fc.property(fc.array(amount, { maxLength: 50 }), (amounts) => {
          const viaCents = formatCents(amounts.reduce((total, value) => total + cents(value), 0n));
          const viaDecimal = formatAmount(amounts.reduce((total, value) => total.plus(value), money(0)));
          return viaCents === viaDecimal;
        }),
      ),
    'property held',
  );
});

t.test('cents takes exactly the amounts its patterns describe, and reads them like decimal.js', async (t) => {
  const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
  const amountLike = fc
    .tuple(fc.constantFrom('', '-', '--', '+'), digits(0, 16), fc.constantFrom('', '.', ','), digits(0, 3))
    .map(([sign, whole, point, fraction]) => `${sign}${whole}${point}${fraction}`);
  const noise = fc.string({ unit: fc.constantFrom(...'0123456789.-x '), maxLength: 18 });
  // Passes when the property held for every run; a counterexample fails this assertion.
  t.doesNotThrow(
    () =>
      fc.assert(
        fc.property(fc.oneof(amountLike, noise), (text) => {
          if (!/^-?\d+(\.\d{1,2})?$/.test(text)) {
            try {
              cents(text);
              return false;
            } catch (error) {
              return error instanceof Error && error.message.includes('is not an amount with at most two decimals');
            }
          }
          return cents(text) === BigInt(money(text).times(100).toFixed(0));
        }),
        { numRuns: 5_000 },
      ),
    'property held',
  );
});
