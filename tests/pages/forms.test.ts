/**
 * The one form machinery every page uses (src/pages/forms/): Dutch decimals read as the API's
 * decimal strings by rewriting text only (never a float), posted fields as the API's nested body,
 * a refusal placed at its field in Dutch, and the field drawn with its error tied to its input.
 */
import t from 'tap';
import { renderToString } from 'preact-render-to-string';
import { DomainError } from '../../src/domain/errors.js';
import { EntryBody } from '../../src/http/routes/volunteer-hours.js';
import { Field } from '../../src/pages/forms/fields.js';
import { amountFromDutch, decimalFromDutch, EMPTY_FORM, formFieldsOf, nestedBody } from '../../src/pages/forms/input.js';
import { refusalOf } from '../../src/pages/forms/refusal.js';
import { nl } from '../../src/pages/text/nl.js';

t.test('a Dutch decimal or amount becomes the decimal string the API reads, by text alone; anything else is left for the schema to refuse', async (t) => {
  // typed, as a decimal (hours), as an amount (always two decimals)
  const cases: Array<[string, string, string]> = [
    ['12,50', '12.50', '12.50'],
    ['€ 1.234,5', '1234.5', '1234.50'],
    [' 2,5 ', '2.5', '2.50'],
    ['12.50', '12.50', '12.50'],
    ['4', '4', '4.00'],
    ['0,1', '0.1', '0.10'],
    ['0.10', '0.10', '0.10'],
    ['1.234', '1234', '1234.00'],
    [' 2.000.000 ', '2000000', '2000000.00'],
    ['1.234.567,89', '1234567.89', '1234567.89'],
    ['999999999999999,99', '999999999999999.99', '999999999999999.99'],
    ['12,505', '12,505', '12,505'],
    ['1,2,3', '1,2,3', '1,2,3'],
    ['abc', 'abc', 'abc'],
    ['', '', ''],
  ];
  for (const [typed, decimal, amount] of cases) {
    t.equal(decimalFromDutch(typed), decimal, `${JSON.stringify(typed)} as a decimal`);
    t.equal(amountFromDutch(typed), amount, `${JSON.stringify(typed)} as an amount`);
  }
});

t.test('posted fields become the API body by their dotted names; empty ones are left out', async (t) => {
  const fields = { id: 'fonds', 'address.street': 'Laan 1', 'address.city': '  ', 'lines.1.amount': '12,5', 'lines.1.description': 'Koffie', hours: '2,5', ignored: 'x' };
  t.same(nestedBody(fields, ['id', 'address.street', 'address.city', 'lines.1.amount', 'lines.1.description', 'hours', 'absent']), {
    id: 'fonds',
    address: { street: 'Laan 1' },
    lines: [undefined, { amount: '12.50', description: 'Koffie' }],
    hours: '2.5',
  });
});

t.test('a refusal goes to the field it names, else above the form; 400 only where the API calls it malformed', async (t) => {
  const atField = refusalOf(new DomainError('PETTY_CASH_MONTHLY_LIMIT', 'over 250.00'), nl, ['date', 'amount']);
  t.same(atField, { status: 422, errors: { amount: nl.rules.PETTY_CASH_MONTHLY_LIMIT } }, 'a rule without a field: the field it is about');
  const named = refusalOf(new DomainError('INVALID_INPUT', 'bad', 'lines.0.amount'), nl, ['lines.0.amount']);
  t.same(named, { status: 400, errors: { 'lines.0.amount': nl.rules.INVALID_INPUT } });
  const above = refusalOf(new DomainError('CONCURRENT_CHANGE', 'busy'), nl, ['amount']);
  t.same(above, { status: 422, errors: {}, summary: nl.rules.CONCURRENT_CHANGE }, 'no field of the form: above it');
  t.throws(() => refusalOf(new Error('disk on fire'), nl, ['amount']), /disk on fire/, 'not a refusal: passed on');
});

t.test('a posted body gives its string fields only, without the CSRF token', async (t) => {
  t.same(formFieldsOf({ _csrf: 'x', amount: '12,50', repeated: ['a', 'b'], file: Buffer.from('x') }), { amount: '12,50' });
  t.same(formFieldsOf(undefined), {});
});

t.test("a form's own sentence for a field wins over the general ones, empty included; a rule's code still says the rule", async (t) => {
  const fieldRules = nl.teamleader.fieldRules;
  const fields = ['volunteer', 'date', 'hours', 'kind', 'activity'];
  const parsed = EntryBody.safeParse(nestedBody({ volunteer: '', date: '2020-13-45', hours: '25', kind: 'other' }, fields));
  t.notOk(parsed.success);
  const refused = refusalOf(parsed.error, nl, fields, { fieldRules });
  t.equal(refused.status, 422);
  t.equal(refused.errors['volunteer'], fieldRules['volunteer'], 'empty, yet the sentence of the field');
  t.equal(refused.errors['date'], nl.validation.date, 'no sentence of its own: the general one for a date');
  t.equal(refused.errors['hours'], fieldRules['hours']);
  t.equal(refused.errors['kind'], fieldRules['kind']);
  const future = refusalOf(new DomainError('VOLUNTEER_HOURS_IN_FUTURE', 'tomorrow', 'date'), nl, fields, { fieldRules });
  t.same(future, { status: 422, errors: { date: nl.rules.VOLUNTEER_HOURS_IN_FUTURE } });
});

t.test('a refused field keeps what was typed and ties its message to the input; a secret is never shown again', async (t) => {
  const state = { values: { amount: '12,505', token: 'bwk_secret' }, errors: { amount: 'Fout bedrag', token: 'Onbekend' } };
  const amount = renderToString(Field({ form: 'uitgave', name: 'amount', label: 'Bedrag', hint: 'Bijvoorbeeld 12,50', state, inputMode: 'decimal', required: true }));
  t.match(amount, /<input[^>]*value="12,505"/, 'the typed value kept');
  t.match(amount, /<input[^>]*id="uitgave-amount"[^>]*aria-describedby="uitgave-amount-uitleg uitgave-amount-fout"[^>]*aria-invalid="true"/);
  t.match(amount, /id="uitgave-amount-fout">Fout bedrag</);
  t.notMatch(amount, new RegExp(nl.forms.optional.replace(/[()]/g, '\\$&')), 'a required field is not marked optional');
  const token = renderToString(Field({ name: 'token', label: 'Toegangscode', state, type: 'password', required: true }));
  t.match(token, /id="token"/, 'the only form on its page: the id is the name');
  t.notMatch(token, /bwk_secret/, 'a password is not sent back to the browser');
  const file = renderToString(Field({ form: 'csv', name: 'bestand', label: 'Bestand', state: EMPTY_FORM, type: 'file', describedBy: 'csv-uitleg csv-fouten', invalid: true }));
  t.match(file, /<input[^>]*type="file"[^>]*aria-describedby="csv-uitleg csv-fouten"[^>]*aria-invalid="true"/, 'refused as a whole: described by the list elsewhere');
  t.notMatch(file, /csv-bestand-fout/, 'and no message of its own');
  t.match(file, nl.forms.optional, 'a field that may stay empty says so');
});
