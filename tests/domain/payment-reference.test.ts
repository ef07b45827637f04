import fc from 'fast-check';
import t from 'tap';
import {
  creditorReferenceFor,
  electronicCreditorReference,
  findCreditorReferences,
  isValidCreditorReference,
  printedCreditorReference,
} from '../../src/domain/receivables/payment-reference.js';

/** ISO 7064 mod 97-10 computed here the slow, obvious way (BigInt), independent of the module. */
function expectedCheckDigits(body: string): string {
  const digits = [...`${body}RF00`].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('');
  return String(98n - (BigInt(digits) % 97n)).padStart(2, '0');
}

t.test('the ISO 11649 example reference is valid, and any changed digit makes it invalid', async (t) => {
  t.ok(isValidCreditorReference('RF18 5390 0754 7034'), 'printed, with spaces');
  t.ok(isValidCreditorReference('rf18539007547034'), 'lower case, electronic');
  t.notOk(isValidCreditorReference('RF18539007547035'), 'last digit changed');
  t.notOk(isValidCreditorReference('RF19539007547034'), 'check digit changed');
  t.notOk(isValidCreditorReference('RF18'), 'no body');
  t.notOk(isValidCreditorReference('RF18 5390 0754 7034 1234 5678 9012 3'), 'longer than 25 characters');
  t.notOk(isValidCreditorReference('NL18539007547034'), 'not RF');
});

t.test("an invoice's reference is RF, check digits and its number without the dash", async (t) => {
  t.equal(creditorReferenceFor('2020-0001'), `RF${expectedCheckDigits('20200001')}20200001`);
  t.equal(printedCreditorReference(creditorReferenceFor('2020-0001')), `RF${expectedCheckDigits('20200001')} 2020 0001`);
  t.throws(() => creditorReferenceFor('2020-1'), /not an invoice number/);
  fc.assert(
    fc.property(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 1, max: 9999 }), (year, sequence) => {
      const number = `${year}-${String(sequence).padStart(4, '0')}`;
      const reference = creditorReferenceFor(number);
      return (
        reference === `RF${expectedCheckDigits(number.replace('-', ''))}${number.replace('-', '')}` &&
        isValidCreditorReference(reference) &&
        electronicCreditorReference(printedCreditorReference(reference)) === reference
      );
    }),
  );
});

t.test('references are found in free text however they were typed, and a typo finds nothing', async (t) => {
  const first = creditorReferenceFor('2020-0001');
  const second = creditorReferenceFor('2020-0012');
  t.same(findCreditorReferences(`betaling ${printedCreditorReference(first)} factuur portaal`), [first], 'printed, followed by words');
  t.same(findCreditorReferences(`${first.toLowerCase()}/${printedCreditorReference(second)}`), [first, second], 'two, in order');
  t.same(findCreditorReferences(`${first} en nog eens ${first}`), [first], 'each once');
  const typo = `${first.slice(0, -1)}${(Number(first.at(-1)) + 1) % 10}`;
  t.same(findCreditorReferences(`betaling ${typo}`), [], 'wrong check digits: no reference');
  t.same(findCreditorReferences(undefined), []);
  t.same(findCreditorReferences('factuur 2020-0001'), [], 'an invoice number is not an RF reference');
});
