import t from 'tap';
import fontoxpath from 'fontoxpath';
import {
  abn,
  addPIVA,
  checkCF,
  checkCF16,
  checkCodiceIPA,
  checkPIVA,
  checkPIVAseIT,
  checkSEOrgnr,
  gln,
  mod11,
  mod97be,
  PEPPOL_FUNCTIONS,
  slack,
  tinVerification,
  xpathNumber,
  xpathSubstring,
} from '../helpers/peppol-functions.js';
import { registerPeppolFunctions } from '../helpers/peppol.js';

// Valid identifiers are public ones whose check digits were computed independently (Python, the
// registries' own algorithms); each invalid one differs from a valid one in its check digit only.

t.test('XPath number() and substring() behave as in XPath, not as in JavaScript', async (t) => {
  t.ok(Number.isNaN(xpathNumber('')), "number('') is NaN");
  t.ok(Number.isNaN(xpathNumber(undefined)), 'number(()) is NaN');
  t.ok(Number.isNaN(xpathNumber('0x1')), 'no hexadecimal');
  t.equal(xpathNumber(' 7 '), 7);
  t.equal(xpathSubstring('12345', 0, 3), '12', 'substring from 0 takes length − 1 characters');
  t.equal(xpathSubstring('12345', 3), '345');
  t.equal(xpathSubstring('12345', 9, 2), '');
});

t.test('u:gln accepts GS1 numbers with the right check digit and only those', async (t) => {
  for (const valid of ['5901234123457', '7300010000001', '4006381333931']) t.ok(gln(valid), valid);
  for (const invalid of ['5901234123458', '7300010000002', '4006381333930', '']) t.notOk(gln(invalid), invalid || '(empty)');
});

t.test('u:slack compares in decimals within the allowed slack', async (t) => {
  t.ok(slack(100, 100.02, 0.02), 'exactly at the edge');
  t.ok(slack(0.7, 0.8, 0.1), '0.7 + 0.1 >= 0.8 as decimals (as floats 0.7 + 0.1 is 0.7999999999999999)');
  t.notOk(slack(100, 100.03, 0.02), 'outside');
  t.notOk(slack(100, 99.97, 0.02), 'outside below');
});

t.test('u:mod11 accepts Norwegian organisation numbers with the right check digit', async (t) => {
  for (const valid of ['974760673', '923609016']) t.ok(mod11(valid), valid);
  for (const invalid of ['974760674', '923609017', '000000000']) t.notOk(mod11(invalid), invalid);
});

t.test('u:mod97-0208 accepts Belgian enterprise numbers whose last two digits are 97 − (first eight mod 97)', async (t) => {
  for (const valid of ['0202239951', '0417497106', '0403170701']) t.ok(mod97be(valid), valid);
  for (const invalid of ['0202239952', '0417497107']) t.notOk(mod97be(invalid), invalid);
  t.throws(() => mod97be('ABCDEFGH12'), /FORG0001/, 'xs:integer of letters is an error, as in XPath');
});

t.test('u:checkCodiceIPA wants exactly six letters or digits', async (t) => {
  t.ok(checkCodiceIPA('UFY9MH'));
  t.notOk(checkCodiceIPA('UFY9M'), 'five');
  t.notOk(checkCodiceIPA('UFY9MHX'), 'seven');
  t.notOk(checkCodiceIPA('UFY9M_'), 'underscore');
  t.notOk(checkCodiceIPA(null), 'empty sequence');
});

t.test('u:checkCF and u:checkCF16 accept a personal codice fiscale pattern or 11 digits', async (t) => {
  t.ok(checkCF('RSSMRA85T10A562S'), '16 characters in the personal pattern');
  t.ok(checkCF('12345678901'), '11 digits');
  t.notOk(checkCF('1234567890A'), '11 characters, not all digits');
  t.notOk(checkCF('RSSMRA85T10A562'), '15 characters');
  t.notOk(checkCF16('RSSMRA8XT10A562S'), 'letter where the year digits go');
  t.notOk(checkCF16('RSSMRA85T10A56ZS'), 'letter at position 15');
  t.notOk(checkCF16('RSSMRA85T10A5627'), 'digit at position 16');
});

t.test('u:checkPIVAseIT, u:checkPIVA and u:addPIVA check Italian VAT numbers (partita IVA)', async (t) => {
  for (const valid of ['00743110157', '07643520567', '01234567897']) {
    t.equal(checkPIVA(valid), 0, valid);
    t.ok(checkPIVAseIT(`IT${valid}`), `IT${valid}`);
  }
  t.not(checkPIVA('00743110158'), 0, 'wrong check digit');
  t.notOk(checkPIVAseIT('IT00743110158'), 'wrong check digit with IT');
  t.notOk(checkPIVAseIT('it0074311015'), 'ten digits');
  t.ok(checkPIVAseIT('NL123456789B01'), 'not Italian: not checked');
  t.equal(checkPIVA('ABC'), 1, 'not a number');
  t.equal(addPIVA('12', 0), 1 + 4, 'odd positions as they are, even ones doubled (2 → 4)');
  t.equal(addPIVA('16', 0), 1 + 3, '6 doubled is 12 → 1 + 2 = 3, through the table 0246813579');
});

t.test('u:abn accepts Australian Business Numbers and only with the right digits', async (t) => {
  for (const valid of ['51824753556', '53004085616']) t.ok(abn(valid), valid);
  for (const invalid of ['51824753557', '5182475355']) t.notOk(abn(invalid), invalid);
});

t.test('u:TinVerification accepts Greek tax numbers (AFM) with the right check digit', async (t) => {
  for (const valid of ['094014201', '094259216', '090000045']) t.ok(tinVerification(valid), valid);
  for (const invalid of ['094014202', '09401420', 'ABCDEFGHI']) t.notOk(tinVerification(invalid), invalid);
});

t.test('u:checkSEOrgnr accepts Swedish organisation numbers with a valid Luhn digit', async (t) => {
  for (const valid of ['5560125790', '5560360793', '2021005489']) t.ok(checkSEOrgnr(valid), valid);
  for (const invalid of ['5560125791', '556012579X', '']) t.notOk(checkSEOrgnr(invalid), invalid || '(empty)');
});

t.test('all 13 functions are registered with fontoxpath and answer through XPath as directly', async (t) => {
  t.equal(PEPPOL_FUNCTIONS.length, 13);
  registerPeppolFunctions();
  const namespaceResolver = (prefix: string | null) => (prefix === 'u' ? 'utils' : null);
  const xpath = (expression: string) =>
    fontoxpath.evaluateXPath(expression, null, null, {}, fontoxpath.evaluateXPath.ANY_TYPE, { namespaceResolver });
  const cases: Array<[string, unknown]> = [
    ["u:gln('5901234123457')", true],
    ["u:gln('5901234123458')", false],
    ['u:slack(100, 100.02, 0.02)', true],
    ["u:mod11('974760674')", false],
    ["u:mod97-0208('0202239951')", true],
    ["u:checkCodiceIPA('UFY9MH')", true],
    ["u:checkCF('1234567890A')", false],
    ["u:checkCF16('RSSMRA85T10A562S')", true],
    ["u:checkPIVAseIT('IT00743110158')", false],
    ["u:checkPIVA('00743110157')", 0],
    ["u:addPIVA('16', 0)", 4],
    ["u:abn('51824753556')", true],
    ["u:TinVerification('094014202')", false],
    ["u:checkSEOrgnr('5560125790')", true],
  ];
  for (const [expression, expected] of cases) t.equal(xpath(expression), expected, expression);
});
