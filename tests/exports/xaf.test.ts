import t from 'tap';
import { XAF_XSD } from '../helpers/shared.js';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { create } from 'xmlbuilder2';
import { buildXaf, identifier, text, XAF_NAMESPACE } from '../../src/exports/xaf.js';
import { trialBalance, yearJournal } from '../../src/projections/trial-balance.js';
import { journalFromStore, LONG_FINANCIER, NASTY_NAME, sampleLog, storeWith } from '../projections/journal-events.js';
import { scenario } from '../projections/journal-scenarios.js';

const XSD = readFileSync(XAF_XSD, 'utf8');
const CREATED_AT = new Date('2021-02-01T09:00:00Z');

async function validate(xml: string) {
  const result = await validateXML({ xml: [{ fileName: 'export.xaf', contents: xml }], schema: [XSD] });
  return { valid: result.valid, errors: result.errors.map((error) => error.message) };
}

/** The parts of the document a test reads, as plain objects (xmlbuilder2 parses what it wrote). */
function parse(xml: string): any {
  return (create(xml).end({ format: 'object' }) as any).auditfile;
}
/** The text of every element with this name, read back through a real XML parser (the DOM). */
function textsOf(xml: string, name: string): string[] {
  const texts: string[] = [];
  create(xml)
    .root()
    .each((element) => {
      if (element.node.nodeName === name && element.node.lookupNamespaceURI(null) === XAF_NAMESPACE) texts.push(element.node.textContent ?? '');
    }, false, true);
  return texts;
}
const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

t.test('the XAF export of a year validates against the XAF 3.2 schema, user text and long ids included', async (t) => {
  const store = await storeWith(sampleLog());
  t.teardown(() => store.close());
  const year = yearJournal(await journalFromStore(store), { year: 2020 });
  const xml = buildXaf(year, { createdAt: CREATED_AT });
  const result = await validate(xml);
  t.same(result.errors, [], 'no schema errors');
  t.ok(result.valid);

  const doc = parse(xml);
  t.match(doc.header, { fiscalYear: '2020', startDate: '2020-01-01', endDate: '2020-12-31', curCode: 'EUR', dateCreated: '2021-02-01' });
  t.equal(asList(doc.company.periods.period).length, 12);
  const customers = asList(doc.company.customersSuppliers.customerSupplier);
  t.same(customers.map((c: any) => c.custSupID).sort(), ['mitros', identifier(LONG_FINANCIER)].sort());
  t.same(textsOf(xml, 'custSupName'), ['Mitros', text(NASTY_NAME, 50)], 'names are cut to the 50 characters the schema allows, escaped, not mangled');
  t.ok(textsOf(xml, 'desc').includes('Verhuurder "BV": Huur maart; <geen> korting (TOP)'), 'descriptions read back exactly as typed');

  const journals = asList(doc.company.transactions.journal);
  const transactions = journals.flatMap((journal: any) => asList(journal.transaction));
  t.equal(transactions.length, year.entries.length, 'every entry of the year is a transaction');
  const balance = trialBalance(year);
  t.match(doc.company.transactions, { totalDebit: balance.totals.debit, totalCredit: balance.totals.credit });
  t.equal(doc.company.transactions.linesCount, String(year.entries.reduce((count, entry) => count + entry.lines.length, 0)));
  t.same(journals.map((journal: any) => journal.jrnID), ['VERK', 'BANK', 'KAS', 'MEM', 'VRIJW']);
  const obLines = asList(doc.company.openingBalance.obLine);
  t.same(obLines.map((line: any) => [line.accID, line.amnt, line.amntTp]), [
    ['0900', '6100.00', 'C'],
    ['1100', '500.00', 'C'],
    ['1300:mitros', '6600.00', 'D'],
  ], '2019: 6600 invoiced and unpaid, 500 rent paid, so 6100 result carried into equity');
});

t.test('an empty year validates; a document the schema refuses is caught (the check can fail)', async (t) => {
  const store = await storeWith([]);
  t.teardown(() => store.close());
  const empty = buildXaf(yearJournal(await journalFromStore(store), { year: 2019 }), { createdAt: CREATED_AT });
  const broken = empty.replace('<curCode>EUR</curCode>', '<curCode>EURO</curCode>');
  const result = await validateXML({ xml: [{ fileName: 'empty.xaf', contents: empty }, { fileName: 'broken.xaf', contents: broken }], schema: [XSD] });
  t.notOk(result.valid);
  t.same([...new Set(result.errors.map((error) => error.loc?.fileName))], ['broken.xaf'], 'only the broken file is refused');
  t.match(result.errors[0]?.message, /curCode/);
});

t.test('the exports of random logs validate, every year of them', async (t) => {
  // One validator run for all documents: starting xmllint and compiling the schema is the slow part.
  const documents: Array<{ fileName: string; contents: string }> = [];
  for (const [index, { events }] of fc.sample(scenario, { numRuns: 16, seed: 20200615 }).entries()) {
    const store = await storeWith(events);
    const journal = await journalFromStore(store);
    await store.close();
    for (const fiscalYear of [2019, 2020]) {
      documents.push({ fileName: `log-${index}-${fiscalYear}.xaf`, contents: buildXaf(yearJournal(journal, { year: fiscalYear }), { createdAt: CREATED_AT }) });
    }
  }
  const result = await validateXML({ xml: documents, schema: [XSD] });
  t.same(result.errors.map((error) => error.rawMessage), [], `${documents.length} documents, no schema errors`);
  t.ok(result.valid);
});

t.test('identifiers longer than 35 characters are shortened and stay distinct; text loses only what XML cannot carry', async (t) => {
  const a = identifier('x'.repeat(40));
  const b = identifier(`${'x'.repeat(39)}y`);
  t.ok(a.length <= 35 && b.length <= 35);
  t.not(a, b);
  t.equal(identifier('mitros'), 'mitros');
  t.equal(text('a\u0001b\u0000c 🏠 <&>'), 'abc 🏠 <&>');
  t.equal(text('🏠'.repeat(60), 50), '🏠'.repeat(50), 'lengths count characters, as XSD does, not UTF-16 units');
});
