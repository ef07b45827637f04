import t from 'tap';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeFailures, PEPPOL_DIRECTORY, validatePeppol } from '../helpers/peppol.js';

// Each document takes seconds against both rule sets: this file validates five.
t.setTimeout(300_000);

const example = (name: string): string => readFileSync(resolve(PEPPOL_DIRECTORY, name), 'utf8');

t.test('the three shared Peppol examples pass both rule sets with no failed assert', async (t) => {
  for (const name of ['base-example.xml', 'vat-category-E.xml', 'base-creditnote-correction.xml']) {
    const result = await validatePeppol(example(name));
    t.same(result.failed, [], `${name}\n${describeFailures(result)}`);
  }
});

t.test('the base example without its BuyerReference fails exactly the buyer-reference rule', async (t) => {
  const original = example('base-example.xml');
  const withoutBuyerReference = original.replace(/\s*<cbc:BuyerReference>[^<]*<\/cbc:BuyerReference>/, '');
  t.not(withoutBuyerReference, original, 'the BuyerReference was there to remove');
  const result = await validatePeppol(withoutBuyerReference);
  t.equal(result.failed.length, 1, describeFailures(result));
  t.match(result.failed[0], {
    id: 'PEPPOL-EN16931-R003',
    flag: 'fatal',
    text: /A buyer reference or purchase order reference MUST be provided/,
    location: '/Invoice[1]',
  });
});

t.test('a helper function decides a rule: a seller GLN with a wrong check digit fails PEPPOL-COMMON-R040', async (t) => {
  // base-example's seller endpoint is GLN 9482348239847239874 (scheme 0088); …873 has a wrong check digit.
  const original = example('base-example.xml');
  const wrongGln = original.replace('<cbc:EndpointID schemeID="0088">9482348239847239874</cbc:EndpointID>', '<cbc:EndpointID schemeID="0088">9482348239847239873</cbc:EndpointID>');
  t.not(wrongGln, original, 'the seller GLN was there to change');
  const result = await validatePeppol(wrongGln);
  t.same(
    result.failed.map((failure) => [failure.id, failure.location]),
    [['PEPPOL-COMMON-R040', '/Invoice[1]/cac:AccountingSupplierParty[1]/cac:Party[1]/cbc:EndpointID[1]']],
    describeFailures(result),
  );
});
