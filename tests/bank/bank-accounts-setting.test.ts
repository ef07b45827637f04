import t from 'tap';
import { loadConfig } from '../../src/config.js';
import { CRAFTED_ACCOUNT, craftedStatement } from './camt053.fixtures.js';
import { assertRefused, receivablesApp } from '../http/receivables.fixtures.js';

t.test('BANK_ACCOUNTS is a comma-separated list of valid IBANs, kept in electronic format', async (t) => {
  t.same(loadConfig({ BANK_ACCOUNTS: 'NL91 ABNA 0417 1643 00, NL02ABNA0123456789' }).BANK_ACCOUNTS, ['NL91ABNA0417164300', 'NL02ABNA0123456789']);
  t.equal(loadConfig({}).BANK_ACCOUNTS, undefined);
  t.throws(() => loadConfig({ BANK_ACCOUNTS: 'NL91ABNA0417164300,NL00BANK0123456789' }), { name: 'ConfigError', message: /BANK_ACCOUNTS: must be valid IBANs/ });
});

t.test('with BANK_ACCOUNTS set, statements of those accounts import without a recorded list; others are refused', async (t) => {
  const api = await receivablesApp(t, { bankAccounts: [CRAFTED_ACCOUNT] });
  const post = (xml: string) => api.request(api.tokens.treasurer, { method: 'POST', url: '/bank-statements', payload: xml, headers: { 'content-type': 'application/xml' } });
  const imported = await post(craftedStatement([{ amount: '10.00', entryReference: 'S-1' }]));
  t.equal(imported.statusCode, 201, imported.body);
  const other = await post(craftedStatement([{ amount: '10.00', entryReference: 'S-2' }], { account: 'NL02ABNA0123456789' }));
  assertRefused(t, other, 422, 'BANK_ACCOUNT_UNKNOWN', 'Stmt.0.Acct.Id.IBAN');
  t.match(other.json().detail, /NL02ABNA0123456789.*NL91ABNA0417164300/);
});
