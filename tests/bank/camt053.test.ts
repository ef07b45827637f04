import t, { type Test } from 'tap';
import { parseCamt053 } from '../../src/bank/camt053.js';
import { DomainError } from '../../src/domain/errors.js';
import type { ParsedStatement } from '../../src/bank/camt053.js';
import { craftedStatement, sampleStatement } from './camt053.fixtures.js';

/** The credits of every statement in the document, in the shape a received payment takes. */
function creditsOf(statement: ParsedStatement) {
  return statement.statements
    .flatMap((part) => part.entries)
    .filter((entry) => entry.direction === 'credit')
    .map(({ direction: _direction, kind: _kind, counterpartyName, counterpartyIban, ...rest }) => ({
      ...rest,
      ...(counterpartyName === undefined ? {} : { payerName: counterpartyName }),
      ...(counterpartyIban === undefined ? {} : { payerIban: counterpartyIban }),
    }));
}

const debitCount = (statement: ParsedStatement) => statement.statements.flatMap((part) => part.entries).filter((entry) => entry.direction === 'debit').length;

t.test('the de Volksbank sample: four credits with their entry references, seven debits skipped', async (t) => {
  const statement = parseCamt053(sampleStatement('example-a.xml'));
  t.equal(statement.messageId, 'CAMT053SNS987654321647');
  t.equal(debitCount(statement), 7);
  t.equal(statement.skippedNotBooked, 0);
  t.same(creditsOf(statement), [
    {
      date: '2026-01-26',
      amount: '500.00',
      payerName: 'GreatExample BV',
      payerIban: 'NL78SNSB0022446688',
      description: 'Opname',
      bankReference: '20260126-394900',
    },
    // interest: no debtor, no remittance information; the entry's own text describes it
    { date: '2026-02-05', amount: '103.98', description: 'Creditrente 01-01-26 tot 01-02-26', bankReference: '20260205-357236' },
    { date: '2026-03-05', amount: '93.84', description: 'Creditrente 01-02-26 tot 01-03-26', bankReference: '20260305-292568' },
    { date: '2026-04-05', amount: '103.92', description: 'Creditrente 01-03-26 tot 01-04-26', bankReference: '20260405-321555' },
  ]);
});

t.test('the Rabobank sample: entries without any reference get a stable reference from their content', async (t) => {
  const xml = sampleStatement('example-b.xml');
  const statement = parseCamt053(xml);
  t.equal(statement.messageId, 'CAMT053RIB000001048085');
  t.equal(debitCount(statement), 5);
  t.same(
    creditsOf(statement).map(({ date, amount, payerName, payerIban, description }) => ({ date, amount, payerName, payerIban, description })),
    [
      { date: '2016-08-15', amount: '4425.25', payerName: 'XS NEWS B V', payerIban: 'NL62ABNA0408441224', description: '2016Q3-0004' },
      { date: '2016-09-28', amount: '2982.99', payerName: 'XS NEWS B V', payerIban: 'NL62ABNA0408441224', description: '2016Q3-0005' },
      { date: '2016-10-11', amount: '4516.68', payerName: 'XS NEWS B V', payerIban: 'NL62ABNA0408441224', description: '2016Q3-0006' },
      { date: '2016-07-26', amount: '5823.83', payerName: 'ROOTDEV', payerIban: 'NL17RABO0310029597', description: 'ROOTDEV30procent inkomstenbelasting' },
    ],
  );
  const references = creditsOf(statement).map((credit) => credit.bankReference);
  t.ok(references.every((reference) => /^camt053:[0-9a-f]{32}:1$/.test(reference)), 'derived references');
  t.equal(new Set(references).size, 4, 'all different');
  t.same(creditsOf(parseCamt053(xml)).map((credit) => credit.bankReference), references, 'the same on a second reading');
});

t.test("the bank's own reference wins: AcctSvcrRef, then NtryRef, then EndToEndId (unless NOTPROVIDED)", async (t) => {
  const statement = parseCamt053(
    craftedStatement([
      { amount: '1.00', accountServicerReference: 'ASR-1', entryReference: 'NTRY-1', endToEndId: 'E2E-1' },
      { amount: '2.00', entryReference: 'NTRY-2', endToEndId: 'E2E-2' },
      { amount: '3.00', endToEndId: 'E2E-3' },
      { amount: '4.00', endToEndId: 'NOTPROVIDED' },
      { amount: '4.00', endToEndId: 'NOTPROVIDED' },
    ]),
  );
  const references = creditsOf(statement).map((credit) => credit.bankReference);
  t.same(references.slice(0, 3), ['ASR-1', 'NTRY-2', 'E2E-3']);
  t.match(references[3], /^camt053:[0-9a-f]{32}:1$/);
  t.equal(references[4], references[3]!.replace(/:1$/, ':2'), 'identical entries are told apart by their order');
});

t.test('remittance lines are joined, amounts normalised to cents, date-times read in Amsterdam, pending entries skipped', async (t) => {
  const statement = parseCamt053(
    craftedStatement([
      { amount: '1250.5', entryReference: 'A', remittance: ['Factuur 2020-0001', 'en 2020-0002'] },
      { amount: '10', entryReference: 'B', bookingDateTime: '2020-03-31T22:30:00Z' },
      { amount: '7.00', entryReference: 'C', status: 'PDNG' },
      { amount: '7.00', entryReference: 'D', direction: 'DBIT' },
    ]),
  );
  t.same(
    creditsOf(statement).map(({ amount, date, description }) => ({ amount, date, description })),
    [
      { amount: '1250.50', date: '2020-06-12', description: 'Factuur 2020-0001 en 2020-0002' },
      // 22:30 UTC on 31 March is 00:30 on 1 April in Amsterdam (CEST)
      { amount: '10.00', date: '2020-04-01', description: undefined },
    ],
  );
  t.equal(statement.skippedNotBooked, 1);
  t.equal(debitCount(statement), 1);
});

t.test('a namespace prefix on the elements is read the same', async (t) => {
  const prefixed = craftedStatement([{ amount: '1.00', entryReference: 'P-1' }])
    .replace('xmlns="urn:', 'xmlns:c="urn:')
    .replace(/<(\/?)([A-Za-z])/g, (_match, slash: string, first: string) => `<${slash}c:${first}`);
  t.match(prefixed, /<c:Ntry>/);
  t.same(creditsOf(parseCamt053(prefixed)).map((credit) => credit.bankReference), ['P-1']);
});

t.test('anything that is not a well-formed camt.053 statement in euros is refused', async (t) => {
  const refused = (xml: string, pattern: RegExp, name: string) => {
    try {
      parseCamt053(xml);
      t.fail(`${name}: accepted`);
    } catch (error) {
      t.ok(error instanceof DomainError && error.code === 'BANK_STATEMENT_INVALID', `${name}: BANK_STATEMENT_INVALID`);
      t.match((error as Error).message, pattern, name);
    }
  };
  refused('<Document><BkToCstmrStmt>', /well-formed/, 'truncated XML');
  refused('not xml at all', /well-formed|camt/, 'plain text');
  refused('<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>', /not a camt\.053/, 'a UBL invoice');
  refused(craftedStatement([]).replace('camt.053.001.02', 'camt.052.001.02'), /not a camt\.053/, 'an intraday report (camt.052)');
  refused(craftedStatement([]).replace(/<GrpHdr>.*<\/GrpHdr>/, ''), /MsgId/, 'no group header');
  refused(craftedStatement([]).replace(/<Stmt>[\s\S]*<\/Stmt>/, ''), /no statement/, 'no statement');
  refused(
    `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>${craftedStatement([{ amount: '1.00' }]).replace(/^<\?xml[^>]*\?>/, '')}`,
    /DOCTYPE/,
    'a DOCTYPE with entities',
  );
  refused(craftedStatement([{ amount: '1.00', currency: 'USD' }]), /EUR/, 'dollars');
  refused(craftedStatement([{ amount: '1.005' }]), /fractions of a cent/, 'a tenth of a cent');
  refused(craftedStatement([{ amount: '1,00' }]), /not an amount/, 'a comma decimal');
  refused(craftedStatement([{ amount: '0.00' }]), /more than 0/, 'nothing');
  refused(craftedStatement([{ amount: '1.00', bookingDate: '2020-02-30' }]), /not a date/, 'a date that does not exist');
  refused(craftedStatement([{ amount: '1.00', direction: 'XXXX' as 'CRDT' }]), /CRDT or DBIT/, 'no direction');
});

const refusedWith = (t: Test, xml: string, pattern: RegExp, name: string) => {
  try {
    parseCamt053(xml);
    t.fail(`${name}: accepted`);
  } catch (error) {
    t.ok(error instanceof DomainError && error.code === 'BANK_STATEMENT_INVALID', `${name}: BANK_STATEMENT_INVALID`);
    t.match((error as Error).message, pattern, name);
  }
};

t.test('hostile input: deep nesting is refused by a scan before parsing, huge amounts by the request limits, unknown entities', async (t) => {
  const depth = 750_000;
  const deep = craftedStatement([]).replace('<Stmt>', `<Stmt>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`);
  refusedWith(t, deep, /nested more than 100 deep/, '750,000 levels of nesting');
  const justTooDeep = craftedStatement([]).replace('<Stmt>', `<Stmt>${'<a>'.repeat(100)}${'</a>'.repeat(100)}`);
  refusedWith(t, justTooDeep, /nested more than 100/, 'a hundred levels inside a statement');
  refusedWith(t, craftedStatement([{ amount: '9999999999999.99' }]), /at most 999999999\.99/, 'ten trillion');
  refusedWith(t, craftedStatement([{ amount: '1000000000.00' }]), /at most 999999999\.99/, 'one cent over the limit');
  refusedWith(t, craftedStatement([{ amount: '1.00', remittance: ['A &nbsp; B'] }]), /&nbsp;/, 'an HTML entity XML does not define');
  t.equal(creditsOf(parseCamt053(craftedStatement([{ amount: '999999999.99' }])))[0]?.amount, '999999999.99', 'the limit itself is accepted');
});

t.test('entities are decoded: &amp; and numeric references become the characters they name', async (t) => {
  const statement = parseCamt053(craftedStatement([{ amount: '1.00', debtorName: 'Bo-Ex &amp; Mitros', remittance: ['Caf&#233; &#x41;B &lt;TOP&gt;'] }]));
  t.same(creditsOf(statement).map(({ payerName, description }) => ({ payerName, description })), [{ payerName: 'Bo-Ex & Mitros', description: 'Café AB <TOP>' }]);
});

t.test("the statement's account and balances are read, and each entry's kind from its bank transaction code", async (t) => {
  const statement = parseCamt053(
    craftedStatement(
      [
        { amount: '7.95', direction: 'DBIT', family: 'MDOP', subFamily: 'CHRG', entryReference: 'K' },
        { amount: '1.20', family: 'MCOP', subFamily: 'INTR', entryReference: 'I' },
        { amount: '40.00', direction: 'DBIT', family: 'ICDT', creditorName: 'Jan', creditorIban: 'NL39 RABO 0300 0652 64', entryReference: 'D' },
      ],
      { account: 'NL02 ABNA 0123 4567 89', opening: { amount: '-12.50', date: '2020-06-11' }, closing: { amount: '100.00', date: '2020-06-12' } },
    ),
  );
  const [part] = statement.statements;
  t.equal(part?.account, 'NL02ABNA0123456789');
  t.same(part?.opening, { amount: '-12.50', date: '2020-06-11' });
  t.same(part?.closing, { amount: '100.00', date: '2020-06-12' });
  t.same(
    part?.entries.map(({ direction, kind, counterpartyName, counterpartyIban }) => ({ direction, kind, counterpartyName, counterpartyIban })),
    [
      { direction: 'debit', kind: 'bank-costs', counterpartyName: undefined, counterpartyIban: undefined },
      { direction: 'credit', kind: 'interest', counterpartyName: undefined, counterpartyIban: undefined },
      { direction: 'debit', kind: 'transfer', counterpartyName: 'Jan', counterpartyIban: 'NL39RABO0300065264' },
    ],
  );
  refusedWith(t, craftedStatement([], { account: 'NL00BANK0123456789' }), /not a valid IBAN/, 'an account that is no IBAN');
});
