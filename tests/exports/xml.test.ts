/**
 * xml.ts writes the XAF without xmlbuilder2, and must give the bytes xmlbuilder2 gave (the closed
 * years' recorded SHA-256s are of them): compared here on the XAF of random years and on trees of
 * hostile text.
 */
import t from 'tap';
import fc from 'fast-check';
import { create } from 'xmlbuilder2';
import { buildXaf, XAF_NAMESPACE, xafTree } from '../../src/exports/xaf.js';
import { serializeXml, type XmlTree } from '../../src/exports/xml.js';
import { readYearJournal } from '../../src/projections/reports.js';
import { LogProjectionRunner } from '../../src/projections/runner.js';
import { sampleLog, storeWith } from '../projections/journal-events.js';
import { scenario } from '../projections/journal-scenarios.js';

/** What buildXaf was: the same tree through xmlbuilder2. */
function withXmlbuilder(tree: XmlTree): string {
  const document = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' });
  document.ele(XAF_NAMESPACE, 'auditfile').ele(tree as Record<string, unknown>);
  return document.end({ prettyPrint: true });
}

const createdAt = new Date('2021-03-04T05:06:07Z');

t.test('the XAF of random years is byte for byte what xmlbuilder2 wrote', async (t) => {
  let compared = 0;
  await fc.assert(
    fc.asyncProperty(fc.oneof(scenario.map(({ events }) => events), fc.constant(sampleLog())), fc.constantFrom(2019, 2020, 2021), async (events, year) => {
      const store = await storeWith(events);
      const runner = new LogProjectionRunner(store);
      try {
        const journal = await readYearJournal(runner, { year });
        const written = buildXaf(journal, { createdAt });
        if (written !== withXmlbuilder(xafTree(journal, { createdAt }))) throw new Error(`${year}: the XAF differs from xmlbuilder2's`);
        compared += 1;
      } finally {
        await runner.close();
        await store.close();
      }
    }),
    { numRuns: 40 },
  );
  t.equal(compared, 40, 'every year compared');
});

// Text with markup, entity-like ampersands, quotes, controls, lone and paired surrogates, line breaks.
const hostile = fc
  .array(
  fc.constantFrom('a', ' ', '&', '&amp;', '&#38;', '&#x26;', '&#1;', '&amp;#38;', '&lt;', '&quot;', '&x;', '& ;', '&#', '<', '>', '"', "'", '\n', '\r', '\t', '\u0001', '\u000B', '\uFFFE', '\uFFFF', '\uD83D\uDE00', '\uD83D', '\uDE00', 'é', ']]>'),
  { maxLength: 12 },
  )
  .map((pieces) => pieces.join(''));
const name = fc.constantFrom('a', 'b', 'c', 'desc');
const tree: fc.Arbitrary<XmlTree> = fc.letrec<{ tree: XmlTree; value: XmlTree[string] }>((tie) => ({
  tree: fc.dictionary(name, tie('value'), { maxKeys: 3, noNullPrototype: true }),
  value: fc.oneof({ depthSize: 'small' }, hostile, tie('tree'), fc.array(fc.oneof(hostile, tie('tree')), { minLength: 1, maxLength: 3 })),
})).tree;

t.test('trees of hostile text are written as xmlbuilder2 writes them', async (t) => {
  let compared = 0;
  fc.assert(
    fc.property(tree, (value) => {
      const written = serializeXml(XAF_NAMESPACE, 'auditfile', value);
      const expected = withXmlbuilder(value);
      if (written !== expected) throw new Error(`${JSON.stringify(value)}:\n${written}\n≠\n${expected}`);
      compared += 1;
    }),
    { numRuns: 500 },
  );
  t.equal(compared, 500, 'every tree compared');
});
